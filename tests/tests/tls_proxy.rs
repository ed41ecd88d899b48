#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
//! Real TLS and proxies on loopback, for every Rust client: a server whose
//! certificate a test CA signed is refused (a typed certificate error, not
//! retried) until the CA is added, or named by `SSL_CERT_FILE`; a CONNECT
//! proxy carries HTTPS to it; a forward proxy carries plain HTTP to the
//! emulator.

use frontegg_identity_core::{Error, TransportErrorKind};
use frontegg_identity_emulator::{Emulator, EmulatorConfig};
use frontegg_identity_scenarios::net::{H2Server, RefusingH2Server, TestPki, TestProxy, TlsServer};
use frontegg_identity_scenarios::raw_server::Behavior;
use frontegg_identity_scenarios::{Backend, Op, Outcome, phone, user};

fn tls_server(pki: &TestPki) -> TlsServer {
    let Behavior::Raw(answer) = Behavior::json("[]") else {
        unreachable!("json() makes raw bytes")
    };
    TlsServer::start(pki, answer)
}

/// A list-mine on a new server of `pki`, trusting `ca` besides the platform.
async fn list_mine(backend: Backend, pki: &TestPki, ca: &str) -> (TlsServer, Result<Outcome, Error>) {
    let server = tls_server(pki);
    let client = backend.build(user(server.base_url()).add_root_certificate(ca.to_owned()));
    let outcome = client.run(Op::ListMine).await;
    (server, outcome)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_ca_is_a_certificate_error_and_is_not_retried() {
    let pki = TestPki::new();
    for backend in Backend::ALL {
        let server = tls_server(&pki);
        let client = backend.build(user(server.base_url()));
        let error = client
            .run(Op::ListMine)
            .await
            .expect_err("an untrusted certificate");
        assert!(error.is_certificate(), "{backend:?}: {error:?}");
        assert!(
            !error.may_have_been_sent() && !error.is_retryable(),
            "{backend:?}: {error}"
        );
        assert!(
            matches!(&error, Error::Transport(e) if e.kind == TransportErrorKind::Certificate),
            "{backend:?}"
        );
        assert!(error.to_string().contains("certificate"), "{backend:?}: {error}");
        assert_eq!(server.connections(), 1, "{backend:?}: one handshake, no retry");
        assert_eq!(server.requests(), 0, "{backend:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_added_ca_is_trusted() {
    let pki = TestPki::new();
    for backend in Backend::ALL {
        let (server, outcome) = list_mine(backend, &pki, &pki.ca_pem).await;
        assert!(
            outcome.expect("a trusted server").records().is_empty(),
            "{backend:?}"
        );
        assert_eq!(server.requests(), 1, "{backend:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn another_ca_does_not_make_the_server_trusted() {
    let (pki, other) = (TestPki::new(), TestPki::new());
    for backend in Backend::ALL {
        let (_, outcome) = list_mine(backend, &pki, &other.ca_pem).await;
        let error = outcome.expect_err("a certificate of another CA");
        assert!(error.is_certificate(), "{backend:?}: {error:?}");
    }
}

/// The async clients speak HTTP/2 with a server that offers it (ALPN); the
/// blocking one, which offers only HTTP/1.1, gets HTTP/1.1 from it.
#[tokio::test(flavor = "multi_thread")]
async fn http2_where_the_server_offers_it() {
    let pki = TestPki::new();
    let server = H2Server::start(&pki, "[]").await;
    let mut expected = Vec::new();
    for backend in Backend::ALL {
        let client = backend.build(user(server.base_url()).add_root_certificate(pki.ca_pem.clone()));
        let records = client.run(Op::ListMine).await.expect("over TLS").records();
        assert!(records.is_empty(), "{backend:?}");
        expected.push(match backend {
            Backend::Reqwest | Backend::Hyper => http::Version::HTTP_2,
            Backend::Ureq => http::Version::HTTP_11,
        });
    }
    assert_eq!(server.versions(), expected);
}

/// A POST an HTTP/2 server refused unprocessed (`REFUSED_STREAM`) did not
/// send its SMS: the async clients send it again, and the call succeeds.
#[tokio::test(flavor = "multi_thread")]
async fn a_post_refused_unprocessed_over_http2_is_sent_again() {
    let pki = TestPki::new();
    for backend in [Backend::Reqwest, Backend::Hyper] {
        let server = RefusingH2Server::start(&pki, 1, r#"{"otcToken":"otc-1"}"#).await;
        let client = backend.build(user(server.base_url()).add_root_certificate(pki.ca_pem.clone()));
        let otc = client
            .run(Op::Preverify(phone()))
            .await
            .unwrap_or_else(|e| panic!("{backend:?}: {e:?}"))
            .otc();
        assert!(otc.is_some(), "{backend:?}");
        assert_eq!(server.requests(), 2, "{backend:?}: refused once, then answered");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn https_goes_through_a_connect_proxy() {
    let pki = TestPki::new();
    for backend in Backend::ALL {
        let server = tls_server(&pki);
        let proxy = TestProxy::start();
        let builder = user(server.base_url())
            .add_root_certificate(pki.ca_pem.clone())
            .proxy(proxy.url());
        let client = backend.build(builder);
        client.run(Op::ListMine).await.expect("through the proxy");
        let authority = server.base_url().trim_start_matches("https://");
        assert_eq!(
            proxy.seen(),
            [format!("CONNECT {authority} HTTP/1.1")],
            "{backend:?}"
        );
        assert_eq!(server.requests(), 1, "{backend:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_goes_through_a_proxy_to_the_emulator() {
    let emulator = Emulator::spawn(EmulatorConfig::default()).expect("emulator");
    let token = emulator.mint_user_token("proxied-user", None);
    let authority = emulator.base_url().trim_start_matches("http://").to_owned();
    for backend in Backend::ALL {
        let proxy = TestProxy::start();
        let builder = user(emulator.base_url())
            .user_token(frontegg_identity_core::AccessToken::new(token.clone()).unwrap())
            .proxy(proxy.url());
        let client = backend.build(builder);
        client.run(Op::ListMine).await.expect("through the proxy");
        let seen = proxy.seen();
        assert_eq!(seen.len(), 1, "{backend:?}: {seen:?}");
        // reqwest and hyper forward plain HTTP in absolute form; ureq tunnels it.
        let line = &seen[0];
        match backend {
            Backend::Reqwest | Backend::Hyper => assert!(
                line.starts_with(&format!("GET http://{authority}/identity/")),
                "{backend:?}: {line}"
            ),
            Backend::Ureq => assert_eq!(line, &format!("CONNECT {authority} HTTP/1.1")),
        }
    }
}

/// A proxy URL's credentials reach the proxy as `Proxy-Authorization`,
/// on the tunnel of an `https://` call and on each plain HTTP request,
/// whether the URL percent-encodes them or not (the builder accepts both).
#[tokio::test(flavor = "multi_thread")]
async fn proxy_credentials_reach_the_proxy() {
    let pki = TestPki::new();
    let emulator = Emulator::spawn(EmulatorConfig::default()).expect("emulator");
    let token = emulator.mint_user_token("proxied-user", None);
    // As written in the URL, and the header: Basic base64("user:pa ss"), base64("user:p@ss").
    let cases = [
        ("user:pa%20ss", "Basic dXNlcjpwYSBzcw=="),
        ("user:pa ss", "Basic dXNlcjpwYSBzcw=="),
        ("user:p@ss", "Basic dXNlcjpwQHNz"),
    ];
    for (backend, (credentials, expected)) in Backend::ALL
        .into_iter()
        .flat_map(|backend| cases.map(|case| (backend, case)))
    {
        let expected = Some(expected.to_owned());
        let server = tls_server(&pki);
        let proxy = TestProxy::start();
        let with_credentials = proxy.url().replace("http://", &format!("http://{credentials}@"));
        let tls = user(server.base_url())
            .add_root_certificate(pki.ca_pem.clone())
            .proxy(&with_credentials);
        let plain = user(emulator.base_url())
            .user_token(frontegg_identity_core::AccessToken::new(token.clone()).unwrap())
            .proxy(&with_credentials);
        for builder in [tls, plain] {
            let client = backend.build(builder);
            let shown = format!("{client:?}");
            assert!(
                shown.contains("[redacted]@") && !shown.contains("user:"),
                "{backend:?}: {shown}"
            );
            client
                .run(Op::ListMine)
                .await
                .unwrap_or_else(|e| panic!("{backend:?} {credentials}: {e}"));
        }
        let authorizations = proxy.authorizations();
        assert_eq!(authorizations.len(), 2, "{backend:?}: {:?}", proxy.seen());
        assert!(
            authorizations.iter().all(|a| *a == expected),
            "{backend:?} {credentials}: {authorizations:?}"
        );
    }
}

#[test]
fn bad_proxies_and_certificates_are_refused_before_anything_is_sent() {
    let server = "https://127.0.0.1:9";
    let cases = [
        user(server).proxy("not a url"),
        user(server).proxy("socks5://127.0.0.1:1080"),
        user(server).proxy("ftp://127.0.0.1:21"),
        user(server).proxy("http://127.0.0.1:3128/path"),
        user(server).add_root_certificate("not PEM"),
        user(server)
            .add_root_certificate("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n"),
    ];
    for builder in cases {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let _guard = rt.enter();
        for backend in Backend::ALL {
            let e = backend.try_build(builder.clone()).expect_err("refused");
            assert!(matches!(e, Error::Configuration(_)), "{backend:?}: {e:?}");
        }
    }
    for backend in Backend::ALL {
        let e = backend
            .try_build(user(server).proxy("http://user:hunter2@127.0.0.1:3128/x"))
            .expect_err("refused");
        assert!(!e.to_string().contains("hunter2"), "{backend:?}: {e}");
        assert!(!format!("{e:?}").contains("hunter2"), "{backend:?}: {e:?}");
    }
}

/// Set in the child process of [`ssl_cert_file_is_the_platform_trust`].
const CHILD_URL: &str = "FRONTEGG_IDENTITY_TEST_TLS_URL";

/// The platform verifier honours `SSL_CERT_FILE`: this test process runs
/// itself again with it naming the test CA (the environment can only be
/// set for a new process), and there every client, with no CA added, trust
/// the server.
#[test]
fn ssl_cert_file_is_the_platform_trust() {
    let pki = TestPki::new();
    let server = tls_server(&pki);
    let dir = std::env::temp_dir().join(format!("frontegg-identity-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, &pki.ca_pem).unwrap();
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "trusted_through_ssl_cert_file", "--test-threads=1"])
        .env("SSL_CERT_FILE", &ca_file)
        .env_remove("SSL_CERT_DIR")
        .env(CHILD_URL, server.base_url())
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        child.status.success(),
        "the child run failed:\n{}{}",
        String::from_utf8_lossy(&child.stdout),
        String::from_utf8_lossy(&child.stderr)
    );
    assert_eq!(server.requests(), Backend::ALL.len(), "one call per client");
}

/// The child half of [`ssl_cert_file_is_the_platform_trust`]; passes at
/// once when run on its own.
#[tokio::test(flavor = "multi_thread")]
async fn trusted_through_ssl_cert_file() {
    let Ok(url) = std::env::var(CHILD_URL) else {
        return;
    };
    for backend in Backend::ALL {
        let client = backend.build(user(&url));
        client
            .run(Op::ListMine)
            .await
            .expect("trusted through SSL_CERT_FILE");
    }
}

/// Set in the child process of [`the_environment_s_proxy_is_used`]: the CA to add.
const CHILD_CA: &str = "FRONTEGG_IDENTITY_TEST_CA";

/// With `proxy_from_env`, `HTTPS_PROXY` carries `https://` calls: this test
/// process runs itself again with it set (see above), and there every
/// client's call reaches the server through the proxy's tunnel.
#[test]
fn the_environment_s_proxy_is_used() {
    let pki = TestPki::new();
    let server = tls_server(&pki);
    let proxy = TestProxy::start();
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "through_the_environment_s_proxy", "--test-threads=1"])
        .env("HTTPS_PROXY", proxy.url())
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env_remove("https_proxy")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env(CHILD_URL, server.base_url())
        .env(CHILD_CA, &pki.ca_pem)
        .output()
        .unwrap();
    assert!(
        child.status.success(),
        "the child run failed:\n{}{}",
        String::from_utf8_lossy(&child.stdout),
        String::from_utf8_lossy(&child.stderr)
    );
    let authority = server.base_url().trim_start_matches("https://");
    assert_eq!(
        proxy.seen(),
        vec![format!("CONNECT {authority} HTTP/1.1"); Backend::ALL.len()]
    );
    assert_eq!(server.requests(), Backend::ALL.len(), "one call per client");
}

/// The child half of [`the_environment_s_proxy_is_used`]; passes at once
/// when run on its own.
#[tokio::test(flavor = "multi_thread")]
async fn through_the_environment_s_proxy() {
    let (Ok(url), Ok(ca)) = (std::env::var(CHILD_URL), std::env::var(CHILD_CA)) else {
        return;
    };
    for backend in Backend::ALL {
        let builder = user(&url).proxy_from_env(true).add_root_certificate(ca.clone());
        let client = backend.build(builder);
        client
            .run(Op::ListMine)
            .await
            .expect("through the environment's proxy");
    }
}
