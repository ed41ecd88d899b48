//! One call, as a sans-IO state machine shared by the async and blocking
//! clients: it decides the credentials, builds each attempt, classifies each
//! answer, and says when to wait and when to stop. A client only feeds it
//! what it asked for (a vendor token, an answer, a finished wait), each in
//! its own way (`.await` or blocking); see [`Call::step`].

use std::time::{Duration, Instant, SystemTime};

use http::header::AUTHORIZATION;
use http::{HeaderValue, Request, Response, StatusCode};

use crate::auth::AuthPlan;
use crate::config::ClientConfig;
use crate::endpoint::{Endpoint, RequestContext, VendorAuth, error_from_response, tag_transport_error};
use crate::error::{Error, TransportError};
use crate::retry::{Failure, RetryDecision};
use crate::route::{AuthScheme, Route};

/// What the call needs from its client next.
pub(crate) enum Step<'a, O> {
    /// A vendor token for these credentials ([`Input::Token`]); first drop
    /// `rejected` from the cache, if set (Frontegg refused it).
    Token {
        /// The vendor credentials.
        credentials: VendorAuth<'a>,
        /// The token Frontegg just refused.
        rejected: Option<HeaderValue>,
    },
    /// This request sent ([`Input::Answer`]).
    Send(Request<Vec<u8>>),
    /// This wait ([`Input::Waited`]).
    Sleep(Duration),
    /// Nothing more: the call's outcome.
    Done(Result<O, Error>),
}

/// What the client feeds back.
pub(crate) enum Input {
    /// The first step.
    Start,
    /// The vendor token asked for.
    Token(Result<HeaderValue, Error>),
    /// The transport's outcome for the request.
    Answer(Result<Response<Vec<u8>>, TransportError>),
    /// The wait is over.
    Waited,
}

/// One call of `E` on a client.
pub(crate) struct Call<'a, E> {
    config: &'a ClientConfig,
    endpoint: &'a E,
    plan: AuthPlan<'a>,
    /// The first attempt's request, built before anything is sent so that bad
    /// input is refused before vendor authentication too.
    prepared: Option<Request<Vec<u8>>>,
    /// The `Authorization` of the attempt in flight, to drop it if rejected.
    authorization: Option<HeaderValue>,
    attempt: u32,
    waited: Duration,
    reauthed: bool,
    started: Instant,
}

impl<'a, E: Endpoint> Call<'a, E> {
    /// Checks the credentials and the input; nothing is sent yet.
    pub(crate) fn new(config: &'a ClientConfig, endpoint: &'a E) -> Result<Self, Error> {
        let plan = config.auth_plan(E::ROUTE, endpoint.auth(), endpoint.user_id().is_some())?;
        let prepared = endpoint.request(&config.context(E::ROUTE, endpoint.auth(), None))?;
        Ok(Self {
            config,
            endpoint,
            plan,
            prepared: Some(prepared),
            authorization: None,
            attempt: 1,
            waited: Duration::ZERO,
            reauthed: false,
            started: Instant::now(),
        })
    }

    /// Advances the call with what the client brings.
    pub(crate) fn step(&mut self, input: Input) -> Step<'a, E::Output> {
        match input {
            Input::Start | Input::Waited => match &self.plan {
                AuthPlan::Vendor(credentials) => Step::Token {
                    credentials: *credentials,
                    rejected: None,
                },
                AuthPlan::None => self.attempt_with(None),
                AuthPlan::Header(header) => {
                    let header = header.clone();
                    self.attempt_with(Some(header))
                }
            },
            Input::Token(Ok(header)) => self.attempt_with(Some(header)),
            Input::Token(Err(error)) => Step::Done(Err(error)),
            Input::Answer(outcome) => self.answer(outcome),
        }
    }

    fn attempt_with(&mut self, authorization: Option<HeaderValue>) -> Step<'a, E::Output> {
        let request = match self.prepared.take() {
            Some(request) => Ok(request),
            None => {
                let ctx = self.config.context(E::ROUTE, self.endpoint.auth(), None);
                self.endpoint.request(&ctx)
            }
        };
        match request {
            Ok(mut request) => {
                if let Some(value) = &authorization {
                    request.headers_mut().insert(AUTHORIZATION, value.clone());
                }
                self.authorization = authorization;
                Step::Send(request)
            }
            Err(error) => Step::Done(Err(error)),
        }
    }

    fn answer(&mut self, outcome: Result<Response<Vec<u8>>, TransportError>) -> Step<'a, E::Output> {
        let route = E::ROUTE;
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
                    return Step::Done(self.endpoint.parse_success(response));
                }
                if status == StatusCode::NOT_FOUND
                    && let Some(none) = self.endpoint.not_found()
                {
                    return Step::Done(Ok(none));
                }
                if let (StatusCode::UNAUTHORIZED, AuthPlan::Vendor(credentials), false) =
                    (status, &self.plan, self.reauthed)
                {
                    self.reauthed = true;
                    tracing::debug!(
                        route = route.name(),
                        "vendor token rejected; re-authenticating once"
                    );
                    return Step::Token {
                        credentials: *credentials,
                        rejected: self.authorization.take(),
                    };
                }
                let decision = self.config.retry.decide(
                    route,
                    self.attempt,
                    self.waited,
                    Failure::Status(status, response.headers()),
                    SystemTime::now(),
                );
                match decision {
                    RetryDecision::Retry(wait) => self.retry(wait, status.as_str()),
                    RetryDecision::Stop { retry_after } => {
                        Step::Done(Err(error_from_response(route, &response, retry_after)))
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
                let decision = self.config.retry.decide(
                    route,
                    self.attempt,
                    self.waited,
                    Failure::Transport(&error),
                    SystemTime::now(),
                );
                match decision {
                    RetryDecision::Retry(wait) => self.retry(wait, "transport error"),
                    RetryDecision::Stop { .. } => Step::Done(Err(tag_transport_error(route, error))),
                }
            }
        }
    }

    fn retry(&mut self, wait: Duration, why: &str) -> Step<'a, E::Output> {
        tracing::warn!(
            route = E::ROUTE.name(),
            attempt = self.attempt,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            why,
            "retrying frontegg call"
        );
        self.attempt += 1;
        self.waited += wait;
        Step::Sleep(wait)
    }
}

impl ClientConfig {
    /// The request context for `route` called with `scheme`, with the given `Authorization`.
    pub(crate) fn context<'a>(
        &'a self,
        route: Route,
        scheme: AuthScheme,
        authorization: Option<&'a HeaderValue>,
    ) -> RequestContext<'a> {
        let vendor = self.is_vendor() && scheme != AuthScheme::None;
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
            vendor_host: self.vendor_host.as_ref(),
            vendor,
        }
    }
}
