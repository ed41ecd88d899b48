//! ureq's TCP connector and transport, with a probe of one system call.
//!
//! ureq probes a pooled connection before reusing it by switching the socket
//! to non-blocking mode, reading one byte and switching it back: three system
//! calls per request. [`Tcp`] connects as ureq's `TcpConnector` does (each
//! resolved address in turn with a share of the connect timeout that halves
//! from one address to the next, no delay, the shutdown handle registered)
//! and its transport reads, writes and sets timeouts as ureq's does, but
//! probes with a single non-blocking peek (`recv` with `MSG_PEEK |
//! MSG_DONTWAIT`), which leaves the byte, if any, and the socket's mode as
//! they were. ureq's verdicts are kept: nothing to read means open; bytes
//! the server sent unasked, a closed connection or an error mean not open.
//! ureq exposes no socket of its own transport, hence this copy.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Weak};

use ureq::unversioned::transport::time::Duration;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, ShutdownHandle, Transport,
};
use ureq::{Error, Timeout};

/// Connects a TCP socket unless a connector before it (the CONNECT proxy's)
/// has made the connection. See the module documentation.
#[derive(Debug, Default)]
pub(crate) struct Tcp;

impl<In: Transport> Connector<In> for Tcp {
    type Out = Either<In, Socket>;

    fn connect(
        &self,
        details: &ConnectionDetails<'_>,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, Error> {
        if chained.is_some() {
            return Ok(chained.map(Either::A));
        }
        let config = details.config;
        let stream = Arc::new(try_connect(details)?);
        if config.no_delay() {
            stream.set_nodelay(true)?;
        }
        (details.register_shutdown)(Arc::downgrade(&stream) as Weak<dyn ShutdownHandle>)?;
        Ok(Some(Either::B(Socket {
            stream,
            buffers: LazyBuffers::new(config.input_buffer_size(), config.output_buffer_size()),
            timeout_read: None,
            timeout_write: None,
        })))
    }
}

/// ureq's `try_connect`: the first of the resolved addresses that connects.
fn try_connect(details: &ConnectionDetails<'_>) -> Result<TcpStream, Error> {
    const MIN_PER_ADDRESS: Duration = Duration::from_millis(10);
    let timeout = details.timeout;
    let count = i32::try_from(details.addrs.len()).unwrap_or(i32::MAX);
    let total_weight = 2.0 * (1.0 - 0.5_f64.powi(count));
    let mut weight = 1.0_f64;
    let mut last_err = None;
    for addr in details.addrs.iter() {
        let per_addr = timeout.not_zero().map(|t| {
            let secs = t.as_secs_f64() * weight / total_weight;
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Duration::from_millis((secs * 1000.0) as u64).max(MIN_PER_ADDRESS)
        });
        match connect_one(*addr, per_addr) {
            Ok(stream) => return Ok(stream),
            Err(Error::Io(e)) if is_addr_specific_error(&e) => {
                last_err = Some(Error::Io(e));
                continue;
            }
            Err(e @ Error::Timeout(_)) => {
                if (details.current_time)() > details.now + timeout.after {
                    return Err(Error::Timeout(timeout.reason));
                }
                last_err = Some(e);
            }
            Err(e) => return Err(e),
        }
        weight /= 2.0;
    }
    Err(last_err
        .unwrap_or_else(|| io::Error::new(io::ErrorKind::ConnectionRefused, "Connection refused").into()))
}

fn is_addr_specific_error(e: &io::Error) -> bool {
    #[cfg(windows)]
    if e.raw_os_error() == Some(10013) {
        return true;
    }
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::NetworkDown
            | io::ErrorKind::AddrNotAvailable
    )
}

fn connect_one(addr: SocketAddr, per_addr: Option<Duration>) -> Result<TcpStream, Error> {
    let stream = match per_addr {
        Some(when) => TcpStream::connect_timeout(&addr, *when),
        None => TcpStream::connect(addr),
    };
    match normalize_would_block(stream) {
        Ok(stream) => Ok(stream),
        Err(e) if e.kind() == io::ErrorKind::TimedOut => Err(Error::Timeout(Timeout::Connect)),
        Err(e) => Err(e.into()),
    }
}

/// A socket timing out reports `WouldBlock` on Unix, `TimedOut` elsewhere.
fn normalize_would_block<T>(result: io::Result<T>) -> io::Result<T> {
    result.map_err(|e| {
        if e.kind() == io::ErrorKind::WouldBlock {
            io::Error::new(io::ErrorKind::TimedOut, e)
        } else {
            e
        }
    })
}

/// ureq's `TcpTransport` but for the probe.
pub(crate) struct Socket {
    /// Shared (weakly) with the shutdown handle.
    stream: Arc<TcpStream>,
    buffers: LazyBuffers,
    timeout_read: Option<Duration>,
    timeout_write: Option<Duration>,
}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Socket")
            .field("addr", &self.stream.peer_addr().ok())
            .finish()
    }
}

/// Fails with the timeout's reason when no time is left, else sets the
/// socket's timeout with `set` when it differs from the one set before.
fn apply(
    timeout: NextTimeout,
    previous: &mut Option<Duration>,
    stream: &TcpStream,
    set: fn(&TcpStream, Option<std::time::Duration>) -> io::Result<()>,
) -> Result<NextTimeout, Error> {
    if timeout.after.is_zero() {
        return Err(Error::Timeout(timeout.reason));
    }
    let wanted = timeout.not_zero();
    if wanted != *previous {
        set_timeout(previous, wanted, || set(stream, wanted.map(|t| *t)))?;
    }
    Ok(timeout)
}

/// Sets a socket timeout, remembering the value set.
fn set_timeout(
    previous: &mut Option<Duration>,
    timeout: Option<Duration>,
    set: impl FnOnce() -> io::Result<()>,
) -> io::Result<()> {
    match set() {
        Ok(()) => *previous = timeout,
        // macOS may refuse it once the peer has closed; the I/O will tell.
        Err(e) if cfg!(target_os = "macos") && e.kind() == io::ErrorKind::InvalidInput => {}
        Err(e) => return Err(e),
    }
    Ok(())
}

fn timed_out_or(reason: Timeout) -> impl FnOnce(io::Error) -> Error {
    move |e| {
        if e.kind() == io::ErrorKind::TimedOut {
            Error::Timeout(reason)
        } else {
            e.into()
        }
    }
}

impl Transport for Socket {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        let timeout = apply(
            timeout.for_write(),
            &mut self.timeout_write,
            &self.stream,
            TcpStream::set_write_timeout,
        )?;
        let output = &self.buffers.output()[..amount];
        normalize_would_block((&*self.stream).write_all(output)).map_err(timed_out_or(timeout.reason))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        let timeout = apply(
            timeout.for_read(),
            &mut self.timeout_read,
            &self.stream,
            TcpStream::set_read_timeout,
        )?;
        let wanted = timeout.not_zero();
        let started = std::time::Instant::now();
        let input = self.buffers.input_append_buf();
        // Linux does not restart a socket read with a timeout that a signal
        // interrupted: retry with the time left, as ureq does.
        let result = loop {
            match (&*self.stream).read(input) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    let Some(limit) = wanted else { break Err(e) };
                    let left = limit.saturating_sub(started.elapsed());
                    if left.is_zero() {
                        break Err(io::ErrorKind::TimedOut.into());
                    }
                    let stream = &self.stream;
                    set_timeout(&mut self.timeout_read, Some(left.into()), || {
                        stream.set_read_timeout(Some(left))
                    })?;
                }
                result => break result,
            }
        };
        let amount = normalize_would_block(result).map_err(timed_out_or(timeout.reason))?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        probe(&self.stream)
    }
}

/// Whether the connection is open with nothing unread: one non-blocking peek.
#[cfg(unix)]
fn probe(stream: &TcpStream) -> bool {
    let mut buf = [std::mem::MaybeUninit::<u8>::uninit()];
    match socket2::SockRef::from(stream).recv_with_flags(&mut buf, libc::MSG_PEEK | libc::MSG_DONTWAIT) {
        // Nothing to read: the connection is idle and open.
        Err(e) => e.kind() == io::ErrorKind::WouldBlock,
        // Closed (0), or bytes the server sent unasked.
        Ok(_) => false,
    }
}

/// ureq's probe where there is no `MSG_DONTWAIT`.
#[cfg(not(unix))]
fn probe(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let idle = matches!(stream.peek(&mut [0]), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
    idle && stream.set_nonblocking(false).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, server)
    }

    #[test]
    fn probe_tells_an_idle_connection_from_a_closed_or_talkative_one() {
        let (client, server) = pair();
        assert!(probe(&client), "idle");
        assert!(probe(&client), "the probe changes nothing");

        (&server).write_all(b"x").unwrap();
        // The byte is left in place, so the verdict stays.
        for _ in 0..2 {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            while probe(&client) && std::time::Instant::now() < deadline {
                std::thread::yield_now();
            }
            assert!(!probe(&client), "unasked bytes");
        }
        let mut byte = [0];
        (&client).read_exact(&mut byte).unwrap();
        assert_eq!(&byte, b"x");
        assert!(probe(&client), "idle again, and still blocking");

        drop(server);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while probe(&client) && std::time::Instant::now() < deadline {
            std::thread::yield_now();
        }
        assert!(!probe(&client), "closed");
    }

    /// Reads one request head and answers it, keeping the connection open.
    fn answer(mut conn: &TcpStream) {
        let mut head = Vec::new();
        let mut byte = [0];
        while !head.ends_with(b"\r\n\r\n") {
            conn.read_exact(&mut byte).unwrap();
            head.push(byte[0]);
        }
        conn.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
            .unwrap();
    }

    #[test]
    fn a_pooled_connection_the_server_closed_is_not_reused() {
        use frontegg_identity_core::{BlockingIdentityTransport, ClientBuilder};
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let (closed_tx, closed_rx) = std::sync::mpsc::channel();
        let server = std::thread::spawn(move || {
            let (first, _) = listener.accept().unwrap();
            answer(&first);
            drop(first);
            closed_tx.send(()).unwrap();
            let (second, _) = listener.accept().unwrap();
            answer(&second);
            second
        });
        let transport = crate::UreqTransport::new(ClientBuilder::new().transport_options()).unwrap();
        let get = || transport.execute(http::Request::get(&url).body(Vec::new()).unwrap());
        assert_eq!(get().unwrap().body(), b"ok");
        closed_rx.recv().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50));
        // The pooled connection is found closed: a new one carries the request.
        assert_eq!(get().unwrap().body(), b"ok");
        drop(server.join().unwrap());
    }
}
