//! Core errors and Rust panics turned into the Python exceptions defined in
//! `frontegg_identity._exceptions`, with every field set.
//!
//! The classes are looked up once and cached; raising an error costs one
//! keyword dict and one call.

use std::any::Any;

use frontegg_identity_core::{Error, PhoneNumberError, TransportErrorKind};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};

/// The exception classes, imported once.
pub(crate) struct Classes {
    pub(crate) frontegg: Py<PyType>,
    pub(crate) invalid_phone: Py<PyType>,
    pub(crate) invalid_input: Py<PyType>,
    pub(crate) configuration: Py<PyType>,
    pub(crate) token_provider: Py<PyType>,
    pub(crate) client_closed: Py<PyType>,
    pub(crate) connection: Py<PyType>,
    pub(crate) timeout: Py<PyType>,
    pub(crate) status: Py<PyType>,
    pub(crate) bad_request: Py<PyType>,
    pub(crate) authentication: Py<PyType>,
    pub(crate) permission: Py<PyType>,
    pub(crate) not_found: Py<PyType>,
    pub(crate) conflict: Py<PyType>,
    pub(crate) rate_limit: Py<PyType>,
    pub(crate) internal: Py<PyType>,
    pub(crate) decode: Py<PyType>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

fn classes(py: Python<'_>) -> PyResult<&'static Classes> {
    CLASSES.get_or_try_init(py, || {
        let m = py.import("frontegg_identity._exceptions")?;
        let get =
            |name: &str| -> PyResult<Py<PyType>> { Ok(m.getattr(name)?.cast_into::<PyType>()?.unbind()) };
        Ok(Classes {
            frontegg: get("FronteggError")?,
            invalid_phone: get("InvalidPhoneNumberError")?,
            invalid_input: get("InvalidInputError")?,
            configuration: get("ConfigurationError")?,
            token_provider: get("TokenProviderError")?,
            client_closed: get("ClientClosedError")?,
            connection: get("APIConnectionError")?,
            timeout: get("APITimeoutError")?,
            status: get("APIStatusError")?,
            bad_request: get("BadRequestError")?,
            authentication: get("AuthenticationError")?,
            permission: get("PermissionDeniedError")?,
            not_found: get("NotFoundError")?,
            conflict: get("ConflictError")?,
            rate_limit: get("RateLimitError")?,
            internal: get("InternalServerError")?,
            decode: get("ResponseDecodeError")?,
        })
    })
}

/// Builds `class(message, **kwargs)` as a `PyErr`. If even that fails (the
/// package is broken), the failure itself is returned.
fn build(
    py: Python<'_>,
    pick: impl FnOnce(&Classes) -> &Py<PyType>,
    message: &str,
    fill: impl FnOnce(&Bound<'_, PyDict>) -> PyResult<()>,
) -> PyErr {
    let result = (|| -> PyResult<PyErr> {
        let classes = classes(py)?;
        let kwargs = PyDict::new(py);
        fill(&kwargs)?;
        let value = pick(classes).bind(py).call((message,), Some(&kwargs))?;
        Ok(PyErr::from_value(value))
    })();
    result.unwrap_or_else(|e| e)
}

fn phone_reason(e: &PhoneNumberError) -> &'static str {
    match e {
        PhoneNumberError::Empty => "empty",
        PhoneNumberError::NotInternational => "not_international",
        PhoneNumberError::InvalidCharacter { .. } => "invalid_character",
        PhoneNumberError::TooShort { .. } => "too_short",
        PhoneNumberError::TooLong => "too_long",
        PhoneNumberError::LeadingZero => "leading_zero",
        _ => "invalid",
    }
}

fn transport_kind(kind: TransportErrorKind) -> &'static str {
    match kind {
        TransportErrorKind::Connect => "connect",
        TransportErrorKind::Timeout => "timeout",
        TransportErrorKind::Io => "io",
        TransportErrorKind::BodyTooLarge => "body_too_large",
        TransportErrorKind::Request => "request",
        TransportErrorKind::Certificate => "certificate",
        _ => "other",
    }
}

/// An invalid phone number given to a method.
pub(crate) fn phone_error(py: Python<'_>, e: &PhoneNumberError) -> PyErr {
    to_pyerr(py, &Error::InvalidPhoneNumber(*e), None)
}

/// A `ClientClosedError`.
pub(crate) fn closed(py: Python<'_>) -> PyErr {
    build(py, |c| &c.client_closed, "the client is closed", |_| Ok(()))
}

/// A `ConfigurationError` raised by the bindings themselves.
pub(crate) fn configuration(py: Python<'_>, message: &str) -> PyErr {
    build(py, |c| &c.configuration, message, |_| Ok(()))
}

/// Turns a core error into its Python exception; `cause` (the exception a
/// token provider raised) becomes `__cause__`.
pub(crate) fn to_pyerr(py: Python<'_>, err: &Error, cause: Option<PyErr>) -> PyErr {
    let message = err.to_string();
    let sent = err.may_have_been_sent();
    let retryable = err.is_retryable();
    let common = |k: &Bound<'_, PyDict>| -> PyResult<()> {
        k.set_item("may_have_been_sent", sent)?;
        k.set_item("retryable", retryable)
    };
    // The fields every error has, then one more.
    let with_reason = |k: &Bound<'_, PyDict>, name: &str, reason: &str| -> PyResult<()> {
        common(k)?;
        k.set_item(name, reason)
    };
    let pyerr = match err {
        Error::InvalidPhoneNumber(e) => build(
            py,
            |c| &c.invalid_phone,
            &message,
            |k| with_reason(k, "reason", phone_reason(e)),
        ),
        Error::InvalidInput(e) => build(
            py,
            |c| &c.invalid_input,
            &message,
            |k| {
                with_reason(k, "field", e.field)?;
                k.set_item("reason", e.reason)
            },
        ),
        Error::Configuration(_) => build(py, |c| &c.configuration, &message, common),
        Error::Credentials { .. } => build(py, |c| &c.token_provider, &message, common),
        Error::Api(_) | Error::RateLimited { .. } => {
            let Some(api) = err.api_error() else {
                return build(py, |c| &c.frontegg, &message, common);
            };
            let status = api.status.as_u16();
            let retry_after = err.retry_after().map(|d| d.as_secs_f64());
            build(
                py,
                |c| match status {
                    400 => &c.bad_request,
                    401 => &c.authentication,
                    403 => &c.permission,
                    404 => &c.not_found,
                    409 => &c.conflict,
                    429 => &c.rate_limit,
                    500..=599 => &c.internal,
                    _ => &c.status,
                },
                &message,
                |k| {
                    common(k)?;
                    k.set_item("status_code", status)?;
                    k.set_item("route", api.route.name())?;
                    k.set_item("error_code", api.error_code.as_deref())?;
                    k.set_item("error_codes", PyList::new(py, &api.error_codes)?)?;
                    k.set_item("errors", PyList::new(py, &api.messages)?)?;
                    k.set_item("trace_id", api.trace_id.as_deref())?;
                    k.set_item("body_excerpt", &api.body_excerpt)?;
                    if status == 429 {
                        k.set_item("retry_after", retry_after)?;
                    }
                    Ok(())
                },
            )
        }
        Error::Transport(t) => {
            let timeout = t.kind == TransportErrorKind::Timeout;
            build(
                py,
                |c| if timeout { &c.timeout } else { &c.connection },
                &message,
                |k| {
                    common(k)?;
                    k.set_item("kind", transport_kind(t.kind))?;
                    k.set_item("route", t.route.map(frontegg_identity_core::Route::name))
                },
            )
        }
        Error::Decode(d) => build(
            py,
            |c| &c.decode,
            &message,
            |k| {
                common(k)?;
                k.set_item("status_code", d.status.as_u16())?;
                k.set_item("route", d.route.name())?;
                k.set_item("reason", d.reason)?;
                k.set_item("trace_id", d.trace_id.as_deref())
            },
        ),
        _ => build(py, |c| &c.frontegg, &message, common),
    };
    if let Some(cause) = cause {
        pyerr.set_cause(py, Some(cause));
    }
    pyerr
}

/// A Rust panic, raised as `FronteggError` (never `PanicException`).
pub(crate) fn panic_error(py: Python<'_>, what: &str) -> PyErr {
    let message = format!("internal error in frontegg_identity (a bug, please report it): {what}");
    build(py, |c| &c.frontegg, &message, |_| Ok(()))
}

/// The message of a panic payload.
pub(crate) fn panic_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

/// Runs `f`, turning a panic into `FronteggError`.
pub(crate) fn guarded<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => Err(panic_error(py, &panic_text(&*payload))),
    }
}
