//! Router assembly and connection serving (with connections that a fault can
//! close without answering).

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State as AxState;
use axum::response::Response;
use http::{Method, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Notify, oneshot};
use tokio::task::JoinSet;
use tower::ServiceExt as _;

use crate::app::App;
use crate::faults::ConnDrop;
use crate::pipeline::{add_trace_id, error_response, log_path, panic_response};
use crate::state::{ApiError, codes};

/// An unknown route or method: logged as `"unknown"`.
fn unknown(
    app: &App,
    method: Method,
    uri: &Uri,
    status: StatusCode,
    code: &'static str,
    message: &'static str,
) -> Response {
    app.log(
        "unknown",
        method,
        log_path(uri),
        Some(status.as_u16()),
        false,
        None,
        None,
    );
    error_response(&ApiError::new(status, code, message))
}

async fn not_found(AxState(app): AxState<App>, method: Method, uri: Uri) -> Response {
    unknown(
        &app,
        method,
        &uri,
        StatusCode::NOT_FOUND,
        codes::NOT_FOUND_ROUTE,
        "Route not found",
    )
}

async fn method_not_allowed(AxState(app): AxState<App>, method: Method, uri: Uri) -> Response {
    let status = StatusCode::METHOD_NOT_ALLOWED;
    unknown(
        &app,
        method,
        &uri,
        status,
        codes::METHOD_NOT_ALLOWED,
        "Method not allowed",
    )
}

/// Every route: the API's, by family, and the emulator's own.
pub(crate) fn router(app: App) -> Router {
    crate::routes::all()
        .into_iter()
        .fold(Router::new(), |r, (path, method_router)| {
            r.route(&path, method_router)
        })
        .merge(crate::admin::routes())
        .merge(crate::keys::routes())
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
