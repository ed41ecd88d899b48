//! The two transport traits: one async, one blocking, one method each.
//!
//! A transport sends a request and returns the answer, whatever its status:
//! the client interprets statuses. It must not follow redirects, must bound
//! the body it reads, and must say in its errors whether the request may
//! have reached the server.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use http::{Request, Response};

use crate::error::TransportError;

/// An async HTTP transport.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait::async_trait]
pub trait IdentityTransport: Send + Sync + 'static {
    /// Sends `request` and returns the answer with its whole body.
    async fn execute(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError>;
}

/// A blocking HTTP transport.
#[cfg_attr(feature = "mock", mockall::automock)]
pub trait BlockingIdentityTransport: Send + Sync + 'static {
    /// Sends `request` and returns the answer with its whole body.
    fn execute(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError>;
}

/// How the async client waits between attempts, so that core needs no runtime.
pub trait AsyncSleep: Send + Sync + 'static {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// A runtime-agnostic sleep (a timer thread from `futures-timer`). Transport
/// crates install their runtime's own sleep instead.
#[derive(Debug, Clone, Copy, Default)]
pub struct TimerSleep;

impl AsyncSleep for TimerSleep {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(futures_timer::Delay::new(duration))
    }
}

/// What a transport is asked to honour; built by the client builder.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransportOptions {
    /// The time allowed to connect.
    pub connect_timeout: Duration,
    /// The time allowed for one whole attempt, connecting to the last byte.
    pub timeout: Duration,
    /// The largest answer body read; a larger one is an error.
    pub max_response_bytes: usize,
    /// Whether to use `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` from the environment.
    pub proxy_from_env: bool,
}

impl Default for TransportOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_response_bytes: 1024 * 1024,
            proxy_from_env: true,
        }
    }
}
