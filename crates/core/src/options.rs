//! Per-call overrides of the client's time bounds and retries.

use std::time::Duration;

use crate::error::Error;
use crate::transport::TransportOptions;

/// Overrides for the calls of one copy of a client, made with
/// `Client::with_options` or `BlockingClient::with_options`. Unset fields
/// keep the client's setting.
///
/// ```
/// # use std::time::Duration;
/// # use frontegg_identity_core::CallOptions;
/// let quick = CallOptions::new().deadline(Duration::from_secs(2)).max_retries(0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    /// The time allowed for one attempt.
    pub timeout: Option<Duration>,
    /// The time allowed for the whole call, attempts and waits together.
    pub deadline: Option<Duration>,
    /// How many times a failed call may be tried again (0: never).
    pub max_retries: Option<u32>,
}

impl CallOptions {
    /// No overrides.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            timeout: None,
            deadline: None,
            max_retries: None,
        }
    }

    /// The time allowed for one attempt.
    #[must_use]
    pub const fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The time allowed for the whole call.
    #[must_use]
    pub const fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How many times a failed call may be tried again.
    #[must_use]
    pub const fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// These overrides over `base`: what is set here wins.
    pub(crate) fn over(self, base: Self) -> Self {
        Self {
            timeout: self.timeout.or(base.timeout),
            deadline: self.deadline.or(base.deadline),
            max_retries: self.max_retries.or(base.max_retries),
        }
    }

    /// Refuses a zero timeout or deadline, and a deadline shorter than the
    /// time allowed to connect.
    pub(crate) fn check(&self, transport: &TransportOptions) -> Result<(), Error> {
        check_times(
            transport.connect_timeout,
            self.timeout.unwrap_or(transport.timeout),
            self.deadline.unwrap_or(transport.deadline),
        )
    }
}

/// The rules every set of time bounds follows, at build time and per call.
pub(crate) fn check_times(
    connect_timeout: Duration,
    timeout: Duration,
    deadline: Duration,
) -> Result<(), Error> {
    if timeout.is_zero() || connect_timeout.is_zero() || deadline.is_zero() {
        return Err(Error::Configuration(
            "timeouts and the deadline must be greater than zero".into(),
        ));
    }
    if deadline < connect_timeout {
        return Err(Error::Configuration(format!(
            "the deadline ({:.3}s) must not be shorter than the connect timeout ({:.3}s)",
            deadline.as_secs_f64(),
            connect_timeout.as_secs_f64()
        )));
    }
    Ok(())
}

/// `with_options` and `options`, written once for both clients (each an
/// `Arc` of its shared parts, `inner`, beside its `options`).
macro_rules! with_options {
    ($client:ident, $transport:ident) => {
        impl<T: $transport> $client<T> {
            /// A copy of this client whose calls use `options` (over any this
            /// one has): it shares the connections and the vendor token. A
            /// zero timeout or deadline, or a deadline shorter than the
            /// connect timeout, is a configuration error.
            pub fn with_options(&self, options: CallOptions) -> Result<Self, Error> {
                let options = options.over(self.options);
                options.check(&self.inner.config.transport)?;
                Ok(Self {
                    inner: Arc::clone(&self.inner),
                    options,
                })
            }

            /// The per-call overrides of this copy of the client.
            #[must_use]
            pub fn options(&self) -> CallOptions {
                self.options
            }
        }
    };
}

pub(crate) use with_options;
