//! Faults: the one parser of fault specifications (used by
//! `POST /_emulator/faults`, the binary's `--fault` and the Python
//! `Emulator`), and their injection into a request.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use axum::response::Response;
use http::{HeaderName, HeaderValue, StatusCode};
use serde::Deserialize;
use tokio::sync::Notify;

use crate::state::{ApiError, codes};
use crate::types::{FaultDrop, FaultSpec, Route};

/// A fault as written in JSON (`POST /_emulator/faults`, `--fault`): the
/// fields of [`FaultSpec`] with their wire names. Turn it into a checked
/// [`FaultSpec`] with [`FaultRequest::into_spec`], or parse JSON directly with
/// [`FaultSpec::from_str`].
///
/// ```
/// use frontegg_identity_emulator::{FaultSpec, Route};
///
/// let fault: FaultSpec = r#"{"route": "verify", "status": 503, "count": 2}"#.parse()?;
/// assert_eq!(fault, FaultSpec::on(Route::Verify).times(2).status(503));
/// # Ok::<(), frontegg_identity_emulator::FaultError>(())
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultRequest {
    /// A route name (see [`Route`]), or `"*"` for any route.
    pub route: String,
    /// How many requests consume it (default 1; 0 is treated as 1).
    pub count: Option<u32>,
    /// Answer this status (100 to 999) without processing.
    pub status: Option<u16>,
    /// Body of that answer.
    pub body: Option<serde_json::Value>,
    /// Extra response headers (a JSON object of strings).
    #[serde(default, deserialize_with = "header_map")]
    pub headers: Vec<(String, String)>,
    /// Wait before handling (JSON: `delayMs`, milliseconds).
    #[serde(default, rename = "delayMs", deserialize_with = "millis")]
    pub delay: Option<Duration>,
    /// Sets `X-Rate-Limit-Reset`; the status defaults to 429.
    pub rate_limit_reset: Option<String>,
    /// Sets `Retry-After`; the status defaults to 429.
    pub retry_after: Option<String>,
    /// `"before"` or `"after"`: close the connection without answering.
    pub drop: Option<String>,
}

fn header_map<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
    Ok(BTreeMap::<String, String>::deserialize(d)?.into_iter().collect())
}

fn millis<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    Ok(Option::<u64>::deserialize(d)?.map(Duration::from_millis))
}

/// Why a fault specification was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FaultError(String);

fn refuse<T>(message: impl Into<String>) -> Result<T, FaultError> {
    Err(FaultError(message.into()))
}

impl FaultRequest {
    /// Checks the request and builds the [`FaultSpec`].
    pub fn into_spec(self) -> Result<FaultSpec, FaultError> {
        let route = match self.route.as_str() {
            "*" => None,
            name => Some(name.parse::<Route>().map_err(|e| FaultError(e.to_string()))?),
        };
        if self.status.is_some_and(|s| !(100..=999).contains(&s)) {
            return refuse("status must be between 100 and 999");
        }
        let drop = match self.drop.as_deref() {
            None => None,
            Some("before") => Some(FaultDrop::Before),
            Some("after") => Some(FaultDrop::After),
            Some(_) => return refuse("drop must be \"before\" or \"after\""),
        };
        for (n, v) in &self.headers {
            if HeaderName::try_from(n.as_str()).is_err() || HeaderValue::try_from(v.as_str()).is_err() {
                return refuse("invalid header name or value");
            }
        }
        for v in [&self.rate_limit_reset, &self.retry_after].into_iter().flatten() {
            if HeaderValue::try_from(v.as_str()).is_err() {
                return refuse("invalid header value");
            }
        }
        Ok(FaultSpec {
            route,
            count: self.count.unwrap_or(1).max(1),
            status: self.status,
            body: self.body,
            headers: self.headers,
            delay: self.delay,
            rate_limit_reset: self.rate_limit_reset,
            retry_after: self.retry_after,
            drop,
        })
    }
}

impl FromStr for FaultSpec {
    type Err = FaultError;

    /// Parses a fault written in JSON (see [`FaultRequest`]).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        serde_json::from_str::<FaultRequest>(s)
            .map_err(|e| FaultError(format!("invalid fault: {e}")))?
            .into_spec()
    }
}

/// Lets a handler close its connection without answering.
#[derive(Clone)]
pub(crate) struct ConnDrop(pub(crate) Arc<Notify>);

/// Closes the connection (never answers), when the connection supports it.
pub(crate) async fn drop_connection(conn: Option<ConnDrop>) -> Response {
    match conn {
        Some(c) => {
            c.0.notify_one();
            std::future::pending::<Response>().await
        }
        None => crate::pipeline::error_response(&ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL,
            "Connection drop is not supported here",
        )),
    }
}

fn fault_headers(f: &FaultSpec) -> Vec<(HeaderName, HeaderValue)> {
    let mut out = Vec::new();
    let mut push = |name: &str, value: &str| {
        if let (Ok(n), Ok(v)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            out.push((n, v));
        }
    };
    if let Some(v) = &f.rate_limit_reset {
        push("x-rate-limit-reset", v);
    }
    if let Some(v) = &f.retry_after {
        push("retry-after", v);
    }
    for (n, v) in &f.headers {
        push(n, v);
    }
    out
}

/// What a fault does to a request before its processing.
pub(crate) enum Injected {
    /// Close the connection without processing.
    DropBefore,
    /// Answer this, without processing; `status` for the log.
    Answer(Response, u16),
    /// Go on, then apply these.
    Proceed {
        /// The fault's name for the log.
        name: Option<&'static str>,
        /// Headers added to the answer.
        headers: Vec<(HeaderName, HeaderValue)>,
        /// Close the connection after processing.
        drop_after: bool,
    },
}

/// Applies `fault` (waits out its delay).
pub(crate) async fn inject(fault: Option<FaultSpec>) -> Injected {
    let Some(f) = fault else {
        return Injected::Proceed {
            name: None,
            headers: Vec::new(),
            drop_after: false,
        };
    };
    let mut name = None;
    if let Some(d) = f.delay {
        tokio::time::sleep(d).await;
        name = Some("delay");
    }
    if f.drop == Some(FaultDrop::Before) {
        return Injected::DropBefore;
    }
    let headers = fault_headers(&f);
    let status = f
        .status
        .or_else(|| (f.rate_limit_reset.is_some() || f.retry_after.is_some()).then_some(429));
    if let Some(status) = status {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = match &f.body {
            Some(b) => serde_json::to_vec(b).unwrap_or_default(),
            None => ApiError::new(status, codes::FAULT, "Injected fault").body(),
        };
        let mut res = crate::pipeline::respond(status, Some(body));
        for (n, v) in headers {
            res.headers_mut().insert(n, v);
        }
        return Injected::Answer(res, status.as_u16());
    }
    let drop_after = f.drop == Some(FaultDrop::After);
    if drop_after {
        name = Some("drop_after");
    } else if !headers.is_empty() && name.is_none() {
        name = Some("headers");
    }
    Injected::Proceed {
        name,
        headers,
        drop_after,
    }
}
