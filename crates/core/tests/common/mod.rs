//! Helpers shared by the integration tests: the canary phone number,
//! canned answers and mock transports built from a function, everything an
//! error shows, and a log captured into a buffer.
#![allow(clippy::unwrap_used, dead_code)]

use std::error::Error as _;
use std::io::Write;
use std::sync::{Arc, Mutex};

use frontegg_identity_core::http::{Request, Response, StatusCode};
use frontegg_identity_core::{Error, MockBlockingIdentityTransport, MockIdentityTransport, TransportError};

/// The phone number the redaction tests send and have echoed back.
pub const PHONE: &str = "+14155550123";
/// Its digits: never shown.
pub const PHONE_DIGITS: &str = "4155550123";
/// How it is shown.
pub const MASKED: &str = "+*********23";

/// What a transport returns.
pub type Answer = Result<Response<Vec<u8>>, TransportError>;

/// An answer with this status, these headers and this body.
pub fn answer(status: u16, headers: &[(&'static str, &str)], body: &str) -> Answer {
    let mut response = Response::new(body.as_bytes().to_vec());
    *response.status_mut() = StatusCode::from_u16(status).unwrap();
    for (name, value) in headers {
        response.headers_mut().insert(*name, value.parse().unwrap());
    }
    Ok(response)
}

/// An async mock transport whose every answer comes from `f`.
pub fn async_transport(f: impl FnMut(Request<Vec<u8>>) -> Answer + Send + 'static) -> MockIdentityTransport {
    let mut mock = MockIdentityTransport::new();
    mock.expect_execute().returning(f);
    mock
}

/// A blocking mock transport whose every answer comes from `f`.
pub fn blocking_transport(
    f: impl FnMut(Request<Vec<u8>>) -> Answer + Send + 'static,
) -> MockBlockingIdentityTransport {
    let mut mock = MockBlockingIdentityTransport::new();
    mock.expect_execute().returning(f);
    mock
}

/// Everything an error shows: `Display`, `Debug` and its whole source chain.
pub fn error_texts(err: &Error) -> String {
    let mut out = format!("{err}\n{err:?}\n{err:#?}\n");
    let mut source = err.source();
    while let Some(s) = source {
        out.push_str(&format!("{s}\n{s:?}\n"));
        source = s.source();
    }
    out
}

/// A `MakeWriter` into a shared buffer.
#[derive(Clone, Default)]
pub struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Buffer {
    type Writer = Self;
    fn make_writer(&'a self) -> Self {
        self.clone()
    }
}

/// Runs `f` with every log line (spans too) captured, and returns them.
pub fn with_captured_logs<R>(f: impl FnOnce() -> R) -> (R, String) {
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(buffer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .finish();
    let result = tracing::subscriber::with_default(subscriber, f);
    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    (result, log)
}
