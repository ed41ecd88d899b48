#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
//! The fault matrix: one table of misbehaving-server cases, run against
//! every Rust client (async reqwest, async hyper, blocking ureq).
//!
//! The server is the emulator where its fault scripting can say it (status
//! faults per route, 429 headers, vendor 401, dropped connections), and the
//! raw server of `frontegg_identity_scenarios::raw_server` where it cannot
//! (no answer, reset, truncated, oversized or trickling bodies, raw bytes,
//! redirects). For every case and every call of the case, the matrix checks:
//! the typed error (or the success after a permitted retry), that the call
//! returned within `attempts x timeout + told waits + margin`, how many
//! requests the server saw, and that an SMS-sending or code-consuming
//! request was processed at most once per call.
//!
//! Adding a case is adding a row to [`cases`]. Run with `--nocapture` to see
//! the matrix with the time each call took.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use frontegg_identity_core::{
    AccessToken, ClientBuilder, Error, ListQuery, OtcToken, PhoneNumber, PhoneNumberId, RetryPolicy,
    TenantId, TransportErrorKind, UserId, VendorSecret, VerificationCode,
};
use frontegg_identity_emulator::{Emulator, EmulatorConfig, FaultSpec, Route as EmuRoute};
use frontegg_identity_scenarios::raw_server::{Behavior, RawServer, SeenRequest};
use frontegg_identity_scenarios::{
    AnyClient, Backend, CLIENT_ID, Op, Outcome, PHONES, TENANT, USER_TOKEN, VENDOR_SECRET, refused_base_url,
};

/// The time allowed for one attempt.
const TIMEOUT: Duration = Duration::from_millis(500);
/// The time allowed to connect.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(300);
/// The largest answer body the clients read.
const BODY_LIMIT: usize = 64 * 1024;
/// The longest backoff between attempts.
const MAX_BACKOFF: Duration = Duration::from_millis(20);
/// Scheduling slack on a loaded machine, on top of the computed bound.
const MARGIN: Duration = Duration::from_millis(600);
/// The user the emulator cases act as.
const USER: &str = "matrix-user";

// ------------------------------------------------------------------ the table

/// One call of the API, as a row names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    /// Adds a number to the signed-in user; may send an SMS.
    Assign,
    /// Sends a code to a number.
    Preverify,
    /// Consumes a code.
    Verify,
    /// Reads the signed-in user's numbers.
    ListMine,
    /// Sends a code to delete a number.
    StartDelete,
    /// Consumes a code, deleting the number.
    ConfirmDelete,
    /// Reads the environment's numbers (vendor).
    List,
    /// Adds a number to a user (vendor).
    VendorAdd,
    /// Removes a user's number (vendor).
    VendorDelete,
}

use Call::{Assign, ConfirmDelete, List, ListMine, Preverify, StartDelete, VendorAdd, VendorDelete, Verify};

/// The calls a user makes with a token of their own.
const USER_CALLS: &[Call] = &[Assign, Preverify, Verify, ListMine, StartDelete, ConfirmDelete];
/// The calls made with vendor credentials.
const VENDOR_CALLS: &[Call] = &[List, VendorAdd, VendorDelete];
/// Every call: the user's, then the vendor's.
const ALL_CALLS: &[Call] = &{
    let mut all = [Assign; USER_CALLS.len() + VENDOR_CALLS.len()];
    let mut i = 0;
    while i < all.len() {
        all[i] = if i < USER_CALLS.len() {
            USER_CALLS[i]
        } else {
            VENDOR_CALLS[i - USER_CALLS.len()]
        };
        i += 1;
    }
    all
};
/// A read, an SMS route and a code route: the three retry classes.
const THREE: &[Call] = &[ListMine, Preverify, Verify];
/// The routes that send an SMS or consume a code, and the two reads.
const SAMPLE: &[Call] = &[ListMine, List, Preverify, Verify, ConfirmDelete, StartDelete];

/// The server a case runs against.
#[derive(Debug, Clone)]
enum Server {
    /// Nothing listens.
    Refused,
    /// The raw server, with this behaviour for every request but vendor auth.
    Raw(Behavior),
    /// The raw server answers this redirect status to a decoy server on another host.
    Redirect(u16),
    /// The emulator, with this fault scripted just before the call.
    Emu(Fault),
}

/// An emulator fault, made concrete (dates relative to now) just before the call.
#[derive(Debug, Clone)]
enum Fault {
    /// This status, `times` times, on the call's route (or on `on`).
    Status {
        status: u16,
        times: u32,
        on: Option<EmuRoute>,
    },
    /// 429 with `X-Rate-Limit-Reset` this many milliseconds from now (negative: past).
    ResetIn(i64),
    /// 429 with this `X-Rate-Limit-Reset`.
    Reset(&'static str),
    /// 429 with this `Retry-After`.
    RetryAfter(&'static str),
    /// 429 with `Retry-After` as an HTTP-date this many seconds from now.
    RetryAfterDateIn(u64),
    /// Closes the connection before processing.
    DropBefore,
    /// Processes the request, then closes the connection without answering.
    DropAfter,
}

/// What a call must return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// Success (possibly after a permitted retry).
    Ok,
    /// `Error::Api` with this status.
    Api(u16),
    /// `Error::Api` with this status and a body excerpt containing this text.
    ApiBody(u16, &'static str),
    /// `Error::RateLimited`, with `retry_after()` at least this (or `None`).
    RateLimited(Option<Duration>),
    /// `Error::Transport` of this kind, with this `may_have_been_sent`.
    Transport(TransportErrorKind, bool),
    /// `Error::Decode`.
    Decode,
}

/// The expected result of one call, and what the server saw.
#[derive(Debug, Clone, Copy)]
struct Expect {
    want: Want,
    /// Attempts the client makes (for the time bound).
    attempts: u32,
    /// Requests the server counts on the call's route.
    requests: usize,
}

const fn expect(want: Want, attempts: u32, requests: usize) -> Expect {
    Expect {
        want,
        attempts,
        requests,
    }
}

/// One row of the matrix.
#[derive(Debug, Clone)]
struct Case {
    name: String,
    server: Server,
    calls: &'static [Call],
    /// For calls that send an SMS, consume a code or change state.
    write: Expect,
    /// For the idempotent reads (`list_mine`, `list`).
    read: Expect,
    /// What the server tells the client to wait, in all (added to the bound).
    told_wait: Duration,
    /// The least time the call must take (a told wait is honoured).
    min_elapsed: Duration,
    /// Vendor authentications expected per vendor call, when checked.
    vendor_auths: Option<usize>,
}

impl Case {
    fn new(name: impl Into<String>, server: Server, calls: &'static [Call], both: Expect) -> Self {
        Self {
            name: name.into(),
            server,
            calls,
            write: both,
            read: both,
            told_wait: Duration::ZERO,
            min_elapsed: Duration::ZERO,
            vendor_auths: None,
        }
    }

    fn reads(mut self, read: Expect) -> Self {
        self.read = read;
        self
    }

    fn waits(mut self, told: Duration, at_least: Duration) -> Self {
        self.told_wait = told;
        self.min_elapsed = at_least;
        self
    }

    fn vendor_auths(mut self, n: usize) -> Self {
        self.vendor_auths = Some(n);
        self
    }
}

fn status_fault(status: u16, times: u32) -> Server {
    Server::Emu(Fault::Status {
        status,
        times,
        on: None,
    })
}

/// `status` once on vendor authentication, whatever the call.
fn vendor_auth_fault(status: u16) -> Server {
    Server::Emu(Fault::Status {
        status,
        times: 1,
        on: Some(EmuRoute::VendorAuth),
    })
}

/// The raw server answers 200 with this content type and body.
fn ok_with(content_type: &str, body: &[u8]) -> Server {
    Server::Raw(Behavior::respond(
        "200 OK",
        &[("content-type", content_type)],
        body,
    ))
}

fn html_page(status: &str) -> Behavior {
    Behavior::respond(
        status,
        &[("content-type", "text/html")],
        b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>",
    )
}

/// Tried once, seen once.
const fn once(want: Want) -> Expect {
    expect(want, 1, 1)
}

/// Tried three times, seen three times.
const fn thrice(want: Want) -> Expect {
    expect(want, 3, 3)
}

/// A success after one retry.
const RETRIED_OK: Expect = expect(Want::Ok, 2, 2);

/// What the client does about a 429, as a case's name ends.
enum After429 {
    /// Waits what it was told (at least the second duration), then succeeds.
    Waits(Duration, Duration),
    /// Ignores the header, backs off as usual, then succeeds.
    Backoff,
    /// Returns `RateLimited` at once.
    Refuses,
}

/// A 429 with `fault`'s headers (`what`), on every call of `calls`.
fn rate_limit(what: &str, fault: Fault, calls: &'static [Call], after: After429) -> Case {
    let server = Server::Emu(fault);
    let day = Some(Duration::from_secs(86_400));
    match after {
        After429::Waits(told, at_least) => Case::new(
            format!("429, {what}: waited for, then success"),
            server,
            calls,
            RETRIED_OK,
        )
        .waits(told, at_least),
        After429::Backoff => Case::new(
            format!("429, {what}: backoff, then success"),
            server,
            calls,
            RETRIED_OK,
        ),
        After429::Refuses => Case::new(
            format!("429, {what}, RateLimited at once"),
            server,
            calls,
            once(Want::RateLimited(day)),
        ),
    }
}

/// The request was sent, then the transport failed with `kind`: a write is
/// tried once, a read three times.
fn sent_then_failed(name: &str, behavior: Behavior, kind: TransportErrorKind) -> Case {
    let want = Want::Transport(kind, true);
    Case::new(name, Server::Raw(behavior), THREE, once(want)).reads(thrice(want))
}

/// The emulator closes the connection (`fault`): a write is not repeated, a
/// read is retried.
fn dropped(name: &str, fault: Fault) -> Case {
    let want = Want::Transport(TransportErrorKind::Io, true);
    Case::new(name, Server::Emu(fault), SAMPLE, once(want)).reads(RETRIED_OK)
}

/// A case on the three vendor calls, with `auths` vendor authentications per call.
fn on_vendor_calls(name: &str, server: Server, want: Expect, auths: usize) -> Case {
    Case::new(name, server, VENDOR_CALLS, want).vendor_auths(auths)
}

/// The 429 rows: what the headers say, and what the client does about it.
#[rustfmt::skip]
fn rate_limit_cases() -> [Case; 9] {
    use After429::{Backoff, Refuses, Waits};
    let (ms, secs) = (Duration::from_millis, Duration::from_secs);
    [
        rate_limit("X-Rate-Limit-Reset 300 ms ahead", Fault::ResetIn(300), SAMPLE, Waits(ms(300), ms(200))),
        rate_limit("X-Rate-Limit-Reset in the past", Fault::ResetIn(-5_000), SAMPLE, Backoff),
        rate_limit("X-Rate-Limit-Reset unparseable", Fault::Reset("next tuesday"), SAMPLE, Backoff),
        rate_limit("X-Rate-Limit-Reset in 2100: not waited", Fault::Reset("2100-01-01T00:00:00Z"), SAMPLE, Refuses),
        rate_limit("Retry-After 1 (seconds)", Fault::RetryAfter("1"), &[Preverify], Waits(secs(1), ms(950))),
        rate_limit("Retry-After as an HTTP-date 2 s ahead", Fault::RetryAfterDateIn(2), &[Verify], Waits(secs(2), ms(950))),
        rate_limit("Retry-After negative", Fault::RetryAfter("-5"), SAMPLE, Backoff),
        rate_limit("Retry-After enormous (86400): capped", Fault::RetryAfter("86400"), SAMPLE, Refuses),
        rate_limit("Retry-After beyond u64: an endless wait", Fault::RetryAfter("99999999999999999999999"), &[Preverify, ListMine], Refuses),
    ]
}

/// The matrix. Each row: name, server behaviour, calls, expectation.
fn cases() -> Vec<Case> {
    use TransportErrorKind::{BodyTooLarge, Connect, Io, Timeout};
    use Want::{Api, ApiBody, Decode, Ok, RateLimited, Transport};
    let mut rows = vec![
        // Transport failures.
        Case::new(
            "connection refused (retried: nothing was sent)",
            Server::Refused,
            ALL_CALLS,
            expect(Transport(Connect, false), 3, 0),
        ),
        sent_then_failed(
            "accepts, never answers (read timeout)",
            Behavior::NeverAnswer,
            Timeout,
        ),
        sent_then_failed("reset after the request was read", Behavior::Reset, Io),
        sent_then_failed(
            "truncated body (Content-Length larger than sent)",
            Behavior::Truncated {
                declared: 100,
                body: br#"[{"id":"p1","phoneNu"#.to_vec(),
            },
            Io,
        ),
        Case::new(
            "declared body over the size limit",
            ok_with("application/json", &vec![b' '; BODY_LIMIT * 2]),
            THREE,
            once(Transport(BodyTooLarge, true)),
        ),
        Case::new(
            "undeclared body over the size limit (read to close)",
            Server::Raw(Behavior::Raw(
                [
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n"
                        .to_vec(),
                    vec![b' '; BODY_LIMIT * 2],
                ]
                .concat(),
            )),
            THREE,
            once(Transport(BodyTooLarge, true)),
        ),
        sent_then_failed(
            "body trickling slower than the total timeout",
            Behavior::Trickle {
                len: 200,
                every: Duration::from_millis(50),
            },
            Timeout,
        ),
        // Odd answers.
        Case::new(
            "502 with an HTML page",
            Server::Raw(html_page("502 Bad Gateway")),
            SAMPLE,
            once(ApiBody(502, "<html>")),
        )
        .reads(thrice(ApiBody(502, "<html>"))),
        Case::new(
            "200 with invalid UTF-8",
            ok_with("application/json", b"\xff\xfe\xfd{\"otcToken\":\"\xc3\x28\"}"),
            &[ListMine, Preverify, List, StartDelete],
            once(Decode),
        ),
        Case::new(
            "200 with an HTML page (wrong content type)",
            Server::Raw(html_page("200 OK")),
            &[ListMine, Preverify, List, StartDelete],
            once(Decode),
        ),
        Case::new(
            "200 JSON array labelled text/plain (content type is not trusted, body is)",
            ok_with("text/plain", b"[]"),
            &[ListMine],
            once(Ok),
        ),
        Case::new(
            "200 JSON object labelled text/html",
            ok_with("text/html", br#"{"otcToken":"otc-raw","phoneId":"p"}"#),
            &[Preverify, StartDelete],
            once(Ok),
        ),
        Case::new(
            "302 to another host is not followed",
            Server::Redirect(302),
            &[ListMine, Preverify, Verify, List],
            once(Api(302)),
        ),
        Case::new(
            "307 to another host is not followed",
            Server::Redirect(307),
            &[Preverify, ConfirmDelete, VendorAdd],
            once(Api(307)),
        ),
        // Authentication.
        on_vendor_calls(
            "401 on a vendor route: re-authenticate once, then succeed",
            status_fault(401, 1),
            RETRIED_OK,
            2,
        ),
        on_vendor_calls(
            "401 twice on a vendor route: re-authenticate once, then fail",
            status_fault(401, 2),
            expect(Api(401), 2, 2),
            2,
        ),
        Case::new(
            "401 on a user route: no retry",
            status_fault(401, 1),
            &[ListMine, Preverify, Verify],
            once(Api(401)),
        ),
        on_vendor_calls(
            "503 on vendor auth: retried, then the call succeeds",
            vendor_auth_fault(503),
            once(Ok),
            2,
        ),
        on_vendor_calls(
            "500 on vendor auth: the call fails, nothing sent",
            vendor_auth_fault(500),
            expect(Api(500), 1, 0),
            1,
        ),
    ];
    // Rate limits: 429 was not processed, every route may be retried.
    rows.extend(rate_limit_cases());
    rows.extend([
        Case::new(
            "429 without headers on every attempt: RateLimited after 3",
            status_fault(429, 3),
            SAMPLE,
            thrice(RateLimited(None)),
        ),
        // Dropped connections.
        dropped("dropped before processing", Fault::DropBefore),
        dropped(
            "processed, then dropped: the SMS or code is not repeated",
            Fault::DropAfter,
        ),
        Case::new(
            "503 three times on a read: reported after 3 attempts",
            status_fault(503, 3),
            &[ListMine, List],
            thrice(Api(503)),
        ),
    ]);
    // 500, 503 and 504 on each route: a read retries a gateway error (not a
    // 500); nothing else is ever repeated.
    for status in [500, 503, 504] {
        let case = Case::new(
            format!("{status} on each route"),
            status_fault(status, 1),
            ALL_CALLS,
            once(Api(status)),
        );
        rows.push(if status == 500 {
            case
        } else {
            case.reads(RETRIED_OK)
        });
    }
    rows
}

// ------------------------------------------------------------------ calls

impl Call {
    fn is_read(self) -> bool {
        matches!(self, ListMine | List)
    }

    fn is_vendor(self) -> bool {
        VENDOR_CALLS.contains(&self)
    }

    /// Sends an SMS or consumes a code: processed at most once per call.
    fn at_most_once(self) -> bool {
        matches!(self, Assign | Preverify | StartDelete | Verify | ConfirmDelete)
    }

    fn emu_route(self) -> EmuRoute {
        match self {
            Assign => EmuRoute::Assign,
            Preverify => EmuRoute::Preverify,
            Verify => EmuRoute::Verify,
            ListMine => EmuRoute::ListMine,
            StartDelete => EmuRoute::StartDelete,
            ConfirmDelete => EmuRoute::ConfirmDelete,
            List => EmuRoute::List,
            VendorAdd => EmuRoute::VendorAdd,
            VendorDelete => EmuRoute::VendorDelete,
        }
    }

    /// The path the raw server sees, for the ids of `args`.
    fn path(self, args: &Args) -> String {
        let id = encode(args.phone_id.as_str());
        let user = encode(args.user_id.as_str());
        match self {
            Assign => format!("{PHONES}/v1"),
            Preverify => format!("{PHONES}/v1/preverify"),
            Verify => format!("{PHONES}/v1/verify"),
            ListMine => format!("{PHONES}/v1/me"),
            StartDelete => format!("{PHONES}/v1/{id}"),
            ConfirmDelete => format!("{PHONES}/v1/{id}/delete/verify"),
            List => format!("{PHONES}/v2"),
            VendorAdd => format!("{PHONES}/v1/vendor/{user}"),
            VendorDelete => format!("{PHONES}/v1/vendor/{user}/{id}"),
        }
    }

    fn op(self, args: &Args) -> Op {
        let a = args.clone();
        match self {
            Assign => Op::Assign(a.phone, true),
            Preverify => Op::Preverify(a.phone),
            Verify => Op::Verify(a.otc, a.code),
            ListMine => Op::ListMine,
            StartDelete => Op::StartDelete(a.phone_id),
            ConfirmDelete => Op::ConfirmDelete(a.phone_id, a.otc, a.code),
            List => Op::List(ListQuery::new()),
            VendorAdd => Op::VendorAdd(a.user_id, a.phone),
            VendorDelete => Op::VendorDelete(a.user_id, a.phone_id),
        }
    }
}

/// The arguments of a call: made up for the raw server, real for the emulator.
#[derive(Debug, Clone)]
struct Args {
    phone: PhoneNumber,
    otc: OtcToken,
    code: VerificationCode,
    phone_id: PhoneNumberId,
    user_id: UserId,
}

impl Args {
    fn made_up() -> Self {
        Self {
            phone: PhoneNumber::parse("+14155550100").unwrap(),
            otc: OtcToken::new("otc-1").unwrap(),
            code: VerificationCode::parse("123456").unwrap(),
            phone_id: PhoneNumberId::new("phone-1").unwrap(),
            user_id: UserId::new(USER).unwrap(),
        }
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters (written
/// here independently of the SDK's encoder).
fn encode(segment: &str) -> String {
    let mut out = String::new();
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            write!(out, "%{byte:02X}").unwrap();
        }
    }
    out
}

fn builder(base_url: &str) -> ClientBuilder {
    ClientBuilder::new()
        .base_url(base_url)
        .proxy_from_env(false)
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(TIMEOUT)
        .max_response_bytes(BODY_LIMIT)
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(MAX_BACKOFF),
        )
}

fn client_for(backend: Backend, base_url: &str, call: Call, emu: Option<&Emulator>) -> AnyClient {
    let b = builder(base_url);
    let b = match (call.is_vendor(), emu) {
        (true, Some(emu)) => {
            let (id, secret) = emu.vendor_credentials();
            b.vendor_credentials(id, VendorSecret::new(secret).unwrap())
        }
        (true, None) => b
            .vendor_credentials(CLIENT_ID, VendorSecret::new(VENDOR_SECRET).unwrap())
            .tenant_id(TenantId::new(TENANT).unwrap()),
        (false, Some(emu)) => {
            b.user_token(AccessToken::new(emu.mint_user_token(USER, Some(TENANT))).unwrap())
        }
        (false, None) => b.user_token(AccessToken::new(USER_TOKEN).unwrap()),
    };
    backend.build(b)
}

/// The clients that prepare the emulator's state, built once per backend
/// (building a client loads the TLS roots: too slow to do per call).
struct Helpers {
    user: AnyClient,
    vendor: AnyClient,
}

/// Puts the emulator in the state where `call` succeeds, with a client of
/// its own, and returns the call's arguments.
async fn emulator_setup(helpers: &Helpers, emu: &Emulator, call: Call, n: usize) -> Args {
    let mut args = Args::made_up();
    args.phone = PhoneNumber::parse(&format!("+1415555{n:04}")).unwrap();
    let (user, vendor) = (&helpers.user, &helpers.vendor);
    let code =
        |phone: &PhoneNumber| VerificationCode::parse(&emu.last_code(phone.as_str()).unwrap()).unwrap();
    match call {
        Verify => {
            args.otc = user
                .run(Op::Preverify(args.phone.clone()))
                .await
                .unwrap()
                .otc()
                .unwrap();
            args.code = code(&args.phone);
        }
        StartDelete | ConfirmDelete => {
            user.run(Op::Assign(args.phone.clone(), false)).await.unwrap();
            let mine = user.run(Op::ListMine).await.unwrap().records();
            args.phone_id = mine[0].id.clone().unwrap();
            if call == ConfirmDelete {
                let pending = user
                    .run(Op::StartDelete(args.phone_id.clone()))
                    .await
                    .unwrap()
                    .pending();
                args.otc = pending.otc_token;
                args.code = code(&args.phone);
            }
        }
        VendorDelete => {
            vendor
                .run(Op::VendorAdd(args.user_id.clone(), args.phone.clone()))
                .await
                .unwrap();
            let page = vendor.run(Op::List(ListQuery::new())).await.unwrap().page();
            args.phone_id = page.items[0].id.clone().unwrap();
        }
        _ => {}
    }
    args
}

fn fault_spec(fault: &Fault, route: EmuRoute) -> FaultSpec {
    match fault {
        Fault::Status { status, times, on } => {
            FaultSpec::on(on.unwrap_or(route)).status(*status).times(*times)
        }
        Fault::ResetIn(ms) => {
            let at = chrono::Utc::now() + chrono::Duration::milliseconds(*ms);
            FaultSpec::on(route).rate_limit_reset(at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        }
        Fault::Reset(value) => FaultSpec::on(route).rate_limit_reset(*value),
        Fault::RetryAfter(value) => FaultSpec::on(route).retry_after(*value),
        Fault::RetryAfterDateIn(secs) => {
            let at = chrono::Utc::now() + chrono::Duration::seconds(i64::try_from(*secs).unwrap());
            FaultSpec::on(route).retry_after(at.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
        }
        Fault::DropBefore => FaultSpec::on(route).drop_before(),
        Fault::DropAfter => FaultSpec::on(route).drop_after(),
    }
}

/// What the server saw of one call.
#[derive(Debug, Default)]
struct Seen {
    /// Requests on the call's route.
    requests: usize,
    /// Of those, processed (state logic ran; for the raw server, all).
    processed: usize,
    /// SMS sent during the call (emulator only).
    sms: usize,
    /// Vendor authentications.
    vendor_auths: usize,
    /// Requests that reached the redirect target.
    decoy: usize,
}

/// Runs one call of one case and returns what went wrong, if anything.
async fn run_one(
    backend: Backend,
    (emu, helpers): (&Emulator, &Helpers),
    case: &Case,
    call: Call,
    n: usize,
) -> (Duration, Vec<String>) {
    let exp = if call.is_read() { case.read } else { case.write };
    let mut problems = Vec::new();
    let (result, elapsed, seen) = match &case.server {
        Server::Refused => {
            let client = client_for(backend, &refused_base_url(), call, None);
            let started = Instant::now();
            let result = client.run(call.op(&Args::made_up())).await;
            (result, started.elapsed(), Seen::default())
        }
        Server::Raw(_) | Server::Redirect(_) => {
            let decoy = RawServer::start(Behavior::json("[]"));
            let behavior = match &case.server {
                Server::Raw(b) => b.clone(),
                Server::Redirect(status) => {
                    let port = decoy.base_url().rsplit(':').next().unwrap().to_owned();
                    let location = format!("http://localhost:{port}{}", call.path(&Args::made_up()));
                    Behavior::respond(
                        &format!("{status} Redirect"),
                        &[("location", &location), ("content-type", "application/json")],
                        b"{}",
                    )
                }
                _ => unreachable!(),
            };
            let server = RawServer::start(behavior);
            let client = client_for(backend, server.base_url(), call, None);
            let args = Args::made_up();
            let started = Instant::now();
            let result = client.run(call.op(&args)).await;
            let elapsed = started.elapsed();
            let requests = server.count(&call.path(&args));
            let seen = Seen {
                requests,
                processed: requests,
                sms: 0,
                vendor_auths: server.count("/auth/vendor"),
                decoy: decoy.total(),
            };
            (result, elapsed, seen)
        }
        Server::Emu(fault) => {
            emu.reset();
            let args = emulator_setup(helpers, emu, call, n).await;
            let client = client_for(backend, emu.base_url(), call, Some(emu));
            let log_start = emu.requests().last().map_or(0, |r| r.seq);
            let sms_start = emu.sms(None).len();
            emu.inject_fault(fault_spec(fault, call.emu_route()));
            let started = Instant::now();
            let result = client.run(call.op(&args)).await;
            let elapsed = started.elapsed();
            // A dropped connection's log entry is written before the drop.
            let log: Vec<_> = emu.requests().into_iter().filter(|r| r.seq > log_start).collect();
            let on_route: Vec<_> = log
                .iter()
                .filter(|r| r.route == call.emu_route().as_str())
                .collect();
            let seen = Seen {
                requests: on_route.len(),
                processed: on_route.iter().filter(|r| r.processed).count(),
                sms: emu.sms(None).len() - sms_start,
                vendor_auths: log
                    .iter()
                    .filter(|r| r.route == EmuRoute::VendorAuth.as_str())
                    .count(),
                decoy: 0,
            };
            (result, elapsed, seen)
        }
    };

    if let Err(problem) = check_want(exp.want, &result) {
        problems.push(problem);
    }
    if seen.requests != exp.requests {
        problems.push(format!(
            "the server saw {} requests on the route, expected {}",
            seen.requests, exp.requests
        ));
    }
    if call.at_most_once() && (seen.processed > 1 || seen.sms > 1) {
        problems.push(format!(
            "processed {} times, {} SMS: an SMS or code route must be processed at most once per call",
            seen.processed, seen.sms
        ));
    }
    if let (Some(auths), true) = (case.vendor_auths, call.is_vendor())
        && seen.vendor_auths != auths
    {
        problems.push(format!(
            "{} vendor authentications, expected {auths}",
            seen.vendor_auths
        ));
    }
    if seen.decoy > 0 {
        problems.push(format!(
            "the redirect was followed: {} requests reached the other host",
            seen.decoy
        ));
    }
    let bound = TIMEOUT * exp.attempts + MAX_BACKOFF * exp.attempts + case.told_wait + MARGIN;
    if elapsed > bound {
        problems.push(format!("took {elapsed:?}, more than {bound:?}"));
    }
    if elapsed < case.min_elapsed {
        problems.push(format!(
            "took {elapsed:?}: the told wait of at least {:?} was not honoured",
            case.min_elapsed
        ));
    }
    (elapsed, problems)
}

fn check_want(want: Want, result: &Result<Outcome, Error>) -> Result<(), String> {
    let error = match (want, result) {
        (Want::Ok, Ok(_)) => return Ok(()),
        (_, Ok(outcome)) => return Err(format!("succeeded with {outcome:?}, expected {want:?}")),
        (_, Err(e)) => e,
    };
    let good = match want {
        Want::Ok => false,
        Want::Api(status) => matches!(error, Error::Api(e) if e.status.as_u16() == status),
        Want::ApiBody(status, text) => {
            matches!(error, Error::Api(e) if e.status.as_u16() == status && e.body_excerpt.contains(text))
        }
        Want::RateLimited(at_least) => {
            matches!(error, Error::RateLimited { .. })
                && match at_least {
                    None => error.retry_after().is_none(),
                    Some(d) => error.retry_after().is_some_and(|r| r >= d),
                }
        }
        Want::Transport(kind, sent) => {
            matches!(error, Error::Transport(t) if t.kind == kind && t.may_have_been_sent == sent)
                && error.is_timeout() == (kind == TransportErrorKind::Timeout)
        }
        Want::Decode => matches!(error, Error::Decode(_)),
    };
    if good {
        Ok(())
    } else {
        Err(format!("expected {want:?}, got {error:?} ({error})"))
    }
}

async fn run_matrix(backend: Backend) {
    let emu = Emulator::spawn(EmulatorConfig::default()).expect("emulator");
    let helpers = Helpers {
        user: client_for(backend, emu.base_url(), ListMine, Some(&emu)),
        vendor: client_for(backend, emu.base_url(), List, Some(&emu)),
    };
    let mut failures = Vec::new();
    let mut n = 0;
    let started = Instant::now();
    for case in cases() {
        for &call in case.calls {
            n += 1;
            let (elapsed, problems) = run_one(backend, (&emu, &helpers), &case, call, n).await;
            let verdict = if problems.is_empty() { "ok" } else { "FAIL" };
            println!(
                "{backend:?} | {} | {call:?} | {elapsed:.0?} | {verdict}",
                case.name
            );
            for p in problems {
                failures.push(format!("{backend:?} / {} / {call:?}: {p}", case.name));
            }
        }
    }
    println!("{backend:?}: {n} calls in {:.1?}", started.elapsed());
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn matrix_on_reqwest() {
    run_matrix(Backend::Reqwest).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn matrix_on_hyper() {
    run_matrix(Backend::Hyper).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn matrix_on_ureq() {
    run_matrix(Backend::Ureq).await;
}

/// The table holds each case the issue asks for.
#[test]
fn the_table_covers_the_issue() {
    let rows = cases();
    let names: Vec<&str> = rows.iter().map(|c| c.name.as_str()).collect();
    for needle in [
        "refused",
        "never answers",
        "reset after",
        "truncated",
        "over the size limit",
        "trickling",
        "502 with an HTML",
        "invalid UTF-8",
        "content type",
        "401 on a vendor route",
        "X-Rate-Limit-Reset 300 ms ahead",
        "X-Rate-Limit-Reset in the past",
        "X-Rate-Limit-Reset unparseable",
        "Retry-After 1 (seconds)",
        "HTTP-date",
        "Retry-After negative",
        "Retry-After enormous",
        "to another host",
        "500 on each route",
        "503 on each route",
        "504 on each route",
    ] {
        assert!(names.iter().any(|n| n.contains(needle)), "no case for {needle:?}");
    }
    for status in ["500", "503", "504"] {
        let row = rows
            .iter()
            .find(|c| c.name == format!("{status} on each route"))
            .unwrap();
        assert_eq!(row.calls, ALL_CALLS);
    }
}

// ------------------------------------------------------------------ configuration

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_is_refused_unless_loopback_or_opted_in() {
    let token = AccessToken::new(USER_TOKEN).unwrap();
    let build = |backend: Backend, url: &str, allow: bool| -> Result<(), Error> {
        let b = ClientBuilder::new()
            .base_url(url)
            .allow_insecure_http(allow)
            .user_token(token.clone());
        backend.try_build(b).map(drop)
    };
    for backend in Backend::ALL {
        for url in [
            "http://example.com",
            "http://api.frontegg.com/",
            "http://10.0.0.1:8080",
            "http://localhost.example.com",
            "http://127.0.0.1.nip.io",
        ] {
            let err = build(backend, url, false).unwrap_err();
            assert!(
                matches!(err, Error::Configuration(_)),
                "{backend:?} {url}: {err:?}"
            );
            build(backend, url, true).unwrap_or_else(|e| panic!("{backend:?} {url} with opt-in: {e}"));
        }
        for url in [
            "https://example.com",
            "http://127.0.0.1:8787",
            "http://127.8.9.10:1",
            "http://localhost:8787/prefix",
            "http://[::1]:8787",
        ] {
            build(backend, url, false).unwrap_or_else(|e| panic!("{backend:?} {url}: {e}"));
        }
        // Not HTTP at all: refused even with the opt-in.
        for url in ["ftp://example.com", "file:///etc/passwd", "example.com"] {
            let err = build(backend, url, true).unwrap_err();
            assert!(
                matches!(err, Error::Configuration(_)),
                "{backend:?} {url}: {err:?}"
            );
        }
    }
}

// ------------------------------------------------------------------ user input

const TEN_MB: usize = 10 * 1024 * 1024;

fn hostile_strings() -> Vec<(&'static str, String)> {
    vec![
        ("bell", "+1415555\u{7}0100".to_owned()),
        ("escape", "\u{1b}[31m+14155550100".to_owned()),
        ("newline", "+14155550100\r\nX-Injected: 1".to_owned()),
        ("NUL", "+1415555\u{0}0100".to_owned()),
        ("emoji", "+1415555📞0100".to_owned()),
        ("right-to-left mark", "\u{200F}+14155550100".to_owned()),
        ("right-to-left override", "+1\u{202E}4155550100".to_owned()),
        ("10 MB", format!("+1{}", "4".repeat(TEN_MB))),
        (
            "10 MB of spaces inside",
            format!("+1415555{}0100", " ".repeat(TEN_MB)),
        ),
        ("empty", String::new()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_input_is_refused_before_anything_is_sent() {
    let server = RawServer::start(Behavior::json("{}"));
    for (what, s) in hostile_strings() {
        let err = Error::from(PhoneNumber::parse(&s).unwrap_err());
        assert!(
            matches!(err, Error::InvalidPhoneNumber(_)),
            "phone with {what}: {err:?}"
        );
        assert!(
            !format!("{err}{err:?}").contains("4155550100"),
            "the error echoes the number"
        );
    }
    let bad_codes = [
        ("bell", "12\u{7}456".to_owned()),
        ("NUL", "123\u{0}56".to_owned()),
        ("newline", "123\n456".to_owned()),
        ("inner space", "123 456".to_owned()),
        ("10 MB", "1".repeat(TEN_MB)),
        ("empty", "   ".to_owned()),
    ];
    for (what, s) in &bad_codes {
        let err = VerificationCode::parse(s).unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "code with {what}: {err:?}");
        let err = OtcToken::new(s.replace(' ', "\u{0}")).unwrap_err();
        assert!(
            matches!(err, Error::InvalidInput(_)),
            "otc token with {what}: {err:?}"
        );
    }
    for bad in ["", ".", "..", "a\u{0}b", "a\nb", "\u{7f}"] {
        assert!(
            matches!(PhoneNumberId::new(bad), Err(Error::InvalidInput(_))),
            "{bad:?}"
        );
        assert!(matches!(UserId::new(bad), Err(Error::InvalidInput(_))), "{bad:?}");
    }
    let huge = "x".repeat(TEN_MB);
    assert!(matches!(
        PhoneNumberId::new(huge.clone()),
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(UserId::new(huge.clone()), Err(Error::InvalidInput(_))));
    assert!(matches!(AccessToken::new(huge), Err(Error::InvalidInput(_))));

    // A well-formed call through the same server does reach it: the count
    // above is zero because nothing was sent, not because nothing could be.
    assert_eq!(server.total(), 0);
    for backend in Backend::ALL {
        let client = client_for(backend, server.base_url(), Verify, None);
        client.run(Verify.op(&Args::made_up())).await.unwrap();
    }
    assert_eq!(server.total(), Backend::ALL.len());
}

/// Codes pasted from an SMS often carry invisible characters (bidi marks,
/// zero-width spaces, a BOM). They are dropped before sending, so the code
/// the user sees is the code that is sent, and no verify attempt of the
/// `otcToken` is burnt on a code the user cannot see is wrong.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codes_with_invisible_characters_are_sent_without_them() {
    let server = RawServer::start(Behavior::json("{}"));
    for (what, code) in [
        ("right-to-left mark", "\u{200F}123456"),
        ("left-to-right mark", "123456\u{200E}"),
        ("zero-width space", "123\u{200B}456"),
        ("byte-order mark", "\u{FEFF}123456"),
        ("first-strong isolate", "\u{2068}123456\u{2069}"),
    ] {
        let parsed = VerificationCode::parse(code).unwrap();
        assert_eq!(parsed.expose_secret(), "123456", "{what}");
        for backend in Backend::ALL {
            let client = client_for(backend, server.base_url(), Verify, None);
            let mut args = Args::made_up();
            args.code = parsed.clone();
            client.run(Verify.op(&args)).await.unwrap();
            let body = server.requests().last().unwrap().body.clone();
            let body = String::from_utf8(body).unwrap();
            assert!(body.contains(r#""code":"123456""#), "{backend:?} {what}: {body}");
        }
    }
}

/// Ids with `/`, `..`, `%2F`, `?`, `#` and more: each stays one
/// percent-encoded path segment of the right route.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_ids_stay_one_segment_of_their_route() {
    let odd = [
        "a/b",
        "../me",
        "a/../../v2",
        "%2F",
        "..%2F..",
        "a?b=c",
        "#frag",
        "/",
        "?",
        "#",
        "...",
        " x ",
        "\u{200F}rtl",
        "📞",
        "a;b,c=d&e+f",
    ];
    let server = RawServer::start(Behavior::json(r#"{"phoneId":"p","otcToken":"t"}"#));
    let emu = Emulator::spawn(EmulatorConfig::default()).expect("emulator");
    for backend in Backend::ALL {
        let raw_clients = [
            client_for(backend, server.base_url(), ListMine, None),
            client_for(backend, server.base_url(), List, None),
        ];
        let emu_clients = [
            client_for(backend, emu.base_url(), ListMine, Some(&emu)),
            client_for(backend, emu.base_url(), List, Some(&emu)),
        ];
        for id in odd {
            let mut args = Args::made_up();
            args.phone_id = PhoneNumberId::new(id).unwrap();
            args.user_id = UserId::new(id).unwrap();
            for call in [StartDelete, ConfirmDelete, VendorAdd, VendorDelete] {
                // On the raw server: exactly the encoded path, nothing more.
                let before = server.requests();
                let client = &raw_clients[usize::from(call.is_vendor())];
                client.run(call.op(&args)).await.unwrap();
                let seen = server.requests();
                let last = seen.last().unwrap();
                assert_eq!(last.target, call.path(&args), "{backend:?} {call:?} {id:?}");
                assert!(!last.target.contains('?') && !last.target.contains('#'));
                let segments = last.target.split('/').count();
                assert_eq!(
                    segments,
                    call.path(&Args::made_up()).split('/').count(),
                    "{backend:?} {call:?} {id:?}: {}",
                    last.target
                );
                let not_auth = |r: &&SeenRequest| r.path() != "/auth/vendor";
                assert_eq!(
                    seen.iter().filter(not_auth).count(),
                    before.iter().filter(not_auth).count() + 1,
                    "one request per call"
                );

                // On the emulator: the request lands on the right route (a 404
                // for an unknown id, never another route or an unknown one).
                emu.reset();
                let client = &emu_clients[usize::from(call.is_vendor())];
                let result = client.run(call.op(&args)).await;
                let log = emu.requests();
                let hits: Vec<_> = log
                    .iter()
                    .filter(|r| r.route != EmuRoute::VendorAuth.as_str())
                    .collect();
                assert_eq!(hits.len(), 1, "{backend:?} {call:?} {id:?}: {log:?}");
                assert_eq!(
                    hits[0].route,
                    call.emu_route().as_str(),
                    "{backend:?} {call:?} {id:?}"
                );
                if call != VendorAdd {
                    let err = result.unwrap_err();
                    assert!(
                        matches!(err.status().map(|s| s.as_u16()), Some(404 | 400)),
                        "{backend:?} {call:?} {id:?}: {err:?}"
                    );
                }
            }
        }
    }
}
