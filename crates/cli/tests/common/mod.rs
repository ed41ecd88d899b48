//! What the CLI tests share: an emulator, the binary pointed at it, an SDK
//! client to seed it, and snapshots with the emulator's random parts redacted.
#![allow(dead_code, clippy::unwrap_used, missing_docs)]

use std::process::Output;

use assert_cmd::Command;
use frontegg_identity_emulator::{Emulator, EmulatorConfig};
use frontegg_identity_ureq::{ClientBuilder, PhoneNumber, UreqBuild, UreqClient, UserId, VendorSecret};

/// Every variable the CLI reads, cleared so the host's never leak in.
pub const VARS: &[&str] = &[
    "FRONTEGG_CLIENT_ID",
    "FRONTEGG_API_KEY",
    "FRONTEGG_REGION",
    "FRONTEGG_BASE_URL",
    "FRONTEGG_TENANT_ID",
    "FRONTEGG_USER_ID",
    "FRONTEGG_USER_TOKEN",
];

pub fn emulator() -> Emulator {
    Emulator::spawn(EmulatorConfig::default()).expect("the emulator starts")
}

/// The binary with a clean environment and no credentials.
pub fn bare() -> Command {
    let mut cmd = Command::cargo_bin("frontegg-identity").expect("the binary is built");
    for var in VARS {
        cmd.env_remove(var);
    }
    cmd
}

/// The binary pointed at `emu` with its vendor credentials.
pub fn cli(emu: &Emulator) -> Command {
    let (client_id, secret) = emu.vendor_credentials();
    let mut cmd = bare();
    cmd.env("FRONTEGG_BASE_URL", emu.base_url())
        .env("FRONTEGG_CLIENT_ID", client_id)
        .env("FRONTEGG_API_KEY", secret);
    cmd
}

/// The binary pointed at `emu` with its client id, the API key left for
/// `--api-key-stdin`.
pub fn key_on_stdin(emu: &Emulator) -> Command {
    let (client_id, _) = emu.vendor_credentials();
    let mut cmd = bare();
    cmd.env("FRONTEGG_BASE_URL", emu.base_url())
        .env("FRONTEGG_CLIENT_ID", client_id);
    cmd
}

/// An SDK client on `emu`, to seed it and check what the CLI did.
pub fn client(emu: &Emulator) -> UreqClient {
    let (client_id, secret) = emu.vendor_credentials();
    ClientBuilder::new()
        .base_url(emu.base_url())
        .vendor_credentials(client_id, VendorSecret::new(secret).expect("secret"))
        .build()
        .expect("client")
}

/// Adds `number` to `user` through the SDK.
pub fn seed(client: &UreqClient, user: &str, number: &str) {
    client
        .phone_numbers()
        .vendor_add(
            &UserId::new(user).expect("user"),
            &PhoneNumber::parse(number).expect("number"),
        )
        .expect("seeded");
}

/// How many requests `emu` logged for `route`.
pub fn calls(emu: &Emulator, route: &str) -> usize {
    emu.requests().iter().filter(|r| r.route == route).count()
}

/// A run as text: exit code, standard output, standard error.
pub fn render(output: &Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output
            .status
            .code()
            .map_or_else(|| "signal".to_owned(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    )
}

/// Snapshots a run, the emulator's ids, dates, trace ids and ports redacted.
pub fn snapshot(name: &str, output: &Output) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("../snapshots");
    settings.add_filter(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "[UUID]",
    );
    settings.add_filter(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "[DATE]");
    settings.add_filter(r"trace id: [0-9a-f]{32}", "trace id: [TRACE]");
    settings.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]");
    settings.bind(|| insta::assert_snapshot!(name.to_owned(), render(output)));
}

/// Runs `cmd` with `args`, this standard input given.
pub fn run_with_stdin(mut cmd: Command, args: &[&str], stdin: impl Into<Vec<u8>>) -> Output {
    cmd.args(args).write_stdin(stdin).output().unwrap()
}

/// Runs the binary on `emu` with `args` and snapshots the run as `name`.
pub fn snap(emu: &Emulator, name: &str, args: &[&str]) -> Output {
    let output = cli(emu).args(args).output().unwrap();
    snapshot(name, &output);
    output
}

/// The record ids in JSON-lines output.
pub fn ids(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|v| v.get("id").and_then(|id| id.as_str()).map(str::to_owned))
        .collect()
}
