//! The request pipeline shared by every API route: faults, authentication,
//! body, state logic under the lock, request log, answer.

use std::sync::atomic::Ordering;

use axum::body::{Body, Bytes};
use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{RawPathParams, Request, State as AxState};
use axum::response::Response;
use axum::routing::MethodRouter;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use serde::de::DeserializeOwned;

use crate::app::{App, Shared};
use crate::auth::{Caller, authenticate};
use crate::faults::{ConnDrop, Injected, drop_connection, inject};
use crate::state::{Answer, ApiError, State, codes};
use crate::types::Route;

// ---------------------------------------------------------------- responses

pub(crate) fn respond(status: StatusCode, body: Option<Vec<u8>>) -> Response {
    let mut res = match body {
        Some(b) => {
            let mut r = Response::new(Body::from(b));
            r.headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            r
        }
        None => Response::new(Body::empty()),
    };
    *res.status_mut() = status;
    res
}

pub(crate) fn error_response(e: &ApiError) -> Response {
    respond(e.status, Some(e.body()))
}

pub(crate) fn json_ok(value: &impl serde::Serialize) -> Response {
    respond(
        StatusCode::OK,
        Some(serde_json::to_vec(value).unwrap_or_default()),
    )
}

pub(crate) async fn add_trace_id(mut res: Response) -> Response {
    let id = format!("{:032x}", fastrand::u128(..));
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(HeaderName::from_static("frontegg-trace-id"), v);
    }
    res
}

fn internal_error() -> Response {
    error_response(&ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        codes::INTERNAL,
        "Internal emulator error",
    ))
}

pub(crate) fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    internal_error()
}

/// Path and query for the log, with `_phoneNumber` values masked.
pub(crate) fn log_path(uri: &Uri) -> String {
    match uri.query() {
        None => uri.path().to_owned(),
        Some(q) if !q.contains("phoneNumber") => format!("{}?{}", uri.path(), q),
        Some(q) => {
            let masked: Vec<String> = q
                .split('&')
                .map(|kv| match kv.split_once('=') {
                    Some((k, _)) if k.contains("phoneNumber") => format!("{k}=***"),
                    _ => kv.to_owned(),
                })
                .collect();
            format!("{}?{}", uri.path(), masked.join("&"))
        }
    }
}

// ---------------------------------------------------------------- bodies

/// Reads a body of at most `max` bytes; with `check_type`, only JSON content types.
pub(crate) async fn read_body(
    max: usize,
    headers: &HeaderMap,
    check_type: bool,
    body: Body,
) -> Result<Bytes, ApiError> {
    if check_type {
        let ok = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
            .is_some_and(|v| v == "application/json" || v.ends_with("+json"));
        if !ok {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                codes::UNSUPPORTED_MEDIA,
                "Content-Type must be application/json",
            ));
        }
    }
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            codes::PAYLOAD_TOO_LARGE,
            "Request body is too large",
        )
    };
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, max).await.map_err(|e| {
        if e.to_string().contains("length limit") {
            too_large()
        } else {
            ApiError::validation("Could not read the request body")
        }
    })
}

/// Parses a JSON body; the error says which field is missing, never a value.
pub(crate) fn parse_json<B: DeserializeOwned>(bytes: &[u8]) -> Result<B, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Data => {
                let msg = e.to_string();
                if msg.starts_with("missing field") || msg.starts_with("unknown variant") {
                    let msg = msg.split(" at line").next().unwrap_or("").to_owned();
                    ApiError::validation(format!("Invalid request body: {msg}"))
                } else {
                    ApiError::validation("Invalid request body: a field has the wrong type")
                }
            }
            _ => ApiError::new(StatusCode::BAD_REQUEST, codes::INVALID_JSON, "Invalid input json"),
        }
    })
}

/// Reads and parses a JSON body.
pub(crate) async fn read_json<B: DeserializeOwned>(
    max: usize,
    headers: &HeaderMap,
    check_type: bool,
    body: Body,
) -> Result<B, ApiError> {
    parse_json(&read_body(max, headers, check_type, body).await?)
}

// ---------------------------------------------------------------- the pipeline

/// What a route's logic sees besides its body.
pub(crate) struct Ctx {
    pub(crate) caller: Caller,
    /// Path parameters, in order, percent-decoded.
    pub(crate) params: Vec<String>,
    pub(crate) headers: HeaderMap,
    pub(crate) query: Option<String>,
}

impl Ctx {
    /// The `i`-th path parameter.
    pub(crate) fn param(&self, i: usize) -> &str {
        self.params.get(i).map_or("", String::as_str)
    }
}

/// A route's logic: runs under the state lock.
pub(crate) type Logic<B> = fn(&Shared, &mut State, &Ctx, B) -> Result<Answer, ApiError>;

/// Routes that act on the user named by their first path parameter log it.
fn user_in_path(route: Route) -> bool {
    matches!(route, Route::VendorAdd | Route::VendorDelete)
}

/// The axum handler of one API route: `method` requests run `logic`. POSTs
/// read a JSON body of type `B`; other methods ignore the body (`B` is `()`).
pub(crate) fn endpoint<B>(route: Route, method: Method, logic: Logic<B>) -> MethodRouter<App>
where
    B: DeserializeOwned + Send + 'static,
{
    let filter =
        axum::routing::MethodFilter::try_from(method.clone()).unwrap_or(axum::routing::MethodFilter::GET);
    let handler = move |AxState(app): AxState<App>,
                        params: Result<RawPathParams, RawPathParamsRejection>,
                        req: Request| async move {
        let params = match params {
            Ok(p) => p.iter().map(|(_, v)| v.to_owned()).collect(),
            Err(RawPathParamsRejection::MissingPathParams(_)) => Vec::new(),
            Err(_) => return error_response(&ApiError::validation("Invalid path parameter")),
        };
        api(app, route, method == Method::POST, params, req, logic).await
    };
    axum::routing::on(filter, handler)
}

/// Runs one API request. While faults are scripted it runs in a task of its
/// own, so that a request whose client gave up (a timeout during a delay) is
/// still processed, as a real server would: the SMS goes out, the code is
/// consumed, and the request log shows it.
async fn api<B>(
    app: App,
    route: Route,
    body: bool,
    params: Vec<String>,
    req: Request,
    logic: Logic<B>,
) -> Response
where
    B: DeserializeOwned + Send + 'static,
{
    if app.fault_count.load(Ordering::Acquire) == 0 {
        return handle(app, route, body, params, req, logic).await;
    }
    match tokio::spawn(handle(app, route, body, params, req, logic)).await {
        Ok(response) => response,
        Err(_) => internal_error(),
    }
}

/// One API request: faults, authentication, body, state logic, log.
async fn handle<B>(
    app: App,
    route: Route,
    has_body: bool,
    params: Vec<String>,
    req: Request,
    logic: Logic<B>,
) -> Response
where
    B: DeserializeOwned,
{
    let (parts, body) = req.into_parts();
    let name = route.as_str();
    let method = parts.method;
    let path = log_path(&parts.uri);
    let conn = parts.extensions.get::<ConnDrop>().cloned();
    let log_user = user_in_path(route).then(|| params.first().cloned()).flatten();

    let (fault_name, extra_headers, drop_after) = match inject(app.take_fault(route)).await {
        Injected::DropBefore => {
            app.log(name, method, path, None, false, Some("drop_before"), log_user);
            return drop_connection(conn).await;
        }
        Injected::Answer(res, status) => {
            app.log(name, method, path, Some(status), false, Some("status"), log_user);
            return res;
        }
        Injected::Proceed {
            name,
            headers,
            drop_after,
        } => (name, headers, drop_after),
    };

    let early = |app: &Shared, e: ApiError, user: Option<String>, method: Method, path: String| {
        app.log(
            name,
            method,
            path,
            Some(e.status.as_u16()),
            false,
            fault_name,
            user,
        );
        error_response(&e)
    };
    let caller = match authenticate(&app, route, &parts.headers) {
        Ok(c) => c,
        Err(e) => return early(&app, e, log_user, method, path),
    };
    let user = log_user.or_else(|| match &caller {
        Caller::User { id, .. } => Some(id.clone()),
        _ => None,
    });
    let input: B = if has_body {
        match read_json(app.config.max_body_bytes, &parts.headers, true, body).await {
            Ok(b) => b,
            Err(e) => return early(&app, e, user, method, path),
        }
    } else {
        match serde_json::from_value(serde_json::Value::Null) {
            Ok(b) => b,
            Err(_) => return early(&app, ApiError::validation("Unexpected body"), user, method, path),
        }
    };
    let ctx = Ctx {
        caller,
        params,
        headers: parts.headers,
        query: parts.uri.query().map(str::to_owned),
    };

    let result = {
        let mut st = app.state.lock();
        let result = logic(&app, &mut st, &ctx, input);
        let status = match &result {
            Ok(a) => a.status,
            Err(e) => e.status,
        };
        let logged_status = (!drop_after).then_some(status.as_u16());
        st.log(
            &app.config,
            name,
            method,
            path,
            logged_status,
            true,
            fault_name,
            user,
        );
        result
    };
    if drop_after {
        return drop_connection(conn).await;
    }
    let mut res = match result {
        Ok(a) => {
            let mut res = respond(a.status, a.body);
            for (n, v) in a.headers {
                res.headers_mut().append(n, v);
            }
            res
        }
        Err(e) => error_response(&e),
    };
    for (n, v) in extra_headers {
        res.headers_mut().insert(n, v);
    }
    res
}
