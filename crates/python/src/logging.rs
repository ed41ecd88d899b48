//! The core's `tracing` events, forwarded to the standard `logging` module
//! (logger `frontegg_identity`).
//!
//! The hot path never takes the GIL and never allocates when logging is
//! off: a tracing subscriber answers `enabled` from one atomic, the Python
//! logger's effective level. That level is refreshed, with the GIL that a
//! call holds anyway, when Python's logging configuration changes: `logging`
//! clears every logger's `_cache` dict whenever a level changes
//! (`setLevel`, `logging.disable`, ...), so a sentinel key put in our
//! logger's `_cache` tells, in one dict lookup, whether the cached level is
//! still right. (Were `_cache` ever gone, the level is read on every call.)
//!
//! The core's events carry no secret (tokens, codes and full phone numbers
//! never reach them), so they are forwarded as they are.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU32, Ordering};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// The lowest Python level that is logged; `u32::MAX` until known.
static THRESHOLD: AtomicU32 = AtomicU32::new(u32::MAX);

struct LogState {
    logger: Py<PyAny>,
    cache: Option<Py<PyDict>>,
    sentinel: Py<PyString>,
}

static STATE: PyOnceLock<LogState> = PyOnceLock::new();

fn python_level(level: &Level) -> u32 {
    match *level {
        Level::ERROR => 40,
        Level::WARN => 30,
        Level::INFO => 20,
        Level::DEBUG => 10,
        Level::TRACE => 5,
    }
}

fn state(py: Python<'_>) -> PyResult<&'static LogState> {
    STATE.get_or_try_init(py, || {
        let logger = py
            .import("logging")?
            .call_method1("getLogger", ("frontegg_identity",))?;
        let cache = logger
            .getattr("_cache")
            .ok()
            .and_then(|c| c.cast_into::<PyDict>().ok())
            .map(Bound::unbind);
        Ok(LogState {
            logger: logger.unbind(),
            cache,
            sentinel: PyString::intern(py, "frontegg_identity._native level").unbind(),
        })
    })
}

/// Makes sure the cached level is current. Called on every call, with the
/// GIL held: one dict lookup when nothing changed.
pub(crate) fn refresh(py: Python<'_>) {
    let Ok(st) = state(py) else { return };
    if let Some(cache) = &st.cache {
        let cache = cache.bind(py);
        let sentinel = st.sentinel.bind(py);
        if cache.contains(sentinel).unwrap_or(false) {
            return;
        }
        // Mark first: a change made while the level is read clears the mark again.
        let _ = cache.set_item(sentinel, true);
    }
    let logger = st.logger.bind(py);
    let level = logger
        .call_method0("getEffectiveLevel")
        .and_then(|l| l.extract::<u32>())
        .unwrap_or(30);
    let disabled = logger
        .getattr("manager")
        .and_then(|m| m.getattr("disable"))
        .and_then(|d| d.extract::<u32>())
        .unwrap_or(0);
    THRESHOLD.store(level.max(disabled.saturating_add(1)), Ordering::Relaxed);
}

/// Collects an event's message and fields.
#[derive(Default)]
struct Fields {
    message: String,
    pairs: Vec<(&'static str, Value)>,
}

enum Value {
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    Text(String),
}

impl Visit for Fields {
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.pairs.push((field.name(), Value::Int(value)));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.pairs.push((field.name(), Value::UInt(value)));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.pairs.push((field.name(), Value::Float(value)));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.pairs.push((field.name(), Value::Bool(value)));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            self.pairs.push((field.name(), Value::Text(value.to_owned())));
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            self.pairs.push((field.name(), Value::Text(format!("{value:?}"))));
        }
    }
}

/// The subscriber installed when the module is imported.
pub(crate) struct PyLogSubscriber;

impl PyLogSubscriber {
    fn forward(event: &Event<'_>) {
        let meta = event.metadata();
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut text = fields.message;
        for (name, value) in &fields.pairs {
            let _ = match value {
                Value::Int(v) => write!(text, " {name}={v}"),
                Value::UInt(v) => write!(text, " {name}={v}"),
                Value::Float(v) => write!(text, " {name}={v}"),
                Value::Bool(v) => write!(text, " {name}={v}"),
                Value::Text(v) => write!(text, " {name}={v}"),
            };
        }
        let level = python_level(meta.level());
        Python::try_attach(|py| {
            let result = (|| -> PyResult<()> {
                let st = state(py)?;
                let extra = PyDict::new(py);
                for (name, value) in fields.pairs {
                    match value {
                        Value::Int(v) => extra.set_item(name, v)?,
                        Value::UInt(v) => extra.set_item(name, v)?,
                        Value::Float(v) => extra.set_item(name, v)?,
                        Value::Bool(v) => extra.set_item(name, v)?,
                        Value::Text(v) => extra.set_item(name, v)?,
                    }
                }
                let kwargs = PyDict::new(py);
                kwargs.set_item("extra", extra)?;
                st.logger
                    .bind(py)
                    .call_method("log", (level, "%s", text), Some(&kwargs))?;
                Ok(())
            })();
            // A failing handler is logging's business, not the caller's.
            if let Err(err) = result {
                err.write_unraisable(py, None);
            }
        });
    }
}

impl Subscriber for PyLogSubscriber {
    fn enabled(&self, meta: &Metadata<'_>) -> bool {
        meta.is_event()
            && python_level(meta.level()) >= THRESHOLD.load(Ordering::Relaxed)
            && meta.target().starts_with("frontegg_identity")
    }

    fn register_callsite(&self, meta: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        if meta.is_event() && meta.target().starts_with("frontegg_identity") {
            tracing::subscriber::Interest::sometimes()
        } else {
            tracing::subscriber::Interest::never()
        }
    }

    fn new_span(&self, _span: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _span: &Id, _values: &Record<'_>) {}

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        Self::forward(event);
    }

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}
}

/// Installs the subscriber (once per process; a no-op if another one is set).
pub(crate) fn install() {
    let _ = tracing::subscriber::set_global_default(PyLogSubscriber);
}
