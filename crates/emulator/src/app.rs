//! The state shared by the server and the [`Emulator`](crate::Emulator) handle.

use std::sync::atomic::{AtomicUsize, Ordering};

use http::Method;
use parking_lot::Mutex;

use crate::config::EmulatorConfig;
use crate::jwt;
use crate::state::{State, now_rfc3339};
use crate::types::{FaultSpec, LoggedRequest, Route, Sms, SmsPurpose};

/// State shared by the server and the handle.
pub(crate) struct Shared {
    pub(crate) config: EmulatorConfig,
    key: [u8; 32],
    pub(crate) state: Mutex<State>,
    /// Number of active faults, read without the lock on the fast path.
    pub(crate) fault_count: AtomicUsize,
}

pub(crate) type App = std::sync::Arc<Shared>;

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

    pub(crate) fn key(&self) -> &[u8] {
        &self.key
    }

    pub(crate) fn mint_user_token(&self, user_id: &str, tenant_id: Option<&str>) -> String {
        let mut claims = serde_json::Map::new();
        claims.insert("sub".into(), user_id.into());
        if let Some(t) = tenant_id {
            claims.insert("tenantId".into(), t.into());
        }
        jwt::mint(&self.key, claims, self.config.user_token_ttl)
    }

    pub(crate) fn mint_vendor_token(&self) -> String {
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
        *st = State::default();
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
