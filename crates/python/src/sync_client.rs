//! The native side of `IdentityClient`: the blocking core client over ureq.
//! Every call (one method, `call`, dispatching through the route table in
//! `routes`) converts its arguments, releases the GIL for the whole HTTP
//! exchange, then builds the result.

use frontegg_identity_core::Error;
use frontegg_identity_ureq::{UreqBuild, UreqClient};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::config::{Options, Slot, take_provider_error};
use crate::errors::{guarded, to_pyerr};
use crate::{logging, routes};

#[pyclass(frozen, module = "frontegg_identity._native")]
pub(crate) struct SyncClient {
    pub(crate) slot: Slot<UreqClient>,
}

/// Runs a blocking core call without the GIL.
pub(crate) fn run<R: Send>(py: Python<'_>, f: impl FnOnce() -> Result<R, Error> + Send) -> PyResult<R> {
    logging::refresh(py);
    py.detach(f).map_err(|e| to_pyerr(py, &e, take_provider_error()))
}

#[pymethods]
impl SyncClient {
    /// Takes the keyword arguments of `IdentityClient` (see `config::Options`).
    #[new]
    #[pyo3(signature = (**options))]
    fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        Ok(Self {
            slot: Slot::open(py, Options::from_kwargs(options)?, UreqBuild::build)?,
        })
    }

    #[getter]
    fn describe(&self) -> &str {
        &self.slot.describe
    }

    #[getter]
    fn closed(&self) -> bool {
        self.slot.is_closed()
    }

    fn close(&self) {
        self.slot.close();
    }

    /// A copy with per-call options, sharing connections and the vendor token.
    #[pyo3(signature = (*, timeout=None, deadline=None, max_retries=None))]
    fn with_options(
        &self,
        py: Python<'_>,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
    ) -> PyResult<Self> {
        let slot = self
            .slot
            .with_options(py, timeout, deadline, max_retries, |c, o| c.with_options(o))?;
        Ok(Self { slot })
    }

    /// Runs the route with this id (its index in `ROUTES`) with `args`.
    #[pyo3(signature = (route, *args))]
    fn call<'py>(
        &self,
        py: Python<'py>,
        route: usize,
        args: &Bound<'py, PyTuple>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let client = self.slot.get(py)?;
            routes::call_blocking(py, &client, routes::route(route)?, args)
        })
    }
}
