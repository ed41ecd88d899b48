//! Connections, direct or through a proxy.
//!
//! hyper-util's pooled client asks a connector for a connection to a
//! destination; this one makes it with hyper-util's own pieces: a TCP
//! connection, rustls on it for `https://`, and, when a proxy is to be used
//! (the builder's, or the environment's by hyper-util's rules, which are
//! reqwest's), a CONNECT tunnel through the proxy for `https://` or a
//! connection to the proxy itself for `http://`, over which the client then
//! sends absolute-form requests. hyper-util has each piece but no connector
//! that chooses between them; reqwest's is private to reqwest.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use frontegg_identity_core::tls::rustls::ClientConfig;
use frontegg_identity_core::{BoxError, Error, TransportOptions};
use http::Uri;
use http::header::HeaderValue;
use http::uri::Scheme;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use tower_service::Service;

/// The proxies to go through: the builder's for every request, or the
/// environment's (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`).
pub(crate) struct Proxies(Matcher);

impl Proxies {
    /// The proxies `options` ask for; `None` when requests go direct.
    pub(crate) fn of(options: &TransportOptions) -> Result<Option<Self>, Error> {
        if let Some(url) = options.proxy_url()? {
            let matcher = Matcher::builder().all(url).build();
            // A URL hyper-util cannot read would send everything direct.
            let anywhere = Uri::from_static("http://frontegg-identity.invalid/");
            if matcher.intercept(&anywhere).is_none() {
                return Err(Error::Configuration("the proxy URL is not usable".into()));
            }
            Ok(Some(Self(matcher)))
        } else if options.proxy_from_env {
            Ok(Some(Self(Matcher::from_env())))
        } else {
            Ok(None)
        }
    }

    /// The `Proxy-Authorization` an `http://` request to `uri` carries: the
    /// proxy's credentials, when it goes through one that has them (an
    /// `https://` request gives them to the tunnel instead).
    pub(crate) fn authorization(&self, uri: &Uri) -> Option<HeaderValue> {
        if uri.scheme() != Some(&Scheme::HTTP) {
            return None;
        }
        self.0.intercept(uri)?.basic_auth().cloned()
    }
}

impl fmt::Debug for Proxies {
    // The proxy URL may hold a password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Proxies(..)")
    }
}

/// Makes the pooled client's connections (see the module documentation).
#[derive(Clone)]
pub(crate) struct Connector {
    /// Straight to the server: TLS offering HTTP/2 and HTTP/1.1 for `https://`.
    direct: HttpsConnector<HttpConnector>,
    /// To a proxy: HTTP/1.1 only, which CONNECT and absolute-form need.
    to_proxy: HttpsConnector<HttpConnector>,
    /// The TLS set-up for the server, offering HTTP/2 and HTTP/1.1: the
    /// direct connector's, and the one for the end of a tunnel.
    tls: Arc<ClientConfig>,
    proxies: Option<Arc<Proxies>>,
    connect_timeout: Duration,
}

impl Connector {
    pub(crate) fn new(options: &TransportOptions, proxies: Option<Arc<Proxies>>) -> Result<Self, Error> {
        // hyper-rustls reads the protocol ALPN chose from the connection, so
        // the configurations carry the offers.
        let tls = Arc::new(frontegg_identity_core::tls::client_config(
            options,
            &[b"h2", b"http/1.1"],
        )?);
        let mut http1 = ClientConfig::clone(&tls);
        http1.alpn_protocols = vec![b"http/1.1".to_vec()];
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        Ok(Self {
            direct: HttpsConnector::from((tcp.clone(), Arc::clone(&tls))),
            to_proxy: HttpsConnector::from((tcp, http1)),
            tls,
            proxies,
            connect_timeout: options.connect_timeout,
        })
    }

    async fn connect(self, dst: Uri) -> Result<Conn, BoxError> {
        let Some(proxy) = self.proxies.as_ref().and_then(|p| p.0.intercept(&dst)) else {
            let mut direct = self.direct;
            return Ok(Conn::new(direct.call(dst).await?, false));
        };
        if dst.scheme() == Some(&Scheme::HTTPS) {
            let mut tunnel = Tunnel::new(proxy.uri().clone(), self.to_proxy);
            if let Some(auth) = proxy.basic_auth() {
                tunnel = tunnel.with_auth(auth.clone());
            }
            let mut tls = HttpsConnector::from((tunnel, self.tls));
            Ok(Conn::new(tls.call(dst).await?, false))
        } else {
            let mut to_proxy = self.to_proxy;
            Ok(Conn::new(to_proxy.call(proxy.uri().clone()).await?, true))
        }
    }
}

impl Service<Uri> for Connector {
    type Response = Conn;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Conn, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        // The TCP connector is always ready, and so is this one.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let connector = self.clone();
        let timeout = self.connect_timeout;
        Box::pin(async move {
            tokio::time::timeout(timeout, connector.connect(dst))
                .await
                .unwrap_or_else(|_| Err(Box::new(ConnectTimeout)))
        })
    }
}

/// Connecting took longer than the connect timeout.
#[derive(Debug)]
pub(crate) struct ConnectTimeout;

impl fmt::Display for ConnectTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connecting timed out")
    }
}

impl StdError for ConnectTimeout {}

/// What a connection is read and written through.
trait Io: Read + Write + Connection + Send + Unpin + 'static {}

impl<T: Read + Write + Connection + Send + Unpin + 'static> Io for T {}

/// A connection of any of the kinds above, and whether requests on it go
/// to a proxy (in absolute form).
pub(crate) struct Conn {
    io: Box<dyn Io>,
    proxied: bool,
}

impl Conn {
    fn new(io: impl Io, proxied: bool) -> Self {
        Self {
            io: Box::new(io),
            proxied,
        }
    }

    fn io(self: Pin<&mut Self>) -> Pin<&mut dyn Io> {
        Pin::new(&mut *self.get_mut().io)
    }
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.proxied)
    }
}

impl Read for Conn {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: ReadBufCursor<'_>) -> Poll<io::Result<()>> {
        self.io().poll_read(cx, buf)
    }
}

impl Write for Conn {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.io().poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.io().poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.io().poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.io().poll_write_vectored(cx, bufs)
    }
}
