//! The floor: a minimal keep-alive HTTP/1.1 server with fixed answers, and
//! the byte-identity check of SDK and raw requests built on it.

use std::io::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::BoxError;
use crate::sdk::{AsyncClient, BlockingClient};

/// The `otcToken` the floor server hands out.
const FLOOR_OTC: &str = "floor-otc-token-0123456789abcdef";
/// Five records, shaped like the emulator's `list_mine` answer (the core's
/// micro-benchmarks parse the same file).
const LIST_BODY: &str = include_str!("../../core/benches/list_mine.json");

type Capture = Arc<Mutex<Vec<Vec<u8>>>>;

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn content_length(head: &[u8]) -> usize {
    head.split(|&b| b == b'\n')
        .filter_map(|line| {
            let line = std::str::from_utf8(line).ok()?;
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())
                .flatten()
        })
        .next()
        .unwrap_or(0)
}

fn answer(head: &[u8], out: &mut Vec<u8>) {
    let path = head
        .split(|&b| b == b' ')
        .nth(1)
        .and_then(|p| std::str::from_utf8(p).ok())
        .unwrap_or("");
    let (status, body) = if path.ends_with("/preverify") {
        ("200 OK", format!(r#"{{"otcToken":"{FLOOR_OTC}"}}"#))
    } else if path.ends_with("/verify") {
        ("200 OK", String::new())
    } else if path.ends_with("/me") {
        ("200 OK", LIST_BODY.to_owned())
    } else {
        ("404 Not Found", String::new())
    };
    out.clear();
    let _ = write!(
        out,
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
}

async fn connection(mut socket: TcpStream, capture: Option<Capture>) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    let mut out = Vec::with_capacity(2048);
    loop {
        let head_end = loop {
            if let Some(pos) = find(&buf, b"\r\n\r\n") {
                break pos + 4;
            }
            let n = socket.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let end = head_end + content_length(&buf[..head_end]);
        while buf.len() < end {
            let n = socket.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        if let Some(capture) = &capture {
            capture
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(buf[..end].to_vec());
        }
        answer(&buf[..head_end], &mut out);
        socket.write_all(&out).await?;
        buf.drain(..end);
    }
}

async fn accept_loop(listener: TcpListener, capture: Option<Capture>) -> std::io::Result<()> {
    loop {
        let (socket, _) = listener.accept().await?;
        socket.set_nodelay(true)?;
        tokio::spawn(connection(socket, capture.clone()));
    }
}

/// Serves fixed answers until killed.
pub(crate) fn serve(port: u16) -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let mut stdout = std::io::stdout().lock();
        writeln!(
            stdout,
            "frontegg-identity-bench floor listening on http://{}",
            listener.local_addr()?
        )?;
        stdout.flush()?;
        drop(stdout);
        accept_loop(listener, None).await?;
        Ok(())
    })
}

/// The machine's floor for one sequential client: `list_mine`'s GET over one
/// kept-alive socket, one write and reads until the answer is complete, no
/// HTTP library. Prints one line per repetition.
pub(crate) fn ping(base_url: &str, requests: usize, reps: usize) -> Result<(), BoxError> {
    use std::io::Read as _;

    let authority = base_url
        .strip_prefix("http://")
        .ok_or("ping needs an http:// base URL")?
        .trim_end_matches('/');
    let mut socket = std::net::TcpStream::connect(authority)?;
    socket.set_nodelay(true)?;
    let request = format!(
        "GET /identity/resources/users/phone-numbers/v1/me HTTP/1.1\r\nhost: {authority}\r\n\
         accept: application/json\r\nauthorization: Bearer floor-user-token\r\n\r\n"
    );
    let mut buf = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    let mut round_trip = |socket: &mut std::net::TcpStream| -> Result<(), BoxError> {
        socket.write_all(request.as_bytes())?;
        buf.clear();
        loop {
            let n = socket.read(&mut chunk)?;
            if n == 0 {
                return Err("the floor server closed the connection".into());
            }
            buf.extend_from_slice(&chunk[..n]);
            if let Some(pos) = find(&buf, b"\r\n\r\n")
                && buf.len() >= pos + 4 + content_length(&buf[..pos + 4])
            {
                return Ok(());
            }
        }
    };
    for _ in 0..200 {
        round_trip(&mut socket)?;
    }
    for rep in 0..reps {
        let started = std::time::Instant::now();
        for _ in 0..requests {
            round_trip(&mut socket)?;
        }
        let seconds = started.elapsed().as_secs_f64();
        let line = serde_json::json!({
            "bench": "socket",
            "label": "",
            "variant": "raw",
            "parallelism": 1,
            "floor": true,
            "rep": rep,
            "requests": requests,
            "seconds": seconds,
            "requests_per_s": requests as f64 / seconds,
        });
        println!("{line}");
    }
    Ok(())
}

fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace("\r\n", "\\r\\n\n")
}

/// How an async variant's client is made, from the base URL and the token.
type MakeAsync = fn(&str, &str) -> Result<AsyncClient, BoxError>;

/// Sends the three measured requests with each variant of each transport to
/// a capturing floor server and compares the bytes.
pub(crate) fn check_requests() -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let capture: Capture = Arc::default();
    let listener = runtime.block_on(TcpListener::bind(("127.0.0.1", 0)))?;
    let base = format!("http://{}", listener.local_addr()?);
    runtime.spawn(accept_loop(listener, Some(Arc::clone(&capture))));
    let token = "floor-user-token";
    let phone = "+14155550100";
    let take = || std::mem::take(&mut *capture.lock().unwrap_or_else(PoisonError::into_inner));

    let mut captured = Vec::new();
    // Pairs: the SDK, then the variant held to it.
    let asyncs: [(&str, MakeAsync); 4] = [
        ("reqwest", AsyncClient::sdk),
        ("reqwest", AsyncClient::raw),
        ("hyper-util", AsyncClient::sdk_hyper),
        ("hyper-util", AsyncClient::hyper),
    ];
    for (transport, make) in asyncs {
        let client = make(&base, token)?;
        runtime.block_on(async {
            let otc = client.preverify(phone).await?;
            client.verify(&otc, "123456").await?;
            client.list_mine().await?;
            Ok::<_, BoxError>(())
        })?;
        captured.push((transport, take()));
    }
    for client in [
        BlockingClient::sdk(&base, token)?,
        BlockingClient::raw(&base, token),
    ] {
        let otc = client.preverify(phone)?;
        client.verify(&otc, "123456")?;
        client.list_mine()?;
        captured.push(("ureq", take()));
    }
    let mut failures = 0;
    for pair in captured.chunks(2) {
        let [(transport, sdk), (_, raw)] = pair else {
            continue;
        };
        if sdk.len() != 3 || raw.len() != 3 {
            return Err(format!("{transport}: expected 3 requests per variant").into());
        }
        for (route, (s, r)) in ["preverify", "verify", "list_mine"]
            .iter()
            .zip(sdk.iter().zip(raw))
        {
            if s == r {
                println!("identical {transport} {route} ({} bytes)", s.len());
            } else {
                failures += 1;
                println!(
                    "DIFFERENT {transport} {route}\n--- sdk\n{}\n--- raw\n{}",
                    show(s),
                    show(r)
                );
            }
        }
    }
    if failures > 0 {
        return Err(format!("{failures} request(s) differ between the SDK and raw code").into());
    }
    Ok(())
}
