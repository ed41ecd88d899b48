//! The async client of `frontegg-identity`, over [`reqwest`].
//!
//! This crate re-exports [`frontegg_identity_core`], so it is the only one
//! to depend on.
//!
//! ```no_run
//! use frontegg_identity_reqwest::{AccessToken, ClientBuilder, PhoneNumber, ReqwestBuild, Region, VerificationCode};
//!
//! # async fn run() -> Result<(), frontegg_identity_reqwest::Error> {
//! let client = ClientBuilder::new()
//!     .region(Region::Us)
//!     .user_token(AccessToken::new("eyJhbGciOi...")?)
//!     .build()?;
//! let phones = client.phone_numbers();
//! let otc = phones.preverify(&PhoneNumber::parse("+1 415 555 0100")?).await?;
//! phones.verify(&otc, &VerificationCode::parse("123456")?).await?;
//! for record in phones.list_mine().await? {
//!     println!("{:?} verified={}", record.phone_number, record.verified);
//! }
//! # Ok(()) }
//! ```
//!
//! The transport never follows redirects (a bearer token must not reach
//! another host), reads at most `max_response_bytes` of a body, honours the
//! connect timeout and each attempt's timeout (capped by the call's
//! deadline), goes through the builder's `proxy` or else the environment's,
//! and reuses connections. TLS is rustls with the ring provider by default,
//! verifying servers with the platform's verifier (the OS store,
//! `SSL_CERT_FILE`/`SSL_CERT_DIR`) and the CAs added with
//! `add_root_certificate`, as the blocking transport does; the feature
//! `webpki-roots` adds the bundled Mozilla roots, and `native-tls` (without
//! `rustls`) uses the platform's TLS library instead.

use std::sync::Arc;
use std::time::Duration;

mod urls;

pub use frontegg_identity_core::*;

/// The async client over reqwest.
pub type ReqwestClient = Client<ReqwestTransport>;

/// An [`IdentityTransport`] over a `reqwest::Client`.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_response_bytes: usize,
    /// Shared by the clones, as the connection pool is.
    urls: Arc<urls::Urls>,
}

impl ReqwestTransport {
    /// A transport honouring `options`: redirects off, timeouts, body limit,
    /// the proxy (or the environment's, when asked), the TLS trust.
    pub fn new(options: &TransportOptions) -> Result<Self, Error> {
        let failed = |e: reqwest::Error| {
            Error::Configuration(format!("could not build the HTTP client: {}", e.without_url()))
        };
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_nodelay(true);
        if let Some(url) = options.proxy_url()? {
            // reqwest's message may quote the URL.
            let proxy = reqwest::Proxy::all(url)
                .map_err(|_| Error::Configuration("the proxy URL is not usable".into()))?;
            builder = builder.proxy(proxy);
        } else if !options.proxy_from_env {
            builder = builder.no_proxy();
        }
        let client = tls(builder, options)?.build().map_err(failed)?;
        Ok(Self::from_client(client, options.max_response_bytes))
    }

    /// A transport over a `reqwest::Client` you built. Build it with
    /// `redirect(Policy::none())`: a followed redirect could carry the token
    /// to another host.
    #[must_use]
    pub fn from_client(client: reqwest::Client, max_response_bytes: usize) -> Self {
        Self {
            client,
            max_response_bytes,
            urls: Arc::default(),
        }
    }
}

/// rustls with the shared trust (see `frontegg_identity_core::tls`).
#[cfg(feature = "rustls")]
fn tls(builder: reqwest::ClientBuilder, options: &TransportOptions) -> Result<reqwest::ClientBuilder, Error> {
    let config = frontegg_identity_core::tls::client_config(options, &[b"h2", b"http/1.1"])?;
    Ok(builder.tls_backend_preconfigured(config))
}

/// The platform's TLS library, its roots and the added CAs.
#[cfg(all(feature = "native-tls", not(feature = "rustls")))]
fn tls(builder: reqwest::ClientBuilder, options: &TransportOptions) -> Result<reqwest::ClientBuilder, Error> {
    let certs = options
        .root_certificates_der()
        .iter()
        .map(|der| reqwest::Certificate::from_der(der))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::Configuration(format!("a root certificate is not usable: {e}")))?;
    Ok(builder.tls_backend_native().tls_certs_merge(certs))
}

/// No TLS: `http://` only.
#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
fn tls(builder: reqwest::ClientBuilder, _: &TransportOptions) -> Result<reqwest::ClientBuilder, Error> {
    Ok(builder)
}

/// Whether the server's certificate was refused.
fn is_certificate_error(error: &reqwest::Error) -> bool {
    #[cfg(feature = "rustls")]
    {
        frontegg_identity_core::tls::is_certificate_error(error)
    }
    #[cfg(not(feature = "rustls"))]
    {
        let _ = error;
        false
    }
}

fn send_error(error: reqwest::Error) -> TransportError {
    if is_certificate_error(&error) {
        return TransportError::certificate(error.without_url());
    }
    let (kind, sent) = if error.is_connect() {
        if error.is_timeout() {
            (TransportErrorKind::Timeout, false)
        } else {
            (TransportErrorKind::Connect, false)
        }
    } else if error.is_timeout() {
        (TransportErrorKind::Timeout, true)
    } else if error.is_builder() {
        (TransportErrorKind::Request, false)
    } else if error.is_request() || error.is_body() {
        (TransportErrorKind::Io, true)
    } else {
        (TransportErrorKind::Other, true)
    };
    TransportError::new(kind, sent, Some(Box::new(error.without_url())))
}

fn body_error(error: reqwest::Error) -> TransportError {
    let kind = if error.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Io
    };
    TransportError::new(kind, true, Some(Box::new(error.without_url())))
}

#[async_trait::async_trait]
impl IdentityTransport for ReqwestTransport {
    async fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let timeout = AttemptTimeout::of(&request);
        let mut request = match self.urls.parse(request.uri()) {
            // What reqwest's conversion makes, without parsing the URL again.
            Some(url) => {
                let (parts, body) = request.into_parts();
                let mut converted = reqwest::Request::new(parts.method, url);
                *converted.headers_mut() = parts.headers;
                *converted.version_mut() = parts.version;
                *converted.body_mut() = Some(body.into());
                converted
            }
            None => reqwest::Request::try_from(request).map_err(|e| {
                TransportError::new(
                    TransportErrorKind::Request,
                    false,
                    Some(Box::new(e.without_url())),
                )
            })?,
        };
        if timeout.is_some() {
            *request.timeout_mut() = timeout;
        }
        let mut response = self.client.execute(request).await.map_err(send_error)?;
        let mut body = BoundedBody::new(self.max_response_bytes, response.content_length())?;
        while let Some(chunk) = response.chunk().await.map_err(body_error)? {
            body.push(&chunk)?;
        }
        let mut out = http::Response::new(body.into_bytes());
        *out.status_mut() = response.status();
        *out.version_mut() = response.version();
        *out.headers_mut() = std::mem::take(response.headers_mut());
        Ok(out)
    }
}

/// The one-line way to a ready async client: `ClientBuilder::new()...build()`.
pub trait ReqwestBuild {
    /// Builds a [`ReqwestClient`] from this configuration.
    fn build(self) -> Result<ReqwestClient, Error>;
}

impl ReqwestBuild for ClientBuilder {
    fn build(self) -> Result<ReqwestClient, Error> {
        let transport = ReqwestTransport::new(self.transport_options())?;
        self.build_with_sleep(transport, Arc::new(TokioSleep))
    }
}
