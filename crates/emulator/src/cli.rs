//! The command line of `frontegg-identity-emulator`, shared by the Rust
//! binary and the Python package's `frontegg-identity-emulator` script
//! (`python -m frontegg_identity.emulator`): same flags, same first line.

use std::ffi::OsString;
use std::io::Write as _;
use std::net::{SocketAddr, ToSocketAddrs as _};
use std::time::Duration;

use clap::Parser;

use crate::{Emulator, EmulatorConfig, FaultSpec, Seed};

/// A local emulator of Frontegg's phone-number identity routes and vendor auth.
#[derive(Parser, Debug)]
#[command(name = "frontegg-identity-emulator", version, about)]
struct Args {
    /// Host to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to bind (0 picks a free port).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Vendor client id accepted by /auth/vendor.
    #[arg(long, default_value = "emulator-client-id")]
    client_id: String,
    /// Vendor secret accepted by /auth/vendor.
    #[arg(long, default_value = "emulator-secret")]
    secret: String,
    /// Digits of SMS codes.
    #[arg(long, default_value_t = 6)]
    code_length: usize,
    /// Lifetime of otcTokens, in seconds.
    #[arg(long, default_value_t = 300)]
    otc_ttl_secs: u64,
    /// Wrong codes before an otcToken is burnt.
    #[arg(long, default_value_t = 5)]
    max_attempts: u32,
    /// A fault to script at start, in the JSON of `POST /_emulator/faults`
    /// (for example '{"route":"verify","status":503}'); repeatable, consumed in order.
    #[arg(long = "fault", value_name = "JSON")]
    faults: Vec<FaultSpec>,
    /// PEM file of the RSA private key that signs tokens (PKCS#8 or PKCS#1);
    /// default: a key generated at start.
    #[arg(long, value_name = "PATH")]
    signing_key: Option<std::path::PathBuf>,
    /// Accept user tokens the emulator did not sign (unsigned, or signed by
    /// another key) when their payload parses.
    #[arg(long)]
    accept_unsigned_tokens: bool,
    /// JSON file of the state to start from (users, tenants, phone numbers,
    /// MFA devices): the format of `GET /_emulator/state`.
    #[arg(long, value_name = "PATH")]
    seed: Option<std::path::PathBuf>,
}

/// Installs the signal handlers; the returned future completes on Ctrl-C or
/// SIGTERM. Installed before the "listening" line is printed, so that a
/// signal sent right after it is never lost (nor kills the process).
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate()).ok();
        let int = signal(SignalKind::interrupt()).ok();
        async move {
            match (term, int) {
                (Some(mut term), Some(mut int)) => {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = int.recv() => {}
                    }
                }
                (Some(mut one), None) | (None, Some(mut one)) => {
                    one.recv().await;
                }
                (None, None) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn resolve(host: &str, port: u16) -> std::io::Result<SocketAddr> {
    (host, port)
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "host resolves to no address"))
}

const NAME: &str = "frontegg-identity-emulator";

/// Exit code of a usage error (bad flag, key or seed).
const USAGE: i32 = 2;

/// Builds the configuration from the flags; `Err` is the message of a usage error.
fn config(args: Args) -> Result<(EmulatorConfig, Vec<FaultSpec>), String> {
    let bind = resolve(&args.host, args.port).map_err(|e| format!("cannot resolve {}: {e}", args.host))?;
    let signing_key = args
        .signing_key
        .map(|path| {
            std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read signing key {}: {e}", path.display()))
        })
        .transpose()?;
    let seed = args
        .seed
        .map(|path| Seed::from_file(path).map_err(|e| e.to_string()))
        .transpose()?;
    let config = EmulatorConfig::default()
        .with_bind(Some(bind))
        .with_credentials(args.client_id, args.secret)
        .with_code_length(args.code_length)
        .with_otc_ttl(Duration::from_secs(args.otc_ttl_secs))
        .with_max_attempts(args.max_attempts)
        .with_accept_unsigned_jwt(args.accept_unsigned_tokens)
        .with_signing_key(signing_key)
        .with_seed(seed);
    Ok((config, args.faults))
}

/// Runs the emulator with command-line arguments `argv` (the first is the
/// program name) until Ctrl-C or SIGTERM, printing
/// `frontegg-identity-emulator listening on http://HOST:PORT` first.
/// Returns the exit code: 0 after a clean stop, 1 when it cannot listen,
/// 2 for a usage error (bad flag, unreadable or malformed `--signing-key` or
/// `--seed`; the message, on stderr, names the file and, for JSON, the line).
pub fn main_from_args<I, T>(argv: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args = match Args::try_parse_from(argv) {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { USAGE } else { 0 };
        }
    };
    let (config, faults) = match config(args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{NAME}: {e}");
            return USAGE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{NAME}: cannot start a runtime: {e}");
            return 1;
        }
    };
    runtime.block_on(run(config, faults))
}

async fn run(config: EmulatorConfig, faults: Vec<FaultSpec>) -> i32 {
    let signal = shutdown_signal();
    let bind = config.bind;
    let emulator = match Emulator::start(config).await {
        Ok(e) => e,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData
            ) =>
        {
            eprintln!("{NAME}: {e}");
            return USAGE;
        }
        Err(e) => {
            let at = bind.map(|b| b.to_string()).unwrap_or_default();
            eprintln!("{NAME}: cannot listen on {at}: {e}");
            return 1;
        }
    };
    for fault in faults {
        emulator.inject_fault(fault);
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{NAME} listening on {}", emulator.base_url());
    let _ = out.flush();
    drop(out);
    signal.await;
    emulator.shutdown().await;
    0
}
