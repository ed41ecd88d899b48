//! `frontegg-identity sms-config` and `sms-templates` against the emulator.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use common::{calls, cli, emulator, key_on_stdin, render, run_with_stdin, snap, snapshot};

const TOKEN: &str = "provider-token-canary";

#[test]
fn sms_config_set_show_delete_never_prints_the_token() {
    let emu = emulator();
    snap(&emu, "sms_config_none", &["sms-config", "show"]);

    let output = cli(&emu)
        .args([
            "sms-config",
            "set",
            "--provider",
            "twilio",
            "--account-id",
            "AC123",
        ])
        .args(["--sender-name", "Acme", "--token-stdin"])
        .write_stdin(format!("{TOKEN}\n"))
        .output()
        .unwrap();
    snapshot("sms_config_set", &output);
    assert!(!render(&output).contains(TOKEN));

    snap(&emu, "sms_config_show", &["sms-config", "show"]);
    snap(&emu, "sms_config_show_json", &["sms-config", "show", "--json"]);

    snap(
        &emu,
        "sms_config_delete",
        &["sms-config", "delete", "--yes", "--json"],
    );
    let output = cli(&emu).args(["sms-config", "show"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    for request in emu.requests() {
        assert!(!format!("{request:?}").contains(TOKEN));
    }
}

#[test]
fn api_key_then_provider_token_from_stdin() {
    let emu = emulator();
    let (_, secret) = emu.vendor_credentials();
    let output = key_on_stdin(&emu)
        .args([
            "--api-key-stdin",
            "sms-config",
            "set",
            "--channel",
            "sms",
            "--token-stdin",
            "--json",
        ])
        .write_stdin(format!("{secret}\n{TOKEN}\n"))
        .output()
        .unwrap();
    snapshot("sms_config_set_both_stdin", &output);

    // The API key's line, then the template.
    let output = key_on_stdin(&emu)
        .args([
            "--api-key-stdin",
            "sms-templates",
            "set",
            "OTC",
            "--file",
            "-",
            "--json",
        ])
        .write_stdin(format!("{secret}\n{{\"body\": \"code {{{{code}}}}\"}}\n"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "{\"body\":\"code {{code}}\",\"type\":\"OTC\"}\n",
        "{}",
        render(&output)
    );

    // The token's line is missing: refused before anything is set.
    let output = run_with_stdin(
        cli(&emu),
        &["sms-config", "set", "--channel", "sms", "--token-stdin"],
        "",
    );
    assert_eq!(output.status.code(), Some(2), "{}", render(&output));
    assert_eq!(calls(&emu, "set_sms_config"), 1);
}

#[test]
fn templates_set_list_show_delete() {
    let emu = emulator();
    snap(&emu, "templates_empty", &["sms-templates", "list"]);

    let file = std::env::temp_dir().join(format!("frontegg-cli-template-{}.json", std::process::id()));
    std::fs::write(
        &file,
        r#"{"body": "Your Acme code is {{code}}", "sender": "Acme"}"#,
    )
    .unwrap();
    let output = cli(&emu)
        .args(["sms-templates", "set", "OTC", "--file"])
        .arg(&file)
        .output()
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    snapshot("templates_set_file", &output);

    let output = run_with_stdin(
        cli(&emu),
        &["sms-templates", "set", "MFA", "--file", "-", "--json"],
        r#"{"body": "MFA code {{code}}"}"#,
    );
    snapshot("templates_set_stdin", &output);

    snap(&emu, "templates_list", &["sms-templates", "list"]);
    snap(&emu, "templates_list_json", &["sms-templates", "list", "--json"]);
    snap(&emu, "templates_show", &["sms-templates", "show", "OTC"]);

    snap(
        &emu,
        "templates_delete",
        &["sms-templates", "delete", "OTC", "--yes"],
    );
    snap(&emu, "templates_show_missing", &["sms-templates", "show", "OTC"]);
}

#[test]
fn templates_defaults() {
    let emu = emulator();
    snap(&emu, "templates_defaults", &["sms-templates", "defaults"]);
    snap(
        &emu,
        "templates_default_one",
        &["sms-templates", "defaults", "mfa_login", "--json"],
    );
    let output = cli(&emu)
        .args(["sms-templates", "defaults", "no-such-type"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn bad_templates_are_usage_errors() {
    let emu = emulator();
    for (name, input) in [
        ("templates_not_json", "{nope"),
        ("templates_not_object", "[1, 2]"),
    ] {
        let output = run_with_stdin(cli(&emu), &["sms-templates", "set", "OTC", "--file", "-"], input);
        assert_eq!(output.status.code(), Some(2), "{name}");
        snapshot(name, &output);
    }
    snap(
        &emu,
        "templates_no_file",
        &["sms-templates", "set", "OTC", "--file", "/no/such/file.json"],
    );
    assert_eq!(calls(&emu, "set_sms_template"), 0);
}
