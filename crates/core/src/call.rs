//! The attempt loop's decisions, shared by the async and blocking clients,
//! which differ only in how they send, sleep and lock.

use std::time::{Duration, Instant, SystemTime};

use http::header::AUTHORIZATION;
use http::{HeaderValue, Request, Response, StatusCode};

use crate::config::ClientConfig;
use crate::endpoint::{AuthScheme, RequestContext, Route, error_from_response, tag_transport_error};
use crate::error::{Error, TransportError};
use crate::retry::{Failure, RetryDecision};

/// What the loop does next.
pub(crate) enum Next {
    /// A 2xx answer: parse it.
    Done(Response<Vec<u8>>),
    /// The vendor token was rejected: drop it and try again at once.
    Reauth,
    /// Wait, then try again.
    Sleep(Duration),
    /// Give up with this error.
    Fail(Error),
}

pub(crate) struct CallState {
    route: Route,
    attempt: u32,
    waited: Duration,
    reauthed: bool,
    started: Instant,
}

impl CallState {
    pub(crate) fn new(route: Route) -> Self {
        Self {
            route,
            attempt: 1,
            waited: Duration::ZERO,
            reauthed: false,
            started: Instant::now(),
        }
    }

    /// Classifies one attempt's outcome.
    pub(crate) fn next(
        &mut self,
        config: &ClientConfig,
        outcome: Result<Response<Vec<u8>>, TransportError>,
        vendor_token: bool,
    ) -> Next {
        let route = self.route;
        let elapsed_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match outcome {
            Ok(response) => {
                let status = response.status();
                tracing::debug!(
                    route = route.name(),
                    attempt = self.attempt,
                    status = status.as_u16(),
                    elapsed_ms,
                    "frontegg call answered"
                );
                if status.is_success() {
                    return Next::Done(response);
                }
                if status == StatusCode::UNAUTHORIZED && vendor_token && !self.reauthed {
                    self.reauthed = true;
                    tracing::debug!(
                        route = route.name(),
                        "vendor token rejected; re-authenticating once"
                    );
                    return Next::Reauth;
                }
                let decision = config.retry.decide(
                    route,
                    self.attempt,
                    self.waited,
                    Failure::Status(status, response.headers()),
                    SystemTime::now(),
                );
                match decision {
                    RetryDecision::Retry(wait) => self.retry(wait, status.as_str()),
                    RetryDecision::Stop { retry_after } => {
                        Next::Fail(error_from_response(route, &response, retry_after))
                    }
                }
            }
            Err(error) => {
                tracing::debug!(
                    route = route.name(),
                    attempt = self.attempt,
                    error = %error,
                    elapsed_ms,
                    "frontegg call failed in transport"
                );
                let decision = config.retry.decide(
                    route,
                    self.attempt,
                    self.waited,
                    Failure::Transport(&error),
                    SystemTime::now(),
                );
                match decision {
                    RetryDecision::Retry(wait) => self.retry(wait, "transport error"),
                    RetryDecision::Stop { .. } => Next::Fail(tag_transport_error(route, error)),
                }
            }
        }
    }

    fn retry(&mut self, wait: Duration, why: &str) -> Next {
        tracing::warn!(
            route = self.route.name(),
            attempt = self.attempt,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            why,
            "retrying frontegg call"
        );
        self.attempt += 1;
        self.waited += wait;
        Next::Sleep(wait)
    }
}

impl ClientConfig {
    /// The request context for `route`, with the given `Authorization`.
    pub(crate) fn context<'a>(
        &'a self,
        route: Route,
        authorization: Option<&'a HeaderValue>,
    ) -> RequestContext<'a> {
        let vendor = self.is_vendor() && route != Route::VendorAuth;
        RequestContext {
            gateway: &self.gateway,
            authorization,
            user_agent: &self.user_agent,
            tenant_id: if vendor { self.tenant_id.as_ref() } else { None },
            user_id: if vendor && route.auth() == AuthScheme::User {
                self.user_id.as_ref()
            } else {
                None
            },
        }
    }
}

/// Adds the `Authorization` header (already marked sensitive) to a request.
pub(crate) fn authorize(request: &mut Request<Vec<u8>>, authorization: Option<&HeaderValue>) {
    if let Some(value) = authorization {
        request.headers_mut().insert(AUTHORIZATION, value.clone());
    }
}
