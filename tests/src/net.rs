//! Real networks on loopback: a test CA and HTTPS servers whose
//! certificate it signed (made with rcgen, served with rustls: a raw
//! HTTP/1.1 one, and hyper's offering HTTP/2 and HTTP/1.1), and a proxy
//! that tunnels `CONNECT` and forwards absolute-form plain HTTP requests,
//! remembering each request line it was sent.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::raw_server::read_request;

/// A CA made for one test, and a certificate it signed for `127.0.0.1`
/// and `localhost`.
pub struct TestPki {
    /// The CA certificate, PEM-encoded: what a client must add to trust the server.
    pub ca_pem: String,
    server: Arc<rustls::ServerConfig>,
}

impl std::fmt::Debug for TestPki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestPki").finish_non_exhaustive()
    }
}

impl TestPki {
    /// A new CA and server certificate.
    ///
    /// # Panics
    ///
    /// If rcgen or rustls refuse what they are given.
    #[must_use]
    pub fn new() -> Self {
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "frontegg-identity test CA");
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_key = KeyPair::generate().expect("a CA key");
        let ca_cert = ca.self_signed(&ca_key).expect("the CA certificate");
        let issuer = Issuer::new(ca, ca_key);

        let mut leaf = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .expect("server parameters");
        leaf.distinguished_name.push(DnType::CommonName, "127.0.0.1");
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let leaf_key = KeyPair::generate().expect("a server key");
        let leaf_cert = leaf
            .signed_by(&leaf_key, &issuer)
            .expect("the server certificate");

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut server = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![
                    leaf_cert.der().clone(),
                    CertificateDer::from(ca_cert.der().to_vec()),
                ],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
            )
            .expect("a server configuration");
        server.alpn_protocols = vec![b"http/1.1".to_vec()];
        Self {
            ca_pem: ca_cert.pem(),
            server: Arc::new(server),
        }
    }
}

impl Default for TestPki {
    fn default() -> Self {
        Self::new()
    }
}

/// An HTTPS server on `127.0.0.1` that answers every request with `answer`
/// (whole raw HTTP/1.1 bytes) and closes. It lives as long as the test process.
#[derive(Debug, Clone)]
pub struct TlsServer {
    base_url: String,
    connections: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
}

impl TlsServer {
    /// Starts the server with `pki`'s certificate.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound.
    #[must_use]
    pub fn start(pki: &TestPki, answer: Vec<u8>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
        let base_url = format!("https://{}", listener.local_addr().expect("an address"));
        let server = Self {
            base_url,
            connections: Arc::default(),
            requests: Arc::default(),
        };
        let config = Arc::clone(&pki.server);
        let (connections, requests) = (Arc::clone(&server.connections), Arc::clone(&server.requests));
        let answer = Arc::new(answer);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                connections.fetch_add(1, Ordering::SeqCst);
                let (config, requests, answer) =
                    (Arc::clone(&config), Arc::clone(&requests), Arc::clone(&answer));
                std::thread::spawn(move || {
                    let Ok(tls) = rustls::ServerConnection::new(config) else {
                        return;
                    };
                    let mut stream = rustls::StreamOwned::new(tls, stream);
                    if read_request(&mut stream).is_some() {
                        requests.fetch_add(1, Ordering::SeqCst);
                        let _ = stream.write_all(&answer);
                        let _ = stream.flush();
                        stream.conn.send_close_notify();
                        let _ = stream.conn.complete_io(&mut stream.sock);
                    }
                });
            }
        });
        server
    }

    /// `https://127.0.0.1:PORT`.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The TCP connections accepted so far (handshakes tried).
    #[must_use]
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// The requests read so far (after a completed handshake).
    #[must_use]
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Binds a loopback port and serves TLS on it with `pki`'s certificate,
/// offering the `alpn` protocols: each connection, once its handshake is
/// done, goes to `serve` on a task of its own (of the tokio runtime this is
/// called on). Returns `https://127.0.0.1:PORT`.
async fn serve_tls<F, Fut>(pki: &TestPki, alpn: &[&[u8]], serve: F) -> String
where
    F: Fn(tokio_rustls::server::TlsStream<tokio::net::TcpStream>) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let mut config = rustls::ServerConfig::clone(&pki.server);
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free loopback port");
    let base_url = format!("https://{}", listener.local_addr().expect("an address"));
    let serve = Arc::new(serve);
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, serve) = (acceptor.clone(), Arc::clone(&serve));
            tokio::spawn(async move {
                if let Ok(tls) = acceptor.accept(tcp).await {
                    serve(tls).await;
                }
            });
        }
    });
    base_url
}

/// An HTTPS server on `127.0.0.1` offering HTTP/2 and HTTP/1.1 by ALPN
/// (hyper's server), answering every request with a 200 and a JSON body,
/// and remembering each request's HTTP version. It runs on the tokio
/// runtime it is started on.
#[derive(Debug, Clone)]
pub struct H2Server {
    base_url: String,
    versions: Arc<Mutex<Vec<http::Version>>>,
}

impl H2Server {
    /// Starts the server with `pki`'s certificate, answering `body`.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound.
    pub async fn start(pki: &TestPki, body: &'static str) -> Self {
        let versions: Arc<Mutex<Vec<http::Version>>> = Arc::default();
        let seen = Arc::clone(&versions);
        let base_url = serve_tls(pki, &[b"h2", b"http/1.1"], move |tls| {
            let versions = Arc::clone(&seen);
            let answer = hyper::service::service_fn(move |request: http::Request<hyper::body::Incoming>| {
                versions
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(request.version());
                let mut response = http::Response::new(http_body_util::Full::new(bytes::Bytes::from_static(
                    body.as_bytes(),
                )));
                response.headers_mut().insert(
                    http::header::CONTENT_TYPE,
                    http::HeaderValue::from_static("application/json"),
                );
                std::future::ready(Ok::<_, std::convert::Infallible>(response))
            });
            async move {
                let io = hyper_util::rt::TokioIo::new(tls);
                let _ = hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new())
                    .serve_connection(io, answer)
                    .await;
            }
        })
        .await;
        Self { base_url, versions }
    }

    /// `https://127.0.0.1:PORT`.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The HTTP version of every request served so far.
    #[must_use]
    pub fn versions(&self) -> Vec<http::Version> {
        self.versions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// An HTTPS server on `127.0.0.1` speaking HTTP/2 only (h2's server), that
/// resets its first `refuse` streams with `REFUSED_STREAM` (the request
/// was not processed: RFC 9113, section 8.7) and answers the others with a
/// 200 and a JSON body. It counts the requests it was sent and runs on the
/// tokio runtime it is started on.
#[derive(Debug, Clone)]
pub struct RefusingH2Server {
    base_url: String,
    requests: Arc<AtomicUsize>,
}

impl RefusingH2Server {
    /// Starts the server with `pki`'s certificate.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound.
    pub async fn start(pki: &TestPki, refuse: usize, body: &'static str) -> Self {
        let requests: Arc<AtomicUsize> = Arc::default();
        let counted = Arc::clone(&requests);
        let base_url = serve_tls(pki, &[b"h2"], move |tls| {
            let requests = Arc::clone(&counted);
            async move {
                let Ok(mut connection) = h2::server::handshake(tls).await else {
                    return;
                };
                while let Some(Ok((_request, mut respond))) = connection.accept().await {
                    if requests.fetch_add(1, Ordering::SeqCst) < refuse {
                        respond.send_reset(h2::Reason::REFUSED_STREAM);
                        continue;
                    }
                    let mut response = http::Response::new(());
                    response.headers_mut().insert(
                        http::header::CONTENT_TYPE,
                        http::HeaderValue::from_static("application/json"),
                    );
                    if let Ok(mut stream) = respond.send_response(response, false) {
                        let _ = stream.send_data(bytes::Bytes::from_static(body.as_bytes()), true);
                    }
                }
            }
        })
        .await;
        Self { base_url, requests }
    }

    /// `https://127.0.0.1:PORT`.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The requests sent so far, refused ones included.
    #[must_use]
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// A proxy on `127.0.0.1`: `CONNECT host:port` is tunnelled; a request
/// with an absolute-form target (`GET http://host:port/path`) is forwarded
/// in origin form. It lives as long as the test process.
#[derive(Debug, Clone)]
pub struct TestProxy {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

/// What the proxy remembers of a request: its first line and its
/// `Proxy-Authorization`.
type Seen = (String, Option<String>);

impl TestProxy {
    /// Starts the proxy.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound.
    #[must_use]
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
        let proxy = Self {
            url: format!("http://{}", listener.local_addr().expect("an address")),
            seen: Arc::default(),
        };
        let seen = Arc::clone(&proxy.seen);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let seen = Arc::clone(&seen);
                std::thread::spawn(move || {
                    let _ = relay(stream, &seen);
                });
            }
        });
        proxy
    }

    /// `http://127.0.0.1:PORT`.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The first line of every request the proxy was sent (`CONNECT
    /// 127.0.0.1:443 HTTP/1.1`, `GET http://127.0.0.1:80/path HTTP/1.1`).
    #[must_use]
    pub fn seen(&self) -> Vec<String> {
        self.requests().into_iter().map(|(line, _)| line).collect()
    }

    /// The `Proxy-Authorization` of every request the proxy was sent.
    #[must_use]
    pub fn authorizations(&self) -> Vec<Option<String>> {
        self.requests().into_iter().map(|(_, auth)| auth).collect()
    }

    fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

fn relay(mut client: TcpStream, seen: &Mutex<Vec<Seen>>) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte)? == 0 || head.len() > 64 * 1024 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let line = text.lines().next().unwrap_or_default().to_owned();
    let auth = text.lines().find_map(|header| {
        let (name, value) = header.split_once(':')?;
        name.eq_ignore_ascii_case("proxy-authorization")
            .then(|| value.trim().to_owned())
    });
    seen.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push((line.clone(), auth));
    let mut parts = line.split(' ');
    let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let upstream = if method == "CONNECT" {
        let upstream = TcpStream::connect(target)?;
        client.write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")?;
        upstream
    } else {
        let rest = target.strip_prefix("http://").unwrap_or(target);
        let (authority, path) = rest.find('/').map_or((rest, "/"), |at| rest.split_at(at));
        let mut upstream = TcpStream::connect(authority)?;
        let origin_form = text.replacen(target, path, 1);
        upstream.write_all(origin_form.as_bytes())?;
        upstream
    };
    let (mut up_read, mut client_write) = (upstream.try_clone()?, client.try_clone()?);
    let back = std::thread::spawn(move || {
        let _ = std::io::copy(&mut up_read, &mut client_write);
        let _ = client_write.shutdown(Shutdown::Write);
    });
    let mut up_write = upstream;
    let _ = std::io::copy(&mut client, &mut up_write);
    let _ = up_write.shutdown(Shutdown::Write);
    let _ = back.join();
    Ok(())
}
