//! The library entry point with streams that play a terminal: confirmation
//! prompts and the progress indicator, which the binary only shows there.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::collections::HashMap;

use common::{calls, client, emulator, seed};
use frontegg_identity_cli::{Io, exit, run};
use frontegg_identity_emulator::Emulator;

/// A run of `args` on `emu`, with `stdin` as input; both streams terminals
/// when `terminal`. Returns the exit code, stdout and stderr.
fn run_on(emu: &Emulator, args: &[&str], stdin: &str, terminal: bool) -> (u8, String, String) {
    let (client_id, secret) = emu.vendor_credentials();
    let vars: HashMap<&str, String> = HashMap::from([
        ("FRONTEGG_BASE_URL", emu.base_url().to_owned()),
        ("FRONTEGG_CLIENT_ID", client_id),
        ("FRONTEGG_API_KEY", secret),
    ]);
    let env = move |name: &str| vars.get(name).cloned();
    let mut input = stdin.as_bytes();
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut io = Io {
        stdin: &mut input,
        stdout: &mut stdout,
        stderr: &mut stderr,
        stdin_is_terminal: terminal,
        stderr_is_terminal: terminal,
        env: &env,
    };
    let code = run(
        std::iter::once("frontegg-identity").chain(args.iter().copied()),
        &mut io,
    );
    (
        code,
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

fn first_id(emu: &Emulator) -> String {
    let (_, stdout, _) = run_on(emu, &["phones", "list", "--json"], "", false);
    let line: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    line["id"].as_str().unwrap().to_owned()
}

#[test]
fn a_terminal_is_asked_and_no_keeps_the_number() {
    let emu = emulator();
    seed(&client(&emu), "user-1", "+14155550100");
    let id = first_id(&emu);
    let args = ["phones", "delete", "user-1", id.as_str()];

    let (code, stdout, stderr) = run_on(&emu, &args, "n\n", true);
    assert_eq!(code, exit::NOT_DONE);
    assert!(stdout.is_empty());
    assert_eq!(
        stderr,
        format!("Delete phone number {id} of user user-1? [y/N] aborted: nothing was changed\n")
    );
    // An empty answer (just Enter) is a no as well.
    let (code, _, _) = run_on(&emu, &args, "\n", true);
    assert_eq!(code, exit::NOT_DONE);
    assert_eq!(calls(&emu, "vendor_delete"), 0);

    let (code, stdout, _) = run_on(&emu, &args, "yes\n", true);
    assert_eq!(code, exit::OK);
    assert_eq!(stdout, format!("deleted phone number {id} of user user-1\n"));
    assert_eq!(calls(&emu, "vendor_delete"), 1);
}

#[test]
fn every_destructive_command_refuses_off_a_terminal() {
    let emu = emulator();
    for args in [
        &["phones", "delete", "user-1", "p-1"][..],
        &["sms-config", "delete"][..],
        &["sms-templates", "delete", "OTC"][..],
    ] {
        let (code, stdout, stderr) = run_on(&emu, args, "y\n", false);
        assert_eq!(code, exit::USAGE, "{args:?}");
        assert!(stdout.is_empty());
        assert!(stderr.starts_with("error: refusing to delete"), "{stderr}");
        assert!(stderr.contains("pass --yes"), "{stderr}");
    }
    let sent: Vec<_> = emu
        .requests()
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .collect();
    assert!(sent.is_empty(), "{sent:?}");
}

#[test]
fn progress_is_drawn_on_a_terminal_for_listings_longer_than_a_page() {
    let emu = emulator();
    let sdk = client(&emu);
    for i in 0..5 {
        seed(&sdk, "user-1", &format!("+1415555010{i}"));
    }
    let args = ["phones", "list", "--page-size", "2"];
    let (code, stdout, stderr) = run_on(&emu, &args, "", true);
    assert_eq!(code, exit::OK);
    assert_eq!(stdout.lines().count(), 6, "a header and 5 rows:\n{stdout}");
    assert_eq!(
        stderr,
        "\r\x1b[2K2 phone numbers so far, fetching more...\r\x1b[2K\
         \r\x1b[2K4 phone numbers so far, fetching more...\r\x1b[2K\
         5 phone numbers\n"
    );

    let (_, stdout_plain, stderr) = run_on(&emu, &args, "", false);
    assert_eq!(stdout_plain, stdout);
    assert_eq!(stderr, "5 phone numbers\n");

    // One page: nothing to show progress for.
    let (_, _, stderr) = run_on(&emu, &["phones", "list"], "", true);
    assert_eq!(stderr, "5 phone numbers\n");
}

#[test]
fn a_terminal_is_prompted_for_the_api_key_and_token() {
    let emu = emulator();
    let (_, secret) = emu.vendor_credentials();
    let args = [
        "--api-key-stdin",
        "sms-config",
        "set",
        "--provider",
        "p",
        "--token-stdin",
    ];
    let (code, _, stderr) = run_on(&emu, &args, &format!("{secret}\ntoken\n"), true);
    assert_eq!(code, exit::OK, "{stderr}");
    assert_eq!(stderr, "API key: provider token: ");
    // Off a terminal nothing is asked.
    let (code, _, stderr) = run_on(&emu, &args, &format!("{secret}\ntoken\n"), false);
    assert_eq!(code, exit::OK, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn help_goes_to_stdout_with_exit_0() {
    let emu = emulator();
    let (code, stdout, stderr) = run_on(&emu, &["phones", "--help"], "", false);
    assert_eq!(code, exit::OK);
    assert!(stdout.contains("Examples:"));
    assert!(stderr.is_empty());
}

#[test]
fn main_from_args_runs_with_the_process_streams() {
    let code = frontegg_identity_cli::main_from_args(vec!["frontegg-identity".into(), "--version".into()]);
    assert_eq!(code, 0);
    let code =
        frontegg_identity_cli::main_from_args(vec!["frontegg-identity".into(), "--no-such-flag".into()]);
    assert_eq!(code, 2);
}
