//! The two transport traits: one async, one blocking, one method each.
//!
//! A transport sends a request and returns the answer, whatever its status:
//! the client interprets statuses. It must not follow redirects, must bound
//! the body it reads, and must say in its errors whether the request may
//! have reached the server.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use http::{Request, Response};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::defaults;
use crate::error::{Error, TransportError};

/// An async HTTP transport.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait::async_trait]
pub trait IdentityTransport: Send + Sync + 'static {
    /// Sends `request` and returns the answer with its whole body.
    async fn execute(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError>;
}

/// A blocking HTTP transport.
#[cfg_attr(feature = "mock", mockall::automock)]
pub trait BlockingIdentityTransport: Send + Sync + 'static {
    /// Sends `request` and returns the answer with its whole body.
    fn execute(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError>;
}

/// How the async client waits between attempts, so that core needs no runtime.
pub trait AsyncSleep: Send + Sync + 'static {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// A runtime-agnostic sleep (a timer thread from `futures-timer`). Transport
/// crates install their runtime's own sleep instead.
#[derive(Debug, Clone, Copy, Default)]
pub struct TimerSleep;

impl AsyncSleep for TimerSleep {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(futures_timer::Delay::new(duration))
    }
}

/// Sleeps on the tokio timer between attempts (feature `tokio`): what the
/// transports built on tokio install.
#[cfg(feature = "tokio")]
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

#[cfg(feature = "tokio")]
impl AsyncSleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// What a transport is asked to honour; built by the client builder.
/// `Debug` shows no proxy credentials.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransportOptions {
    /// The time allowed to connect.
    pub connect_timeout: Duration,
    /// The time allowed for one whole attempt, connecting to the last byte.
    /// An attempt may be given less: see [`AttemptTimeout`].
    pub timeout: Duration,
    /// The time allowed for a whole call, attempts and waits together. The
    /// client enforces it (through [`AttemptTimeout`]); a transport ignores it.
    pub deadline: Duration,
    /// The largest answer body read; a larger one is an error.
    pub max_response_bytes: usize,
    /// Whether to use `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` from the environment.
    /// Ignored when [`proxy`](Self::proxy) is set.
    pub proxy_from_env: bool,
    /// The proxy every request goes through (`http://` or `https://`,
    /// possibly with `user:password@`), checked by the builder.
    pub proxy: Option<String>,
    /// PEM blobs, each with one or more CA certificates trusted besides the
    /// platform's, checked by the builder.
    pub root_certificates: Vec<Vec<u8>>,
}

impl Default for TransportOptions {
    fn default() -> Self {
        Self {
            connect_timeout: defaults::CONNECT_TIMEOUT,
            timeout: defaults::TIMEOUT,
            deadline: defaults::DEADLINE,
            max_response_bytes: defaults::MAX_RESPONSE_BYTES,
            proxy_from_env: defaults::PROXY_FROM_ENV,
            proxy: None,
            root_certificates: Vec::new(),
        }
    }
}

impl fmt::Debug for TransportOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportOptions")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("proxy_from_env", &self.proxy_from_env)
            .field("proxy", &self.proxy.as_deref().map(ProxyUrl))
            .field("root_certificates", &self.root_certificates.len())
            .finish()
    }
}

/// A proxy URL printed without its `user:password@`.
struct ProxyUrl<'a>(&'a str);

impl fmt::Debug for ProxyUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (scheme, rest) = self.0.split_once("://").unwrap_or(("", self.0));
        let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
        match authority.rfind('@') {
            Some(at) => write!(f, "\"{scheme}://[redacted]@{}\"", &rest[at + 1..]),
            None => write!(f, "{:?}", self.0),
        }
    }
}

impl TransportOptions {
    /// The proxy URL in normal form, as the `url` crate writes it (user
    /// name and password percent-encoded, scheme and host in lower case),
    /// which every HTTP library reads alike: a password with a space or an
    /// `@` in it, accepted by the builder, is not a valid `http::Uri` as
    /// given. `None` without a proxy.
    ///
    /// # Errors
    /// [`Error::Configuration`] if it is not a URL (the builder refuses
    /// those too); the message does not quote it.
    pub fn proxy_url(&self) -> Result<Option<String>, Error> {
        let Some(raw) = self.proxy.as_deref() else {
            return Ok(None);
        };
        let url = url::Url::parse(raw.trim())
            .map_err(|_| Error::Configuration("the proxy URL is not a valid URL".into()))?;
        Ok(Some(url.into()))
    }

    /// The added CA certificates, DER-encoded (what is not a certificate in
    /// the PEM blobs is skipped; the builder has refused blobs without one).
    #[must_use]
    pub fn root_certificates_der(&self) -> Vec<CertificateDer<'static>> {
        self.root_certificates
            .iter()
            .flat_map(|pem| CertificateDer::pem_slice_iter(pem).filter_map(Result::ok))
            .collect()
    }
}

/// The certificates in a PEM blob; an error if it holds none or a broken one.
pub(crate) fn parse_pem_certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("is not valid PEM ({e})"))?;
    if certs.is_empty() {
        return Err("holds no PEM certificate (-----BEGIN CERTIFICATE-----)".into());
    }
    Ok(certs)
}

/// An answer's body read in chunks up to `max_response_bytes`: the limit
/// as the async transports apply it. A body whose declared length passes
/// the limit is refused before any of it is read; one without a declared
/// length, when a chunk would pass it.
#[derive(Debug)]
pub struct BoundedBody {
    limit: usize,
    bytes: Vec<u8>,
}

impl BoundedBody {
    /// Ready for the chunks of a body of `declared` length, if known.
    ///
    /// # Errors
    /// [`TransportError::body_too_large`] when `declared` passes `limit`.
    pub fn new(limit: usize, declared: Option<u64>) -> Result<Self, TransportError> {
        let declared = declared.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
        if declared.is_some_and(|n| n > limit) {
            return Err(TransportError::body_too_large(limit));
        }
        Ok(Self {
            limit,
            bytes: Vec::with_capacity(declared.unwrap_or(0)),
        })
    }

    /// Appends the next chunk.
    ///
    /// # Errors
    /// [`TransportError::body_too_large`] when it would pass the limit.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), TransportError> {
        if self.bytes.len() + chunk.len() > self.limit {
            return Err(TransportError::body_too_large(self.limit));
        }
        self.bytes.extend_from_slice(chunk);
        Ok(())
    }

    /// The body read.
    #[must_use]
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// The first error of type `T` in `error`'s source chain, `error` included,
/// for a transport to tell its failures apart. It also looks inside an
/// `io::Error`, which hides the error it wraps from `source()`.
#[must_use]
pub fn find_source<'a, T: std::error::Error + 'static>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        next = match e.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    None
}

/// The time one attempt may take, set by the client in the request's
/// extensions when it differs from [`TransportOptions::timeout`]: a per-call
/// timeout, or the time left before the call's deadline. Transports must
/// honour it in place of their configured timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptTimeout(pub Duration);

impl AttemptTimeout {
    /// The attempt timeout set on `request`, if any.
    #[must_use]
    pub fn of<B>(request: &Request<B>) -> Option<Duration> {
        request.extensions().get::<Self>().map(|t| t.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounded_body_takes_up_to_its_limit() {
        assert!(BoundedBody::new(4, Some(5)).is_err(), "declared too long");
        let mut body = BoundedBody::new(4, Some(4)).unwrap();
        body.push(b"ab").unwrap();
        body.push(b"cd").unwrap();
        assert_eq!(body.into_bytes(), b"abcd");
        let mut body = BoundedBody::new(4, None).unwrap();
        body.push(b"abc").unwrap();
        let error = body.push(b"de").unwrap_err();
        assert_eq!(error.kind, crate::TransportErrorKind::BodyTooLarge);
    }

    #[test]
    fn debug_hides_the_proxy_credentials_and_nothing_else() {
        for (proxy, shown) in [
            (
                "http://user:hunter2@proxy.example:3128",
                "\"http://[redacted]@proxy.example:3128\"",
            ),
            (
                "https://hunter2@proxy.example",
                "\"https://[redacted]@proxy.example\"",
            ),
            ("http://proxy.example:3128", "\"http://proxy.example:3128\""),
        ] {
            let options = TransportOptions {
                proxy: Some(proxy.into()),
                ..TransportOptions::default()
            };
            let text = format!("{options:?}");
            assert!(text.contains(&format!("proxy: Some({shown})")), "{text}");
            assert!(!text.contains("hunter2"), "{text}");
        }
    }
}
