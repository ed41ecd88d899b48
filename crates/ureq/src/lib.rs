//! The blocking client of `frontegg-identity`, over [`ureq`].
//!
//! This crate re-exports [`frontegg_identity_core`], so it is the only one
//! to depend on.
//!
//! ```no_run
//! use frontegg_identity_ureq::{ClientBuilder, ListQuery, UreqBuild, VendorSecret};
//!
//! # fn run() -> Result<(), frontegg_identity_ureq::Error> {
//! let client = ClientBuilder::new()
//!     .vendor_credentials("client-id", VendorSecret::new("api-key")?)
//!     .build()?;
//! for record in client.phone_numbers().list_all(&ListQuery::new().limit(250)) {
//!     let record = record?;
//!     println!("{:?} {:?}", record.user_id, record.phone_number);
//! }
//! # Ok(()) }
//! ```
//!
//! The transport never follows redirects (a bearer token must not reach
//! another host), reads at most `max_response_bytes` of a body, honours the
//! connect timeout and each attempt's timeout (capped by the call's
//! deadline), goes through the builder's `proxy` or else the environment's,
//! and reuses connections. It resolves a host name at most every ten seconds, not on
//! every request as ureq would (on a new thread each time, to honour the
//! timeout), and never resolves an IP address; it probes a pooled
//! connection once per request, not twice, with one system call, not three
//! (see `quiet.rs` and `socket.rs`), and sets a socket's timeouts once per
//! connection, not per request. TLS is rustls with the ring
//! provider by default, verifying servers with the platform's verifier (the
//! OS store, `SSL_CERT_FILE`/`SSL_CERT_DIR`), as the async transport does.
//! CAs added with `add_root_certificate` (and, with the feature
//! `webpki-roots`, the bundled Mozilla roots) are trusted with the
//! platform's certificates as rustls-native-certs loads them. `native-tls`
//! (without `rustls`) uses the platform's TLS library instead.

use std::io::ErrorKind;

pub use frontegg_identity_core::*;

mod quiet;
mod resolver;
mod socket;

/// Idle connections kept for reuse, enough for every thread of a busy pool.
const MAX_IDLE_CONNECTIONS: usize = 256;

/// The blocking client over ureq.
pub type UreqClient = BlockingClient<UreqTransport>;

/// A [`BlockingIdentityTransport`] over a `ureq::Agent`.
#[derive(Debug, Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
    max_response_bytes: u64,
}

impl UreqTransport {
    /// A transport honouring `options`: redirects off, timeouts, body limit,
    /// the proxy (or the environment's, when asked), the TLS trust.
    pub fn new(options: &TransportOptions) -> Result<Self, Error> {
        let mut config = ureq::Agent::config_builder()
            .timeout_global(Some(options.timeout))
            .timeout_connect(Some(options.connect_timeout))
            .max_redirects(0)
            .save_redirect_history(false)
            // ureq keeps 3 idle connections per host by default: threads
            // sharing a client would reconnect on almost every call.
            .max_idle_connections(MAX_IDLE_CONNECTIONS)
            .max_idle_connections_per_host(MAX_IDLE_CONNECTIONS)
            .http_status_as_error(false);
        if let Some(url) = options.proxy_url()? {
            // ureq's message may quote the URL.
            let proxy = ureq::Proxy::new(&url)
                .map_err(|_| Error::Configuration("the proxy URL is not usable".into()))?;
            config = config.proxy(Some(proxy));
        } else if !options.proxy_from_env {
            config = config.proxy(None);
        }
        #[cfg(any(feature = "rustls", feature = "native-tls"))]
        {
            config = config.tls_config(tls_config(options));
        }
        let agent = ureq::Agent::with_parts(config.build(), connector(), resolver::QuickResolver::default());
        Ok(Self::from_agent(agent, options.max_response_bytes))
    }

    /// A transport over a `ureq::Agent` you built. Build it with
    /// `max_redirects(0)` and `http_status_as_error(false)`.
    #[must_use]
    pub fn from_agent(agent: ureq::Agent, max_response_bytes: usize) -> Self {
        Self {
            agent,
            max_response_bytes: u64::try_from(max_response_bytes).unwrap_or(u64::MAX),
        }
    }
}

/// ureq's default connectors, but for its TCP connector, replaced by one
/// whose probe of a pooled connection is one system call (`socket.rs`),
/// then one that saves more system calls per request (`quiet.rs`). ureq's
/// SOCKS connector is not built in (its stand-in only warns about a SOCKS
/// proxy from the environment; the builder refuses one), nor are its checks
/// that the TLS provider asked for is built in (`tls_config` asks for the one
/// that is).
fn connector()
-> impl ureq::unversioned::transport::Connector<Out = impl ureq::unversioned::transport::Transport> {
    use ureq::unversioned::transport::{ConnectProxyConnector, Connector};
    let chain = ().chain(ConnectProxyConnector::default()).chain(socket::Tcp);
    #[cfg(feature = "rustls")]
    let chain = chain.chain(ureq::unversioned::transport::RustlsConnector::default());
    #[cfg(feature = "native-tls")]
    let chain = chain.chain(ureq::unversioned::transport::NativeTlsConnector::default());
    chain.chain(quiet::Quiet)
}

/// The roots as ureq takes them.
#[cfg(any(feature = "rustls", feature = "native-tls"))]
fn specific_roots<'a>(certs: impl IntoIterator<Item = &'a [u8]>) -> ureq::tls::RootCerts {
    ureq::tls::RootCerts::new_with_certs(
        &certs
            .into_iter()
            .map(|der| ureq::tls::Certificate::from_der(der).to_owned())
            .collect::<Vec<_>>(),
    )
}

/// rustls with the shared trust (see `frontegg_identity_core::tls`): the
/// platform's verifier, or, with added roots, the platform's certificates
/// and those (ureq cannot add roots to the platform's verifier).
#[cfg(feature = "rustls")]
fn tls_config(options: &TransportOptions) -> ureq::tls::TlsConfig {
    use frontegg_identity_core::tls;
    let roots = match tls::root_store(options) {
        None => ureq::tls::RootCerts::PlatformVerifier,
        Some(certs) => specific_roots(certs.iter().map(AsRef::as_ref)),
    };
    ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::Rustls)
        .unversioned_rustls_crypto_provider(tls::crypto_provider())
        .root_certs(roots)
        .build()
}

/// The platform's TLS library with its roots; added roots replace them.
#[cfg(all(feature = "native-tls", not(feature = "rustls")))]
fn tls_config(options: &TransportOptions) -> ureq::tls::TlsConfig {
    let added = options.root_certificates_der();
    let roots = if added.is_empty() {
        ureq::tls::RootCerts::PlatformVerifier
    } else {
        specific_roots(added.iter().map(AsRef::as_ref))
    };
    ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::NativeTls)
        .root_certs(roots)
        .build()
}

/// Whether the server's certificate was refused.
fn is_certificate_error(error: &ureq::Error) -> bool {
    #[cfg(feature = "rustls")]
    {
        use frontegg_identity_core::tls::is_certificate_error as refused;
        // ureq's `source()` does not lead into these two.
        match error {
            ureq::Error::Rustls(e) => refused(e),
            ureq::Error::Io(e) => refused(e),
            other => refused(other),
        }
    }
    #[cfg(not(feature = "rustls"))]
    {
        let _ = error;
        false
    }
}

fn map_error(error: ureq::Error, limit: u64) -> TransportError {
    if is_certificate_error(&error) {
        return TransportError::certificate(error);
    }
    use ureq::{Error as E, Timeout};
    let (kind, sent) = match &error {
        E::Timeout(Timeout::Connect | Timeout::Resolve) => (TransportErrorKind::Timeout, false),
        E::Timeout(_) => (TransportErrorKind::Timeout, true),
        E::HostNotFound | E::ConnectionFailed | E::ConnectProxyFailed(_) | E::InvalidProxyUrl => {
            (TransportErrorKind::Connect, false)
        }
        E::Tls(_) => (TransportErrorKind::Connect, false),
        #[cfg(feature = "rustls")]
        E::Rustls(_) => (TransportErrorKind::Connect, false),
        E::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused | ErrorKind::AddrNotAvailable | ErrorKind::NotConnected => {
                (TransportErrorKind::Connect, false)
            }
            ErrorKind::TimedOut | ErrorKind::WouldBlock => (TransportErrorKind::Timeout, true),
            _ => (TransportErrorKind::Io, true),
        },
        E::BodyExceedsLimit(_) => {
            return TransportError::body_too_large(usize::try_from(limit).unwrap_or(usize::MAX));
        }
        E::BadUri(_) | E::RequireHttpsOnly(_) | E::TlsRequired => {
            // The message may quote the URL: keep only the kind.
            return TransportError::new(TransportErrorKind::Request, false, None);
        }
        _ => (TransportErrorKind::Other, true),
    };
    TransportError::new(kind, sent, Some(Box::new(error)))
}

impl UreqTransport {
    /// Runs `request`, within `timeout` in place of the agent's when set.
    fn run<B: ureq::AsSendBody>(
        &self,
        request: http::Request<B>,
        timeout: Option<std::time::Duration>,
    ) -> Result<http::Response<ureq::Body>, ureq::Error> {
        match timeout {
            None => self.agent.run(request),
            Some(timeout) => self.agent.run(
                self.agent
                    .configure_request(request)
                    .timeout_global(Some(timeout))
                    .build(),
            ),
        }
    }
}

impl BlockingIdentityTransport for UreqTransport {
    fn execute(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError> {
        let limit = self.max_response_bytes;
        let timeout = AttemptTimeout::of(&request);
        // An empty body is sent as none, so a GET or DELETE carries no
        // `content-length: 0`.
        let response = if request.body().is_empty() {
            self.run(request.map(|_| ()), timeout)
        } else {
            self.run(request, timeout)
        }
        .map_err(|e| map_error(e, limit))?;
        let (parts, mut body) = response.into_parts();
        let bytes = body.with_config().limit(limit).read_to_vec().map_err(|e| {
            let mut error = map_error(e, limit);
            error.may_have_been_sent = true;
            error
        })?;
        Ok(http::Response::from_parts(parts, bytes))
    }
}

/// The one-line way to a ready blocking client: `ClientBuilder::new()...build()`.
pub trait UreqBuild {
    /// Builds a [`UreqClient`] from this configuration.
    fn build(self) -> Result<UreqClient, Error>;
}

impl UreqBuild for ClientBuilder {
    fn build(self) -> Result<UreqClient, Error> {
        let transport = UreqTransport::new(self.transport_options())?;
        self.build_blocking_with(transport)
    }
}
