//! `frontegg-identity-bench`: end-to-end benchmarks of the SDK clients against
//! raw transports that send byte-identical requests, for `scripts/bench`.
//!
//! Subcommands print one JSON object per line and per repetition; the
//! script collects them and writes `docs/benchmarks.md`.
//!
//! Methodology (see `docs/benchmarks.md`): one *call* is the product's flow,
//! `preverify` + `verify` + `list_mine`. Per repetition and per variant, `n`
//! preverifies run (timed), the SMS codes are read back from the emulator's
//! outbox in one request (untimed), `n` verifies run with them (timed), then
//! `n` `list_mine` (timed, the user holds five numbers). Calls per second is
//! `n / (t_preverify + t_verify + t_list_mine)`. Every verify succeeds.

mod floor;
mod flow;
mod raw;
mod sdk;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// End-to-end benchmarks of the frontegg-identity clients.
#[derive(Parser, Debug)]
#[command(name = "frontegg-identity-bench", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The variants a comparison runs, alternating repetition by repetition.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Variant {
    /// The SDK client (async: over reqwest).
    Sdk,
    /// The SDK's async client over hyper-util (`frontegg-identity-hyper`),
    /// what the Python async client runs on.
    SdkHyper,
    /// Hand-written code over the same HTTP library.
    Raw,
    /// Hand-written code over hyper-util's client, without reqwest (async
    /// only, plain HTTP only).
    Hyper,
}

impl Variant {
    const fn name(self) -> &'static str {
        match self {
            Self::Sdk => "sdk",
            Self::SdkHyper => "sdk-hyper",
            Self::Raw => "raw",
            Self::Hyper => "hyper",
        }
    }
}

#[derive(clap::Args, Debug, Clone)]
struct Common {
    /// The gateway root of the emulator or of the floor server.
    #[arg(long)]
    base_url: String,
    /// Calls (preverify + verify + list_mine) per repetition and variant; at most 10 000.
    #[arg(long, default_value_t = 2000)]
    calls: usize,
    /// Repetitions per variant.
    #[arg(long, default_value_t = 5)]
    reps: usize,
    /// Variants to run, alternating per repetition.
    #[arg(long, value_delimiter = ',', default_value = "sdk,raw")]
    variants: Vec<Variant>,
    /// The target is the fixed-answer floor server, not the emulator: no
    /// reset, no seeding, fixed code.
    #[arg(long)]
    floor: bool,
    /// A label copied into every result line.
    #[arg(long, default_value = "")]
    label: String,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// `Client<ReqwestTransport>` against raw reqwest (and raw hyper-util,
    /// with `--variants`).
    Async {
        #[command(flatten)]
        common: Common,
        /// Tasks in flight (1 = sequential).
        #[arg(long, default_value_t = 1)]
        concurrency: usize,
    },
    /// `BlockingClient<UreqTransport>` against raw ureq.
    Blocking {
        #[command(flatten)]
        common: Common,
        /// Threads sharing one client.
        #[arg(long, default_value_t = 1)]
        threads: usize,
    },
    /// A minimal keep-alive HTTP/1.1 server with fixed answers; prints
    /// `frontegg-identity-bench floor listening on http://HOST:PORT`.
    FloorServer {
        /// Port to bind on 127.0.0.1 (0 picks one).
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// Checks that the SDK and raw variants send byte-identical requests, for
    /// every transport (reqwest, hyper-util, ureq) and every route measured.
    CheckRequests,
    /// The machine's floor: sequential GETs over one raw socket to the floor
    /// server, no HTTP library.
    Ping {
        /// The floor server's base URL (`http://127.0.0.1:PORT`).
        #[arg(long)]
        base_url: String,
        /// Round trips per repetition.
        #[arg(long, default_value_t = 10_000)]
        requests: usize,
        /// Repetitions.
        #[arg(long, default_value_t = 5)]
        reps: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Async { common, concurrency } => flow::run_async(&common, concurrency.max(1)),
        Command::Blocking { common, threads } => flow::run_blocking(&common, threads.max(1)),
        Command::FloorServer { port } => floor::serve(port),
        Command::CheckRequests => floor::check_requests(),
        Command::Ping {
            base_url,
            requests,
            reps,
        } => floor::ping(&base_url, requests, reps),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("frontegg-identity-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The error type of the benchmark: any error, as text.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;
