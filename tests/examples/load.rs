//! Load test of the Rust clients: N calls through the async client (reqwest,
//! N tasks at concurrency C) and through the blocking client (ureq, C
//! threads), against the emulator binary started as a separate process.
//! Every call must succeed: the clients run with `RetryPolicy::none()`, so a
//! failure is never hidden by a retry. Exits non-zero on any error.
//!
//! ```text
//! scripts/load-rust [--calls 100000] [--concurrency 256] [--preverify-every 10]
//! load --emulator target/release/frontegg-identity-emulator --calls 1000
//! ```
#![allow(clippy::print_stderr)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use frontegg_identity_core::{
    AccessToken, BlockingIdentityTransport, ClientBuilder, Error, PhoneNumber, RetryPolicy, TransportOptions,
};
use frontegg_identity_reqwest::{ReqwestBuild, ReqwestClient};
use frontegg_identity_ureq::{UreqBuild, UreqClient, UreqTransport};

/// How many error messages are printed per phase.
const SHOWN_ERRORS: usize = 5;

struct Options {
    calls: usize,
    concurrency: usize,
    preverify_every: usize,
    emulator: PathBuf,
}

fn usage(problem: &str) -> String {
    format!(
        "{problem}\nusage: load [--calls N (100000)] [--concurrency C (256)] \
         [--preverify-every K (10; 0 = list_mine only)] [--emulator PATH]"
    )
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        calls: 100_000,
        concurrency: 256,
        preverify_every: 10,
        emulator: default_emulator(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| usage(&format!("{flag} needs a value")));
        let number = |v: String| {
            v.parse::<usize>()
                .map_err(|_| usage(&format!("bad number {v:?}")))
        };
        match flag.as_str() {
            "--calls" => options.calls = number(value()?)?,
            "--concurrency" => options.concurrency = number(value()?)?.max(1),
            "--preverify-every" => options.preverify_every = number(value()?)?,
            "--emulator" => options.emulator = PathBuf::from(value()?),
            "-h" | "--help" => return Err(usage("")),
            other => return Err(usage(&format!("unknown argument {other:?}"))),
        }
    }
    Ok(options)
}

/// `target/release/frontegg-identity-emulator`, beside `target/release/examples/load`.
fn default_emulator() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("frontegg-identity-emulator")))
        .unwrap_or_else(|| PathBuf::from("frontegg-identity-emulator"))
}

/// The emulator process; killed when dropped.
struct EmulatorProcess {
    child: Child,
    base_url: String,
}

impl EmulatorProcess {
    fn start(path: &PathBuf) -> Result<Self, String> {
        let mut child = Command::new(path)
            .args(["--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| {
                format!(
                    "cannot start {}: {e} (build it with scripts/load-rust)",
                    path.display()
                )
            })?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line);
        let mut process = Self {
            child,
            base_url: String::new(),
        };
        read.map_err(|e| format!("reading the emulator's first line: {e}"))?;
        process.base_url = line
            .trim()
            .strip_prefix("frontegg-identity-emulator listening on ")
            .ok_or_else(|| format!("unexpected first line from the emulator: {line:?}"))?
            .to_owned();
        Ok(process)
    }

    fn peak_rss_kib(&self) -> Option<u64> {
        peak_rss_kib(&format!("/proc/{}/status", self.child.id()))
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `VmHWM` (peak resident set) from a `/proc/.../status` file, in KiB.
fn peak_rss_kib(status_file: &str) -> Option<u64> {
    let status = std::fs::read_to_string(status_file).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(|| "n/a".to_owned(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

/// `POST /_emulator/tokens {"userId": ...}` -> `accessToken`.
fn mint_token(base_url: &str, user: &str) -> Result<AccessToken, String> {
    let transport = UreqTransport::new(&TransportOptions::default()).map_err(|e| e.to_string())?;
    let body = serde_json::to_vec(&serde_json::json!({ "userId": user, "tenantId": "load-tenant" }))
        .map_err(|e| e.to_string())?;
    let request = http::Request::post(format!("{base_url}/_emulator/tokens"))
        .header("content-type", "application/json")
        .body(body)
        .map_err(|e| e.to_string())?;
    let response = transport
        .execute(request)
        .map_err(|e| format!("minting a token: {e}"))?;
    let answer: serde_json::Value =
        serde_json::from_slice(response.body()).map_err(|e| format!("minting a token: {e}"))?;
    let token = answer["accessToken"]
        .as_str()
        .ok_or_else(|| format!("no accessToken in the answer ({})", response.status()))?;
    AccessToken::new(token).map_err(|e| e.to_string())
}

fn builder(base_url: &str, token: AccessToken) -> ClientBuilder {
    ClientBuilder::new()
        .base_url(base_url)
        .proxy_from_env(false)
        .user_token(token)
        .retry_policy(RetryPolicy::none())
}

/// The number call `i` pre-verifies: distinct per call.
fn number(i: usize) -> Result<PhoneNumber, Error> {
    Ok(PhoneNumber::parse(&format!("+1415{:07}", i % 10_000_000))?)
}

/// Failures of one phase.
#[derive(Default)]
struct Tally {
    errors: AtomicUsize,
    shown: std::sync::Mutex<Vec<String>>,
}

impl Tally {
    fn record(&self, result: Result<(), Error>) {
        if let Err(error) = result
            && self.errors.fetch_add(1, Ordering::Relaxed) < SHOWN_ERRORS
            && let Ok(mut shown) = self.shown.lock()
        {
            shown.push(error.to_string());
        }
    }
}

struct Report {
    label: String,
    calls: usize,
    errors: usize,
    elapsed: Duration,
}

impl Report {
    fn print(&self, emulator: &EmulatorProcess) {
        println!(
            "{}: calls={} errors={} elapsed={:.2}s calls/s={:.0} peak_rss(load process)={} peak_rss(emulator)={}",
            self.label,
            self.calls,
            self.errors,
            self.elapsed.as_secs_f64(),
            self.calls as f64 / self.elapsed.as_secs_f64(),
            mib(peak_rss_kib("/proc/self/status")),
            mib(emulator.peak_rss_kib()),
        );
    }
}

async fn one_async(client: &ReqwestClient, i: usize, preverify_every: usize) -> Result<(), Error> {
    let phones = client.phone_numbers();
    if preverify_every > 0 && i.is_multiple_of(preverify_every) {
        phones.preverify(&number(i)?).await.map(drop)
    } else {
        phones.list_mine().await.map(drop)
    }
}

fn one_blocking(client: &UreqClient, i: usize, preverify_every: usize) -> Result<(), Error> {
    let phones = client.phone_numbers();
    if preverify_every > 0 && i.is_multiple_of(preverify_every) {
        phones.preverify(&number(i)?).map(drop)
    } else {
        phones.list_mine().map(drop)
    }
}

fn run_async(options: &Options, base_url: &str, token: AccessToken) -> Result<Report, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let client = {
        let _guard = runtime.enter();
        ReqwestBuild::build(builder(base_url, token)).map_err(|e| e.to_string())?
    };
    let next = Arc::new(AtomicUsize::new(0));
    let tally = Arc::new(Tally::default());
    let (calls, every) = (options.calls, options.preverify_every);
    let started = Instant::now();
    runtime.block_on(async {
        let tasks: Vec<_> = (0..options.concurrency)
            .map(|_| {
                let (client, next, tally) = (client.clone(), Arc::clone(&next), Arc::clone(&tally));
                tokio::spawn(async move {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= calls {
                            break;
                        }
                        tally.record(one_async(&client, i, every).await);
                    }
                })
            })
            .collect();
        for task in tasks {
            if task.await.is_err() {
                tally.record(Err(Error::Configuration("a load task panicked".into())));
            }
        }
    });
    Ok(tally.report(
        format!("reqwest (async, {} tasks)", options.concurrency),
        calls,
        started,
    ))
}

fn run_blocking(options: &Options, base_url: &str, token: AccessToken) -> Result<Report, String> {
    let client = UreqBuild::build(builder(base_url, token)).map_err(|e| e.to_string())?;
    let next = AtomicUsize::new(0);
    let tally = Tally::default();
    let (calls, every) = (options.calls, options.preverify_every);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..options.concurrency {
            let (client, next, tally) = (client.clone(), &next, &tally);
            let spawned = std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn_scoped(scope, move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= calls {
                            break;
                        }
                        tally.record(one_blocking(&client, i, every));
                    }
                });
            if let Err(e) = spawned {
                tally.record(Err(Error::Configuration(format!("cannot spawn a thread: {e}"))));
            }
        }
    });
    Ok(tally.report(
        format!("ureq (blocking, {} threads)", options.concurrency),
        calls,
        started,
    ))
}

impl Tally {
    fn print_shown(&self) {
        if let Ok(shown) = self.shown.lock() {
            for error in shown.iter() {
                eprintln!("  error: {error}");
            }
        }
    }

    /// The phase's report, timed from `started`, after the errors it shows.
    fn report(&self, label: String, calls: usize, started: Instant) -> Report {
        let elapsed = started.elapsed();
        self.print_shown();
        Report {
            label,
            calls,
            errors: self.errors.load(Ordering::Relaxed),
            elapsed,
        }
    }
}

fn run(options: &Options) -> Result<usize, String> {
    let emulator = EmulatorProcess::start(&options.emulator)?;
    println!(
        "emulator {} at {}; {} calls per client, concurrency {}, {}",
        options.emulator.display(),
        emulator.base_url,
        options.calls,
        options.concurrency,
        if options.preverify_every > 0 {
            format!("1 in {} a preverify, the rest list_mine", options.preverify_every)
        } else {
            "list_mine only".to_owned()
        }
    );
    let mut errors = 0;
    let token = mint_token(&emulator.base_url, "load-async")?;
    let report = run_async(options, &emulator.base_url, token)?;
    report.print(&emulator);
    errors += report.errors;
    let token = mint_token(&emulator.base_url, "load-blocking")?;
    let report = run_blocking(options, &emulator.base_url, token)?;
    report.print(&emulator);
    errors += report.errors;
    Ok(errors)
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(errors) => {
            eprintln!("FAILED: {errors} calls failed");
            ExitCode::FAILURE
        }
        Err(message) => {
            eprintln!("load: {message}");
            ExitCode::FAILURE
        }
    }
}
