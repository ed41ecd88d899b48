//! A local, stateful emulator of Frontegg's phone-number and SMS identity routes and
//! vendor authentication, for tests, examples, benchmarks and users' test suites.
//!
//! It is a real HTTP server (axum on tokio) bound to `127.0.0.1:0` by
//! default. Point any Frontegg client at [`Emulator::base_url`] (the gateway
//! root: identity routes live under `/identity`, vendor auth at `/auth/vendor`).
//!
//! ```no_run
//! use frontegg_identity_emulator::{Emulator, EmulatorConfig};
//!
//! // From sync code: the server runs on its own thread and runtime.
//! let emu = Emulator::spawn(EmulatorConfig::default())?;
//! let token = emu.mint_user_token("user-1", Some("tenant-1"));
//! println!("{} {}", emu.base_url(), token.len());
//! // ... POST {base}/identity/resources/users/phone-numbers/v1/preverify ...
//! let code = emu.last_code("+14155550100");
//! # let _ = code;
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! # Routes
//!
//! | name | method and path | auth | success |
//! |---|---|---|---|
//! | `vendor_auth` | `POST /auth/vendor` | none | 200 `{"token","expiresIn"}` |
//! | `assign` | `POST /identity/resources/users/phone-numbers/v1` | user | 201 `{"otcToken"}` (or `{}` with `verify: false`) |
//! | `preverify` | `POST .../v1/preverify` | user | 200 `{"otcToken"}` |
//! | `verify` | `POST .../v1/verify` | user | 200, empty body |
//! | `list_mine` | `GET .../v1/me` | user | 200 array of phone numbers |
//! | `start_delete` | `DELETE .../v1/{id}` | user | 200 `{"phoneId","otcToken"}` |
//! | `confirm_delete` | `POST .../v1/{id}/delete/verify` | user | 200, empty body |
//! | `list` | `GET .../v2` | vendor | 200 page `{"items","_metadata","_links"}` |
//! | `list_v1` | `GET .../v1` | vendor | as `list`, without `userIds` |
//! | `vendor_add` | `POST .../v1/vendor/{userId}` | vendor | 201, empty body |
//! | `vendor_delete` | `DELETE .../v1/vendor/{userId}/{phoneId}` | vendor | 200, empty body |
//!
//! | `start_sms_enrollment` | `POST /identity/resources/auth/v1/user/mfa/sms/enroll` | user, or login step | 201 `{"otcToken"}` |
//! | `finish_sms_enrollment` | `POST .../auth/v1/user/mfa/sms/enroll/verify` | user, or login step | 201 signed in (+ `recoveryCode`) |
//! | `send_sms_code` | `POST .../auth/v1/user/mfa/sms/{deviceId}` | none (`mfaToken`) | 201 `{"otcToken"}` |
//! | `verify_sms_code` | `POST .../auth/v1/user/mfa/sms/{deviceId}/verify` | none (`mfaToken`) | 201 signed in |
//! | `enroll_sms` | `POST /identity/resources/users/v1/mfa/sms/enroll` | user | 200 `{"otcToken"}` |
//! | `verify_sms_enrollment` | `POST .../users/v1/mfa/sms/enroll/verify` | user | 200 `{"recoveryCode"}` or empty |
//! | `start_sms_disable` | `POST .../users/v1/mfa/sms/{deviceId}/disable` | user (+ tenant under a vendor token) | 200 `{"otcToken"}` |
//! | `confirm_sms_disable` | `POST .../users/v1/mfa/sms/{deviceId}/disable/verify` | user | 200, empty body |
//! | `start_sms_login` | `POST .../auth/v1/passwordless/smscode/prelogin` | none | 201 `{"phoneNumber"}` + flow cookie |
//! | `finish_sms_login` | `POST .../auth/v1/passwordless/smscode/postlogin` | none (cookie) | 201 signed in, or MFA required |
//! | `start_sms_reset` | `POST /identity/resources/users/v2/passwords/reset/sms` | none | 200 `{"sessionId"}` |
//! | `verify_sms_reset` | `POST .../users/v2/passwords/reset/sms/verify` | none | 200 `{"userId","token"}` |
//! | `mfa_devices` | `GET /identity/resources/users/v1/mfa/devices` | user | 200 MFA devices (full numbers) |
//! | `get_sms_config` | `GET /identity/resources/configurations/v1/sms` | vendor | 200 config (never its `token`) |
//! | `set_sms_config` | `POST .../configurations/v1/sms` | vendor | 201 created / 200 replaced |
//! | `delete_sms_config` | `DELETE .../configurations/v1/sms` | vendor | 200, empty body |
//! | `sms_templates` | `GET .../sms/templates` | vendor | 200 array of custom templates |
//! | `sms_template` | `GET .../sms/templates/{type}` | vendor | 200 custom template |
//! | `set_sms_template` | `POST .../sms/templates/{type}` | vendor | 201 created / 200 replaced |
//! | `delete_sms_template` | `DELETE .../sms/templates/{type}` | vendor | 200, empty body |
//! | `default_sms_template` | `GET .../sms/templates/{type}/default` | vendor | 200 built-in default |
//! | `default_sms_templates` | `GET .../sms/templates/default/all` | vendor | 200 array of built-in defaults |
//!
//! "user" auth is `Authorization: Bearer <JWT>` with `sub` (user id) and
//! `tenantId`: a token minted by [`Emulator::mint_user_token`], or, when
//! [`EmulatorConfig::accept_unsigned_jwt`] is set, any JWT whose payload
//! parses; or a vendor token plus `frontegg-user-id`. "vendor" auth is a
//! token from `/auth/vendor` only.
//!
//! A login step is a call without `Authorization` whose body carries an
//! `mfaToken` (minted by `finish_sms_login` for a user with an SMS MFA
//! device, or by [`Emulator::mfa_token`]). Users get identifiers for SMS
//! sign-in and reset with [`Emulator::create_user`].
//!
//! Emulator-only routes (no auth): `POST /_emulator/tokens`,
//! `POST /_emulator/users`, `POST /_emulator/mfa-tokens`,
//! `GET /_emulator/sms`, `POST|DELETE /_emulator/faults`,
//! `GET /_emulator/requests`, `POST /_emulator/reset`, `GET /_emulator/health`.
//!
//! # Errors
//!
//! Every error is `{"errors": [message], "errorCode": code}` with
//! `content-type: application/json`; every response carries a unique
//! `frontegg-trace-id` header.
//!
//! A code Frontegg publishes for the case is used as is; every other code is
//! the emulator's own and says so (`ER-EMULATOR-`), so that nobody takes it
//! for Frontegg's. Frontegg publishes no code for an invalid phone number,
//! a wrong or expired code, or a duplicate number (see the README).
//!
//! | status | `errorCode` | whose | when |
//! |---|---|---|---|
//! | 400 | `ER-00006` "Invalid input json" | Frontegg's | malformed JSON body |
//! | 400 | `ER-01097` "MFA is not enrolled" | Frontegg's | disabling SMS MFA for a user without any device |
//! | 400 | `ER-EMULATOR-VALIDATION` | emulator | missing field, wrong type, bad query parameter, bad path parameter |
//! | 400 | `ER-EMULATOR-INVALID-PHONE-NUMBER` | emulator | phone number is not E.164 (`^\+[1-9][0-9]{6,14}$`), empty included |
//! | 400 | `ER-EMULATOR-INVALID-CODE` | emulator | wrong code (counts an attempt) |
//! | 400 | `ER-EMULATOR-OTC-TOKEN-INVALID` | emulator | unknown, expired, used or burnt `otcToken`, `sessionId` or passwordless flow |
//! | 400 | `ER-EMULATOR-PHONE-NOT-SET` | emulator | `start_sms_login` for an unknown user or one without a number |
//! | 400 | `ER-EMULATOR-MISSING-IDENTIFIER` | emulator | `start_sms_login` / `start_sms_reset` without an identifier |
//! | 400 | `ER-EMULATOR-MISSING-HEADER` | emulator | `start_sms_disable`, vendor token without `frontegg-tenant-id` |
//! | 401 | `ER-EMULATOR-UNAUTHORIZED` | emulator | missing, malformed, expired token, or one the emulator did not sign (unless `accept_unsigned_jwt`) |
//! | 401 | `ER-EMULATOR-INVALID-CREDENTIALS` "Invalid authentication" | emulator (message: Frontegg's) | wrong `clientId` or `secret` on `/auth/vendor` |
//! | 401 | `ER-EMULATOR-MFA-TOKEN-INVALID` | emulator | bad, expired or spent `mfaToken` |
//! | 403 | `ER-EMULATOR-FORBIDDEN` | emulator | user token on a vendor route |
//! | 404 | `ER-EMULATOR-PHONE-NOT-FOUND` | emulator | unknown phone-number id for that user |
//! | 404 | `ER-EMULATOR-MFA-DEVICE-NOT-FOUND` | emulator | `deviceId` is not the user's SMS MFA device |
//! | 404 | `ER-EMULATOR-SMS-CONFIG-NOT-FOUND` | emulator | no SMS configuration |
//! | 404 | `ER-EMULATOR-SMS-TEMPLATE-NOT-FOUND` | emulator | no such custom template or built-in default |
//! | 404 | `ER-EMULATOR-ROUTE-NOT-FOUND` | emulator | unknown route |
//! | 405 | `ER-EMULATOR-METHOD-NOT-ALLOWED` | emulator | wrong method |
//! | 409 | `ER-EMULATOR-PHONE-EXISTS` | emulator | the user already has that number |
//! | 409 | `ER-EMULATOR-MFA-DEVICE-EXISTS` | emulator | number already enrolled for that user |
//! | 409 | `ER-EMULATOR-IDENTIFIER-TAKEN` | emulator | `POST /_emulator/users`: email or username taken |
//! | 413 | `ER-EMULATOR-PAYLOAD-TOO-LARGE` | emulator | body over `max_body_bytes`, template over `max_sms_template_bytes` |
//! | 415 | `ER-EMULATOR-UNSUPPORTED-MEDIA-TYPE` | emulator | body without `content-type: application/json` |
//! | 429 | `ER-EMULATOR-TOO-MANY-PENDING` | emulator | `max_pending_tokens` reached |
//! | 507 | `ER-EMULATOR-STORAGE-FULL` | emulator | `max_phone_numbers`, `max_users`, `max_mfa_devices` or `max_sms_templates` reached |
//! | any | `ER-EMULATOR-FAULT` | emulator | default body of an injected fault |
//! | 500 | `ER-EMULATOR-INTERNAL` | emulator | a bug in the emulator (panics are caught) |
//!
//! See the crate's README for faults and examples.
#![deny(missing_docs)]

mod accounts;
mod admin;
mod app;
mod auth;
mod cli;
mod config;
mod faults;
mod jwt;
mod keys;
mod pipeline;
mod routes;
mod seed;
mod serve;
mod signing;
mod state;
mod types;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

pub use cli::main_from_args;
pub use config::EmulatorConfig;
pub use faults::{FaultError, FaultRequest};
pub use seed::{Seed, SeedError, SeedMfaDevice, SeedPhoneNumber, SeedTenant, SeedUser};
pub use signing::SigningKeyError;
pub use types::{
    EmulatorError, FaultDrop, FaultSpec, LoggedRequest, Route, Sms, SmsPurpose, UnknownName, UnknownRoute,
    mask_phone,
};

use app::Shared;

enum Runner {
    Task(Option<tokio::task::JoinHandle<()>>),
    Thread(Option<std::thread::JoinHandle<()>>),
}

/// A running emulator. Dropping it stops the server (and, for
/// [`Emulator::spawn`], joins its thread).
///
/// All methods are synchronous and may be called from any thread.
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    base_url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    runner: Runner,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("base_url", &self.base_url)
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

fn bind_addr(config: &EmulatorConfig) -> SocketAddr {
    config.bind.unwrap_or(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
}

impl Emulator {
    /// Starts the emulator on the current tokio runtime.
    ///
    /// Binds [`EmulatorConfig::bind`], by default `127.0.0.1:0`.
    pub async fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        let listener = tokio::net::TcpListener::bind(bind_addr(&config)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(config, format!("http://{addr}"))?);
        let (tx, rx) = tokio::sync::oneshot::channel();
        let router = serve::router(shared.clone());
        let task = tokio::spawn(serve::serve(listener, router, rx));
        Ok(Self::new(shared, addr, tx, Runner::Task(Some(task))))
    }

    /// Starts the emulator on a dedicated thread with its own tokio runtime;
    /// usable from sync code.
    pub fn spawn(config: EmulatorConfig) -> std::io::Result<Emulator> {
        let std_listener = std::net::TcpListener::bind(bind_addr(&config))?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(std_listener)?
        };
        let shared = Arc::new(Shared::new(config, format!("http://{addr}"))?);
        let (tx, rx) = tokio::sync::oneshot::channel();
        let router = serve::router(shared.clone());
        let thread = std::thread::Builder::new()
            .name("frontegg-identity-emulator".into())
            .spawn(move || {
                runtime.block_on(serve::serve(listener, router, rx));
                runtime.shutdown_timeout(std::time::Duration::from_secs(1));
            })?;
        Ok(Self::new(shared, addr, tx, Runner::Thread(Some(thread))))
    }

    fn new(
        shared: Arc<Shared>,
        addr: SocketAddr,
        tx: tokio::sync::oneshot::Sender<()>,
        runner: Runner,
    ) -> Self {
        Self {
            shared,
            addr,
            base_url: format!("http://{addr}"),
            shutdown: Some(tx),
            runner,
        }
    }

    /// The gateway root, like `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The configuration.
    pub fn config(&self) -> &EmulatorConfig {
        &self.shared.config
    }

    /// Mints a user token signed RS256 with this emulator's key, shaped like
    /// Frontegg's: `sub`, `tenantId` (given, else the user's), `tenantIds`,
    /// `roles`, `permissions`, `email` (from the user's profile, see
    /// [`Emulator::create_user_with`] and [`Seed`]), `type: "userToken"`,
    /// `iss` (the base URL), `aud` (the client id), `sid`, `iat` and `exp`
    /// ([`EmulatorConfig::user_token_ttl`]).
    pub fn mint_user_token(&self, user_id: &str, tenant_id: Option<&str>) -> String {
        let st = self.shared.state.lock();
        self.shared.mint_user_token(&st, user_id, tenant_id, None)
    }

    /// As [`Emulator::mint_user_token`], with `claims` added, overriding the
    /// defaults (for example `roles`, `permissions`, or an `exp` in the past).
    pub fn mint_user_token_with_claims(
        &self,
        user_id: &str,
        tenant_id: Option<&str>,
        claims: serde_json::Map<String, serde_json::Value>,
    ) -> String {
        let st = self.shared.state.lock();
        self.shared
            .mint_user_token(&st, user_id, tenant_id, Some(&claims))
    }

    /// The public key that verifies every token, as served by
    /// `GET /.well-known/jwks.json`: `{"keys": [{"kty": "RSA", "kid", ...}]}`.
    pub fn jwks(&self) -> serde_json::Value {
        self.shared.signer().jwks()
    }

    /// The public key as PEM (`BEGIN PUBLIC KEY`), the `publicKey` of
    /// `GET /identity/resources/configurations/v1`.
    pub fn public_key_pem(&self) -> String {
        self.shared.signer().public_pem().to_owned()
    }

    /// The state in the seed format, as `GET /_emulator/state` answers it.
    pub fn export_state(&self) -> Seed {
        self.shared.state.lock().export()
    }

    /// The vendor credentials `(client_id, secret)` accepted by `/auth/vendor`.
    pub fn vendor_credentials(&self) -> (String, String) {
        (
            self.shared.config.client_id.clone(),
            self.shared.config.secret.clone(),
        )
    }

    /// The SMS sent, oldest first, optionally only those to `phone`.
    pub fn sms(&self, phone: Option<&str>) -> Vec<Sms> {
        self.shared.sms(phone)
    }

    /// The code of the last SMS sent to `phone`.
    pub fn last_code(&self, phone: &str) -> Option<String> {
        self.shared.last_code(phone, None)
    }

    /// The code of the last SMS sent to `phone` for `purpose`.
    pub fn last_code_for(&self, phone: &str, purpose: SmsPurpose) -> Option<String> {
        self.shared.last_code(phone, Some(purpose))
    }

    /// Creates (or replaces) a user with identifiers, as
    /// `POST /_emulator/users` does: passwordless sign-in and password reset
    /// find users by e-mail or username only when created so.
    pub fn create_user(
        &self,
        user_id: &str,
        email: Option<&str>,
        username: Option<&str>,
    ) -> Result<(), EmulatorError> {
        self.create_user_with(SeedUser {
            user_id: user_id.to_owned(),
            email: email.map(str::to_owned),
            username: username.map(str::to_owned),
            ..SeedUser::default()
        })
    }

    /// Creates (or replaces) a user with identifiers and the claims of its
    /// tokens (`tenantId`, `tenantIds`, `roles`, `permissions`), as
    /// `POST /_emulator/users` does.
    pub fn create_user_with(&self, user: SeedUser) -> Result<(), EmulatorError> {
        let mut st = self.shared.state.lock();
        st.create_user(&self.shared.config, user)
            .map(drop)
            .map_err(state::ApiError::into_public)
    }

    /// Mints an `mfaToken` for `user_id`, as `POST /_emulator/mfa-tokens`
    /// does: the second step of a sign-in (routes 13 and 14, or a login-step
    /// enrollment on 11 and 12). Valid [`EmulatorConfig::otc_ttl`].
    pub fn mfa_token(&self, user_id: &str) -> Result<String, EmulatorError> {
        let mut st = self.shared.state.lock();
        st.mint_mfa_token(&self.shared.config, user_id)
            .map_err(state::ApiError::into_public)
    }

    /// Scripts a fault (see [`FaultSpec`]). Faults are consumed in the order
    /// they were injected.
    pub fn inject_fault(&self, fault: FaultSpec) {
        self.shared.inject_fault(fault);
    }

    /// Removes all scripted faults.
    pub fn clear_faults(&self) {
        self.shared.clear_faults();
    }

    /// The request log, oldest first (emulator-only routes are not logged).
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.requests()
    }

    /// Clears all state: phone numbers, users, MFA devices, pending and MFA
    /// tokens, SMS settings, SMS, faults and the request log, then loads
    /// [`EmulatorConfig::seed`] again. Tokens minted before stay valid (the key is kept).
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Stops the server and waits until it has stopped.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match &mut self.runner {
            Runner::Task(task) => {
                if let Some(task) = task.take() {
                    let _ = task.await;
                }
            }
            Runner::Thread(thread) => {
                if let Some(thread) = thread.take() {
                    let _ = thread.join();
                }
            }
        }
    }

    /// Stops the server; for [`Emulator::spawn`], joins its thread.
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let thread = match &mut self.runner {
            Runner::Thread(thread) => thread.take(),
            Runner::Task(_) => None,
        };
        // Never join from the emulator's own thread (it would deadlock).
        if let Some(thread) = thread.filter(|t| t.thread().id() != std::thread::current().id()) {
            let _ = thread.join();
        }
    }
}
