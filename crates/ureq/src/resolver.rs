//! Host resolution that costs nothing on the common path.
//!
//! ureq resolves the host of every request, before it looks for a pooled
//! connection, and with a timeout set (ours always is) its default resolver
//! does so on a new thread so that it can give up on time. A client that
//! reuses one connection would start a thread and ask the system resolver
//! for each call. [`QuickResolver`] answers IP literals (the emulator, a
//! proxy on loopback) directly, and remembers a host name's addresses for
//! [`REMEMBER_FOR`], so the default resolver, with its thread and its
//! timeout, runs only when a name is new or its addresses are stale.
//! Addresses are only used to open new connections.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a host name's addresses are reused. Short, so that a DNS change
/// (a failover) reaches new connections quickly.
pub(crate) const REMEMBER_FOR: Duration = Duration::from_secs(10);

/// Host names remembered at once; a client talks to one or two.
const REMEMBERED_HOSTS: usize = 8;

#[derive(Debug)]
struct Remembered {
    host: String,
    port: u16,
    at: Instant,
    addrs: ResolvedSocketAddrs,
}

/// See the module documentation.
#[derive(Debug, Default)]
pub(crate) struct QuickResolver {
    fallback: DefaultResolver,
    remembered: Mutex<Vec<Remembered>>,
}

fn port_of(uri: &Uri) -> Option<u16> {
    uri.port_u16().or_else(|| match uri.scheme_str()? {
        "https" => Some(443),
        "http" => Some(80),
        _ => None,
    })
}

/// `127.0.0.1` or `[::1]` as an address; `None` for a host name.
fn literal(host: &str) -> Option<IpAddr> {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.parse().ok()
}

impl Resolver for QuickResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let (Some(host), Some(port)) = (uri.host(), port_of(uri)) else {
            return self.fallback.resolve(uri, config, timeout);
        };
        if let Some(ip) = literal(host) {
            let addr = SocketAddr::new(ip, port);
            let mut out = self.empty();
            for wanted in config.ip_family().keep_wanted(std::iter::once(addr)) {
                out.push(wanted);
            }
            return if out.is_empty() {
                Err(ureq::Error::HostNotFound)
            } else {
                Ok(out)
            };
        }
        let now = Instant::now();
        {
            let remembered = self.remembered.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(hit) = remembered
                .iter()
                .find(|r| r.port == port && r.host == host && now.duration_since(r.at) < REMEMBER_FOR)
            {
                return Ok(hit.addrs.clone());
            }
        }
        let addrs = self.fallback.resolve(uri, config, timeout)?;
        let mut remembered = self.remembered.lock().unwrap_or_else(PoisonError::into_inner);
        remembered.retain(|r| !(r.port == port && r.host == host) && now.duration_since(r.at) < REMEMBER_FOR);
        if remembered.len() >= REMEMBERED_HOSTS {
            remembered.remove(0);
        }
        remembered.push(Remembered {
            host: host.to_owned(),
            port,
            at: now,
            addrs: addrs.clone(),
        });
        Ok(addrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(resolver: &QuickResolver, uri: &str) -> Result<Vec<SocketAddr>, ureq::Error> {
        let uri: Uri = uri.parse().expect("a valid URI");
        let config = Config::default();
        resolver
            .resolve(&uri, &config, NextTimeout::default())
            .map(|a| a.to_vec())
    }

    #[test]
    fn ip_literals_are_answered_directly() {
        let r = QuickResolver::default();
        assert_eq!(
            resolve(&r, "http://127.0.0.1:8080/x").expect("resolves"),
            vec!["127.0.0.1:8080".parse::<SocketAddr>().expect("addr")]
        );
        assert_eq!(
            resolve(&r, "https://[::1]/x").expect("resolves"),
            vec!["[::1]:443".parse::<SocketAddr>().expect("addr")]
        );
        assert!(r.remembered.lock().expect("lock").is_empty());
    }

    #[test]
    fn ip_family_is_honoured_for_literals() {
        let r = QuickResolver::default();
        let uri: Uri = "http://[::1]:80/".parse().expect("uri");
        let config = Config::builder()
            .ip_family(ureq::config::IpFamily::Ipv4Only)
            .build();
        assert!(matches!(
            r.resolve(&uri, &config, NextTimeout::default()),
            Err(ureq::Error::HostNotFound)
        ));
    }

    #[test]
    fn host_names_are_remembered_then_forgotten() {
        let r = QuickResolver::default();
        let first = resolve(&r, "http://localhost:9/").expect("localhost resolves");
        assert!(!first.is_empty());
        assert_eq!(r.remembered.lock().expect("lock").len(), 1);
        // A fake entry proves the second answer comes from memory.
        let fake: SocketAddr = "10.9.8.7:9".parse().expect("addr");
        {
            let mut remembered = r.remembered.lock().expect("lock");
            remembered[0].addrs.truncate(0);
            remembered[0].addrs.push(fake);
        }
        assert_eq!(resolve(&r, "http://localhost:9/").expect("resolves"), vec![fake]);
        // Other ports are other entries.
        assert_ne!(resolve(&r, "http://localhost:10/").expect("resolves"), vec![fake]);
        // A stale entry is resolved again.
        {
            let mut remembered = r.remembered.lock().expect("lock");
            let old = remembered[0]
                .at
                .checked_sub(REMEMBER_FOR)
                .expect("an old instant");
            remembered[0].at = old;
        }
        assert_ne!(resolve(&r, "http://localhost:9/").expect("resolves"), vec![fake]);
    }
}
