//! `frontegg-identity` against the emulator: phone numbers, MFA devices,
//! credentials, and every exit code.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use common::{bare, calls, cli, client, emulator, ids, key_on_stdin, run_with_stdin, seed, snap, snapshot};
use frontegg_identity_ureq::{PhoneNumber, UserId, VerificationCode};

#[test]
fn list_empty() {
    let emu = emulator();
    snap(&emu, "list_empty", &["phones", "list"]);
}

#[test]
fn list_with_records_masked_shown_and_json() {
    let emu = emulator();
    let sdk = client(&emu);
    seed(&sdk, "user-1", "+14155550100");
    seed(&sdk, "user-1", "+14155550101");
    seed(&sdk, "user-2", "+442079460958");

    let output = snap(&emu, "list_masked", &["phones", "list"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(!text.contains("4155550100"), "{text}");

    snap(&emu, "list_show_numbers", &["phones", "list", "--show-numbers"]);

    snap(&emu, "list_json", &["phones", "list", "--json"]);

    snap(
        &emu,
        "list_json_one_user",
        &["phones", "list", "--json", "--show-numbers", "--user", "user-2"],
    );

    snap(
        &emu,
        "list_one_number",
        &["phones", "list", "--number", "+1 415 555 0101"],
    );
}

#[test]
fn list_sorted() {
    let emu = emulator();
    let sdk = client(&emu);
    // Seeded out of order.
    for (user, n) in [("user-b", 2), ("user-a", 1), ("user-c", 3)] {
        seed(&sdk, user, &format!("+1415555010{n}"));
    }
    let args = [
        "phones",
        "list",
        "--show-numbers",
        "--sort-by",
        "phone-number",
        "--order",
        "desc",
    ];
    snap(&emu, "list_sorted_number_desc", &args);
    snap(
        &emu,
        "list_sorted_user",
        &["phones", "list", "--sort-by", "user-id"],
    );
    snap(&emu, "usage_bad_sort", &["phones", "list", "--sort-by", "date"]);
}

#[test]
fn list_pages_through_every_page() {
    let emu = emulator();
    let sdk = client(&emu);
    for i in 0..7 {
        seed(&sdk, &format!("user-{i}"), &format!("+1415555010{i}"));
    }
    let before = calls(&emu, "list");
    snap(
        &emu,
        "list_paged",
        &["phones", "list", "--page-size", "3", "--show-numbers"],
    );
    assert_eq!(calls(&emu, "list") - before, 3, "three pages of 3, 3 and 1");

    let output = cli(&emu)
        .args(["phones", "list", "--page-size", "3", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(ids(&output.stdout).len(), 7);
    // Not a terminal: no progress on standard error, only the count.
    assert!(
        output.stderr.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn add_then_delete_with_yes() {
    let emu = emulator();
    snap(&emu, "add", &["phones", "add", "user-1", "+1 (415) 555-0100"]);

    let output = cli(&emu)
        .args(["phones", "list", "--json", "--user", "user-1"])
        .output()
        .unwrap();
    let added = ids(&output.stdout);
    assert_eq!(added.len(), 1);

    let output = cli(&emu)
        .args(["phones", "delete", "user-1", &added[0], "--yes"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("deleted phone number {} of user user-1\n", added[0])
    );
    let output = cli(&emu).args(["phones", "list", "--json"]).output().unwrap();
    assert!(ids(&output.stdout).is_empty());
}

#[test]
fn add_json_then_delete_json() {
    let emu = emulator();
    let output = snap(
        &emu,
        "add_json",
        &["phones", "add", "user-1", "+14155550100", "--json"],
    );
    let id = ids(&output.stdout).remove(0);
    let output = cli(&emu)
        .args(["phones", "delete", "user-1", &id, "-y", "--json"])
        .output()
        .unwrap();
    let line: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        line,
        serde_json::json!({"userId": "user-1", "phoneId": id, "deleted": true})
    );
}

#[test]
fn delete_without_yes_off_a_terminal_is_refused() {
    let emu = emulator();
    let sdk = client(&emu);
    seed(&sdk, "user-1", "+14155550100");
    let id = ids(&cli(&emu)
        .args(["phones", "list", "--json"])
        .output()
        .unwrap()
        .stdout)
    .remove(0);
    let output = run_with_stdin(cli(&emu), &["phones", "delete", "user-1", &id], "y\n");
    assert_eq!(output.status.code(), Some(2));
    let output = common::render(&output).replace(&id, "[UUID]");
    insta::with_settings!({prepend_module_to_snapshot => false, snapshot_path => "snapshots"}, {
        insta::assert_snapshot!("delete_refused", output);
    });
    assert_eq!(calls(&emu, "vendor_delete"), 0, "nothing was sent");
}

#[test]
fn api_error_prints_code_and_trace_id() {
    let emu = emulator();
    let output = cli(&emu)
        .args(["phones", "delete", "user-1", "no-such-id", "--yes"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error code: ER-EMULATOR-PHONE-NOT-FOUND"),
        "{stderr}"
    );
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("trace id: ") && l.len() == "trace id: ".len() + 32),
        "{stderr}"
    );
    snapshot("api_error", &output);

    let sdk = client(&emu);
    seed(&sdk, "user-1", "+14155550100");
    snap(
        &emu,
        "api_error_duplicate",
        &["phones", "add", "user-1", "+14155550100"],
    );
}

#[test]
fn connection_failure() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = bare()
        .env("FRONTEGG_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("FRONTEGG_CLIENT_ID", "id")
        .env("FRONTEGG_API_KEY", "key")
        .args(["phones", "list"])
        .output()
        .unwrap();
    snapshot("connection_failure", &output);

    // --base-url wins over FRONTEGG_BASE_URL, which points at a live emulator.
    let emu = emulator();
    let output = cli(&emu)
        .args([
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "phones",
            "list",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4), "{}", common::render(&output));
    assert!(emu.requests().is_empty());
}

#[test]
fn configuration_errors() {
    let id = ("FRONTEGG_CLIENT_ID", "id");
    let key = ("FRONTEGG_API_KEY", "key");
    let list = &["phones", "list"][..];
    for (name, vars, args) in [
        ("config_no_client_id", &[][..], list),
        ("config_no_api_key", &[id][..], list),
        (
            "config_bad_region",
            &[id, key, ("FRONTEGG_REGION", "mars")][..],
            list,
        ),
        (
            "config_insecure_base_url",
            &[id, key][..],
            &["--base-url", "http://example.com", "phones", "list"][..],
        ),
    ] {
        let output = bare().envs(vars.iter().copied()).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(5), "{name}");
        snapshot(name, &output);
    }
}

#[test]
fn usage_errors_exit_2_and_send_nothing() {
    let emu = emulator();
    for (name, args) in [
        ("usage_unknown_command", &["phones", "frobnicate"][..]),
        ("usage_missing_argument", &["phones", "add", "user-1"][..]),
        ("usage_page_size", &["phones", "list", "--page-size", "0"][..]),
        (
            "usage_bad_number",
            &["phones", "add", "user-1", "415 555 0100"][..],
        ),
        ("usage_config_set_nothing", &["sms-config", "set"][..]),
        ("usage_no_command", &[][..]),
    ] {
        let output = cli(&emu).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{name}");
        snapshot(name, &output);
    }
    assert!(emu.requests().is_empty(), "{:?}", emu.requests());
}

#[test]
fn api_key_from_stdin() {
    let emu = emulator();
    let sdk = client(&emu);
    seed(&sdk, "user-1", "+14155550100");
    let (_, secret) = emu.vendor_credentials();
    let output = run_with_stdin(
        key_on_stdin(&emu),
        &["--api-key-stdin", "phones", "list", "--json"],
        format!("  {secret}  \n"),
    );
    assert!(output.status.success(), "{}", common::render(&output));
    assert_eq!(ids(&output.stdout).len(), 1);

    // It wins over FRONTEGG_API_KEY.
    let output = run_with_stdin(cli(&emu), &["phones", "list", "--api-key-stdin"], "not-the-key\n");
    snapshot("api_key_stdin_wrong", &output);

    let output = run_with_stdin(key_on_stdin(&emu), &["--api-key-stdin", "phones", "list"], "");
    snapshot("api_key_stdin_empty", &output);
}

#[test]
fn mfa_devices() {
    let emu = emulator();
    let sdk = client(&emu);
    snap(&emu, "mfa_devices_none", &["mfa", "devices", "user-1"]);

    let user = UserId::new("user-1").unwrap();
    let number = PhoneNumber::parse("+14155550100").unwrap();
    let otc = sdk.mfa().enroll_sms(&user, &number).unwrap();
    let code = VerificationCode::parse(&emu.last_code("+14155550100").unwrap()).unwrap();
    sdk.mfa().verify_sms_enrollment(&user, &otc, &code).unwrap();

    snap(&emu, "mfa_devices", &["mfa", "devices", "user-1"]);
    snap(
        &emu,
        "mfa_devices_json",
        &["mfa", "devices", "user-1", "--json", "--show-numbers"],
    );
}

#[test]
fn rate_limit_and_server_errors_are_api_errors() {
    use frontegg_identity_emulator::{FaultSpec, Route};
    let emu = emulator();
    // A reset beyond the retry budget: reported at once, with the wait.
    emu.inject_fault(FaultSpec::on(Route::List).times(3).retry_after("3600"));
    snap(&emu, "rate_limited", &["phones", "list"]);
    emu.clear_faults();

    // A 503 is retried, then reported.
    emu.inject_fault(FaultSpec::on(Route::List).times(3).status(503));
    let output = snap(&emu, "server_error", &["phones", "list"]);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        calls(&emu, "list"),
        4,
        "one rate-limited call, then three attempts"
    );
}
