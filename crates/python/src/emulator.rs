//! The Rust emulator, run in-process for `frontegg_identity.testing`.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use frontegg_identity_emulator::{Emulator, EmulatorConfig, FaultRequest, Seed, SeedUser, SmsPurpose};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::guarded;

#[pyclass(frozen, module = "frontegg_identity._native", name = "Emulator")]
pub(crate) struct PyEmulator {
    inner: Mutex<Option<Emulator>>,
    base_url: String,
}

fn seconds(name: &str, value: f64) -> PyResult<Duration> {
    if (0.0..1e9).contains(&value) {
        Ok(Duration::from_secs_f64(value))
    } else {
        Err(PyValueError::new_err(format!(
            "{name} must be a finite, non-negative number of seconds"
        )))
    }
}

type SmsTuple = (String, String, String, &'static str, String);

impl PyEmulator {
    fn with<T>(&self, f: impl FnOnce(&Emulator) -> T) -> PyResult<T> {
        let guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        match guard.as_ref() {
            Some(emulator) => Ok(f(emulator)),
            None => Err(PyRuntimeError::new_err("the emulator is stopped")),
        }
    }
}

/// The number as the emulator stores it (E.164) when it parses, else as given.
fn normalise(phone: &str) -> String {
    frontegg_identity_core::PhoneNumber::parse(phone)
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|_| phone.to_owned())
}

#[pymethods]
impl PyEmulator {
    #[new]
    #[pyo3(signature = (*, code_length=6, otc_ttl=300.0, max_attempts=5, vendor_token_ttl=3600.0,
        user_token_ttl=3600.0, client_id=None, secret=None, accept_unsigned_jwt=false, signing_key=None,
        seed_json=None, seed_path=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        code_length: usize,
        otc_ttl: f64,
        max_attempts: u32,
        vendor_token_ttl: f64,
        user_token_ttl: f64,
        client_id: Option<String>,
        secret: Option<String>,
        accept_unsigned_jwt: bool,
        signing_key: Option<String>,
        seed_json: Option<&str>,
        seed_path: Option<&str>,
    ) -> PyResult<Self> {
        guarded(py, || {
            if !(1..=32).contains(&code_length) {
                return Err(PyValueError::new_err("code_length must be between 1 and 32"));
            }
            let mut config = EmulatorConfig {
                code_length,
                otc_ttl: seconds("otc_ttl", otc_ttl)?,
                max_attempts,
                vendor_token_ttl: seconds("vendor_token_ttl", vendor_token_ttl)?,
                user_token_ttl: seconds("user_token_ttl", user_token_ttl)?,
                accept_unsigned_jwt,
                signing_key,
                ..EmulatorConfig::default()
            };
            let seed = match (seed_json, seed_path) {
                (Some(json), _) => Some(Seed::from_json(json)),
                (None, Some(path)) => Some(Seed::from_file(path)),
                (None, None) => None,
            };
            config.seed = seed
                .transpose()
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            if let Some(id) = client_id {
                config.client_id = id;
            }
            if let Some(secret) = secret {
                config.secret = secret;
            }
            let emulator = py
                .detach(|| Emulator::spawn(config))
                .map_err(|e| match e.kind() {
                    // A malformed signing key or an invalid seed entry.
                    std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData => {
                        PyValueError::new_err(e.to_string())
                    }
                    _ => PyRuntimeError::new_err(format!("could not start the emulator: {e}")),
                })?;
            Ok(Self {
                base_url: emulator.base_url().to_owned(),
                inner: Mutex::new(Some(emulator)),
            })
        })
    }

    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    #[getter]
    fn running(&self) -> bool {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    #[pyo3(signature = (user_id, tenant_id=None, claims_json=None))]
    fn user_token(
        &self,
        py: Python<'_>,
        user_id: &str,
        tenant_id: Option<&str>,
        claims_json: Option<&str>,
    ) -> PyResult<String> {
        guarded(py, || {
            let claims = claims_json
                .map(serde_json::from_str::<serde_json::Map<String, serde_json::Value>>)
                .transpose()
                .map_err(|e| PyValueError::new_err(format!("claims must be a JSON object: {e}")))?;
            self.with(|e| match claims {
                Some(c) => e.mint_user_token_with_claims(user_id, tenant_id, c),
                None => e.mint_user_token(user_id, tenant_id),
            })
        })
    }

    /// The state, as the JSON of `GET /_emulator/state`.
    fn export_state(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || self.with(|e| e.export_state().to_json()))
    }

    /// `GET /.well-known/jwks.json`, as JSON.
    fn jwks_json(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || self.with(|e| e.jwks().to_string()))
    }

    #[getter]
    fn public_key_pem(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || self.with(Emulator::public_key_pem))
    }

    fn vendor_credentials(&self, py: Python<'_>) -> PyResult<(String, String)> {
        guarded(py, || self.with(Emulator::vendor_credentials))
    }

    #[pyo3(signature = (phone_number=None))]
    fn sms(&self, py: Python<'_>, phone_number: Option<&str>) -> PyResult<Vec<SmsTuple>> {
        guarded(py, || {
            let phone = phone_number.map(normalise);
            self.with(|e| {
                e.sms(phone.as_deref())
                    .into_iter()
                    .map(|s| (s.phone_number, s.code, s.otc_token, s.purpose.as_str(), s.sent_at))
                    .collect()
            })
        })
    }

    #[pyo3(signature = (phone_number, purpose=None))]
    fn last_code(
        &self,
        py: Python<'_>,
        phone_number: &str,
        purpose: Option<&str>,
    ) -> PyResult<Option<String>> {
        guarded(py, || {
            let phone = normalise(phone_number);
            let purpose = purpose
                .map(str::parse::<SmsPurpose>)
                .transpose()
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            self.with(|e| match purpose {
                Some(p) => e.last_code_for(&phone, p),
                None => e.last_code(&phone),
            })
        })
    }

    #[pyo3(signature = (user_id, email=None, username=None, tenant_id=None, tenant_ids=None, roles=None,
        permissions=None))]
    #[allow(clippy::too_many_arguments)]
    fn create_user(
        &self,
        py: Python<'_>,
        user_id: &str,
        email: Option<String>,
        username: Option<String>,
        tenant_id: Option<String>,
        tenant_ids: Option<Vec<String>>,
        roles: Option<Vec<String>>,
        permissions: Option<Vec<String>>,
    ) -> PyResult<()> {
        guarded(py, || {
            let user = SeedUser {
                user_id: user_id.to_owned(),
                email,
                username,
                tenant_id,
                tenant_ids: tenant_ids.unwrap_or_default(),
                roles: roles.unwrap_or_default(),
                permissions: permissions.unwrap_or_default(),
            };
            self.with(|e| e.create_user_with(user))?
                .map_err(|e| PyValueError::new_err(e.to_string()))
        })
    }

    fn mfa_token(&self, py: Python<'_>, user_id: &str) -> PyResult<String> {
        guarded(py, || {
            self.with(|e| e.mfa_token(user_id))?
                .map_err(|e| PyRuntimeError::new_err(e.to_string()))
        })
    }

    #[pyo3(signature = (route=None, *, status=None, times=1, body_json=None, headers=None, delay=None,
        rate_limit_reset=None, retry_after=None, drop=None))]
    #[allow(clippy::too_many_arguments)]
    fn inject_fault(
        &self,
        py: Python<'_>,
        route: Option<&str>,
        status: Option<u16>,
        times: u32,
        body_json: Option<&str>,
        headers: Option<Vec<(String, String)>>,
        delay: Option<f64>,
        rate_limit_reset: Option<String>,
        retry_after: Option<String>,
        drop: Option<&str>,
    ) -> PyResult<()> {
        guarded(py, || {
            let body = body_json
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| PyValueError::new_err(format!("body is not JSON: {e}")))?;
            let fault = FaultRequest {
                route: route.unwrap_or("*").to_owned(),
                count: Some(times),
                status,
                body,
                headers: headers.unwrap_or_default(),
                delay: delay.map(|d| seconds("delay", d)).transpose()?,
                rate_limit_reset,
                retry_after,
                drop: drop.map(str::to_owned),
            }
            .into_spec()
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
            self.with(|e| e.inject_fault(fault))
        })
    }

    fn clear_faults(&self, py: Python<'_>) -> PyResult<()> {
        guarded(py, || self.with(Emulator::clear_faults))
    }

    fn requests<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        guarded(py, || {
            let log = self.with(Emulator::requests)?;
            log.into_iter()
                .map(|r| {
                    let d = PyDict::new(py);
                    d.set_item("seq", r.seq)?;
                    d.set_item("route", r.route)?;
                    d.set_item("method", r.method)?;
                    d.set_item("path", r.path)?;
                    d.set_item("status", r.status)?;
                    d.set_item("processed", r.processed)?;
                    d.set_item("fault", r.fault)?;
                    d.set_item("user_id", r.user_id)?;
                    d.set_item("at", r.at)?;
                    Ok(d)
                })
                .collect()
        })
    }

    fn reset(&self, py: Python<'_>) -> PyResult<()> {
        guarded(py, || self.with(Emulator::reset))
    }

    /// Stops the server and waits for its thread (idempotent).
    fn stop(&self, py: Python<'_>) -> PyResult<()> {
        guarded(py, || {
            let emulator = self.inner.lock().unwrap_or_else(PoisonError::into_inner).take();
            if let Some(emulator) = emulator {
                py.detach(move || emulator.stop());
            }
            Ok(())
        })
    }
}

/// Runs the emulator's command line (`argv[0]` is the program name) until
/// SIGINT or SIGTERM, exactly as the Rust binary does; returns the exit code.
#[pyfunction]
pub(crate) fn run_emulator_cli(py: Python<'_>, argv: Vec<String>) -> i32 {
    py.detach(move || frontegg_identity_emulator::main_from_args(argv))
}
