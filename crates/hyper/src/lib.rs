//! The async client of `frontegg-identity`, over hyper-util's pooled client.
//!
//! This crate re-exports [`frontegg_identity_core`], so it is the only one
//! to depend on.
//!
//! ```no_run
//! use frontegg_identity_hyper::{AccessToken, ClientBuilder, HyperBuild, PhoneNumber, Region, VerificationCode};
//!
//! # async fn run() -> Result<(), frontegg_identity_hyper::Error> {
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
//! It behaves as `frontegg-identity-reqwest` does, at about two thirds of
//! its CPU time per request: reqwest's layers (its URL type, redirect policy
//! and per-request bookkeeping) are the rest, and the client needs none of
//! them. The transport never follows redirects (a bearer token must not
//! reach another host), reads at most `max_response_bytes` of a body,
//! honours the connect timeout and each attempt's timeout (capped by the
//! call's deadline), goes through the builder's `proxy` or else the
//! environment's (by the rules reqwest follows, which are hyper-util's:
//! `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`), reuses connections
//! and speaks HTTP/2 where the server offers it. TLS is rustls with the ring
//! provider, verifying servers with the platform's verifier (the OS store,
//! `SSL_CERT_FILE`/`SSL_CERT_DIR`) and the CAs added with
//! `add_root_certificate`; the feature `webpki-roots` adds the bundled
//! Mozilla roots. The Python package's async client runs on it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Body;
use hyper_util::client::legacy::Client as Pool;
use hyper_util::rt::{TokioExecutor, TokioTimer};

mod connect;

pub use frontegg_identity_core::*;

/// The async client over hyper.
pub type HyperClient = Client<HyperTransport>;

/// An [`IdentityTransport`] over hyper-util's pooled client. Clones share
/// the connection pool.
#[derive(Clone)]
pub struct HyperTransport {
    pool: Pool<connect::Connector, Full<Bytes>>,
    proxies: Option<Arc<connect::Proxies>>,
    timeout: Duration,
    max_response_bytes: usize,
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransport")
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("proxies", &self.proxies)
            .finish_non_exhaustive()
    }
}

impl HyperTransport {
    /// A transport honouring `options`: timeouts, body limit, the proxy (or
    /// the environment's, when asked), the TLS trust. It needs a tokio
    /// runtime when it sends, not when it is built.
    pub fn new(options: &TransportOptions) -> Result<Self, Error> {
        let proxies = connect::Proxies::of(options)?.map(Arc::new);
        let connector = connect::Connector::new(options, proxies.clone())?;
        let pool = Pool::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .build(connector);
        Ok(Self {
            pool,
            proxies,
            timeout: options.timeout,
            max_response_bytes: options.max_response_bytes,
        })
    }

    /// Sends `request` and reads the answer's body, within the limit.
    async fn exchange(
        &self,
        request: http::Request<Full<Bytes>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let response = self.pool.request(request).await.map_err(send_error)?;
        let (head, mut body) = response.into_parts();
        let mut bytes = BoundedBody::new(self.max_response_bytes, body.size_hint().exact())?;
        while let Some(frame) = body.frame().await {
            if let Ok(chunk) = frame.map_err(TransportError::io)?.into_data() {
                bytes.push(&chunk)?;
            } // Else trailers.
        }
        Ok(http::Response::from_parts(head, bytes.into_bytes()))
    }
}

/// The error of a request that got no answer: refused certificates,
/// failed connections and requests an HTTP/2 server refused unprocessed
/// were not sent; anything else may have been.
fn send_error(error: hyper_util::client::legacy::Error) -> TransportError {
    if tls::is_certificate_error(&error) {
        return TransportError::certificate(error);
    }
    if refused_unprocessed(&error) {
        return TransportError::new(TransportErrorKind::Io, false, Some(Box::new(error)));
    }
    if error.is_connect() {
        let kind = if find_source::<connect::ConnectTimeout>(&error).is_some() {
            TransportErrorKind::Timeout
        } else {
            TransportErrorKind::Connect
        };
        return TransportError::new(kind, false, Some(Box::new(error)));
    }
    TransportError::new(TransportErrorKind::Io, true, Some(Box::new(error)))
}

/// Whether an HTTP/2 server said it did not process the request (RFC 9113,
/// section 8.7): it reset the stream with `REFUSED_STREAM`, or closed the
/// connection gracefully (`GOAWAY` with `NO_ERROR`) before this stream.
/// reqwest retries these itself; here the core's retry policy does, as for
/// any request that was not sent.
fn refused_unprocessed(error: &(dyn std::error::Error + 'static)) -> bool {
    find_source::<h2::Error>(error).is_some_and(|h2| {
        let reason = h2.reason();
        h2.is_remote()
            && ((h2.is_reset() && reason == Some(h2::Reason::REFUSED_STREAM))
                || (h2.is_go_away() && reason == Some(h2::Reason::NO_ERROR)))
    })
}

#[async_trait::async_trait]
impl IdentityTransport for HyperTransport {
    async fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let timeout = AttemptTimeout::of(&request).unwrap_or(self.timeout);
        let (mut head, body) = request.into_parts();
        if let Some(auth) = self.proxies.as_ref().and_then(|p| p.authorization(&head.uri)) {
            head.headers.insert(http::header::PROXY_AUTHORIZATION, auth);
        }
        let request = http::Request::from_parts(head, Full::new(Bytes::from(body)));
        tokio::time::timeout(timeout, self.exchange(request))
            .await
            .unwrap_or_else(|_| {
                Err(TransportError::new(
                    TransportErrorKind::Timeout,
                    true,
                    Some("the attempt timed out".into()),
                ))
            })
    }
}

/// The one-line way to a ready async client: `ClientBuilder::new()...build()`.
pub trait HyperBuild {
    /// Builds a [`HyperClient`] from this configuration.
    fn build(self) -> Result<HyperClient, Error>;
}

impl HyperBuild for ClientBuilder {
    fn build(self) -> Result<HyperClient, Error> {
        let transport = HyperTransport::new(self.transport_options())?;
        self.build_with_sleep(transport, Arc::new(TokioSleep))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn debug_shows_no_proxy_credentials() {
        let builder = ClientBuilder::new()
            .base_url("https://api.example.com")
            .user_token(AccessToken::new("token-1").unwrap())
            .proxy("http://user:hunter2@127.0.0.1:3128");
        let transport = HyperTransport::new(builder.transport_options()).unwrap();
        let client = HyperBuild::build(builder).unwrap();
        let transport = format!("{transport:?}");
        assert!(transport.starts_with("HyperTransport {"), "{transport}");
        for text in [transport, format!("{client:?}")] {
            assert!(!text.contains("hunter2") && !text.contains("token-1"), "{text}");
        }
    }
}

/// The README's example, compiled as a doc test so that it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
