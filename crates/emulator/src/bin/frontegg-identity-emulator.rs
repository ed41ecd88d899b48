//! `frontegg-identity-emulator`: runs the emulator until Ctrl-C or SIGTERM.

use std::io::Write as _;
use std::net::{SocketAddr, ToSocketAddrs as _};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use frontegg_identity_emulator::{Emulator, EmulatorConfig, FaultSpec};

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

#[tokio::main(flavor = "multi_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let signal = shutdown_signal();
    let bind = match resolve(&args.host, args.port) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("frontegg-identity-emulator: cannot resolve {}: {e}", args.host);
            return ExitCode::from(2);
        }
    };
    let config = EmulatorConfig::default()
        .with_bind(Some(bind))
        .with_credentials(args.client_id, args.secret)
        .with_code_length(args.code_length)
        .with_otc_ttl(Duration::from_secs(args.otc_ttl_secs))
        .with_max_attempts(args.max_attempts);
    let emulator = match Emulator::start(config).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("frontegg-identity-emulator: cannot listen on {bind}: {e}");
            return ExitCode::FAILURE;
        }
    };
    for fault in args.faults {
        emulator.inject_fault(fault);
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "frontegg-identity-emulator listening on {}",
        emulator.base_url()
    );
    let _ = out.flush();
    drop(out);
    signal.await;
    emulator.shutdown().await;
    ExitCode::SUCCESS
}
