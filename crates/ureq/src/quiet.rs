//! Fewer system calls per request on a pooled connection.
//!
//! ureq, as configured, spends more system calls per request on bookkeeping
//! than on the exchange itself (a `write` and a `read`):
//!
//! - it probes a connection twice for every request: when it goes back to
//!   the pool and again when it is taken out. ureq's probe is three calls
//!   (`ioctl(FIONBIO)` on, a one-byte `recvfrom`, `ioctl(FIONBIO)` off);
//!   the TCP transport this crate uses in place of ureq's (`socket.rs`)
//!   probes in one (`recv` with `MSG_PEEK | MSG_DONTWAIT`);
//! - it writes a request with a body in two system calls, the head and
//!   then the body, so the server's kernel and the server wake up twice;
//! - it sets the socket's read and write timeouts (`setsockopt`) before
//!   every request, because the time left before the attempt's timeout is a
//!   few microseconds shorter each time, and it only skips the call when the
//!   value is unchanged.
//!
//! [`Quiet`] is the last connector of the chain (after TLS): its transport passes
//! everything through, except that it
//!
//! - holds back what ureq asks it to send until ureq waits for the answer
//!   (or more than an output buffer is held), then sends it in one write:
//!   ureq always waits for an answer after a request, even after the head
//!   alone when it expects `100 Continue`, so nothing is held for longer;
//! - answers the probe made when the connection goes back to the pool with
//!   "open" and leaves the verdict to the probe made when the connection is
//!   next taken out, which ureq makes in any case and which sees the same
//!   things (bytes the server sent after the answer, a closed connection)
//!   plus whatever happened in between;
//! - rounds the time left up to the next whole millisecond before handing it
//!   to the socket, so that it is the same from one request to the next and
//!   ureq sets it once per connection. The kernel keeps socket timeouts in
//!   jiffies (1 to 10 ms), so a timeout fires no later than before.
//!
//! What is left per request on a pooled connection: one write, one read and
//! the probe, 3 system calls.

use ureq::Error;
use ureq::unversioned::transport::time::Duration;
use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

/// See the module documentation.
#[derive(Debug, Default)]
pub(crate) struct Quiet;

impl<In: Transport> Connector<In> for Quiet {
    type Out = QuietTransport<In>;

    fn connect(
        &self,
        _details: &ConnectionDetails<'_>,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, Error> {
        Ok(chained.map(|inner| QuietTransport {
            inner,
            held: Vec::new(),
            used_since_probe: false,
        }))
    }
}

/// A transport whose probes and timeouts cost fewer system calls.
#[derive(Debug)]
pub(crate) struct QuietTransport<T> {
    /// The transport before it in the chain, by value: ureq boxes the
    /// chain's output once.
    inner: T,
    /// Output ureq has handed over and that is not sent yet.
    held: Vec<u8>,
    /// Whether the connection has carried a request since it was last
    /// probed: then this probe is the one made when it goes back to the pool.
    used_since_probe: bool,
}

impl<T: Transport> QuietTransport<T> {
    /// Sends the held output, in as few writes as the output buffer allows.
    fn send_held(&mut self, timeout: NextTimeout) -> Result<(), Error> {
        let mut at = 0;
        while at < self.held.len() {
            let output = self.inner.buffers().output();
            let n = output.len().min(self.held.len() - at);
            output[..n].copy_from_slice(&self.held[at..at + n]);
            self.inner.transmit_output(n, steady(timeout))?;
            at += n;
        }
        self.held.clear();
        Ok(())
    }
}

/// `timeout` with the time left rounded up to a whole millisecond.
fn steady(mut timeout: NextTimeout) -> NextTimeout {
    if let Duration::Exact(left) = timeout.after {
        let nanos = left.subsec_nanos();
        let rounded = nanos.div_ceil(1_000_000) * 1_000_000;
        if rounded != nanos {
            timeout.after = Duration::Exact(
                std::time::Duration::from_secs(left.as_secs())
                    + std::time::Duration::from_nanos(u64::from(rounded)),
            );
        }
    }
    timeout
}

impl<T: Transport> Transport for QuietTransport<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        self.used_since_probe = true;
        let output = self.inner.buffers().output();
        let room = output.len();
        self.held.extend_from_slice(&output[..amount]);
        if self.held.len() > room {
            self.send_held(timeout)?;
        }
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        self.used_since_probe = true;
        self.send_held(timeout)?;
        self.inner.await_input(steady(timeout))
    }

    fn is_open(&mut self) -> bool {
        if std::mem::take(&mut self.used_since_probe) {
            // Going back to the pool: the probe when it is taken out decides.
            return true;
        }
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ureq::Timeout;

    fn after(d: std::time::Duration) -> NextTimeout {
        NextTimeout {
            after: Duration::Exact(d),
            reason: Timeout::Global,
            per_read: None,
            per_write: None,
        }
    }

    #[test]
    fn time_left_is_rounded_up_to_the_millisecond() {
        let ms = std::time::Duration::from_millis;
        let steady_after = |d| *steady(after(d)).after;
        assert_eq!(
            steady_after(ms(30_000) - std::time::Duration::from_micros(137)),
            ms(30_000)
        );
        assert_eq!(
            steady_after(ms(1_500) + std::time::Duration::from_nanos(1)),
            ms(1_501)
        );
        assert_eq!(steady_after(ms(7)), ms(7));
        assert_eq!(steady_after(std::time::Duration::ZERO), std::time::Duration::ZERO);
        let never = NextTimeout::default();
        assert_eq!(steady(never).after, Duration::NotHappening);
    }
}
