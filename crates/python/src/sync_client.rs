//! The native side of `IdentityClient`: the blocking core client over ureq.
//! Every call (one method, `call`, dispatching through the route table in
//! `routes`) converts its arguments, releases the GIL for the whole HTTP
//! exchange, then builds the result.

use frontegg_identity_core::Error;
use frontegg_identity_ureq::{UreqBuild, UreqClient};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

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
    #[new]
    #[pyo3(signature = (*, user_token=None, client_id=None, secret=None, tenant_id=None, user_id=None,
        region=None, base_url=None, timeout=None, max_retries=None, allow_insecure_http=false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        user_token: Option<Bound<'_, PyAny>>,
        client_id: Option<String>,
        secret: Option<String>,
        tenant_id: Option<String>,
        user_id: Option<String>,
        region: Option<String>,
        base_url: Option<String>,
        timeout: Option<f64>,
        max_retries: Option<i64>,
        allow_insecure_http: bool,
    ) -> PyResult<Self> {
        let options = Options {
            user_token,
            client_id,
            secret,
            tenant_id,
            user_id,
            region,
            base_url,
            timeout,
            max_retries,
            allow_insecure_http,
        };
        Ok(Self {
            slot: Slot::open(py, options, UreqBuild::build)?,
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
