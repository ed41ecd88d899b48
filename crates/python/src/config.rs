//! Client keyword arguments into a core `ClientBuilder`, layered over the
//! environment by core (`ClientBuilder::from_env_with`: the precedence rules
//! and the defaults live there, not here). Read once, when the client is made.

use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwapOption;
use frontegg_identity_core::{
    AccessToken, BoxError, CallOptions, ClientBuilder, Credentials, EnvOverrides, Region, RetryPolicy,
    TenantId, TokenProvider, UserId, VendorSecret, defaults,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyDict, PyString};

use crate::errors::{closed, configuration, guarded, to_pyerr};

/// The `User-Agent` the Python package sends.
pub(crate) const USER_AGENT: &str = concat!("frontegg-identity-python/", env!("CARGO_PKG_VERSION"));

thread_local! {
    /// The exception the token provider raised on this thread, handed to
    /// the error raised by the call as `__cause__`.
    static PROVIDER_ERROR: RefCell<Option<PyErr>> = const { RefCell::new(None) };
}

/// Takes the exception the token provider raised on this thread, if any.
pub(crate) fn take_provider_error() -> Option<PyErr> {
    PROVIDER_ERROR.with(|cell| cell.borrow_mut().take())
}

/// A Python callable returning the current user token.
struct PyTokenProvider {
    callable: Py<PyAny>,
}

impl TokenProvider for PyTokenProvider {
    fn access_token(&self) -> Result<AccessToken, BoxError> {
        let outcome = Python::try_attach(|py| -> Result<String, PyErr> {
            let value = self.callable.bind(py).call0()?;
            match value.cast::<PyString>() {
                Ok(s) => Ok(s.to_cow()?.into_owned()),
                Err(_) => Err(PyTypeError::new_err(format!(
                    "the token provider returned {}, not a str",
                    value.get_type().name()?
                ))),
            }
        });
        match outcome {
            None => Err("the Python interpreter is shutting down".into()),
            Some(Ok(token)) => AccessToken::new(token).map_err(|e| e.to_string().into()),
            Some(Err(err)) => {
                let kind = Python::try_attach(|py| {
                    err.get_type(py)
                        .name()
                        .map(|n| n.to_string())
                        .unwrap_or_else(|_| "an exception".to_owned())
                })
                .unwrap_or_default();
                PROVIDER_ERROR.with(|cell| *cell.borrow_mut() = Some(err));
                Err(format!("the token provider raised {kind}").into())
            }
        }
    }
}

/// The keyword arguments shared by both clients; `None` is "not given":
/// the environment, else core's default.
#[derive(Default)]
pub(crate) struct Options<'py> {
    user_token: Option<Bound<'py, PyAny>>,
    client_id: Option<String>,
    secret: Option<String>,
    tenant_id: Option<String>,
    user_id: Option<String>,
    region: Option<String>,
    base_url: Option<String>,
    vendor_host: Option<String>,
    timeout: Option<f64>,
    connect_timeout: Option<f64>,
    deadline: Option<f64>,
    max_retries: Option<i64>,
    proxy: Option<String>,
    ca_bundle: Option<std::path::PathBuf>,
    allow_insecure_http: bool,
}

impl<'py> Options<'py> {
    /// Reads the keyword arguments of `SyncClient(...)` / `AsyncClient(...)`.
    pub(crate) fn from_kwargs(kwargs: Option<&Bound<'py, PyDict>>) -> PyResult<Self> {
        let mut options = Self::default();
        for (key, value) in kwargs.into_iter().flatten() {
            let key: PyBackedStr = key.extract()?;
            if value.is_none() && &*key != "allow_insecure_http" {
                continue;
            }
            let named = |e: PyErr| PyTypeError::new_err(format!("argument '{}': {e}", &*key));
            // Every other option is read as given, under its own name.
            macro_rules! read {
                ($($field:ident),*) => {
                    match &*key {
                        "user_token" => options.user_token = Some(value),
                        $(stringify!($field) => options.$field = Some(value.extract().map_err(named)?),)*
                        "allow_insecure_http" => options.allow_insecure_http = value.extract().map_err(named)?,
                        other => {
                            return Err(PyTypeError::new_err(format!(
                                "unexpected keyword argument '{other}'"
                            )));
                        }
                    }
                };
            }
            read!(
                client_id,
                secret,
                tenant_id,
                user_id,
                region,
                base_url,
                vendor_host,
                timeout,
                connect_timeout,
                deadline,
                proxy,
                ca_bundle,
                max_retries
            );
        }
        Ok(options)
    }
}

/// A configured builder and a description of it for `repr` (no secret).
pub(crate) struct Resolved {
    pub(crate) builder: ClientBuilder,
    pub(crate) describe: String,
}

/// The core client behind a native client object, and what `repr` shows.
/// `close` empties it; a call in flight keeps the client it took.
pub(crate) struct Slot<C> {
    client: ArcSwapOption<C>,
    pub(crate) describe: String,
}

impl<C> Slot<C> {
    /// Resolves the options and builds the client with `build` (the
    /// transport's builder), under the panic guard.
    pub(crate) fn open(
        py: Python<'_>,
        options: Options<'_>,
        build: impl FnOnce(ClientBuilder) -> Result<C, frontegg_identity_core::Error>,
    ) -> PyResult<Self> {
        guarded(py, || {
            let resolved = options.resolve(py)?;
            let client = build(resolved.builder).map_err(|e| to_pyerr(py, &e, None))?;
            Ok(Self {
                client: ArcSwapOption::from_pointee(client),
                describe: resolved.describe,
            })
        })
    }

    /// The client, or `ClientClosedError`.
    pub(crate) fn get(&self, py: Python<'_>) -> PyResult<Arc<C>> {
        self.client.load_full().ok_or_else(|| closed(py))
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.client.load().is_none()
    }

    pub(crate) fn close(&self) {
        self.client.store(None);
    }
}

impl Options<'_> {
    /// The builder: these values layered over the environment by core
    /// (`ClientBuilder::from_env_with`, where the precedence is decided),
    /// then the Python package's own settings.
    pub(crate) fn resolve(self, py: Python<'_>) -> PyResult<Resolved> {
        let core = |e: frontegg_identity_core::Error| to_pyerr(py, &e, None);
        let mut explicit = EnvOverrides::default();
        explicit.region = self
            .region
            .map(|r| r.parse::<Region>())
            .transpose()
            .map_err(core)?;
        explicit.base_url = self.base_url;
        if let Some(token) = self.user_token {
            explicit.credentials = Some(if let Ok(text) = token.cast::<PyString>() {
                Credentials::UserToken(AccessToken::new(text.to_cow()?.into_owned()).map_err(core)?)
            } else if token.is_callable() {
                Credentials::TokenProvider(Arc::new(PyTokenProvider {
                    callable: token.unbind(),
                }))
            } else {
                return Err(PyTypeError::new_err(
                    "user_token must be a str or a callable returning a str",
                ));
            });
        }
        explicit.client_id = self.client_id;
        explicit.secret = self.secret.map(VendorSecret::new).transpose().map_err(core)?;
        explicit.tenant_id = self.tenant_id.map(TenantId::new).transpose().map_err(core)?;
        explicit.user_id = self.user_id.map(UserId::new).transpose().map_err(core)?;

        let mut builder = ClientBuilder::from_env_with(explicit)
            .map_err(core)?
            .user_agent(USER_AGENT)
            .allow_insecure_http(self.allow_insecure_http);
        // No credentials is allowed: the public sign-in routes need none,
        // and core refuses the others before sending (`ConfigurationError`).
        let auth = match builder.configured_credentials() {
            None => "none",
            Some(Credentials::UserToken(_)) => "user_token",
            Some(Credentials::TokenProvider(_)) => "token_provider",
            Some(Credentials::Vendor { .. }) => "vendor",
            Some(_) => "other",
        };
        if let Some(host) = self.vendor_host {
            builder = builder.vendor_host(host);
        }
        let timeout = seconds(py, "timeout", self.timeout)?;
        let deadline = seconds(py, "deadline", self.deadline)?;
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(deadline) = deadline {
            builder = builder.deadline(deadline);
        }
        // Without an explicit connect timeout, connecting may take no longer
        // than an attempt or the whole call may.
        let connect = match seconds(py, "connect_timeout", self.connect_timeout)? {
            Some(explicit) => Some(explicit),
            None if timeout.is_some() || deadline.is_some() => Some(
                [timeout, deadline]
                    .into_iter()
                    .flatten()
                    .fold(defaults::CONNECT_TIMEOUT, Duration::min),
            ),
            None => None,
        };
        if let Some(connect) = connect {
            builder = builder.connect_timeout(connect);
        }
        if let Some(retries) = retries(py, self.max_retries)? {
            builder = builder.retry_policy(RetryPolicy::default().max_attempts(retries + 1));
        }
        if let Some(proxy) = self.proxy {
            builder = builder.proxy(proxy);
        }
        if let Some(path) = self.ca_bundle {
            builder = builder.add_root_certificate_file(path).map_err(core)?;
        }
        let gateway = builder.configured_gateway().trim().trim_end_matches('/');
        let describe = format!("base_url='{gateway}', auth='{auth}'");
        Ok(Resolved { builder, describe })
    }
}

/// A number of seconds given to Python: finite, greater than 0, at most a day.
pub(crate) fn seconds(py: Python<'_>, name: &str, value: Option<f64>) -> PyResult<Option<Duration>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_finite() && v > 0.0 && v <= 86_400.0 => Ok(Some(Duration::from_secs_f64(v))),
        Some(_) => Err(configuration(
            py,
            &format!("{name} must be a finite number of seconds, greater than 0 and at most 86400"),
        )),
    }
}

/// `max_retries` given to Python: 0 to 10.
pub(crate) fn retries(py: Python<'_>, value: Option<i64>) -> PyResult<Option<u32>> {
    value
        .map(|r| {
            u32::try_from(r)
                .ok()
                .filter(|r| *r <= 10)
                .ok_or_else(|| configuration(py, "max_retries must be between 0 and 10"))
        })
        .transpose()
}

impl<C> Slot<C> {
    /// A slot over a copy of this one's client with per-call options (it
    /// shares the connections and the vendor token), for `with_options`.
    pub(crate) fn with_options(
        &self,
        py: Python<'_>,
        timeout: Option<f64>,
        deadline: Option<f64>,
        max_retries: Option<i64>,
        derive: impl FnOnce(&C, CallOptions) -> Result<C, frontegg_identity_core::Error>,
    ) -> PyResult<Self> {
        guarded(py, || {
            let client = self.get(py)?;
            let mut options = CallOptions::new();
            options.timeout = seconds(py, "timeout", timeout)?;
            options.deadline = seconds(py, "deadline", deadline)?;
            options.max_retries = retries(py, max_retries)?;
            let copy = derive(&client, options).map_err(|e| to_pyerr(py, &e, None))?;
            Ok(Self {
                client: ArcSwapOption::from_pointee(copy),
                describe: self.describe.clone(),
            })
        })
    }
}

/// A native client class: the struct over its core client's [`Slot`], and
/// the methods both classes have (`__new__` from the keyword arguments,
/// `describe`, `closed`, `close`, `with_options`), written once; each class
/// adds its one call method in `extra`.
macro_rules! native_client {
    ($(#[$doc:meta])* $name:ident($core:ty, $build:path) { $($extra:tt)* }) => {
        $(#[$doc])*
        #[pyclass(frozen, module = "frontegg_identity._native")]
        pub(crate) struct $name {
            pub(crate) slot: $crate::config::Slot<$core>,
        }

        #[pymethods]
        impl $name {
            /// Takes the keyword arguments of the Python client (see `config::Options`).
            #[new]
            #[pyo3(signature = (**options))]
            fn new(py: Python<'_>, options: Option<&Bound<'_, pyo3::types::PyDict>>) -> PyResult<Self> {
                let options = $crate::config::Options::from_kwargs(options)?;
                Ok(Self {
                    slot: $crate::config::Slot::open(py, options, $build)?,
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

            $($extra)*
        }
    };
}

pub(crate) use native_client;
