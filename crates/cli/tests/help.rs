//! `frontegg-identity --help` and every command's help: complete, with
//! examples, and the exit codes on the top level.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use common::{bare, snapshot};

const COMMANDS: &[&[&str]] = &[
    &[],
    &["phones"],
    &["phones", "list"],
    &["phones", "add"],
    &["phones", "delete"],
    &["sms-config"],
    &["sms-config", "show"],
    &["sms-config", "set"],
    &["sms-config", "delete"],
    &["sms-templates"],
    &["sms-templates", "list"],
    &["sms-templates", "show"],
    &["sms-templates", "set"],
    &["sms-templates", "delete"],
    &["sms-templates", "defaults"],
    &["mfa"],
    &["mfa", "devices"],
];

#[test]
fn every_command_has_complete_help() {
    for path in COMMANDS {
        let output = bare().args(*path).arg("--help").output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{path:?}");
        assert!(output.stderr.is_empty(), "{path:?}");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains("Examples:"), "{path:?} has no examples:\n{text}");
        assert!(text.contains("Usage: frontegg-identity"), "{path:?}:\n{text}");
        let name = if path.is_empty() {
            "help".to_owned()
        } else {
            format!("help_{}", path.join("_").replace('-', "_"))
        };
        snapshot(&name, &output);
    }
}

#[test]
fn top_level_help_documents_exit_codes_and_environment() {
    let output = bare().arg("-h").output().unwrap();
    let short = String::from_utf8_lossy(&output.stdout);
    let output = bare().arg("--help").output().unwrap();
    let long = String::from_utf8_lossy(&output.stdout);
    for text in [&short, &long] {
        for code in [
            "0  success",
            "2  usage error",
            "3  Frontegg answered",
            "4  connection",
            "5  configuration",
        ] {
            assert!(text.contains(code), "{code} missing:\n{text}");
        }
    }
    for var in [
        "FRONTEGG_CLIENT_ID",
        "FRONTEGG_API_KEY",
        "FRONTEGG_REGION",
        "FRONTEGG_BASE_URL",
    ] {
        assert!(long.contains(var), "{var} missing:\n{long}");
    }
}

#[test]
fn version() {
    let output = bare().arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("frontegg-identity {}\n", env!("CARGO_PKG_VERSION"))
    );
}
