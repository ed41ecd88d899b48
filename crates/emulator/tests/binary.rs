//! The binary prints its address, serves, and exits 0 on SIGTERM.
#![allow(missing_docs, clippy::unwrap_used)]

use std::io::BufRead as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Starts the binary with `args`; the child and the URL of its first line.
async fn start(args: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_frontegg-identity-emulator"))
        .args(args)
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
    (child, url)
}

/// Runs the binary with `--port 0` and `args` to its end (for arguments it refuses).
fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_frontegg-identity-emulator"))
        .args(["--port", "0"])
        .args(args)
        .output()
        .unwrap()
}

/// `GET .../phone-numbers/v1/me` on the binary at `url`, with `token` when given.
async fn list_mine(url: &str, token: Option<&str>) -> reqwest::Response {
    let req = reqwest::Client::new().get(format!("{url}/identity/resources/users/phone-numbers/v1/me"));
    let req = match token {
        Some(t) => req.bearer_auth(t),
        None => req,
    };
    req.send().await.unwrap()
}

#[tokio::test]
async fn binary_starts_serves_and_stops_on_sigterm() {
    let (mut child, url) = start(&["--port", "0", "--code-length", "4"]).await;
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
    let bad = run(&["--fault", r#"{"route":"nope"}"#]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown route name"));

    let (mut child, url) = start(&["--port", "0", "--fault", r#"{"route":"list_mine","status":503}"#]).await;
    assert_eq!(list_mine(&url, None).await.status(), 503);
    let _ = child.kill();
    let _ = child.wait();
}

#[tokio::test]
async fn binary_refuses_malformed_keys_and_seeds_naming_the_line() {
    let dir = std::env::temp_dir().join(format!("fie-binary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed = dir.join("seed.json");
    std::fs::write(&seed, "{\n  \"users\": [\n    {\"userId\": \"u1\",}\n  ]\n}\n").unwrap();
    let key = dir.join("key.pem");
    std::fs::write(
        &key,
        "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let out = run(&["--seed", seed.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("seed.json") && err.contains("line 3"), "{err}");
    let out = run(&["--signing-key", key.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid signing key"));
    let out = run(&["--seed", dir.join("missing.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json"));

    // A good seed, a pinned key and unsigned tokens accepted.
    std::fs::write(
        &seed,
        r#"{"phoneNumbers": [{"userId": "u1", "phoneNumber": "+14155550100"}]}"#,
    )
    .unwrap();
    let (mut child, url) = start(&[
        "--port",
        "0",
        "--seed",
        seed.to_str().unwrap(),
        "--signing-key",
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/signing-key.pem"),
        "--accept-unsigned-tokens",
    ])
    .await;
    let state: serde_json::Value = reqwest::get(format!("{url}/_emulator/state"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state["phoneNumbers"][0]["userId"], "u1");
    let unsigned = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1MSJ9.";
    assert_eq!(list_mine(&url, Some(unsigned)).await.status(), 200);
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
