//! A misbehaving HTTP/1.1 server on loopback, for the faults the emulator
//! cannot script: an answer that never comes, a reset after the request was
//! read, a truncated or trickling body, an oversized body, arbitrary bytes.
//!
//! Each connection is served on its own thread: the server reads one request
//! (head and `Content-Length` body), counts it under its path, then does its
//! [`Behavior`]. `POST /auth/vendor` is always answered with a vendor token,
//! so vendor routes can be driven through it too.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// What the server does once it has read a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behavior {
    /// Never answers; the connection is held open until the server is dropped.
    NeverAnswer,
    /// Resets the connection (`SO_LINGER` 0, then close): the client sees `ECONNRESET`.
    Reset,
    /// Sends a head declaring `declared` body bytes, then only `body`, then closes.
    Truncated {
        /// The `Content-Length` sent.
        declared: usize,
        /// The bytes actually sent.
        body: Vec<u8>,
    },
    /// Sends a 200 head with `Content-Length: len`, then one byte every `every`.
    Trickle {
        /// The `Content-Length` sent.
        len: usize,
        /// The pause between bytes.
        every: Duration,
    },
    /// Sends these bytes verbatim, then closes.
    Raw(Vec<u8>),
}

impl Behavior {
    /// A complete answer: `status` with `headers`, `Content-Length` and
    /// `Connection: close` added, then `body`.
    #[must_use]
    pub fn respond(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Self {
        let mut out = format!("HTTP/1.1 {status}\r\n");
        for (name, value) in headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str(&format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        ));
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(body);
        Self::Raw(bytes)
    }

    /// A 200 `application/json` answer with `body`.
    #[must_use]
    pub fn json(body: &str) -> Self {
        Self::respond("200 OK", &[("content-type", "application/json")], body.as_bytes())
    }
}

/// One request as the server read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenRequest {
    /// The method.
    pub method: String,
    /// The request target as sent (path and query, still percent-encoded).
    pub target: String,
    /// The body.
    pub body: Vec<u8>,
}

impl SeenRequest {
    /// The path, without the query.
    #[must_use]
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
}

#[derive(Default)]
struct Shared {
    seen: Mutex<Vec<SeenRequest>>,
    stop: AtomicBool,
}

/// A running raw server. Dropping it stops accepting and releases the
/// connections it holds open.
pub struct RawServer {
    base_url: String,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for RawServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawServer")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl RawServer {
    /// Starts a server on `127.0.0.1:0` that answers every request (but
    /// vendor authentication) with `behavior`.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound.
    #[must_use]
    pub fn start(behavior: Behavior) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
        listener.set_nonblocking(true).expect("a non-blocking listener");
        let base_url = format!("http://{}", listener.local_addr().expect("an address"));
        let shared = Arc::new(Shared::default());
        let accept_shared = Arc::clone(&shared);
        std::thread::spawn(move || accept_loop(&listener, &behavior, &accept_shared));
        Self { base_url, shared }
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Every request read so far, oldest first.
    #[must_use]
    pub fn requests(&self) -> Vec<SeenRequest> {
        self.shared
            .seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// How many requests reached `path` (the query is ignored).
    #[must_use]
    pub fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path() == path).count()
    }

    /// How many requests reached the server, on any path.
    #[must_use]
    pub fn total(&self) -> usize {
        self.shared
            .seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
    }
}

fn accept_loop(listener: &TcpListener, behavior: &Behavior, shared: &Arc<Shared>) {
    while !shared.stop.load(Ordering::Acquire) {
        match listener.accept() {
            Ok((stream, _)) => {
                let behavior = behavior.clone();
                let shared = Arc::clone(shared);
                std::thread::spawn(move || serve(stream, &behavior, &shared));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(2)),
        }
    }
}

/// Reads one request: the head up to the blank line, then a `Content-Length` body.
pub(crate) fn read_request(stream: &mut impl Read) -> Option<SeenRequest> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut start = lines.next()?.split(' ');
    let method = start.next()?.to_owned();
    let target = start.next()?.to_owned();
    let length = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    body.truncate(length);
    Some(SeenRequest { method, target, body })
}

fn serve(mut stream: TcpStream, behavior: &Behavior, shared: &Shared) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_nodelay(true);
    let Some(request) = read_request(&mut stream) else {
        return;
    };
    let vendor_auth = request.method == "POST" && request.path() == "/auth/vendor";
    shared
        .seen
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(request);
    if vendor_auth {
        let Behavior::Raw(answer) = Behavior::json(r#"{"token":"raw-vendor-token","expiresIn":3600}"#) else {
            return;
        };
        let _ = stream.write_all(&answer);
        return;
    }
    match behavior {
        Behavior::NeverAnswer => {
            while !shared.stop.load(Ordering::Acquire) {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        Behavior::Reset => {
            let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
            drop(stream);
        }
        Behavior::Truncated { declared, body } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body);
            let _ = stream.flush();
        }
        Behavior::Trickle { len, every } => {
            let head =
                format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len}\r\n\r\n");
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            for _ in 0..*len {
                if shared.stop.load(Ordering::Acquire) || stream.write_all(b" ").is_err() {
                    return;
                }
                std::thread::sleep(*every);
            }
        }
        Behavior::Raw(bytes) => {
            let _ = stream.write_all(bytes);
            let _ = stream.flush();
        }
    }
}
