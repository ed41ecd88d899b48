//! When a failed call is tried again, and after how long.
//!
//! The rules, from the API contract:
//! - 429 means the request was not processed: any route may be retried,
//!   after `X-Rate-Limit-Reset` (RFC 3339 date-time), else `Retry-After`
//!   (seconds or HTTP-date), else exponential backoff with jitter. A wait
//!   longer than the policy allows ends the call with
//!   [`Error::RateLimited`](crate::Error::RateLimited) at once.
//! - A request that provably never left (connection refused, DNS failure)
//!   may be retried on any route.
//! - A request that may have reached the server (timeout, reset, 5xx) is
//!   retried only on idempotent routes (the reads and vendor
//!   authentication), and only on 502, 503 and 504 or a transport failure:
//!   a POST or DELETE that may have sent an SMS or consumed a code is never
//!   repeated.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

use crate::defaults;
use crate::endpoint::Route;
use crate::error::{TransportError, TransportErrorKind};

/// How many times, and how long, a client may retry a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_total_wait: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    /// Three attempts, backoff from 200 ms to 5 s, at most 30 s of waiting
    /// (the values of [`defaults`]).
    fn default() -> Self {
        Self {
            max_attempts: defaults::MAX_ATTEMPTS,
            initial_backoff: defaults::INITIAL_BACKOFF,
            max_backoff: defaults::MAX_BACKOFF,
            max_total_wait: defaults::MAX_TOTAL_WAIT,
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// No retries at all: every call is attempted once (a vendor token that
    /// Frontegg rejects is still refreshed once).
    #[must_use]
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    setters! {
        /// The number of attempts, the first included (at least 1).
        max_attempts(attempts: u32) => max_attempts = attempts.max(1);

        /// The first backoff; each next one doubles, up to `max_backoff`.
        initial_backoff(backoff: Duration) => initial_backoff = backoff;

        /// The longest single backoff.
        max_backoff(backoff: Duration) => max_backoff = backoff;

        /// The most a call may spend waiting between attempts, in all. A
        /// rate-limit wait that would exceed it is not waited for.
        max_total_wait(wait: Duration) => max_total_wait = wait;

        /// Whether backoffs are randomised ("equal jitter": a wait is drawn
        /// between half the backoff and the whole of it). On by default.
        jitter(jitter: bool) => jitter = jitter;
    }

    /// The configured number of attempts.
    #[must_use]
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(1).min(20);
        let base = self
            .initial_backoff
            .saturating_mul(1 << exp)
            .min(self.max_backoff);
        if self.jitter {
            // Equal jitter: half the backoff, plus a random part of the other
            // half, so retries spread out but never come back at once.
            let half = base / 2;
            half + half.mul_f64(fastrand::f64())
        } else {
            base
        }
    }

    /// Decides what follows a failed attempt.
    ///
    /// `attempt` counts from 1; `waited` is what the call has already spent
    /// waiting. `now` is used for date headers.
    #[must_use]
    pub fn decide(
        &self,
        route: Route,
        attempt: u32,
        waited: Duration,
        failure: Failure<'_>,
        now: SystemTime,
    ) -> RetryDecision {
        let told = match failure {
            Failure::Status(status, headers) if status == StatusCode::TOO_MANY_REQUESTS => {
                rate_limit_wait(headers, now)
            }
            _ => None,
        };
        let retryable = match failure {
            Failure::Status(status, _) => {
                status == StatusCode::TOO_MANY_REQUESTS
                    || (route.is_idempotent()
                        && matches!(
                            status,
                            StatusCode::BAD_GATEWAY
                                | StatusCode::SERVICE_UNAVAILABLE
                                | StatusCode::GATEWAY_TIMEOUT
                        ))
            }
            Failure::Transport(error) => {
                let transient = matches!(
                    error.kind,
                    TransportErrorKind::Connect | TransportErrorKind::Timeout | TransportErrorKind::Io
                );
                transient && (!error.may_have_been_sent || route.is_idempotent())
            }
        };
        if !retryable || attempt >= self.max_attempts {
            return RetryDecision::Stop { retry_after: told };
        }
        let wait = told.unwrap_or_else(|| self.backoff(attempt));
        if waited.saturating_add(wait) > self.max_total_wait {
            return RetryDecision::Stop { retry_after: told };
        }
        RetryDecision::Retry(wait)
    }
}

/// A failed attempt, as the retry policy sees it.
#[derive(Debug, Clone, Copy)]
pub enum Failure<'a> {
    /// A non-2xx answer.
    Status(StatusCode, &'a HeaderMap),
    /// A transport failure.
    Transport(&'a TransportError),
}

/// What the policy decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Try again after this wait.
    Retry(Duration),
    /// Give up; for a 429, how long the server asked to wait.
    Stop {
        /// The server's requested wait, when it gave one.
        retry_after: Option<Duration>,
    },
}

/// The wait a 429 asks for: `X-Rate-Limit-Reset`, else `Retry-After`.
/// `None` when neither is usable (absent, unparseable, in the past or negative).
#[must_use]
pub fn rate_limit_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    header("x-rate-limit-reset")
        .and_then(|v| parse_rate_limit_reset(v, now))
        .or_else(|| header("retry-after").and_then(|v| parse_retry_after(v, now)))
}

/// Parses `X-Rate-Limit-Reset`: an RFC 3339 date-time (what Frontegg sends),
/// or a Unix time in seconds. `None` if unparseable or not in the future.
#[must_use]
pub fn parse_rate_limit_reset(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.len() > 64 {
        return None;
    }
    if let Ok(date) = chrono::DateTime::parse_from_rfc3339(value) {
        let at = SystemTime::from(date);
        return at.duration_since(now).ok().filter(|d| !d.is_zero());
    }
    let seconds: u64 = value.parse().ok()?;
    let at = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds))?;
    at.duration_since(now).ok().filter(|d| !d.is_zero())
}

/// Parses `Retry-After`: delay seconds (more than a `u64` holds is read as
/// `u64::MAX` seconds) or an HTTP-date. `None` if unparseable, negative or
/// in the past.
#[must_use]
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.len() > 64 {
        return None;
    }
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is a wait beyond any budget, not no wait.
        return Some(Duration::from_secs(value.parse::<u64>().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    at.duration_since(now).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn header_parsers() {
        let n = now();
        let in_3s = chrono::DateTime::<chrono::Utc>::from(n + Duration::from_secs(3)).to_rfc3339();
        assert_eq!(parse_rate_limit_reset(&in_3s, n), Some(Duration::from_secs(3)));
        let past = chrono::DateTime::<chrono::Utc>::from(n - Duration::from_secs(3)).to_rfc3339();
        assert_eq!(parse_rate_limit_reset(&past, n), None);
        assert_eq!(parse_rate_limit_reset("soon", n), None);
        assert_eq!(
            parse_rate_limit_reset("1800000005", n),
            Some(Duration::from_secs(5))
        );
        assert_eq!(parse_retry_after("7", n), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("-7", n), None);
        assert_eq!(
            parse_retry_after("99999999999999999999999", n),
            Some(Duration::from_secs(u64::MAX))
        );
        let date = httpdate::fmt_http_date(n + Duration::from_secs(10));
        assert_eq!(parse_retry_after(&date, n), Some(Duration::from_secs(10)));
        assert_eq!(
            rate_limit_wait(
                &headers(&[("x-rate-limit-reset", "bad"), ("retry-after", "2")]),
                n
            ),
            Some(Duration::from_secs(2))
        );
    }

    /// The retry decision table: route x failure -> retry or not.
    #[test]
    fn decision_table() {
        let p = RetryPolicy::default().jitter(false);
        let empty = HeaderMap::new();
        let refused = TransportError::connect("refused");
        let timeout = TransportError::timeout(true, "slow");
        let reset = TransportError::io("reset");
        let too_big = TransportError::body_too_large(1);
        let status = |s: u16| Failure::Status(StatusCode::from_u16(s).unwrap(), &empty);
        let retries = |route: Route, f: Failure<'_>| {
            matches!(
                p.decide(route, 1, Duration::ZERO, f, now()),
                RetryDecision::Retry(_)
            )
        };

        for route in Route::ALL {
            // 429 and a refused connection: nothing was processed.
            assert!(retries(route, status(429)), "{route:?} 429");
            assert!(retries(route, Failure::Transport(&refused)), "{route:?} refused");
            // Client errors and 500 are never retried.
            for s in [400, 401, 403, 404, 409, 413, 500] {
                assert!(!retries(route, status(s)), "{route:?} {s}");
            }
            assert!(!retries(route, Failure::Transport(&too_big)));
            // Maybe-sent failures: only idempotent routes.
            let idempotent = matches!(
                route,
                Route::List
                    | Route::ListMine
                    | Route::VendorAuth
                    | Route::GetSmsConfig
                    | Route::SmsTemplates
                    | Route::SmsTemplate
                    | Route::DefaultSmsTemplate
                    | Route::DefaultSmsTemplates
                    | Route::MfaDevices
            );
            for s in [502, 503, 504] {
                assert_eq!(retries(route, status(s)), idempotent, "{route:?} {s}");
            }
            assert_eq!(
                retries(route, Failure::Transport(&timeout)),
                idempotent,
                "{route:?} timeout"
            );
            assert_eq!(
                retries(route, Failure::Transport(&reset)),
                idempotent,
                "{route:?} reset"
            );
        }
        for route in [
            Route::Assign,
            Route::Preverify,
            Route::StartDelete,
            Route::StartSmsEnrollment,
            Route::SendSmsCode,
            Route::EnrollSms,
            Route::StartSmsDisable,
            Route::StartSmsLogin,
            Route::StartSmsReset,
        ] {
            assert!(route.sends_sms(), "{route}");
            assert!(!route.is_idempotent(), "{route}");
        }
        // Code-consuming and settings-writing routes are never retried either.
        for route in [
            Route::Verify,
            Route::ConfirmDelete,
            Route::FinishSmsEnrollment,
            Route::VerifySmsCode,
            Route::VerifySmsEnrollment,
            Route::ConfirmSmsDisable,
            Route::FinishSmsLogin,
            Route::VerifySmsReset,
            Route::SetSmsConfig,
            Route::DeleteSmsConfig,
            Route::SetSmsTemplate,
            Route::DeleteSmsTemplate,
        ] {
            assert!(!route.sends_sms() && !route.is_idempotent(), "{route}");
        }
    }

    #[test]
    fn budget_and_backoff() {
        let p = RetryPolicy::default().jitter(false).max_attempts(3);
        let empty = HeaderMap::new();
        let f = Failure::Status(StatusCode::SERVICE_UNAVAILABLE, &empty);
        assert_eq!(
            p.decide(Route::List, 1, Duration::ZERO, f, now()),
            RetryDecision::Retry(Duration::from_millis(200))
        );
        assert_eq!(
            p.decide(Route::List, 2, Duration::ZERO, f, now()),
            RetryDecision::Retry(Duration::from_millis(400))
        );
        assert_eq!(
            p.decide(Route::List, 3, Duration::ZERO, f, now()),
            RetryDecision::Stop { retry_after: None }
        );
        assert_eq!(
            RetryPolicy::none().decide(Route::List, 1, Duration::ZERO, f, now()),
            RetryDecision::Stop { retry_after: None }
        );

        let enormous = headers(&[("retry-after", "86400")]);
        let f = Failure::Status(StatusCode::TOO_MANY_REQUESTS, &enormous);
        assert_eq!(
            p.decide(Route::Preverify, 1, Duration::ZERO, f, now()),
            RetryDecision::Stop {
                retry_after: Some(Duration::from_secs(86400))
            }
        );
        let short = headers(&[("retry-after", "1")]);
        let f = Failure::Status(StatusCode::TOO_MANY_REQUESTS, &short);
        assert_eq!(
            p.decide(Route::Preverify, 1, Duration::ZERO, f, now()),
            RetryDecision::Retry(Duration::from_secs(1))
        );
        assert_eq!(
            p.decide(Route::Preverify, 1, Duration::from_secs(30), f, now()),
            RetryDecision::Stop {
                retry_after: Some(Duration::from_secs(1))
            }
        );
        let jittered = RetryPolicy::default();
        for attempt in 1..10 {
            if let RetryDecision::Retry(d) = jittered.decide(
                Route::List,
                1,
                Duration::ZERO,
                Failure::Status(StatusCode::BAD_GATEWAY, &empty),
                now(),
            ) {
                assert!(
                    d >= Duration::from_millis(100) && d <= Duration::from_millis(200),
                    "{attempt}: {d:?}"
                );
            }
        }
    }
}
