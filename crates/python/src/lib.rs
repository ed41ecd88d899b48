//! `frontegg_identity._native`: the Rust core of the `frontegg_identity`
//! Python package. The public API is the Python package; this module is
//! private and its stub is `python/frontegg_identity/_native.pyi`.
//!
//! - `SyncClient` wraps the blocking core client (ureq) and releases the GIL
//!   while a call waits.
//! - `AsyncClient` wraps the async core client (hyper) on one shared
//!   multi-thread tokio runtime; `Completions` brings finished calls back to
//!   their asyncio loop (see `async_client`).
//! - `Emulator` runs the Rust emulator in-process.
//! - `OtcToken` and the other secret classes (`secrets`) keep their secret
//!   in Rust memory; `SmsLogin` holds an SMS sign-in under way.
//! - `ROUTES` names the routes in core's order: a route's index there is the
//!   id `SyncClient.call` and `AsyncClient.start` take (see `routes`).
//! - `Pager` pages through `list` for `iter_all` with core's pager.
//! - `cli_main` runs the `frontegg-identity` command-line tool.
//!
//! No Rust panic reaches Python as `PanicException`: every entry point runs
//! under `catch_unwind` and raises `FronteggError` instead.

mod async_client;
mod config;
mod convert;
mod emulator;
mod errors;
mod logging;
mod routes;
mod secrets;
mod sms;
mod sync_client;

use frontegg_identity_core::defaults;
use pyo3::prelude::*;

/// Normalises an international phone number to E.164, or raises
/// `InvalidPhoneNumberError`.
#[pyfunction]
fn normalize_phone_number(py: Python<'_>, phone_number: &str) -> PyResult<String> {
    errors::guarded(py, || {
        Ok(convert::phone_arg(py, phone_number)?.as_str().to_owned())
    })
}

/// Masks all but the last two digits of a phone number: `+*********00`.
#[pyfunction]
fn mask_phone_number(phone_number: &str) -> String {
    frontegg_identity_core::mask_phone(phone_number)
}

/// The `frontegg-identity` command-line tool (the Rust binary's own code),
/// for the wheel's console script: runs it with the process's standard
/// streams and environment, without the GIL, and returns its exit code.
#[pyfunction]
fn cli_main(py: Python<'_>, argv: Vec<String>) -> i32 {
    py.detach(|| frontegg_identity_cli::main_from_args(argv))
}

/// Test hook (built only with the `test-hooks` feature, which the test
/// build enables and the release wheel does not): panics in Rust, synchronously (`"sync"`, inside the released
/// GIL section) or inside an async task (`"async"`, which returns a call of
/// `event_loop` coming back through `completions` like a client call), so
/// that tests can check a panic arrives as `FronteggError`.
#[cfg(feature = "test-hooks")]
#[pyfunction]
#[pyo3(signature = (mode, event_loop=None, completions=None))]
fn _debug_panic<'py>(
    py: Python<'py>,
    mode: &str,
    event_loop: Option<Bound<'py, PyAny>>,
    completions: Option<Bound<'py, async_client::Completions>>,
) -> PyResult<Option<Bound<'py, async_client::Call>>> {
    errors::guarded(py, || match (mode, event_loop, completions) {
        ("async", Some(event_loop), Some(completions)) => {
            async_client::panicking_call(py, event_loop, &completions).map(Some)
        }
        _ => {
            py.detach(|| {
                if std::hint::black_box(true) {
                    panic!("deliberate panic (test hook)");
                }
            });
            Ok(None)
        }
    })
}

/// Masks an e-mail address but its first character and its domain:
/// `j***@example.com`.
#[pyfunction]
fn mask_email(email: &str) -> String {
    frontegg_identity_core::mask_email(email)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::install();

    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("USER_AGENT", config::USER_AGENT)?;
    // Core's defaults, for the Python signatures (one place: core's `defaults`).
    m.add("DEFAULT_TIMEOUT", defaults::TIMEOUT.as_secs_f64())?;
    m.add("DEFAULT_MAX_RETRIES", defaults::MAX_ATTEMPTS - 1)?;
    m.add_class::<sync_client::SyncClient>()?;
    m.add_class::<async_client::AsyncClient>()?;
    m.add_class::<async_client::Completions>()?;
    m.add_class::<async_client::Call>()?;
    m.add_class::<emulator::PyEmulator>()?;
    m.add_class::<secrets::PyOtcToken>()?;
    m.add_class::<secrets::PyMfaToken>()?;
    m.add_class::<secrets::PyAccessToken>()?;
    m.add_class::<secrets::PyRefreshToken>()?;
    m.add_class::<secrets::PyRecoveryCode>()?;
    m.add_class::<secrets::PyResetToken>()?;
    m.add_class::<secrets::PyProviderToken>()?;
    m.add_class::<secrets::PyPasswordResetSession>()?;
    m.add_class::<secrets::PySmsLogin>()?;
    m.add_function(wrap_pyfunction!(normalize_phone_number, m)?)?;
    m.add_function(wrap_pyfunction!(mask_phone_number, m)?)?;
    m.add_function(wrap_pyfunction!(cli_main, m)?)?;
    m.add_function(wrap_pyfunction!(mask_email, m)?)?;
    m.add_function(wrap_pyfunction!(emulator::run_emulator_cli, m)?)?;
    m.add("ROUTES", routes::names(m.py())?)?;
    m.add("ROUTE_PARAMS", routes::all_params(m.py())?)?;
    m.add_class::<routes::Pager>()?;
    // Set, not added: a private hook stays out of `__all__` (and stubtest's view).
    #[cfg(feature = "test-hooks")]
    m.setattr("_debug_panic", wrap_pyfunction!(_debug_panic, m)?)?;
    Ok(())
}
