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
use crate::error::{DeadlineExceeded, Error, TransportError, TransportErrorKind};
use crate::options::CallOptions;
use crate::retry::{Failure, RetryDecision, RetryPolicy, rate_limit_wait};
use crate::route::{AuthScheme, Route};
use crate::transport::AttemptTimeout;

/// How close to the deadline a timeout counts as the deadline's: timers
/// fire on time or a little late, never this early.
const DEADLINE_SLACK: Duration = Duration::from_millis(20);

/// The tracing span of one call of `route`.
pub(crate) fn span(route: Route) -> tracing::Span {
    tracing::debug_span!("frontegg_identity.call", route = route.name(), method = %route.method())
}

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
    /// When the call must be over.
    deadline_at: Instant,
    /// The call's deadline, for the error.
    deadline: Duration,
    /// The time allowed for one attempt, before the deadline caps it.
    timeout: Duration,
    /// The client's retry policy, with this call's number of attempts.
    retry: RetryPolicy,
    /// Whether a request of this call may have reached the server.
    maybe_sent: bool,
}

impl<'a, E: Endpoint> Call<'a, E> {
    /// Checks the credentials and the input; nothing is sent yet.
    pub(crate) fn new(
        config: &'a ClientConfig,
        options: CallOptions,
        endpoint: &'a E,
    ) -> Result<Self, Error> {
        let plan = config.auth_plan(E::ROUTE, endpoint.auth(), endpoint.user_id().is_some())?;
        let prepared = endpoint.request(&config.context(E::ROUTE, endpoint.auth(), None))?;
        let started = Instant::now();
        let deadline = options.deadline.unwrap_or(config.transport.deadline);
        Ok(Self {
            config,
            endpoint,
            plan,
            prepared: Some(prepared),
            authorization: None,
            attempt: 1,
            waited: Duration::ZERO,
            reauthed: false,
            started,
            deadline_at: started.checked_add(deadline).unwrap_or(started),
            deadline,
            timeout: options.timeout.unwrap_or(config.transport.timeout),
            retry: match options.max_retries {
                Some(retries) => config.retry.clone().max_attempts(retries.saturating_add(1)),
                None => config.retry.clone(),
            },
            maybe_sent: false,
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
                let left = self.deadline_at.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Step::Done(Err(self.deadline_passed(None)));
                }
                let timeout = self.timeout.min(left);
                if timeout != self.config.transport.timeout {
                    request.extensions_mut().insert(AttemptTimeout(timeout));
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
                self.maybe_sent = true;
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
                let now = SystemTime::now();
                let decision = self.decide(Failure::Status(status, response.headers()), now);
                match decision {
                    RetryDecision::Retry(wait) if self.too_late(wait) => {
                        // A 429 says how long to wait: that is the answer,
                        // as when the wait exceeds the retry budget.
                        let error = if status == StatusCode::TOO_MANY_REQUESTS {
                            error_from_response(route, &response, rate_limit_wait(response.headers(), now))
                        } else {
                            self.deadline_passed(Some(error_from_response(route, &response, None)))
                        };
                        Step::Done(Err(error))
                    }
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
                self.maybe_sent |= error.may_have_been_sent;
                // A timeout at the deadline is the deadline's (the attempt's
                // timeout was capped to it); an earlier one, such as the
                // connect timeout, is an attempt's like any other.
                if error.kind == TransportErrorKind::Timeout && self.too_late(DEADLINE_SLACK) {
                    let error = tag_transport_error(route, error);
                    return Step::Done(Err(self.deadline_passed(Some(error))));
                }
                let decision = self.decide(Failure::Transport(&error), SystemTime::now());
                match decision {
                    RetryDecision::Retry(wait) if self.too_late(wait) => {
                        let error = tag_transport_error(route, error);
                        Step::Done(Err(self.deadline_passed(Some(error))))
                    }
                    RetryDecision::Retry(wait) => self.retry(wait, "transport error"),
                    RetryDecision::Stop { .. } => Step::Done(Err(tag_transport_error(route, error))),
                }
            }
        }
    }

    /// What the retry policy decides after this attempt's `failure`.
    fn decide(&self, failure: Failure<'_>, now: SystemTime) -> RetryDecision {
        self.retry
            .decide(E::ROUTE, self.attempt, self.waited, failure, now)
    }

    /// Whether a retry after `wait` would start at or past the deadline.
    fn too_late(&self, wait: Duration) -> bool {
        Instant::now()
            .checked_add(wait)
            .is_none_or(|at| at >= self.deadline_at)
    }

    /// The error of a call whose deadline passed, after `last`.
    fn deadline_passed(&self, last: Option<Error>) -> Error {
        tracing::debug!(
            route = E::ROUTE.name(),
            attempt = self.attempt,
            "frontegg call deadline passed"
        );
        Error::Transport(TransportError::deadline(DeadlineExceeded {
            route: E::ROUTE,
            deadline: self.deadline,
            // Without a last failure, the attempt counted was not made.
            attempts: if last.is_some() {
                self.attempt
            } else {
                self.attempt - 1
            },
            may_have_been_sent: self.maybe_sent,
            last,
        }))
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
