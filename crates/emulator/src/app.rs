//! The state shared by the server and the [`Emulator`](crate::Emulator) handle.

use std::sync::atomic::{AtomicUsize, Ordering};

use http::Method;
use parking_lot::Mutex;

use crate::config::EmulatorConfig;
use crate::jwt;
use crate::signing::{Signer, SigningKeyError};
use crate::state::{State, now_rfc3339};
use crate::types::{FaultSpec, LoggedRequest, Route, Sms, SmsPurpose};

/// State shared by the server and the handle.
pub(crate) struct Shared {
    pub(crate) config: EmulatorConfig,
    signer: std::sync::Arc<Signer>,
    /// `iss` of the tokens minted: the emulator's base URL.
    issuer: String,
    pub(crate) state: Mutex<State>,
    /// Number of active faults, read without the lock on the fast path.
    pub(crate) fault_count: AtomicUsize,
}

pub(crate) type App = std::sync::Arc<Shared>;

impl Shared {
    /// The signing key is [`EmulatorConfig::signing_key`], else the key
    /// generated for this process.
    /// Loads [`EmulatorConfig::seed`]: a bad key is `InvalidInput`, a bad
    /// seed `InvalidData`.
    pub(crate) fn new(config: EmulatorConfig, issuer: String) -> std::io::Result<Self> {
        let invalid = |kind, e: String| std::io::Error::new(kind, e);
        let signer = match &config.signing_key {
            Some(pem) => Signer::from_pem(pem).map(std::sync::Arc::new),
            None => Signer::generated(),
        }
        .map_err(|e: SigningKeyError| invalid(std::io::ErrorKind::InvalidInput, e.to_string()))?;
        let state = Self::seeded(&config).map_err(|e| invalid(std::io::ErrorKind::InvalidData, e))?;
        Ok(Self {
            config,
            signer,
            issuer,
            state: Mutex::new(state),
            fault_count: AtomicUsize::new(0),
        })
    }

    /// A fresh state with the seed loaded.
    fn seeded(config: &EmulatorConfig) -> Result<State, String> {
        let mut state = State::default();
        if let Some(seed) = &config.seed {
            state
                .load_seed(config, seed)
                .map_err(|e| format!("invalid seed: {e}"))?;
        }
        Ok(state)
    }

    pub(crate) fn signer(&self) -> &Signer {
        &self.signer
    }

    /// Mints a user token shaped like Frontegg's: `sub`, `tenantId`,
    /// `tenantIds`, `roles`, `permissions`, `email` (when the user has one),
    /// `type: "userToken"`, `iss`, `aud`, `sid`, `iat`, `exp`; defaults come
    /// from the user's profile (seed or `POST /_emulator/users`), and `extra`
    /// claims override any of them.
    pub(crate) fn mint_user_token(
        &self,
        st: &State,
        user_id: &str,
        tenant_id: Option<&str>,
        extra: Option<&serde_json::Map<String, serde_json::Value>>,
    ) -> String {
        let mut claims = st.accounts.token_claims(user_id, tenant_id);
        claims.insert("type".into(), "userToken".into());
        claims.insert("iss".into(), self.issuer.clone().into());
        claims.insert("aud".into(), self.config.client_id.clone().into());
        claims.insert("sid".into(), crate::state::random_uuid().into());
        if let Some(extra) = extra {
            for (k, v) in extra {
                claims.insert(k.clone(), v.clone());
            }
        }
        jwt::mint(&self.signer, claims, self.config.user_token_ttl)
    }

    /// Mints a vendor token shaped like Frontegg's: `sub` and `vendorId` (the
    /// client id), `type: "vendor"`, `scopes`, `iss`, `iat`, `exp`.
    pub(crate) fn mint_vendor_token(&self) -> String {
        let mut claims = serde_json::Map::new();
        claims.insert("sub".into(), self.config.client_id.clone().into());
        claims.insert("vendorId".into(), self.config.client_id.clone().into());
        claims.insert("type".into(), "vendor".into());
        claims.insert("scopes".into(), serde_json::json!([]));
        claims.insert("iss".into(), self.issuer.clone().into());
        jwt::mint(&self.signer, claims, self.config.vendor_token_ttl)
    }

    pub(crate) fn sms(&self, phone: Option<&str>) -> Vec<Sms> {
        let st = self.state.lock();
        st.sms
            .iter()
            .filter(|s| phone.is_none_or(|p| s.phone_number == p))
            .cloned()
            .collect()
    }

    pub(crate) fn last_code(&self, phone: &str, purpose: Option<SmsPurpose>) -> Option<String> {
        let st = self.state.lock();
        st.sms
            .iter()
            .rev()
            .find(|s| s.phone_number == phone && purpose.is_none_or(|p| s.purpose == p))
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

    pub(crate) fn take_fault(&self, route: Route) -> Option<FaultSpec> {
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
                at: now_rfc3339(e.at),
            })
            .collect()
    }

    pub(crate) fn reset(&self) {
        let mut st = self.state.lock();
        // The seed loaded at start, so it cannot fail now.
        *st = Self::seeded(&self.config).unwrap_or_default();
        self.fault_count.store(0, Ordering::Release);
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn log(
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
