//! The SDK's one error type.
//!
//! No error made by this crate carries a token, a secret, an `otcToken` or a
//! code, through `Display`, `Debug` or its source chain; phone numbers found
//! in server messages are masked. One exception is outside its control:
//! [`Error::Credentials`] keeps, as its source, the error that the
//! application's own token provider returned (its message is kept with
//! phone numbers masked); what that error holds is the application's.

use std::fmt;
use std::time::Duration;

use http::StatusCode;

use crate::phone::{PhoneNumberError, scrub_personal_data};
use crate::route::Route;

/// A boxed error from a transport or a callback.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Every way a call can fail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A phone number given to the SDK is not a valid international number.
    /// Nothing was sent.
    #[error("invalid phone number: {0}")]
    InvalidPhoneNumber(#[from] PhoneNumberError),
    /// Another argument is invalid. Nothing was sent.
    #[error(transparent)]
    InvalidInput(#[from] InvalidInput),
    /// The client is not configured for this call (wrong credentials kind,
    /// bad base URL, ...). Nothing was sent.
    #[error("configuration error: {0}")]
    Configuration(String),
    /// The token provider callback failed. Nothing was sent.
    #[error("the access-token provider failed: {message}")]
    Credentials {
        /// The provider's error message, phone numbers masked.
        message: String,
        /// The provider's error.
        #[source]
        source: BoxError,
    },
    /// Frontegg answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// Frontegg answered 429 and the retry budget did not allow waiting.
    /// The request was not processed.
    #[error("{error} (retry after {})", RetryAfter(.retry_after))]
    RateLimited {
        /// How long Frontegg asked to wait, when it said.
        retry_after: Option<Duration>,
        /// The 429 answer itself.
        error: Box<ApiError>,
    },
    /// The request could not be sent, or its answer not received.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// A success answer could not be decoded.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

/// The call did not finish within its deadline: the last attempt was cut
/// short by it, or the wait before the next one would have gone past it.
/// It is the source of a [`TransportErrorKind::Timeout`] error (so that
/// [`Error::is_timeout`] holds); see [`Error::deadline_exceeded`].
#[derive(Debug, thiserror::Error)]
#[error(
    "the call's deadline of {:.3}s passed on {route} after {attempts} attempt(s){}",
    .deadline.as_secs_f64(),
    .last.as_ref().map(|last| format!("; the last one: {last}")).unwrap_or_default()
)]
#[non_exhaustive]
pub struct DeadlineExceeded {
    /// The route that was called.
    pub route: Route,
    /// The deadline the call was given.
    pub deadline: Duration,
    /// The attempts made.
    pub attempts: u32,
    /// Whether a request of this call may have reached the server.
    pub may_have_been_sent: bool,
    /// The failure of the last attempt, if one was made.
    #[source]
    pub last: Option<Error>,
}

struct RetryAfter<'a>(&'a Option<Duration>);

impl fmt::Display for RetryAfter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(d) => write!(f, "{:.3}s", d.as_secs_f64()),
            None => f.write_str("an unspecified time"),
        }
    }
}

impl Error {
    /// The HTTP status Frontegg answered, for API and rate-limit errors.
    #[must_use]
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(e) | Self::RateLimited { error: e, .. } => Some(e.status),
            Self::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// Whether the failure is transient: a rate limit, a gateway error
    /// (502/503/504), or a connection failure or timeout. For a call that
    /// sends an SMS or consumes a code, also check
    /// [`may_have_been_sent`](Self::may_have_been_sent) before trying again.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited { .. } => true,
            Self::Api(e) => matches!(e.status.as_u16(), 502..=504),
            Self::Transport(e) => matches!(
                e.kind,
                TransportErrorKind::Connect | TransportErrorKind::Timeout | TransportErrorKind::Io
            ),
            _ => false,
        }
    }

    /// Whether the call timed out: an attempt's timeout, or the call's deadline.
    #[must_use]
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Transport(e) if e.kind == TransportErrorKind::Timeout)
    }

    /// What passed the call's deadline, when it did.
    #[must_use]
    pub fn deadline_exceeded(&self) -> Option<&DeadlineExceeded> {
        match self {
            Self::Transport(e) => e.deadline_exceeded(),
            _ => None,
        }
    }

    /// Whether the server's TLS certificate was refused (unknown issuer,
    /// expired, wrong name). Nothing was sent; add the CA with
    /// [`ClientBuilder::add_root_certificate`](crate::ClientBuilder::add_root_certificate)
    /// if the server is trusted.
    #[must_use]
    pub fn is_certificate(&self) -> bool {
        matches!(self, Self::Transport(e) if e.kind == TransportErrorKind::Certificate)
    }

    /// Whether the request may have reached Frontegg (and so may have sent an
    /// SMS or consumed a code). False for input, configuration and connection
    /// errors and for rate limits.
    #[must_use]
    pub fn may_have_been_sent(&self) -> bool {
        match self {
            Self::Api(_) | Self::Decode(_) => true,
            Self::Transport(e) => e.may_have_been_sent,
            _ => false,
        }
    }

    /// The Frontegg API error, for API and rate-limit errors.
    #[must_use]
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Api(e) | Self::RateLimited { error: e, .. } => Some(e),
            _ => None,
        }
    }

    /// Frontegg's `errorCode`, when it sent one.
    #[must_use]
    pub fn error_code(&self) -> Option<&str> {
        self.api_error().and_then(|e| e.error_code.as_deref())
    }

    /// The `frontegg-trace-id` of the answer, to quote to Frontegg.
    #[must_use]
    pub fn trace_id(&self) -> Option<&str> {
        match self {
            Self::Api(e) | Self::RateLimited { error: e, .. } => e.trace_id.as_deref(),
            Self::Decode(e) => e.trace_id.as_deref(),
            _ => None,
        }
    }

    /// The wait Frontegg asked for, for rate-limit errors.
    #[must_use]
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// An argument refused before anything was sent. Never contains the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {field}: {reason}")]
pub struct InvalidInput {
    /// Which argument.
    pub field: &'static str,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl InvalidInput {
    /// An invalid-argument error.
    #[must_use]
    pub const fn new(field: &'static str, reason: &'static str) -> Self {
        Self { field, reason }
    }
}

/// The longest body excerpt kept in an error, in bytes.
pub const BODY_EXCERPT_LIMIT: usize = 512;
const MAX_MESSAGES: usize = 16;
const MAX_MESSAGE_LEN: usize = 1024;

/// An error answer from Frontegg.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The route that was called.
    pub route: Route,
    /// Frontegg's messages (`errors`, or a gateway's `message`), phone numbers masked.
    pub messages: Vec<String>,
    /// Frontegg's `errorCode`.
    pub error_code: Option<String>,
    /// Frontegg's `errorCodes`, when it sent a list.
    pub error_codes: Vec<String>,
    /// The `frontegg-trace-id` response header.
    pub trace_id: Option<String>,
    /// The first bytes of the body (at most [`BODY_EXCERPT_LIMIT`]), phone numbers masked.
    pub body_excerpt: String,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Frontegg answered {} on {}", self.status, self.route)?;
        if !self.messages.is_empty() {
            write!(f, ": {}", self.messages.join("; "))?;
        }
        if let Some(code) = &self.error_code {
            write!(f, " [{code}]")?;
        }
        if let Some(trace) = &self.trace_id {
            write!(f, " (trace id {trace})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    /// Reads an error answer: Frontegg's `{"errors": [...], "errorCode": ...}`,
    /// a gateway's `{"statusCode": n, "message": ...}`, or anything else (an
    /// HTML page) kept as a bounded excerpt.
    #[must_use]
    pub fn from_response(route: Route, status: StatusCode, headers: &http::HeaderMap, body: &[u8]) -> Self {
        let trace_id = trace_id(headers);
        let mut error = Self {
            status,
            route,
            messages: Vec::new(),
            error_code: None,
            error_codes: Vec::new(),
            trace_id,
            body_excerpt: excerpt(body),
        };
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) {
            for key in ["errors", "message", "error"] {
                if let Some(value) = map.get(key) {
                    collect_strings(value, &mut error.messages);
                }
            }
            if let Some(serde_json::Value::String(code)) = map.get("errorCode") {
                error.error_code = Some(bounded(code));
            }
            if let Some(codes) = map.get("errorCodes") {
                collect_strings(codes, &mut error.error_codes);
            }
            if error.error_code.is_none() {
                error.error_code = error.error_codes.first().cloned();
            }
        }
        error
    }
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) if out.len() < MAX_MESSAGES => out.push(bounded(s)),
        serde_json::Value::Array(items) => {
            for item in items {
                collect_strings(item, out);
            }
        }
        serde_json::Value::Object(map) => {
            if let Some(message) = map.get("message") {
                collect_strings(message, out);
            }
        }
        _ => {}
    }
}

fn bounded(text: &str) -> String {
    let cut = floor_char_boundary(text, MAX_MESSAGE_LEN);
    scrub_personal_data(&text[..cut])
}

fn floor_char_boundary(text: &str, max: usize) -> usize {
    if text.len() <= max {
        return text.len();
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    cut
}

/// A bounded, printable excerpt of a body, phone numbers and e-mail
/// addresses masked.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(BODY_EXCERPT_LIMIT)];
    let text = String::from_utf8_lossy(head);
    scrub_personal_data(&text)
}

pub(crate) fn trace_id(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get("frontegg-trace-id")
        .and_then(|v| v.to_str().ok())
        .map(|v| v[..floor_char_boundary(v, 128)].to_owned())
}

/// A success answer that could not be decoded. Carries no part of the body,
/// which may hold a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DecodeError {
    /// The route that was called.
    pub route: Route,
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// The kind of problem (`syntax`, `data`, `eof`, `missing field`).
    pub reason: &'static str,
    /// Where in the body, 1-based; 0 when the body parsed but lacked
    /// something (see `reason`).
    pub line: usize,
    /// Where in the body, 1-based; 0 as for `line`.
    pub column: usize,
    /// The `frontegg-trace-id` response header.
    pub trace_id: Option<String>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode Frontegg's {} answer on {}: {}",
            self.status, self.route, self.reason
        )?;
        if self.line > 0 {
            write!(f, " at line {}, column {}", self.line, self.column)?;
        }
        Ok(())
    }
}

impl DecodeError {
    pub(crate) fn from_json(
        route: Route,
        status: StatusCode,
        headers: &http::HeaderMap,
        err: &serde_json::Error,
    ) -> Self {
        use serde_json::error::Category;
        let reason = match err.classify() {
            Category::Io => "i/o error",
            Category::Syntax => "invalid JSON",
            Category::Eof => "truncated JSON",
            Category::Data => "unexpected JSON shape",
        };
        Self {
            route,
            status,
            reason,
            line: err.line(),
            column: err.column(),
            trace_id: trace_id(headers),
        }
    }

    pub(crate) fn missing(
        route: Route,
        status: StatusCode,
        headers: &http::HeaderMap,
        what: &'static str,
    ) -> Self {
        Self {
            route,
            status,
            reason: what,
            line: 0,
            column: 0,
            trace_id: trace_id(headers),
        }
    }
}

/// What went wrong in a transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made (refused, DNS, TLS handshake).
    Connect,
    /// A timeout elapsed.
    Timeout,
    /// The connection failed while sending or receiving (reset, truncated body).
    Io,
    /// The answer's body was larger than the configured limit.
    BodyTooLarge,
    /// The request could not be built by the transport.
    Request,
    /// The server's TLS certificate was refused: nothing was sent.
    Certificate,
    /// Anything else.
    Other,
}

impl TransportErrorKind {
    fn describe(self) -> &'static str {
        match self {
            Self::Connect => "could not connect to Frontegg",
            Self::Timeout => "the request to Frontegg timed out",
            Self::Io => "the connection to Frontegg failed",
            Self::BodyTooLarge => "Frontegg's answer was larger than the response size limit",
            Self::Request => "the request could not be built",
            Self::Certificate => "Frontegg's TLS certificate was refused (is its CA trusted?)",
            Self::Other => "the HTTP transport failed",
        }
    }
}

/// A failure below HTTP, as reported by a transport.
///
/// `may_have_been_sent` decides whether a call that sends an SMS or consumes
/// a code can be retried: only when it is false.
#[derive(Debug, thiserror::Error)]
#[error("{}", Describe(self))]
pub struct TransportError {
    /// What went wrong.
    pub kind: TransportErrorKind,
    /// Whether the request may have reached the server.
    pub may_have_been_sent: bool,
    /// The route that was called, filled in by the client.
    pub route: Option<Route>,
    #[source]
    source: Option<BoxError>,
}

struct Describe<'a>(&'a TransportError);

impl fmt::Display for Describe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        if let Some(deadline) = e.deadline_exceeded() {
            return deadline.fmt(f);
        }
        f.write_str(e.kind.describe())?;
        if let Some(route) = e.route {
            write!(f, " on {route}")?;
        }
        if e.may_have_been_sent {
            f.write_str(" (the request may have reached the server)")?;
        }
        Ok(())
    }
}

impl TransportError {
    /// A transport error. The source must not carry secrets or the request
    /// URL (strip it, as `reqwest::Error::without_url` does).
    #[must_use]
    pub fn new(kind: TransportErrorKind, may_have_been_sent: bool, source: Option<BoxError>) -> Self {
        Self {
            kind,
            may_have_been_sent,
            route: None,
            source,
        }
    }

    /// The connection could not be made: nothing was sent.
    #[must_use]
    pub fn connect(source: impl Into<BoxError>) -> Self {
        Self::new(TransportErrorKind::Connect, false, Some(source.into()))
    }

    /// A timeout; `sent` says whether the request may have reached the server.
    #[must_use]
    pub fn timeout(sent: bool, source: impl Into<BoxError>) -> Self {
        Self::new(TransportErrorKind::Timeout, sent, Some(source.into()))
    }

    /// The server's certificate was refused: nothing was sent.
    #[must_use]
    pub fn certificate(source: impl Into<BoxError>) -> Self {
        Self::new(TransportErrorKind::Certificate, false, Some(source.into()))
    }

    /// An I/O failure after the connection was made.
    #[must_use]
    pub fn io(source: impl Into<BoxError>) -> Self {
        Self::new(TransportErrorKind::Io, true, Some(source.into()))
    }

    /// The body exceeded `limit` bytes.
    #[must_use]
    pub fn body_too_large(limit: usize) -> Self {
        Self::new(
            TransportErrorKind::BodyTooLarge,
            true,
            Some(format!("the limit is {limit} bytes").into()),
        )
    }

    /// The call's deadline passed; `deadline.last` is the last attempt's failure.
    pub(crate) fn deadline(deadline: DeadlineExceeded) -> Self {
        let route = deadline.route;
        let sent = deadline.may_have_been_sent;
        Self::new(TransportErrorKind::Timeout, sent, Some(Box::new(deadline))).with_route(route)
    }

    /// What passed the call's deadline, when this is a deadline error.
    #[must_use]
    pub fn deadline_exceeded(&self) -> Option<&DeadlineExceeded> {
        self.source
            .as_deref()
            .and_then(|s| s.downcast_ref::<DeadlineExceeded>())
    }

    pub(crate) fn with_route(mut self, route: Route) -> Self {
        self.route = Some(route);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers_with_trace() -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        h.insert("frontegg-trace-id", "trace-123".parse().unwrap());
        h
    }

    #[test]
    fn frontegg_error_body() {
        let body = br#"{"errors":["Invalid code","Phone +14155550100 is taken"],"errorCode":"ER-00008"}"#;
        let e = ApiError::from_response(
            Route::Verify,
            StatusCode::BAD_REQUEST,
            &headers_with_trace(),
            body,
        );
        assert_eq!(e.messages, ["Invalid code", "Phone +*********00 is taken"]);
        assert_eq!(e.error_code.as_deref(), Some("ER-00008"));
        assert_eq!(e.trace_id.as_deref(), Some("trace-123"));
        assert!(!e.body_excerpt.contains("4155550100"));
        let text = e.to_string();
        assert!(text.contains("400 Bad Request on verify: Invalid code"), "{text}");
        assert!(text.contains("ER-00008") && text.contains("trace-123"));
    }

    #[test]
    fn error_codes_list_and_gateway_and_html() {
        let e = ApiError::from_response(
            Route::List,
            StatusCode::FORBIDDEN,
            &http::HeaderMap::new(),
            br#"{"errors":[{"message":"nope"}],"errorCodes":["ER-1","ER-2"],"context":{}}"#,
        );
        assert_eq!(e.messages, ["nope"]);
        assert_eq!(e.error_codes, ["ER-1", "ER-2"]);
        assert_eq!(e.error_code.as_deref(), Some("ER-1"));

        let e = ApiError::from_response(
            Route::List,
            StatusCode::BAD_GATEWAY,
            &http::HeaderMap::new(),
            br#"{"statusCode":502,"message":"Bad gateway"}"#,
        );
        assert_eq!(e.messages, ["Bad gateway"]);
        assert_eq!(e.error_code, None);

        let html = format!("<html><body>{}</body></html>", "x".repeat(4000));
        let e = ApiError::from_response(
            Route::List,
            StatusCode::BAD_GATEWAY,
            &http::HeaderMap::new(),
            html.as_bytes(),
        );
        assert!(e.messages.is_empty());
        assert_eq!(e.body_excerpt.len(), BODY_EXCERPT_LIMIT);
        assert!(e.body_excerpt.starts_with("<html>"));

        let e = ApiError::from_response(
            Route::List,
            StatusCode::BAD_GATEWAY,
            &http::HeaderMap::new(),
            b"\xff\xfe\x00bad",
        );
        assert!(e.body_excerpt.contains("bad"));
    }

    #[test]
    fn predicates() {
        let api = |status: u16| {
            Error::Api(Box::new(ApiError::from_response(
                Route::Verify,
                StatusCode::from_u16(status).unwrap(),
                &http::HeaderMap::new(),
                b"{}",
            )))
        };
        assert!(api(503).is_retryable());
        assert!(!api(400).is_retryable());
        assert_eq!(api(404).status(), Some(StatusCode::NOT_FOUND));
        let t = Error::from(TransportError::timeout(true, "slow"));
        assert!(t.is_timeout() && t.is_retryable() && t.may_have_been_sent());
        let c = Error::from(TransportError::connect("refused").with_route(Route::Preverify));
        assert!(!c.may_have_been_sent() && !c.is_timeout());
        assert_eq!(c.to_string(), "could not connect to Frontegg on preverify");
        let b = Error::from(TransportError::body_too_large(10));
        assert!(!b.is_retryable());
    }
}
