//! The native side of `IdentityClient`: the blocking core client over ureq.
//! Every call converts its arguments, releases the GIL for the whole HTTP
//! exchange, then builds the result.

use frontegg_identity_core::Error;
use frontegg_identity_ureq::{UreqBuild, UreqClient};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;

use crate::config::{Options, Slot, take_provider_error};
use crate::convert;
use crate::errors::{guarded, to_pyerr};
use crate::logging;

#[pyclass(frozen, module = "frontegg_identity._native")]
pub(crate) struct SyncClient {
    slot: Slot<UreqClient>,
}

/// Runs a blocking core call without the GIL.
fn run<R: Send>(py: Python<'_>, f: impl FnOnce() -> Result<R, Error> + Send) -> PyResult<R> {
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

    #[pyo3(signature = (phone_number, verify=true))]
    fn assign<'py>(
        &self,
        py: Python<'py>,
        phone_number: PyBackedStr,
        verify: bool,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        guarded(py, || {
            let client = self.slot.get(py)?;
            let number = convert::phone_arg(py, &phone_number)?;
            let otc = run(py, || client.phone_numbers().assign(&number, verify))?;
            otc.map(|t| convert::otc(py, t)).transpose()
        })
    }

    fn preverify<'py>(&self, py: Python<'py>, phone_number: PyBackedStr) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let client = self.slot.get(py)?;
            let number = convert::phone_arg(py, &phone_number)?;
            let otc = run(py, || client.phone_numbers().preverify(&number))?;
            convert::otc(py, otc)
        })
    }

    fn verify(&self, py: Python<'_>, otc_token: &Bound<'_, PyAny>, code: PyBackedStr) -> PyResult<()> {
        guarded(py, || {
            let client = self.slot.get(py)?;
            let token = convert::otc_arg(py, otc_token)?;
            let code = convert::code_arg(py, &code)?;
            let token = token.token();
            run(py, || client.phone_numbers().verify(token, &code))
        })
    }

    fn list_mine<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let client = self.slot.get(py)?;
            let items = run(py, || client.phone_numbers().list_mine())?;
            Ok(convert::records(py, items)?.into_any())
        })
    }

    fn start_delete<'py>(&self, py: Python<'py>, phone_id: PyBackedStr) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let client = self.slot.get(py)?;
            let id = convert::phone_id_arg(py, phone_id)?;
            let pending = run(py, || client.phone_numbers().start_delete(&id))?;
            convert::pending(py, pending)
        })
    }

    fn confirm_delete(
        &self,
        py: Python<'_>,
        phone_id: PyBackedStr,
        otc_token: &Bound<'_, PyAny>,
        code: PyBackedStr,
    ) -> PyResult<()> {
        guarded(py, || {
            let client = self.slot.get(py)?;
            let id = convert::phone_id_arg(py, phone_id)?;
            let token = convert::otc_arg(py, otc_token)?;
            let code = convert::code_arg(py, &code)?;
            let token = token.token();
            run(py, || client.phone_numbers().confirm_delete(&id, token, &code))
        })
    }

    #[pyo3(signature = (limit=None, page=0, sort_by=None, order=None, phone_number=None, user_ids=None))]
    #[allow(clippy::too_many_arguments)]
    fn list<'py>(
        &self,
        py: Python<'py>,
        limit: Option<i64>,
        page: i64,
        sort_by: Option<PyBackedStr>,
        order: Option<PyBackedStr>,
        phone_number: Option<PyBackedStr>,
        user_ids: Option<Vec<PyBackedStr>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let client = self.slot.get(py)?;
            let query = convert::list_query(py, limit, page, sort_by, order, phone_number, user_ids)?;
            let page = run(py, || client.phone_numbers().list(&query))?;
            convert::page(py, page)
        })
    }

    fn vendor_add(&self, py: Python<'_>, user_id: PyBackedStr, phone_number: PyBackedStr) -> PyResult<()> {
        guarded(py, || {
            let client = self.slot.get(py)?;
            let user = convert::user_id_arg(py, user_id)?;
            let number = convert::phone_arg(py, &phone_number)?;
            run(py, || client.phone_numbers().vendor_add(&user, &number))
        })
    }

    fn vendor_delete(&self, py: Python<'_>, user_id: PyBackedStr, phone_id: PyBackedStr) -> PyResult<()> {
        guarded(py, || {
            let client = self.slot.get(py)?;
            let user = convert::user_id_arg(py, user_id)?;
            let id = convert::phone_id_arg(py, phone_id)?;
            run(py, || client.phone_numbers().vendor_delete(&user, &id))
        })
    }
}
