//! `frontegg_identity._native`: the Rust core of the `frontegg_identity`
//! Python package. The public API is the Python package; this module is
//! private and its stub is `python/frontegg_identity/_native.pyi`.
//!
//! - `SyncClient` wraps the blocking core client (ureq) and releases the GIL
//!   while a call waits.
//! - `AsyncClient` wraps the async core client (reqwest) on one shared
//!   multi-thread tokio runtime; `Completions` brings finished calls back to
//!   their asyncio loop (see `async_client`).
//! - `Emulator` runs the Rust emulator in-process.
//! - `OtcToken` keeps a one-time-code token in Rust memory.
//!
//! No Rust panic reaches Python as `PanicException`: every entry point runs
//! under `catch_unwind` and raises `FronteggError` instead.

mod async_client;
mod config;
mod convert;
mod emulator;
mod errors;
mod logging;
mod sync_client;

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

/// Test hook: panics in Rust, synchronously (`"sync"`, inside the released
/// GIL section) or inside an async task (`"async"`, which resolves `future`
/// through `completions` like a client call), so that tests can check a
/// panic arrives as `FronteggError`.
#[pyfunction]
#[pyo3(signature = (mode, completions=None, future=None))]
fn _debug_panic<'py>(
    py: Python<'py>,
    mode: &str,
    completions: Option<Bound<'py, async_client::Completions>>,
    future: Option<Bound<'py, PyAny>>,
) -> PyResult<Option<async_client::Call>> {
    errors::guarded(py, || match (mode, completions, future) {
        ("async", Some(completions), Some(future)) => {
            async_client::panicking_future(py, &completions, future).map(Some)
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

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::install();

    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "USER_AGENT",
        concat!("frontegg-identity-python/", env!("CARGO_PKG_VERSION")),
    )?;
    m.add_class::<sync_client::SyncClient>()?;
    m.add_class::<async_client::AsyncClient>()?;
    m.add_class::<async_client::Completions>()?;
    m.add_class::<async_client::Call>()?;
    m.add_class::<emulator::PyEmulator>()?;
    m.add_class::<convert::PyOtcToken>()?;
    m.add_function(wrap_pyfunction!(normalize_phone_number, m)?)?;
    m.add_function(wrap_pyfunction!(mask_phone_number, m)?)?;
    m.add_function(wrap_pyfunction!(_debug_panic, m)?)?;
    m.add_function(wrap_pyfunction!(emulator::run_emulator_cli, m)?)?;
    Ok(())
}
