//! Helpers for the scenarios in `tests/`: one list of scenarios, each run
//! against both real transports (async reqwest and blocking ureq) over
//! loopback HTTP.
//!
//! A scenario builds a client with [`Backend::build`] and runs calls as
//! [`Op`] values through [`AnyClient::run`], which sends them through the
//! async client, or through the blocking client on a `spawn_blocking`
//! thread (the mock servers need a tokio runtime to keep answering).

pub mod net;
pub mod raw_server;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use frontegg_identity_core::{
    AccessToken, ClientBuilder, Error, ListQuery, OtcToken, Page, PendingDeletion, PhoneNumber,
    PhoneNumberId, PhoneNumberRecord, RetryPolicy, TenantId, UserId, VendorSecret, VerificationCode,
};
use frontegg_identity_reqwest::{ReqwestBuild, ReqwestClient};
use frontegg_identity_ureq::{UreqBuild, UreqClient};

/// The user token the scenarios send.
pub const USER_TOKEN: &str = "user-token-1";
/// The vendor client id.
pub const CLIENT_ID: &str = "client-1";
/// The vendor secret.
pub const VENDOR_SECRET: &str = "vendor-secret-1";
/// The tenant sent with vendor tokens.
pub const TENANT: &str = "tenant-1";
/// The identity routes' prefix.
pub const PHONES: &str = "/identity/resources/users/phone-numbers";

/// Which real transport a scenario runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The async client over reqwest.
    Reqwest,
    /// The blocking client over ureq.
    Ureq,
}

impl Backend {
    /// Builds a client of this kind with the transport crate's one-line builder.
    #[must_use]
    pub fn build(self, builder: ClientBuilder) -> AnyClient {
        match self {
            Self::Reqwest => AnyClient::Async(ReqwestBuild::build(builder).expect("a reqwest client")),
            Self::Ureq => AnyClient::Blocking(UreqBuild::build(builder).expect("a ureq client")),
        }
    }
}

/// A client of either kind.
#[derive(Debug, Clone)]
pub enum AnyClient {
    /// Async, over reqwest.
    Async(ReqwestClient),
    /// Blocking, over ureq.
    Blocking(UreqClient),
}

/// One call of the API, owning its arguments.
#[derive(Debug, Clone)]
pub enum Op {
    /// Route 1.
    Assign(PhoneNumber, bool),
    /// Route 2.
    Preverify(PhoneNumber),
    /// Route 3.
    Verify(OtcToken, VerificationCode),
    /// Route 4.
    ListMine,
    /// Route 5.
    StartDelete(PhoneNumberId),
    /// Route 6.
    ConfirmDelete(PhoneNumberId, OtcToken, VerificationCode),
    /// Route 7.
    List(ListQuery),
    /// Route 9.
    VendorAdd(UserId, PhoneNumber),
    /// Route 10.
    VendorDelete(UserId, PhoneNumberId),
}

/// What a call returned.
#[derive(Debug)]
pub enum Outcome {
    /// Assign.
    MaybeOtc(Option<OtcToken>),
    /// Preverify.
    Otc(OtcToken),
    /// Verify, confirm delete, vendor add and delete.
    Unit,
    /// List mine.
    Records(Vec<PhoneNumberRecord>),
    /// List.
    Page(Page<PhoneNumberRecord>),
    /// Start delete.
    Pending(PendingDeletion),
}

impl Outcome {
    /// The token of an assign or preverify.
    #[must_use]
    pub fn otc(self) -> Option<OtcToken> {
        match self {
            Self::MaybeOtc(otc) => otc,
            Self::Otc(otc) => Some(otc),
            Self::Pending(p) => Some(p.otc_token),
            other => panic!("no token in {other:?}"),
        }
    }

    /// The records of a list-mine.
    #[must_use]
    pub fn records(self) -> Vec<PhoneNumberRecord> {
        match self {
            Self::Records(r) => r,
            other => panic!("no records in {other:?}"),
        }
    }

    /// The page of a list.
    #[must_use]
    pub fn page(self) -> Page<PhoneNumberRecord> {
        match self {
            Self::Page(p) => p,
            other => panic!("no page in {other:?}"),
        }
    }

    /// The pending deletion of a start-delete.
    #[must_use]
    pub fn pending(self) -> PendingDeletion {
        match self {
            Self::Pending(p) => p,
            other => panic!("no pending deletion in {other:?}"),
        }
    }
}

impl AnyClient {
    /// Runs `op` on this client (the blocking one on a blocking thread).
    pub async fn run(&self, op: Op) -> Result<Outcome, Error> {
        match self {
            Self::Async(client) => run_async(client, op).await,
            Self::Blocking(client) => {
                let client = client.clone();
                tokio::task::spawn_blocking(move || run_blocking(&client, op))
                    .await
                    .expect("the blocking call panicked")
            }
        }
    }
}

async fn run_async(client: &ReqwestClient, op: Op) -> Result<Outcome, Error> {
    let p = client.phone_numbers();
    Ok(match op {
        Op::Assign(n, verify) => Outcome::MaybeOtc(p.assign(&n, verify).await?),
        Op::Preverify(n) => Outcome::Otc(p.preverify(&n).await?),
        Op::Verify(otc, code) => p.verify(&otc, &code).await.map(|()| Outcome::Unit)?,
        Op::ListMine => Outcome::Records(p.list_mine().await?),
        Op::StartDelete(id) => Outcome::Pending(p.start_delete(&id).await?),
        Op::ConfirmDelete(id, otc, code) => {
            p.confirm_delete(&id, &otc, &code).await.map(|()| Outcome::Unit)?
        }
        Op::List(q) => Outcome::Page(p.list(&q).await?),
        Op::VendorAdd(u, n) => p.vendor_add(&u, &n).await.map(|()| Outcome::Unit)?,
        Op::VendorDelete(u, id) => p.vendor_delete(&u, &id).await.map(|()| Outcome::Unit)?,
    })
}

fn run_blocking(client: &UreqClient, op: Op) -> Result<Outcome, Error> {
    let p = client.phone_numbers();
    Ok(match op {
        Op::Assign(n, verify) => Outcome::MaybeOtc(p.assign(&n, verify)?),
        Op::Preverify(n) => Outcome::Otc(p.preverify(&n)?),
        Op::Verify(otc, code) => p.verify(&otc, &code).map(|()| Outcome::Unit)?,
        Op::ListMine => Outcome::Records(p.list_mine()?),
        Op::StartDelete(id) => Outcome::Pending(p.start_delete(&id)?),
        Op::ConfirmDelete(id, otc, code) => p.confirm_delete(&id, &otc, &code).map(|()| Outcome::Unit)?,
        Op::List(q) => Outcome::Page(p.list(&q)?),
        Op::VendorAdd(u, n) => p.vendor_add(&u, &n).map(|()| Outcome::Unit)?,
        Op::VendorDelete(u, id) => p.vendor_delete(&u, &id).map(|()| Outcome::Unit)?,
    })
}

/// Retries with millisecond backoffs, so that retried scenarios stay fast.
#[must_use]
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(10))
}

/// A builder aimed at `base_url` with short timeouts, no proxy and fast retries.
#[must_use]
pub fn base(base_url: &str) -> ClientBuilder {
    ClientBuilder::new()
        .base_url(base_url)
        .proxy_from_env(false)
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .retry_policy(fast_retries())
}

/// A user-token client builder.
#[must_use]
pub fn user(base_url: &str) -> ClientBuilder {
    base(base_url).user_token(AccessToken::new(USER_TOKEN).expect("a token"))
}

/// A vendor client builder with a tenant.
#[must_use]
pub fn vendor(base_url: &str) -> ClientBuilder {
    base(base_url)
        .vendor_credentials(CLIENT_ID, VendorSecret::new(VENDOR_SECRET).expect("a secret"))
        .tenant_id(TenantId::new(TENANT).expect("a tenant"))
}

/// The phone number the scenarios use.
#[must_use]
pub fn phone() -> PhoneNumber {
    PhoneNumber::parse("+1 415 555 0100").expect("a phone number")
}

/// A base URL on which nothing listens (a port just released).
#[must_use]
pub fn refused_base_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("an address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// A raw HTTP/1.1 server that answers every request with a 200 whose
/// `body_len`-byte body is sent chunked, with no `Content-Length`.
/// Returns its base URL; its thread lives as long as the test process.
#[must_use]
pub fn chunked_server(body_len: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                // Read the request head (the scenarios send bodiless GETs).
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match stream.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                      transfer-encoding: chunked\r\nconnection: close\r\n\r\n",
                );
                let chunk = vec![b' '; 512];
                let mut sent = 0;
                while sent < body_len {
                    let n = chunk.len().min(body_len - sent);
                    if stream.write_all(format!("{n:x}\r\n").as_bytes()).is_err()
                        || stream.write_all(&chunk[..n]).is_err()
                        || stream.write_all(b"\r\n").is_err()
                    {
                        return;
                    }
                    sent += n;
                }
                let _ = stream.write_all(b"0\r\n\r\n");
            });
        }
    });
    url
}
