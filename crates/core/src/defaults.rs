//! Every default of the client configuration, in one place: the builder
//! starts from these, the bindings read them (the Python package's keyword
//! defaults come from here), and a test checks the README's configuration
//! table against them.

use std::time::Duration;

use crate::config::Region;

/// The region when neither a region nor a base URL is given.
pub const REGION: Region = Region::Eu;

/// The time allowed to connect.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The time allowed for one attempt, from connecting to the last byte.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The time allowed for a whole call: every attempt, retry and wait.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// The largest answer body read.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// Whether proxies are taken from the environment.
pub const PROXY_FROM_ENV: bool = true;

/// Attempts per call, the first included (a call that may have sent an SMS
/// or consumed a code is attempted once whatever this says).
pub const MAX_ATTEMPTS: u32 = 3;

/// The first backoff between attempts (doubled each time).
pub const INITIAL_BACKOFF: Duration = Duration::from_millis(200);

/// The longest backoff between two attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// The longest a call waits between attempts in all.
pub const MAX_TOTAL_WAIT: Duration = Duration::from_secs(30);

/// The `User-Agent` of the Rust clients.
pub const USER_AGENT: &str = concat!("frontegg-identity-rust/", env!("CARGO_PKG_VERSION"));
