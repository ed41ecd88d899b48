//! The HTTP layer: router, authentication, body parsing, faults, logging,
//! and the accept loop that can drop a connection without answering.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State as AxState};
use axum::response::Response;
use axum::routing::{delete, get, post};
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use parking_lot::Mutex;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tokio::net::TcpListener;
use tokio::sync::{Notify, oneshot};
use tokio::task::JoinSet;
use tower::ServiceExt as _;

use crate::config::EmulatorConfig;
use crate::jwt;
use crate::state::{Answer, ApiError, ListQuery, State, codes};
use crate::types::{FaultDrop, FaultSpec, LoggedRequest, Route, Sms};

/// State shared by the server and the handle.
pub(crate) struct Shared {
    pub(crate) config: EmulatorConfig,
    key: [u8; 32],
    state: Mutex<State>,
    /// Number of active faults, read without the lock on the fast path.
    fault_count: AtomicUsize,
}

type App = Arc<Shared>;

impl Shared {
    pub(crate) fn new(config: EmulatorConfig) -> Self {
        let mut key = [0u8; 32];
        key.iter_mut().for_each(|b| *b = fastrand::u8(..));
        Self {
            config,
            key,
            state: Mutex::new(State::default()),
            fault_count: AtomicUsize::new(0),
        }
    }

    pub(crate) fn mint_user_token(&self, user_id: &str, tenant_id: Option<&str>) -> String {
        let mut claims = serde_json::Map::new();
        claims.insert("sub".into(), user_id.into());
        if let Some(t) = tenant_id {
            claims.insert("tenantId".into(), t.into());
        }
        jwt::mint(&self.key, claims, self.config.user_token_ttl)
    }

    fn mint_vendor_token(&self) -> String {
        let mut claims = serde_json::Map::new();
        claims.insert("sub".into(), self.config.client_id.clone().into());
        claims.insert("feTyp".into(), "vendor".into());
        jwt::mint(&self.key, claims, self.config.vendor_token_ttl)
    }

    pub(crate) fn sms(&self, phone: Option<&str>) -> Vec<Sms> {
        let st = self.state.lock();
        st.sms
            .iter()
            .filter(|s| phone.is_none_or(|p| s.phone_number == p))
            .cloned()
            .collect()
    }

    pub(crate) fn last_code(&self, phone: &str) -> Option<String> {
        let st = self.state.lock();
        st.sms
            .iter()
            .rev()
            .find(|s| s.phone_number == phone)
            .map(|s| s.code.clone())
    }

    pub(crate) fn inject_fault(&self, spec: FaultSpec) {
        let mut st = self.state.lock();
        let remaining = spec.count.max(1);
        st.faults.push(crate::state::ActiveFault { spec, remaining });
        self.fault_count.store(st.faults.len(), Ordering::Release);
    }

    pub(crate) fn clear_faults(&self) {
        let mut st = self.state.lock();
        st.faults.clear();
        self.fault_count.store(0, Ordering::Release);
    }

    fn take_fault(&self, route: Route) -> Option<FaultSpec> {
        if self.fault_count.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut st = self.state.lock();
        let fault = st.take_fault(route);
        self.fault_count.store(st.faults.len(), Ordering::Release);
        fault
    }

    pub(crate) fn requests(&self) -> Vec<LoggedRequest> {
        let st = self.state.lock();
        st.log
            .iter()
            .map(|e| LoggedRequest {
                seq: e.seq,
                route: e.route.to_owned(),
                method: e.method.to_string(),
                path: e.path.clone(),
                status: e.status,
                processed: e.processed,
                fault: e.fault.map(str::to_owned),
                user_id: e.user_id.clone(),
                at: crate::state::now_rfc3339(e.at),
            })
            .collect()
    }

    pub(crate) fn reset(&self) {
        let mut st = self.state.lock();
        *st = State::default();
        self.fault_count.store(0, Ordering::Release);
    }

    #[allow(clippy::too_many_arguments)]
    fn log(
        &self,
        route: &'static str,
        method: Method,
        path: String,
        status: Option<u16>,
        processed: bool,
        fault: Option<&'static str>,
        user: Option<String>,
    ) {
        self.state
            .lock()
            .log(&self.config, route, method, path, status, processed, fault, user);
    }
}

/// Lets a handler close its connection without answering.
#[derive(Clone)]
struct ConnDrop(Arc<Notify>);

// ---------------------------------------------------------------- responses

fn respond(status: StatusCode, body: Option<Vec<u8>>) -> Response {
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

fn error_response(e: &ApiError) -> Response {
    respond(e.status, Some(e.body()))
}

fn json_ok(value: &impl serde::Serialize) -> Response {
    respond(
        StatusCode::OK,
        Some(serde_json::to_vec(value).unwrap_or_default()),
    )
}

async fn add_trace_id(mut res: Response) -> Response {
    let id = format!("{:032x}", fastrand::u128(..));
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(HeaderName::from_static("frontegg-trace-id"), v);
    }
    res
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    error_response(&ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        codes::INTERNAL,
        "Internal emulator error",
    ))
}

/// Path and query for the log, with `_phoneNumber` values masked.
fn log_path(uri: &Uri) -> String {
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

// ---------------------------------------------------------------- parsing

async fn read_json<B: DeserializeOwned>(
    max: usize,
    headers: &HeaderMap,
    check_type: bool,
    body: Body,
) -> Result<B, ApiError> {
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
    let bytes = axum::body::to_bytes(body, max).await.map_err(|e| {
        if e.to_string().contains("length limit") {
            too_large()
        } else {
            ApiError::validation("Could not read the request body")
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
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
            _ => ApiError::validation("Invalid request body: malformed JSON"),
        }
    })
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = v.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

enum Caller {
    Anonymous,
    User(String),
    Vendor,
}

fn is_vendor_route(route: Route) -> bool {
    matches!(
        route,
        Route::List | Route::ListV1 | Route::VendorAdd | Route::VendorDelete
    )
}

fn needs_body(route: Route) -> bool {
    matches!(
        route,
        Route::VendorAuth
            | Route::Assign
            | Route::Preverify
            | Route::Verify
            | Route::ConfirmDelete
            | Route::VendorAdd
    )
}

fn authenticate(app: &Shared, route: Route, headers: &HeaderMap) -> Result<Caller, ApiError> {
    if route == Route::VendorAuth {
        return Ok(Caller::Anonymous);
    }
    let token = bearer(headers).ok_or_else(ApiError::unauthorized)?;
    let parsed = jwt::parse(&app.key, token).ok_or_else(ApiError::unauthorized)?;
    if parsed.claims.expired() {
        return Err(ApiError::unauthorized());
    }
    let trusted = parsed.signed_by_us || app.config.accept_unsigned_jwt;
    let is_vendor = parsed.signed_by_us && parsed.claims.kind.as_deref() == Some("vendor");
    if is_vendor_route(route) {
        return if is_vendor {
            Ok(Caller::Vendor)
        } else if trusted && parsed.claims.sub.is_some() {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                codes::FORBIDDEN,
                "A vendor token is required",
            ))
        } else {
            Err(ApiError::unauthorized())
        };
    }
    if is_vendor {
        return match header_str(headers, "frontegg-user-id") {
            Some(user) => Ok(Caller::User(user.to_owned())),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                codes::UNAUTHORIZED,
                "frontegg-user-id header is required with a vendor token",
            )),
        };
    }
    if !trusted {
        return Err(ApiError::unauthorized());
    }
    match parsed.claims.sub {
        Some(sub) if !sub.is_empty() => Ok(Caller::User(sub)),
        _ => Err(ApiError::unauthorized()),
    }
}

// ---------------------------------------------------------------- the API pipeline

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

async fn drop_connection(conn: Option<ConnDrop>) -> Response {
    match conn {
        Some(c) => {
            c.0.notify_one();
            std::future::pending::<Response>().await
        }
        None => error_response(&ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL,
            "Connection drop is not supported here",
        )),
    }
}

/// Runs one API request. While faults are scripted it runs in a task of its
/// own, so that a request whose client gave up (a timeout during a delay) is
/// still processed, as a real server would: the SMS goes out, the code is
/// consumed, and the request log shows it.
async fn api<B, F>(app: App, route: Route, req: Request, log_user: Option<String>, logic: F) -> Response
where
    B: DeserializeOwned + Send + 'static,
    F: FnOnce(&Shared, &mut State, &Caller, B) -> Result<Answer, ApiError> + Send + 'static,
{
    if app.fault_count.load(Ordering::Acquire) == 0 {
        return handle(app, route, req, log_user, logic).await;
    }
    match tokio::spawn(handle(app, route, req, log_user, logic)).await {
        Ok(response) => response,
        Err(_) => error_response(&ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL,
            "Internal emulator error",
        )),
    }
}

/// One API request: faults, authentication, body, state logic, log.
async fn handle<B, F>(app: App, route: Route, req: Request, log_user: Option<String>, logic: F) -> Response
where
    B: DeserializeOwned,
    F: FnOnce(&Shared, &mut State, &Caller, B) -> Result<Answer, ApiError>,
{
    let (parts, body) = req.into_parts();
    let name = route.as_str();
    let method = parts.method;
    let path = log_path(&parts.uri);
    let conn = parts.extensions.get::<ConnDrop>().cloned();

    let mut fault_name = None;
    let mut extra_headers = Vec::new();
    let mut drop_after = false;
    if let Some(f) = app.take_fault(route) {
        if let Some(d) = f.delay {
            tokio::time::sleep(d).await;
            fault_name = Some("delay");
        }
        if f.drop == Some(FaultDrop::Before) {
            app.log(name, method, path, None, false, Some("drop_before"), log_user);
            return drop_connection(conn).await;
        }
        extra_headers = fault_headers(&f);
        let status = f
            .status
            .or_else(|| (f.rate_limit_reset.is_some() || f.retry_after.is_some()).then_some(429));
        if let Some(status) = status {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body = match &f.body {
                Some(b) => serde_json::to_vec(b).unwrap_or_default(),
                None => ApiError::new(status, codes::FAULT, "Injected fault").body(),
            };
            let mut res = respond(status, Some(body));
            for (n, v) in extra_headers {
                res.headers_mut().insert(n, v);
            }
            app.log(
                name,
                method,
                path,
                Some(status.as_u16()),
                false,
                Some("status"),
                log_user,
            );
            return res;
        }
        if f.drop == Some(FaultDrop::After) {
            drop_after = true;
            fault_name = Some("drop_after");
        } else if !extra_headers.is_empty() && fault_name.is_none() {
            fault_name = Some("headers");
        }
    }

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
        Caller::User(u) => Some(u.clone()),
        _ => None,
    });
    let input: B = if needs_body(route) {
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

    let result = {
        let mut st = app.state.lock();
        let result = logic(&app, &mut st, &caller, input);
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
        Ok(a) => respond(a.status, a.body),
        Err(e) => error_response(&e),
    };
    for (n, v) in extra_headers {
        res.headers_mut().insert(n, v);
    }
    res
}

fn caller_user(caller: &Caller) -> Result<&str, ApiError> {
    match caller {
        Caller::User(u) => Ok(u),
        _ => Err(ApiError::unauthorized()),
    }
}

// ---------------------------------------------------------------- route handlers

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VendorCreds {
    client_id: String,
    secret: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssignBody {
    phone_number: String,
    #[serde(default = "yes")]
    verify: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PhoneBody {
    phone_number: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OtcBody {
    otc_token: String,
    code: String,
}

async fn vendor_auth(AxState(app): AxState<App>, req: Request) -> Response {
    api(app, Route::VendorAuth, req, None, |app, _, _, b: VendorCreds| {
        if b.client_id == app.config.client_id && b.secret == app.config.secret {
            Ok(Answer::json(
                StatusCode::OK,
                &serde_json::json!({
                    "token": app.mint_vendor_token(),
                    "expiresIn": app.config.vendor_token_ttl.as_secs(),
                }),
            ))
        } else {
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                codes::BAD_CREDENTIALS,
                "Invalid client id or secret",
            ))
        }
    })
    .await
}

async fn assign(AxState(app): AxState<App>, req: Request) -> Response {
    api(app, Route::Assign, req, None, |app, st, c, b: AssignBody| {
        st.assign(&app.config, caller_user(c)?, &b.phone_number, b.verify)
    })
    .await
}

async fn preverify(AxState(app): AxState<App>, req: Request) -> Response {
    api(app, Route::Preverify, req, None, |app, st, c, b: PhoneBody| {
        st.preverify(&app.config, caller_user(c)?, &b.phone_number)
    })
    .await
}

async fn verify(AxState(app): AxState<App>, req: Request) -> Response {
    api(app, Route::Verify, req, None, |app, st, c, b: OtcBody| {
        st.verify(&app.config, caller_user(c)?, &b.otc_token, &b.code)
    })
    .await
}

async fn list_mine(AxState(app): AxState<App>, req: Request) -> Response {
    api(app, Route::ListMine, req, None, |_, st, c, (): ()| {
        Ok(st.list_mine(caller_user(c)?))
    })
    .await
}

fn bad_path() -> Response {
    error_response(&ApiError::validation("Invalid path parameter"))
}

async fn start_delete(
    AxState(app): AxState<App>,
    id: Result<Path<String>, PathRejection>,
    req: Request,
) -> Response {
    let Ok(Path(id)) = id else { return bad_path() };
    api(app, Route::StartDelete, req, None, move |app, st, c, (): ()| {
        st.start_delete(&app.config, caller_user(c)?, &id)
    })
    .await
}

async fn confirm_delete(
    AxState(app): AxState<App>,
    id: Result<Path<String>, PathRejection>,
    req: Request,
) -> Response {
    let Ok(Path(id)) = id else { return bad_path() };
    api(
        app,
        Route::ConfirmDelete,
        req,
        None,
        move |app, st, c, b: OtcBody| {
            st.confirm_delete(&app.config, caller_user(c)?, &id, &b.otc_token, &b.code)
        },
    )
    .await
}

async fn list_route(app: App, route: Route, req: Request) -> Response {
    let query = ListQuery::parse(req.uri().query(), route == Route::List);
    api(
        app,
        route,
        req,
        None,
        move |_, st, _, (): ()| Ok(st.list(&query?)),
    )
    .await
}

async fn list(AxState(app): AxState<App>, req: Request) -> Response {
    list_route(app, Route::List, req).await
}

async fn list_v1(AxState(app): AxState<App>, req: Request) -> Response {
    list_route(app, Route::ListV1, req).await
}

async fn vendor_add(
    AxState(app): AxState<App>,
    user: Result<Path<String>, PathRejection>,
    req: Request,
) -> Response {
    let Ok(Path(user)) = user else { return bad_path() };
    let target = user.clone();
    api(
        app,
        Route::VendorAdd,
        req,
        Some(user),
        move |app, st, _, b: PhoneBody| st.vendor_add(&app.config, &target, &b.phone_number),
    )
    .await
}

async fn vendor_delete(
    AxState(app): AxState<App>,
    ids: Result<Path<(String, String)>, PathRejection>,
    req: Request,
) -> Response {
    let Ok(Path((user, id))) = ids else {
        return bad_path();
    };
    let target = user.clone();
    api(
        app,
        Route::VendorDelete,
        req,
        Some(user),
        move |_, st, _, (): ()| st.vendor_delete(&target, &id),
    )
    .await
}

async fn not_found(AxState(app): AxState<App>, method: Method, uri: Uri) -> Response {
    app.log("unknown", method, log_path(&uri), Some(404), false, None, None);
    error_response(&ApiError::new(
        StatusCode::NOT_FOUND,
        codes::NOT_FOUND_ROUTE,
        "Route not found",
    ))
}

async fn method_not_allowed(AxState(app): AxState<App>, method: Method, uri: Uri) -> Response {
    app.log("unknown", method, log_path(&uri), Some(405), false, None, None);
    error_response(&ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        codes::METHOD_NOT_ALLOWED,
        "Method not allowed",
    ))
}

// ---------------------------------------------------------------- emulator-only routes

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenRequest {
    user_id: String,
    #[serde(default)]
    tenant_id: Option<String>,
}

async fn emu_tokens(AxState(app): AxState<App>, headers: HeaderMap, body: Body) -> Response {
    match read_json::<TokenRequest>(app.config.max_body_bytes, &headers, false, body).await {
        Ok(r) => json_ok(&serde_json::json!({
            "accessToken": app.mint_user_token(&r.user_id, r.tenant_id.as_deref()),
        })),
        Err(e) => error_response(&e),
    }
}

fn fix_plus(v: &str) -> String {
    let v = v.trim();
    if v.starts_with('+') {
        v.to_owned()
    } else {
        format!("+{v}")
    }
}

async fn emu_sms(AxState(app): AxState<App>, uri: Uri) -> Response {
    let phone = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "phoneNumber")
        .map(|(_, v)| fix_plus(&v));
    json_ok(&app.sms(phone.as_deref()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FaultRequest {
    route: String,
    #[serde(default)]
    count: Option<u32>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    body: Option<serde_json::Value>,
    #[serde(default)]
    headers: HashMap<String, String>,
    #[serde(default)]
    delay_ms: Option<u64>,
    #[serde(default)]
    rate_limit_reset: Option<String>,
    #[serde(default)]
    retry_after: Option<String>,
    #[serde(default)]
    drop: Option<String>,
}

fn fault_from_request(r: FaultRequest) -> Result<FaultSpec, ApiError> {
    let route = if r.route == "*" {
        None
    } else {
        Some(
            r.route
                .parse::<Route>()
                .map_err(|e| ApiError::validation(e.to_string()))?,
        )
    };
    if r.status.is_some_and(|s| !(100..=999).contains(&s)) {
        return Err(ApiError::validation("status must be between 100 and 999"));
    }
    let drop = match r.drop.as_deref() {
        None => None,
        Some("before") => Some(FaultDrop::Before),
        Some("after") => Some(FaultDrop::After),
        Some(_) => return Err(ApiError::validation("drop must be \"before\" or \"after\"")),
    };
    let mut headers = Vec::with_capacity(r.headers.len());
    for (n, v) in r.headers {
        if HeaderName::try_from(n.as_str()).is_err() || HeaderValue::try_from(v.as_str()).is_err() {
            return Err(ApiError::validation("invalid header name or value"));
        }
        headers.push((n, v));
    }
    for v in [&r.rate_limit_reset, &r.retry_after].into_iter().flatten() {
        if HeaderValue::try_from(v.as_str()).is_err() {
            return Err(ApiError::validation("invalid header value"));
        }
    }
    Ok(FaultSpec {
        route,
        count: r.count.unwrap_or(1).max(1),
        status: r.status,
        body: r.body,
        headers,
        delay: r.delay_ms.map(std::time::Duration::from_millis),
        rate_limit_reset: r.rate_limit_reset,
        retry_after: r.retry_after,
        drop,
    })
}

async fn emu_add_fault(AxState(app): AxState<App>, headers: HeaderMap, body: Body) -> Response {
    let spec = read_json::<FaultRequest>(app.config.max_body_bytes, &headers, false, body)
        .await
        .and_then(fault_from_request);
    match spec {
        Ok(spec) => {
            app.inject_fault(spec);
            json_ok(&serde_json::json!({}))
        }
        Err(e) => error_response(&e),
    }
}

async fn emu_clear_faults(AxState(app): AxState<App>) -> Response {
    app.clear_faults();
    json_ok(&serde_json::json!({}))
}

async fn emu_requests(AxState(app): AxState<App>) -> Response {
    json_ok(&app.requests())
}

async fn emu_reset(AxState(app): AxState<App>) -> Response {
    app.reset();
    json_ok(&serde_json::json!({}))
}

async fn emu_health() -> Response {
    json_ok(&serde_json::json!({ "status": "ok" }))
}

// ---------------------------------------------------------------- router and accept loop

const PHONES: &str = "/identity/resources/users/phone-numbers";

pub(crate) fn router(app: App) -> Router {
    Router::new()
        .route("/auth/vendor", post(vendor_auth))
        .route(&format!("{PHONES}/v1"), post(assign).get(list_v1))
        .route(&format!("{PHONES}/v1/preverify"), post(preverify))
        .route(&format!("{PHONES}/v1/verify"), post(verify))
        .route(&format!("{PHONES}/v1/me"), get(list_mine))
        .route(&format!("{PHONES}/v1/{{id}}"), delete(start_delete))
        .route(&format!("{PHONES}/v1/{{id}}/delete/verify"), post(confirm_delete))
        .route(&format!("{PHONES}/v2"), get(list))
        .route(&format!("{PHONES}/v1/vendor/{{user_id}}"), post(vendor_add))
        .route(
            &format!("{PHONES}/v1/vendor/{{user_id}}/{{phone_id}}"),
            delete(vendor_delete),
        )
        .route("/_emulator/tokens", post(emu_tokens))
        .route("/_emulator/sms", get(emu_sms))
        .route("/_emulator/faults", post(emu_add_fault).delete(emu_clear_faults))
        .route("/_emulator/requests", get(emu_requests))
        .route("/_emulator/reset", post(emu_reset))
        .route("/_emulator/health", get(emu_health))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_response))
        .layer(axum::middleware::map_response(add_trace_id))
        .with_state(app)
}

async fn serve_connection(stream: tokio::net::TcpStream, router: Router) {
    let _ = stream.set_nodelay(true);
    let notify = Arc::new(Notify::new());
    let ext = ConnDrop(notify.clone());
    let service = hyper::service::service_fn(move |mut req: http::Request<hyper::body::Incoming>| {
        req.extensions_mut().insert(ext.clone());
        let router = router.clone();
        async move {
            Ok::<_, Infallible>(
                router
                    .oneshot(req.map(Body::new))
                    .await
                    .unwrap_or_else(|e| match e {}),
            )
        }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        () = notify.notified() => {
            // Dropping `conn` closes the socket without writing anything.
        }
    }
}

/// Accepts connections until `shutdown` fires, then closes them all.
pub(crate) async fn serve(listener: TcpListener, router: Router, mut shutdown: oneshot::Receiver<()>) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    conns.spawn(serve_connection(stream, router.clone()));
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(5)).await,
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    drop(listener);
    conns.shutdown().await;
}
