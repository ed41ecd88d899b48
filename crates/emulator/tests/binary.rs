//! The binary prints its address, serves, and exits 0 on SIGTERM.
#![allow(missing_docs, clippy::unwrap_used)]

use std::io::BufRead as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test]
async fn binary_starts_serves_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_frontegg-identity-emulator"))
        .args(["--port", "0", "--code-length", "4"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    let url = line
        .trim_end()
        .strip_prefix("frontegg-identity-emulator listening on ")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"),
        "{url}"
    );

    let res = reqwest::get(format!("{url}/_emulator/health")).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), r#"{"status":"ok"}"#);

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        if start.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            panic!("the emulator did not stop within 5 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn binary_scripts_faults_given_on_the_command_line() {
    let bad = Command::new(env!("CARGO_BIN_EXE_frontegg-identity-emulator"))
        .args(["--port", "0", "--fault", r#"{"route":"nope"}"#])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown route name"));

    let mut child = Command::new(env!("CARGO_BIN_EXE_frontegg-identity-emulator"))
        .args(["--port", "0", "--fault", r#"{"route":"list_mine","status":503}"#])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    let url = line.trim_end().rsplit(' ').next().unwrap().to_owned();
    let res = reqwest::Client::new()
        .get(format!("{url}/identity/resources/users/phone-numbers/v1/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    let _ = child.kill();
    let _ = child.wait();
}
