//! Client keyword arguments, with their environment fallbacks, into a
//! core `ClientBuilder`. Read once, when the client is made.

use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwapOption;
use frontegg_identity_core::{
    AccessToken, BoxError, ClientBuilder, Region, RetryPolicy, TenantId, TokenProvider, UserId, VendorSecret,
};
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::errors::{closed, configuration, guarded, to_pyerr};

/// The `User-Agent` the Python package sends.
const USER_AGENT: &str = concat!("frontegg-identity-python/", env!("CARGO_PKG_VERSION"));

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
                Err(_) => Err(pyo3::exceptions::PyTypeError::new_err(format!(
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

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The keyword arguments shared by both clients.
pub(crate) struct Options<'py> {
    pub(crate) user_token: Option<Bound<'py, PyAny>>,
    pub(crate) client_id: Option<String>,
    pub(crate) secret: Option<String>,
    pub(crate) tenant_id: Option<String>,
    pub(crate) user_id: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) base_url: Option<String>,
    pub(crate) timeout: Option<f64>,
    pub(crate) max_retries: Option<i64>,
    pub(crate) allow_insecure_http: bool,
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
    pub(crate) fn resolve(self, py: Python<'_>) -> PyResult<Resolved> {
        let core = |e: frontegg_identity_core::Error| to_pyerr(py, &e, None);
        let mut builder = ClientBuilder::new()
            .user_agent(USER_AGENT)
            .allow_insecure_http(self.allow_insecure_http);

        // Where: an explicit argument beats the environment; a base URL beats a region.
        let gateway = if let Some(url) = self.base_url {
            builder = builder.base_url(url.clone());
            url
        } else if let Some(region) = self.region {
            let region: Region = region.parse().map_err(core)?;
            builder = builder.region(region);
            region.gateway().to_owned()
        } else if let Some(url) = env("FRONTEGG_BASE_URL") {
            builder = builder.base_url(url.clone());
            url
        } else if let Some(region) = env("FRONTEGG_REGION") {
            let region: Region = region.parse().map_err(core)?;
            builder = builder.region(region);
            region.gateway().to_owned()
        } else {
            Region::Eu.gateway().to_owned()
        };

        // Who: explicit credentials, else the environment.
        let auth = if let Some(token) = self.user_token {
            if let Ok(text) = token.cast::<PyString>() {
                builder = builder.user_token(AccessToken::new(text.to_cow()?.into_owned()).map_err(core)?);
                "user_token"
            } else if token.is_callable() {
                builder = builder.token_provider(PyTokenProvider {
                    callable: token.unbind(),
                });
                "token_provider"
            } else {
                return Err(pyo3::exceptions::PyTypeError::new_err(
                    "user_token must be a str or a callable returning a str",
                ));
            }
        } else if self.client_id.is_some() || self.secret.is_some() {
            let client_id = self.client_id.or_else(|| env("FRONTEGG_CLIENT_ID"));
            let secret = self.secret.or_else(|| env("FRONTEGG_API_KEY"));
            let (Some(client_id), Some(secret)) = (client_id, secret) else {
                return Err(configuration(
                    py,
                    "vendor credentials need both client_id and secret (or FRONTEGG_CLIENT_ID and FRONTEGG_API_KEY)",
                ));
            };
            builder = builder.vendor_credentials(client_id, VendorSecret::new(secret).map_err(core)?);
            "vendor"
        } else if let (Some(client_id), Some(secret)) = (env("FRONTEGG_CLIENT_ID"), env("FRONTEGG_API_KEY")) {
            builder = builder.vendor_credentials(client_id, VendorSecret::new(secret).map_err(core)?);
            "vendor"
        } else if let Some(token) = env("FRONTEGG_USER_TOKEN") {
            builder = builder.user_token(AccessToken::new(token).map_err(core)?);
            "user_token"
        } else {
            return Err(configuration(
                py,
                "no credentials: pass user_token, or client_id and secret, or set FRONTEGG_USER_TOKEN, \
                 or FRONTEGG_CLIENT_ID and FRONTEGG_API_KEY",
            ));
        };

        if let Some(tenant) = self.tenant_id.or_else(|| env("FRONTEGG_TENANT_ID")) {
            builder = builder.tenant_id(TenantId::new(tenant).map_err(core)?);
        }
        if let Some(user) = self.user_id.or_else(|| env("FRONTEGG_USER_ID")) {
            builder = builder.user_id(UserId::new(user).map_err(core)?);
        }
        if let Some(timeout) = self.timeout {
            if !(timeout.is_finite() && timeout > 0.0 && timeout <= 86_400.0) {
                return Err(configuration(
                    py,
                    "timeout must be a finite number of seconds, greater than 0 and at most 86400",
                ));
            }
            let timeout = Duration::from_secs_f64(timeout);
            builder = builder
                .timeout(timeout)
                .connect_timeout(timeout.min(Duration::from_secs(10)));
        }
        if let Some(retries) = self.max_retries {
            let retries = u32::try_from(retries)
                .ok()
                .filter(|r| *r <= 10)
                .ok_or_else(|| configuration(py, "max_retries must be between 0 and 10"))?;
            builder = builder.retry_policy(RetryPolicy::default().max_attempts(retries + 1));
        }
        let gateway = gateway.trim().trim_end_matches('/').to_owned();
        Ok(Resolved {
            builder,
            describe: format!("base_url='{gateway}', auth='{auth}'"),
        })
    }
}
