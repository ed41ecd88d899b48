//! The native side of `AsyncIdentityClient`: the async core client over
//! reqwest, on the one shared multi-thread tokio runtime of
//! `pyo3-async-runtimes`. Every call converts its arguments with the GIL,
//! returns an asyncio future at once, and builds the result (or the
//! exception) when the future completes.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use arc_swap::ArcSwapOption;
use frontegg_identity_core::{Error, OtcToken, Page, PendingDeletion, PhoneNumberRecord};
use frontegg_identity_reqwest::{ReqwestBuild, ReqwestClient};
use futures_util::FutureExt;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;

use crate::config::{Options, take_provider_error};
use crate::convert;
use crate::errors::{closed, guarded, panic_error, to_pyerr};
use crate::logging;

#[pyclass(frozen, module = "frontegg_identity._native")]
pub(crate) struct AsyncClient {
    client: ArcSwapOption<ReqwestClient>,
    describe: String,
}

/// What a call produced.
enum Out {
    Unit,
    Otc(OtcToken),
    MaybeOtc(Option<OtcToken>),
    Records(Vec<PhoneNumberRecord>),
    Page(Page<PhoneNumberRecord>),
    Pending(PendingDeletion),
}

enum Failure {
    Core(Error, Option<PyErr>),
    Panic(String),
}

/// A finished call, turned into its Python result or exception once the
/// GIL is held to complete the asyncio future.
struct Done(Result<Out, Failure>);

impl<'py> IntoPyObject<'py> for Done {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        guarded(py, || match self.0 {
            Ok(Out::Unit) => Ok(py.None().into_bound(py)),
            Ok(Out::Otc(t)) => convert::otc(py, t),
            Ok(Out::MaybeOtc(None)) => Ok(py.None().into_bound(py)),
            Ok(Out::MaybeOtc(Some(t))) => convert::otc(py, t),
            Ok(Out::Records(items)) => Ok(convert::records(py, items)?.into_any()),
            Ok(Out::Page(page)) => convert::page(py, page),
            Ok(Out::Pending(p)) => convert::pending(py, p),
            Err(Failure::Core(e, cause)) => Err(to_pyerr(py, &e, cause)),
            Err(Failure::Panic(message)) => Err(panic_error(py, &message)),
        })
    }
}

/// Starts `fut` on the shared runtime and returns an asyncio future. A
/// panic inside it becomes `FronteggError`, never a lost message.
fn spawn<'py, F>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = Result<Out, Error>> + Send + 'static,
{
    logging::refresh(py);
    pyo3_async_runtimes::tokio::future_into_py(py, async move {
        let done = match AssertUnwindSafe(fut).catch_unwind().await {
            Ok(Ok(out)) => Ok(out),
            Ok(Err(e)) => Err(Failure::Core(e, take_provider_error())),
            Err(payload) => Err(Failure::Panic(crate::errors::panic_text(&*payload))),
        };
        Ok(Done(done))
    })
}

impl AsyncClient {
    fn client(&self, py: Python<'_>) -> PyResult<Arc<ReqwestClient>> {
        self.client.load_full().ok_or_else(|| closed(py))
    }
}

#[pymethods]
impl AsyncClient {
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
        guarded(py, || {
            let resolved = Options {
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
            }
            .resolve(py)?;
            let client = ReqwestBuild::build(resolved.builder).map_err(|e| to_pyerr(py, &e, None))?;
            Ok(Self {
                client: ArcSwapOption::from_pointee(client),
                describe: resolved.describe,
            })
        })
    }

    #[getter]
    fn describe(&self) -> &str {
        &self.describe
    }

    #[getter]
    fn closed(&self) -> bool {
        self.client.load().is_none()
    }

    fn close(&self) {
        self.client.store(None);
    }

    #[pyo3(signature = (phone_number, verify=true))]
    fn assign<'py>(
        &self,
        py: Python<'py>,
        phone_number: PyBackedStr,
        verify: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let client = self.client(py)?;
            let number = convert::phone_arg(py, &phone_number)?;
            spawn(py, async move {
                client
                    .phone_numbers()
                    .assign(&number, verify)
                    .await
                    .map(Out::MaybeOtc)
            })
        })
    }

    fn preverify<'py>(&self, py: Python<'py>, phone_number: PyBackedStr) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let client = self.client(py)?;
            let number = convert::phone_arg(py, &phone_number)?;
            spawn(py, async move {
                client.phone_numbers().preverify(&number).await.map(Out::Otc)
            })
        })
    }

    fn verify<'py>(
        &self,
        py: Python<'py>,
        otc_token: &Bound<'py, PyAny>,
        code: PyBackedStr,
    ) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let client = self.client(py)?;
            let token = convert::otc_arg(py, otc_token)?.token().clone();
            let code = convert::code_arg(py, &code)?;
            spawn(py, async move {
                client
                    .phone_numbers()
                    .verify(&token, &code)
                    .await
                    .map(|()| Out::Unit)
            })
        })
    }

    fn list_mine<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let client = self.client(py)?;
            spawn(py, async move {
                client.phone_numbers().list_mine().await.map(Out::Records)
            })
        })
    }

    fn start_delete<'py>(&self, py: Python<'py>, phone_id: PyBackedStr) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let client = self.client(py)?;
            let id = convert::phone_id_arg(py, phone_id)?;
            spawn(py, async move {
                client.phone_numbers().start_delete(&id).await.map(Out::Pending)
            })
        })
    }

    fn confirm_delete<'py>(
        &self,
        py: Python<'py>,
        phone_id: PyBackedStr,
        otc_token: &Bound<'py, PyAny>,
        code: PyBackedStr,
    ) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let client = self.client(py)?;
            let id = convert::phone_id_arg(py, phone_id)?;
            let token = convert::otc_arg(py, otc_token)?.token().clone();
            let code = convert::code_arg(py, &code)?;
            spawn(py, async move {
                client
                    .phone_numbers()
                    .confirm_delete(&id, &token, &code)
                    .await
                    .map(|()| Out::Unit)
            })
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
            let client = self.client(py)?;
            let query = convert::list_query(py, limit, page, sort_by, order, phone_number, user_ids)?;
            spawn(py, async move {
                client.phone_numbers().list(&query).await.map(Out::Page)
            })
        })
    }

    fn vendor_add<'py>(
        &self,
        py: Python<'py>,
        user_id: PyBackedStr,
        phone_number: PyBackedStr,
    ) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let client = self.client(py)?;
            let user = convert::user_id_arg(py, user_id)?;
            let number = convert::phone_arg(py, &phone_number)?;
            spawn(py, async move {
                client
                    .phone_numbers()
                    .vendor_add(&user, &number)
                    .await
                    .map(|()| Out::Unit)
            })
        })
    }

    fn vendor_delete<'py>(
        &self,
        py: Python<'py>,
        user_id: PyBackedStr,
        phone_id: PyBackedStr,
    ) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let client = self.client(py)?;
            let user = convert::user_id_arg(py, user_id)?;
            let id = convert::phone_id_arg(py, phone_id)?;
            spawn(py, async move {
                client
                    .phone_numbers()
                    .vendor_delete(&user, &id)
                    .await
                    .map(|()| Out::Unit)
            })
        })
    }
}

/// An asyncio future whose Rust task panics, to test that the panic arrives
/// as `FronteggError` (see `_debug_panic`).
pub(crate) fn panicking_future(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    spawn(py, async {
        if std::hint::black_box(true) {
            panic!("deliberate panic (test hook)");
        }
        Ok(Out::Unit)
    })
}
