//! The SMS family's state and logic, free of HTTP: users with identifiers,
//! SMS MFA devices, `mfaToken`s, sign-in sessions, passwordless flows and
//! password resets (routes 11 to 22 and 32).

use std::collections::HashMap;
use std::time::{Instant, SystemTime};

use http::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};

use crate::app::Shared;
use crate::config::EmulatorConfig;
use crate::seed::{SeedMfaDevice, SeedTenant, SeedUser};
use crate::state::{
    Answer, ApiError, PendingKind, Refused, State, codes, is_e164, now_rfc3339, random_token, random_uuid,
};
use crate::types::{SmsPurpose, mask_phone};

/// An SMS MFA device.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Device {
    id: String,
    phone_number: String,
    created_at: String,
}

/// Tokens naming a user, each valid until an instant.
type Tokens = HashMap<String, (String, Instant)>;

/// The SMS family's state, inside [`State`].
#[derive(Default)]
pub(crate) struct Accounts {
    /// Users by id: their identifiers and the claims of the tokens minted for them.
    users: HashMap<String, SeedUser>,
    devices: HashMap<String, Vec<Device>>,
    total_devices: usize,
    /// Seeded tenants: id and name.
    tenants: std::collections::BTreeMap<String, Option<String>>,
    mfa_tokens: Tokens,
    reset_tokens: Tokens,
}

impl Accounts {
    /// The default claims of a user token for `user`: `sub`, `tenantId`
    /// (`tenant`, else the user's), `tenantIds`, `roles`, `permissions` and
    /// `email` (when known).
    pub(crate) fn token_claims(&self, user: &str, tenant: Option<&str>) -> serde_json::Map<String, Value> {
        let profile = self.users.get(user).cloned().unwrap_or_default();
        let tenant = tenant.map(str::to_owned).or(profile.tenant_id);
        let mut tenant_ids = profile.tenant_ids;
        if let Some(t) = tenant.as_ref().filter(|t| !tenant_ids.contains(t)) {
            tenant_ids.insert(0, t.clone());
        }
        let mut claims = serde_json::Map::new();
        claims.insert("sub".into(), user.into());
        if let Some(t) = tenant {
            claims.insert("tenantId".into(), t.into());
        }
        claims.insert("tenantIds".into(), tenant_ids.into());
        claims.insert("roles".into(), profile.roles.into());
        claims.insert("permissions".into(), profile.permissions.into());
        if let Some(email) = profile.email {
            claims.insert("email".into(), email.into());
        }
        claims
    }
}

/// Which identifier names the user (routes 19 and 21).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdKind {
    Email,
    UserId,
    Username,
    PhoneNumber,
}

type Res<T = Answer> = Result<T, ApiError>;

fn refused(r: Refused) -> ApiError {
    match r {
        Refused::Token => ApiError::invalid_otc(),
        Refused::Code => ApiError::invalid_code(),
    }
}

fn bad_mfa_token() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        codes::MFA_TOKEN_INVALID,
        "MFA token is invalid or expired",
    )
}

fn storage_full(what: &'static str) -> ApiError {
    ApiError::new(StatusCode::INSUFFICIENT_STORAGE, codes::STORAGE_FULL, what)
}

/// Inserts into a bounded token map: expired entries go first; when still
/// full, `evict_any` drops an arbitrary entry, else 429.
fn insert_bounded(
    map: &mut Tokens,
    cap: usize,
    user: &str,
    ttl: std::time::Duration,
    evict_any: bool,
) -> Res<String> {
    let now = Instant::now();
    if map.len() >= cap {
        map.retain(|_, (_, until)| *until > now);
    }
    if map.len() >= cap {
        let victim = map.keys().next().cloned().filter(|_| evict_any);
        match victim {
            Some(v) => {
                map.remove(&v);
            }
            None => return Err(ApiError::too_many_pending()),
        }
    }
    let token = random_token();
    map.insert(token.clone(), (user.to_owned(), now + ttl));
    Ok(token)
}

fn otc(status: StatusCode, token: &str) -> Answer {
    Answer::json(status, &json!({ "otcToken": token }))
}

impl State {
    /// `POST /_emulator/users`: creates or replaces a user.
    pub(crate) fn create_user(&mut self, cfg: &EmulatorConfig, user: SeedUser) -> Res {
        if user.user_id.is_empty() {
            return Err(ApiError::validation("userId must not be empty"));
        }
        let a = &mut self.accounts;
        let (email, username) = (&user.email, &user.username);
        let taken = a.users.iter().any(|(id, ids)| {
            *id != user.user_id
                && ((email.is_some() && ids.email == *email)
                    || (username.is_some() && ids.username == *username))
        });
        if taken {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                codes::IDENTIFIER_TAKEN,
                "Another user has that email or username",
            ));
        }
        if !a.users.contains_key(&user.user_id) && a.users.len() >= cfg.max_users {
            return Err(storage_full("User storage is full"));
        }
        let answer = Answer::json(StatusCode::OK, &user);
        a.users.insert(user.user_id.clone(), user);
        Ok(answer)
    }

    /// Seeds a tenant (kept for export only).
    pub(crate) fn add_tenant(&mut self, tenant: &SeedTenant) -> Res<()> {
        if tenant.tenant_id.is_empty() {
            return Err(ApiError::validation("tenantId must not be empty"));
        }
        self.accounts
            .tenants
            .insert(tenant.tenant_id.clone(), tenant.name.clone());
        Ok(())
    }

    /// Seeds an SMS MFA device.
    pub(crate) fn add_device(&mut self, cfg: &EmulatorConfig, d: &SeedMfaDevice) -> Res<()> {
        if d.user_id.is_empty() {
            return Err(ApiError::validation("userId must not be empty"));
        }
        if !is_e164(&d.phone_number) {
            return Err(ApiError::invalid_phone());
        }
        self.check_new_device(&d.user_id, &d.phone_number)?;
        if self.accounts.total_devices >= cfg.max_mfa_devices {
            return Err(storage_full("MFA device storage is full"));
        }
        self.accounts
            .devices
            .entry(d.user_id.clone())
            .or_default()
            .push(Device {
                id: d.id.clone().unwrap_or_else(random_uuid),
                phone_number: d.phone_number.clone(),
                created_at: d
                    .created_at
                    .clone()
                    .unwrap_or_else(|| now_rfc3339(SystemTime::now())),
            });
        self.accounts.total_devices += 1;
        Ok(())
    }

    /// Tenants, users and devices, sorted by id (devices in creation order per user).
    pub(crate) fn export_accounts(&self) -> (Vec<SeedTenant>, Vec<SeedUser>, Vec<SeedMfaDevice>) {
        let a = &self.accounts;
        let tenants = a
            .tenants
            .iter()
            .map(|(id, name)| SeedTenant {
                tenant_id: id.clone(),
                name: name.clone(),
            })
            .collect();
        let mut users: Vec<SeedUser> = a.users.values().cloned().collect();
        users.sort_by(|x, y| x.user_id.cmp(&y.user_id));
        let mut owners: Vec<&String> = a.devices.keys().collect();
        owners.sort();
        let devices = owners
            .into_iter()
            .flat_map(|user| {
                a.devices
                    .get(user)
                    .into_iter()
                    .flatten()
                    .map(move |d| SeedMfaDevice {
                        id: Some(d.id.clone()),
                        user_id: user.clone(),
                        phone_number: d.phone_number.clone(),
                        created_at: Some(d.created_at.clone()),
                    })
            })
            .collect();
        (tenants, users, devices)
    }

    /// Mints an `mfaToken` for `user`.
    pub(crate) fn mint_mfa_token(&mut self, cfg: &EmulatorConfig, user: &str) -> Res<String> {
        insert_bounded(
            &mut self.accounts.mfa_tokens,
            cfg.max_pending_tokens,
            user,
            cfg.otc_ttl,
            false,
        )
    }

    /// `POST /_emulator/mfa-tokens`.
    pub(crate) fn mfa_token_answer(&mut self, cfg: &EmulatorConfig, user: &str) -> Res {
        let token = self.mint_mfa_token(cfg, user)?;
        Ok(Answer::json(
            StatusCode::OK,
            &json!({ "mfaToken": token, "mfaDevices": self.devices_json(user, true) }),
        ))
    }

    /// The user an unexpired `mfaToken` names.
    pub(crate) fn mfa_user(&self, token: &str) -> Res<String> {
        match self.accounts.mfa_tokens.get(token) {
            Some((user, until)) if *until > Instant::now() => Ok(user.clone()),
            _ => Err(bad_mfa_token()),
        }
    }

    fn spend_mfa_token(&mut self, token: &str) {
        self.accounts.mfa_tokens.remove(token);
    }

    fn devices_of(&self, user: &str) -> &[Device] {
        self.accounts.devices.get(user).map_or(&[], Vec::as_slice)
    }

    /// `UserMFADevicesResponse`, numbers masked or full.
    pub(crate) fn devices_json(&self, user: &str, masked: bool) -> Value {
        let phones: Vec<Value> = self
            .devices_of(user)
            .iter()
            .map(|d| {
                let phone = if masked {
                    mask_phone(&d.phone_number)
                } else {
                    d.phone_number.clone()
                };
                json!({ "id": d.id, "phoneNumber": phone, "createdAt": d.created_at })
            })
            .collect();
        json!({ "webauthn": [], "phones": phones, "authenticators": [], "emails": [] })
    }

    /// `user`'s device `id`: 404 when it is not theirs; with `enrolled`, a
    /// user without any device gets Frontegg's "MFA is not enrolled".
    fn device(&self, user: &str, id: &str, enrolled: bool) -> Res<Device> {
        let devices = self.devices_of(user);
        if enrolled && devices.is_empty() {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                codes::MFA_NOT_ENROLLED,
                "MFA is not enrolled",
            ));
        }
        devices.iter().find(|d| d.id == id).cloned().ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                codes::MFA_DEVICE_NOT_FOUND,
                "MFA device not found",
            )
        })
    }

    /// The number SMS sign-in uses: the first verified phone number, else the
    /// first SMS MFA device.
    pub(crate) fn sms_number(&self, user: &str) -> Option<String> {
        self.verified_numbers(user)
            .next()
            .map(str::to_owned)
            .or_else(|| self.devices_of(user).first().map(|d| d.phone_number.clone()))
    }

    fn find_user(&self, kind: IdKind, value: &str) -> Option<String> {
        let users = &self.accounts.users;
        let by = |f: fn(&SeedUser) -> &Option<String>| {
            users
                .iter()
                .find(|(_, ids)| f(ids).as_deref() == Some(value))
                .map(|(id, _)| id.clone())
        };
        match kind {
            IdKind::Email => by(|i| &i.email),
            IdKind::Username => by(|i| &i.username),
            IdKind::UserId => (users.contains_key(value)
                || self.accounts.devices.contains_key(value)
                || self.has_records(value))
            .then(|| value.to_owned()),
            IdKind::PhoneNumber => self.verified_owner(value).map(str::to_owned).or_else(|| {
                self.accounts
                    .devices
                    .iter()
                    .find(|(_, ds)| ds.iter().any(|d| d.phone_number == value))
                    .map(|(user, _)| user.clone())
            }),
        }
    }

    /// Routes 11 and 15: sends a code to a number to enroll.
    pub(crate) fn start_mfa_enroll(
        &mut self,
        cfg: &EmulatorConfig,
        user: &str,
        phone: &str,
        status: StatusCode,
    ) -> Res {
        if !is_e164(phone) {
            return Err(ApiError::invalid_phone());
        }
        self.check_new_device(user, phone)?;
        let kind = PendingKind::MfaEnroll {
            phone: phone.to_owned(),
        };
        let token = self.issue(cfg, kind, user, phone, SmsPurpose::MfaEnroll)?;
        Ok(otc(status, &token))
    }

    fn check_new_device(&self, user: &str, phone: &str) -> Res<()> {
        if self.devices_of(user).iter().any(|d| d.phone_number == phone) {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                codes::MFA_DEVICE_EXISTS,
                "This phone number is already enrolled",
            ));
        }
        Ok(())
    }

    /// Routes 12 and 16: the code creates the device. Answers the recovery
    /// code when it is the user's first MFA device.
    pub(crate) fn finish_mfa_enroll(
        &mut self,
        cfg: &EmulatorConfig,
        user: &str,
        token: &str,
        code: &str,
    ) -> Res<Option<String>> {
        let accepts =
            |kind: &PendingKind, owner: &str| owner == user && matches!(kind, PendingKind::MfaEnroll { .. });
        let (_, kind) = self.redeem_if(cfg, token, code, accepts).map_err(refused)?;
        let PendingKind::MfaEnroll { phone } = kind else {
            return Err(refused(Refused::Token));
        };
        self.check_new_device(user, &phone)?;
        if self.accounts.total_devices >= cfg.max_mfa_devices {
            return Err(storage_full("MFA device storage is full"));
        }
        let devices = self.accounts.devices.entry(user.to_owned()).or_default();
        let first = devices.is_empty();
        devices.push(Device {
            id: random_uuid(),
            phone_number: phone,
            created_at: now_rfc3339(SystemTime::now()),
        });
        self.accounts.total_devices += 1;
        Ok(first.then(random_token))
    }

    /// Route 13.
    pub(crate) fn send_mfa_code(&mut self, cfg: &EmulatorConfig, mfa_token: &str, device_id: &str) -> Res {
        let user = self.mfa_user(mfa_token)?;
        let device = self.device(&user, device_id, false)?;
        let kind = PendingKind::MfaLogin { device_id: device.id };
        let token = self.issue(cfg, kind, &user, &device.phone_number, SmsPurpose::MfaLogin)?;
        Ok(otc(StatusCode::CREATED, &token))
    }

    /// Route 14: answers the signed-in user.
    pub(crate) fn verify_mfa_code(
        &mut self,
        cfg: &EmulatorConfig,
        mfa_token: &str,
        device_id: &str,
        token: &str,
        code: &str,
    ) -> Res<String> {
        let user = self.mfa_user(mfa_token)?;
        self.device(&user, device_id, false)?;
        let accepts = |kind: &PendingKind, owner: &str| {
            owner == user && matches!(kind, PendingKind::MfaLogin { device_id: d } if d == device_id)
        };
        self.redeem_if(cfg, token, code, accepts).map_err(refused)?;
        self.spend_mfa_token(mfa_token);
        Ok(user)
    }

    /// Login-step enrollment (12 without a user token) spends the `mfaToken`.
    pub(crate) fn finish_login_step(&mut self, mfa_token: Option<&str>) {
        if let Some(t) = mfa_token {
            self.spend_mfa_token(t);
        }
    }

    /// Route 17.
    pub(crate) fn start_mfa_disable(&mut self, cfg: &EmulatorConfig, user: &str, device_id: &str) -> Res {
        let device = self.device(user, device_id, true)?;
        let kind = PendingKind::MfaDisable { device_id: device.id };
        let token = self.issue(cfg, kind, user, &device.phone_number, SmsPurpose::MfaDisable)?;
        Ok(otc(StatusCode::OK, &token))
    }

    /// Route 18.
    pub(crate) fn confirm_mfa_disable(
        &mut self,
        cfg: &EmulatorConfig,
        user: &str,
        device_id: &str,
        token: &str,
        code: &str,
    ) -> Res {
        self.device(user, device_id, true)?;
        let accepts = |kind: &PendingKind, owner: &str| {
            owner == user && matches!(kind, PendingKind::MfaDisable { device_id: d } if d == device_id)
        };
        self.redeem_if(cfg, token, code, accepts).map_err(refused)?;
        if let Some(devices) = self.accounts.devices.get_mut(user) {
            let before = devices.len();
            devices.retain(|d| d.id != device_id);
            self.accounts.total_devices -= before - devices.len();
            if devices.is_empty() {
                self.accounts.devices.remove(user);
            }
        }
        Ok(Answer::empty(StatusCode::OK))
    }

    /// Route 19: the flow id (the cookie) and the masked number.
    pub(crate) fn start_passwordless(
        &mut self,
        cfg: &EmulatorConfig,
        kind: IdKind,
        value: &str,
    ) -> Res<(String, String)> {
        let found = self
            .find_user(kind, value)
            .and_then(|user| self.sms_number(&user).map(|phone| (user, phone)));
        let Some((user, phone)) = found else {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                codes::PHONE_NOT_SET,
                "User does not have a phone number",
            ));
        };
        let flow = self.issue(
            cfg,
            PendingKind::Passwordless,
            &user,
            &phone,
            SmsPurpose::Passwordless,
        )?;
        Ok((flow, mask_phone(&phone)))
    }

    /// Route 20: the signed-in user.
    pub(crate) fn finish_passwordless(
        &mut self,
        cfg: &EmulatorConfig,
        flow: Option<&str>,
        code: &str,
    ) -> Res<String> {
        let flow = flow.ok_or_else(|| refused(Refused::Token))?;
        let accepts = |kind: &PendingKind, _: &str| matches!(kind, PendingKind::Passwordless);
        let (user, _) = self.redeem_if(cfg, flow, code, accepts).map_err(refused)?;
        Ok(user)
    }

    /// Whether `user` has an SMS MFA device.
    pub(crate) fn mfa_enrolled(&self, user: &str) -> bool {
        !self.devices_of(user).is_empty()
    }

    /// Route 21: always a session id; an SMS only for a known user with a number.
    pub(crate) fn start_reset(&mut self, cfg: &EmulatorConfig, kind: IdKind, value: &str) -> String {
        let found = self
            .find_user(kind, value)
            .and_then(|user| self.sms_number(&user).map(|phone| (user, phone)));
        // No account probing: an unknown user, or no room, still gets a session id.
        found
            .and_then(|(user, phone)| {
                let purpose = SmsPurpose::PasswordReset;
                self.issue(cfg, PendingKind::Reset, &user, &phone, purpose).ok()
            })
            .unwrap_or_else(random_token)
    }

    /// Route 22: the user and a reset token.
    pub(crate) fn verify_reset(
        &mut self,
        cfg: &EmulatorConfig,
        session: &str,
        code: &str,
    ) -> Res<(String, String)> {
        let accepts = |kind: &PendingKind, _: &str| matches!(kind, PendingKind::Reset);
        let (user, _) = self.redeem_if(cfg, session, code, accepts).map_err(refused)?;
        let token = insert_bounded(
            &mut self.accounts.reset_tokens,
            cfg.max_pending_tokens.max(1),
            &user,
            cfg.otc_ttl,
            true,
        )?;
        Ok((user, token))
    }
}

/// A signed-in authentication response: a minted user JWT and an opaque
/// refresh token (nothing consumes it).
pub(crate) fn signed_in(app: &Shared, st: &State, user: &str, recovery: Option<String>) -> Value {
    let ttl = app.config.user_token_ttl;
    let mut body = json!({
        "tokenType": "bearer",
        "accessToken": app.mint_user_token(st, user, None, None),
        "refreshToken": random_token(),
        "expiresIn": ttl.as_secs(),
        "expires": now_rfc3339(SystemTime::now() + ttl),
        "mfaRequired": false,
        "mfaEnrolled": st.mfa_enrolled(user),
        "userId": user,
    });
    if let Some(code) = recovery {
        body["recoveryCode"] = code.into();
    }
    body
}

/// The answer for a user who must pass the second factor: no tokens.
pub(crate) fn mfa_required(cfg: &EmulatorConfig, st: &mut State, user: &str) -> Res<Value> {
    let token = st.mint_mfa_token(cfg, user)?;
    Ok(json!({
        "mfaRequired": true,
        "mfaToken": token,
        "mfaEnrolled": true,
        "mfaDevices": st.devices_json(user, true),
        "userId": user,
    }))
}
