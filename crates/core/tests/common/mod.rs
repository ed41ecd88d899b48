//! Helpers shared by the redaction tests: everything an error shows, and a
//! log captured into a buffer.
#![allow(clippy::unwrap_used, dead_code)]

use std::error::Error as _;
use std::io::Write;
use std::sync::{Arc, Mutex};

use frontegg_identity_core::Error;

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
