//! The parsed URLs of recent requests.
//!
//! reqwest takes a request's URL as a parsed `url::Url`, and its conversion
//! from an `http::Request` formats the `http::Uri` back to text and parses
//! that text again, hostname rules (IDNA) and all: about 17,000
//! instructions per request, more than the rest of the adapter. A client
//! sends the same few URLs again and again (one per route, plus the ids in
//! the paths), so [`Urls`] keeps the URL parsed last for each of a few slots
//! (by the path's hash) and hands out a copy when the next request's URI is
//! equal to the one it was parsed from. A URI met for the first time is
//! parsed exactly as reqwest's conversion parses it (and one that does not
//! parse goes through that conversion, which reports it).

use std::sync::{Arc, Mutex, PoisonError};

use reqwest::Url;

/// How many URLs [`Urls`] keeps.
const SLOTS: usize = 32;

/// A URI and the URL parsed from it.
type Parsed = (http::Uri, Url);

/// See the module documentation.
#[derive(Debug, Default)]
pub(crate) struct Urls {
    /// Shared, so that the lock is held only to copy a pointer: the
    /// comparison and the copy of the URL happen after it.
    slots: Mutex<[Option<Arc<Parsed>>; SLOTS]>,
}

impl Urls {
    /// `uri` as a parsed URL, as `Url::parse(&uri.to_string())` makes it;
    /// `None` if that fails.
    pub(crate) fn parse(&self, uri: &http::Uri) -> Option<Url> {
        let slot = slot(uri);
        let slots = || self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let held = slots()[slot].clone();
        if let Some(held) = held
            && held.0 == *uri
        {
            return Some(held.1.clone());
        }
        let url = Url::parse(&uri.to_string()).ok()?;
        let previous = slots()[slot].replace(Arc::new((uri.clone(), url.clone())));
        drop(previous);
        Some(url)
    }
}

/// The slot of `uri`: FNV-1a over its path and query (a client's requests
/// share their scheme and host).
fn slot(uri: &http::Uri) -> usize {
    let text = uri.path_and_query().map_or("", http::uri::PathAndQuery::as_str);
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    (hash % SLOTS as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_what_parsing_its_text_makes_and_a_copy_when_seen_again() {
        let urls = Urls::default();
        for text in [
            "http://127.0.0.1:8080/identity/resources/users/phone-numbers/v1/me",
            "https://API.Example.COM/a/%7Eb/../c?x=1&y=%20#frag",
            "https://xn--bcher-kva.example/identity?q=1",
            "http://[::1]:9000/p",
        ] {
            let uri: http::Uri = text.parse().unwrap();
            let expected = Url::parse(&uri.to_string()).unwrap();
            assert_eq!(urls.parse(&uri).unwrap(), expected, "{text}");
            assert_eq!(urls.parse(&uri).unwrap(), expected, "{text} again");
        }
    }

    #[test]
    fn uris_sharing_a_slot_each_get_their_own_url() {
        let urls = Urls::default();
        let uris: Vec<http::Uri> = (0..4 * SLOTS)
            .map(|i| format!("http://h/p/{i}").parse().unwrap())
            .collect();
        for _ in 0..2 {
            for uri in &uris {
                assert_eq!(urls.parse(uri).unwrap().path(), uri.path());
            }
        }
    }
}
