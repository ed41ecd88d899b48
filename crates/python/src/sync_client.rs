//! The native side of `IdentityClient`: the blocking core client over ureq.
//! Every call (one method, `call`, dispatching through the route table in
//! `routes`) converts its arguments, releases the GIL for the whole HTTP
//! exchange, then builds the result.

use frontegg_identity_core::Error;
use frontegg_identity_ureq::{UreqBuild, UreqClient};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::config::{native_client, take_provider_error};
use crate::errors::{guarded, to_pyerr};
use crate::{logging, routes};

/// Runs a blocking core call without the GIL.
pub(crate) fn run<R: Send>(py: Python<'_>, f: impl FnOnce() -> Result<R, Error> + Send) -> PyResult<R> {
    logging::refresh(py);
    py.detach(f).map_err(|e| to_pyerr(py, &e, take_provider_error()))
}

native_client! {
    /// The native side of `IdentityClient`.
    SyncClient(UreqClient, UreqBuild::build) {
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
}
