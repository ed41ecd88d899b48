//! Real networks on loopback: a test CA and an HTTPS server whose
//! certificate it signed (made with rcgen, served with rustls).

use std::io::Write;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

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
