//! The emulator's state and the routes' logic, free of HTTP.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Instant, SystemTime};

use http::StatusCode;
use serde::Serialize;

use crate::config::EmulatorConfig;
use crate::types::{FaultSpec, Route, Sms, SmsPurpose};

/// Error codes (documented in the crate docs): Frontegg's where Frontegg
/// publishes one for the case, else the emulator's own, `ER-EMULATOR-*`.
pub(crate) mod codes {
    /// Frontegg's, for a body that is not JSON ("Invalid input json").
    pub(crate) const INVALID_JSON: &str = "ER-00006";
    pub(crate) const UNAUTHORIZED: &str = "ER-EMULATOR-UNAUTHORIZED";
    pub(crate) const BAD_CREDENTIALS: &str = "ER-EMULATOR-INVALID-CREDENTIALS";
    pub(crate) const FORBIDDEN: &str = "ER-EMULATOR-FORBIDDEN";
    pub(crate) const VALIDATION: &str = "ER-EMULATOR-VALIDATION";
    pub(crate) const NOT_FOUND_ROUTE: &str = "ER-EMULATOR-ROUTE-NOT-FOUND";
    pub(crate) const METHOD_NOT_ALLOWED: &str = "ER-EMULATOR-METHOD-NOT-ALLOWED";
    pub(crate) const PAYLOAD_TOO_LARGE: &str = "ER-EMULATOR-PAYLOAD-TOO-LARGE";
    pub(crate) const UNSUPPORTED_MEDIA: &str = "ER-EMULATOR-UNSUPPORTED-MEDIA-TYPE";
    pub(crate) const INTERNAL: &str = "ER-EMULATOR-INTERNAL";
    pub(crate) const INVALID_PHONE: &str = "ER-EMULATOR-INVALID-PHONE-NUMBER";
    pub(crate) const INVALID_CODE: &str = "ER-EMULATOR-INVALID-CODE";
    pub(crate) const INVALID_OTC: &str = "ER-EMULATOR-OTC-TOKEN-INVALID";
    pub(crate) const ALREADY_EXISTS: &str = "ER-EMULATOR-PHONE-EXISTS";
    pub(crate) const PHONE_NOT_FOUND: &str = "ER-EMULATOR-PHONE-NOT-FOUND";
    pub(crate) const TOO_MANY_PENDING: &str = "ER-EMULATOR-TOO-MANY-PENDING";
    pub(crate) const STORAGE_FULL: &str = "ER-EMULATOR-STORAGE-FULL";
    pub(crate) const FAULT: &str = "ER-EMULATOR-FAULT";
    pub(crate) const MFA_NOT_ENROLLED: &str = "ER-01097";
    pub(crate) const MFA_TOKEN_INVALID: &str = "ER-EMULATOR-MFA-TOKEN-INVALID";
    pub(crate) const MFA_DEVICE_NOT_FOUND: &str = "ER-EMULATOR-MFA-DEVICE-NOT-FOUND";
    pub(crate) const MFA_DEVICE_EXISTS: &str = "ER-EMULATOR-MFA-DEVICE-EXISTS";
    pub(crate) const PHONE_NOT_SET: &str = "ER-EMULATOR-PHONE-NOT-SET";
    pub(crate) const MISSING_IDENTIFIER: &str = "ER-EMULATOR-MISSING-IDENTIFIER";
    pub(crate) const MISSING_HEADER: &str = "ER-EMULATOR-MISSING-HEADER";
    pub(crate) const IDENTIFIER_TAKEN: &str = "ER-EMULATOR-IDENTIFIER-TAKEN";
    pub(crate) const SMS_CONFIG_NOT_FOUND: &str = "ER-EMULATOR-SMS-CONFIG-NOT-FOUND";
    pub(crate) const SMS_TEMPLATE_NOT_FOUND: &str = "ER-EMULATOR-SMS-TEMPLATE-NOT-FOUND";
}

/// Constructors of the errors whose status, code and message never vary.
macro_rules! fixed_errors {
    ($($vis:vis fn $name:ident() = $status:ident, $code:ident, $message:literal;)*) => {
        impl ApiError {
            $($vis fn $name() -> Self {
                Self::new(StatusCode::$status, codes::$code, $message)
            })*
        }
    };
}

fixed_errors! {
    pub(crate) fn unauthorized() = UNAUTHORIZED, UNAUTHORIZED, "Unauthorized";
    pub(crate) fn invalid_phone() = BAD_REQUEST, INVALID_PHONE, "Invalid phone number";
    pub(crate) fn invalid_otc() = BAD_REQUEST, INVALID_OTC, "OTC token is invalid or expired";
    pub(crate) fn invalid_code() = BAD_REQUEST, INVALID_CODE, "Invalid code";
    fn exists() = CONFLICT, ALREADY_EXISTS, "Phone number already exists for this user";
    fn not_found() = NOT_FOUND, PHONE_NOT_FOUND, "Phone number not found";
    fn storage_full() = INSUFFICIENT_STORAGE, STORAGE_FULL, "Phone number storage is full";
    pub(crate) fn too_many_pending() = TOO_MANY_REQUESTS, TOO_MANY_PENDING, "Too many pending verifications";
}

/// A Frontegg-shaped error: `{"errors": [message], "errorCode": code}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: Cow<'static, str>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    pub(crate) fn validation(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, codes::VALIDATION, message)
    }

    pub(crate) fn into_public(self) -> crate::types::EmulatorError {
        crate::types::EmulatorError {
            status: self.status.as_u16(),
            error_code: self.code.to_owned(),
            message: self.message.into_owned(),
        }
    }

    pub(crate) fn body(&self) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "errors": [self.message],
            "errorCode": self.code,
        }))
        .unwrap_or_default()
    }
}

/// `^\+[1-9][0-9]{6,14}$`
pub(crate) fn is_e164(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 8
        && b.len() <= 16
        && b[0] == b'+'
        && (b'1'..=b'9').contains(&b[1])
        && b[2..].iter().all(u8::is_ascii_digit)
}

pub(crate) fn now_rfc3339(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn random_token() -> String {
    std::iter::repeat_with(fastrand::alphanumeric).take(43).collect()
}

fn random_code(len: usize) -> String {
    std::iter::repeat_with(|| char::from(b'0' + fastrand::u8(0..10)))
        .take(len.clamp(1, 32))
        .collect()
}

pub(crate) fn random_uuid() -> String {
    let v = (fastrand::u128(..) & !(0xF << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62);
    let h = format!("{v:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// A stored phone number.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Record {
    pub(crate) id: String,
    pub(crate) user_id: String,
    pub(crate) phone_number: String,
    pub(crate) verified: bool,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    #[serde(skip)]
    seq: u64,
}

pub(crate) enum PendingKind {
    Assign { record_id: String },
    Preverify { phone: String },
    Delete { record_id: String },
    MfaEnroll { phone: String },
    MfaLogin { device_id: String },
    MfaDisable { device_id: String },
    Passwordless,
    Reset,
}

/// Why a token and code were refused.
pub(crate) enum Refused {
    /// Unknown, expired, used, burnt, or not for this.
    Token,
    /// Wrong code (an attempt was counted).
    Code,
}

struct Pending {
    kind: PendingKind,
    user_id: String,
    code: String,
    expires: Instant,
    attempts: u32,
}

/// A scripted fault with its remaining uses.
pub(crate) struct ActiveFault {
    pub(crate) spec: FaultSpec,
    pub(crate) remaining: u32,
}

/// An entry of the request log, as stored.
pub(crate) struct LogEntry {
    pub(crate) seq: u64,
    pub(crate) route: &'static str,
    pub(crate) method: http::Method,
    pub(crate) path: String,
    pub(crate) status: Option<u16>,
    pub(crate) processed: bool,
    pub(crate) fault: Option<&'static str>,
    pub(crate) user_id: Option<String>,
    pub(crate) at: SystemTime,
}

/// Everything behind the one mutex.
#[derive(Default)]
pub(crate) struct State {
    users: HashMap<String, Vec<Record>>,
    total_numbers: usize,
    next_seq: u64,
    pending: HashMap<String, Pending>,
    preverified: HashMap<(String, String), Instant>,
    pub(crate) sms: VecDeque<Sms>,
    pub(crate) log: VecDeque<LogEntry>,
    log_seq: u64,
    pub(crate) faults: Vec<ActiveFault>,
    pub(crate) accounts: crate::accounts::Accounts,
    pub(crate) settings: crate::routes::sms_settings::Settings,
}

/// What a successful route answers.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    /// JSON body; `None` for an empty body.
    pub(crate) body: Option<Vec<u8>>,
    /// Extra headers (`Set-Cookie`).
    pub(crate) headers: Vec<(http::HeaderName, http::HeaderValue)>,
}

impl Answer {
    pub(crate) fn json(status: StatusCode, value: &impl Serialize) -> Self {
        Self {
            status,
            body: Some(serde_json::to_vec(value).unwrap_or_default()),
            headers: Vec::new(),
        }
    }

    pub(crate) fn empty(status: StatusCode) -> Self {
        Self {
            status,
            body: None,
            headers: Vec::new(),
        }
    }
}

/// Parameters of the list routes.
pub(crate) struct ListQuery {
    limit: usize,
    page: usize,
    sort_by: Option<SortBy>,
    desc: bool,
    phone: Option<String>,
    user_ids: Option<HashSet<String>>,
}

#[derive(Clone, Copy)]
enum SortBy {
    UserId,
    PhoneNumber,
}

impl ListQuery {
    pub(crate) fn parse(query: Option<&str>, with_user_ids: bool) -> Result<Self, ApiError> {
        let mut q = ListQuery {
            limit: 50,
            page: 0,
            sort_by: None,
            desc: false,
            phone: None,
            user_ids: None,
        };
        for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            match &*k {
                "_limit" => match v.parse::<usize>() {
                    Ok(n) if (1..=250).contains(&n) => q.limit = n,
                    _ => {
                        return Err(ApiError::validation(
                            "_limit must be an integer between 1 and 250",
                        ));
                    }
                },
                "_offset" => match v.parse::<usize>() {
                    Ok(n) => q.page = n,
                    _ => {
                        return Err(ApiError::validation(
                            "_offset must be a non-negative integer (page index)",
                        ));
                    }
                },
                "_sortBy" => {
                    q.sort_by = Some(match &*v {
                        "userId" => SortBy::UserId,
                        "phoneNumber" => SortBy::PhoneNumber,
                        _ => return Err(ApiError::validation("_sortBy must be userId or phoneNumber")),
                    })
                }
                "_order" => {
                    q.desc = match &*v {
                        "ASC" | "asc" => false,
                        "DESC" | "desc" => true,
                        _ => return Err(ApiError::validation("_order must be ASC or DESC")),
                    }
                }
                "_phoneNumber" => {
                    // A raw `+` in a query decodes to a space.
                    let v = v.trim();
                    let phone = if v.starts_with('+') {
                        v.to_owned()
                    } else {
                        format!("+{v}")
                    };
                    q.phone = Some(phone);
                }
                "userIds" | "userIds[]" if with_user_ids => {
                    let set = q.user_ids.get_or_insert_with(HashSet::new);
                    set.extend(
                        v.split(',')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned),
                    );
                }
                _ => {}
            }
        }
        Ok(q)
    }
}

impl State {
    fn next_record_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    fn send_sms(&mut self, cfg: &EmulatorConfig, phone: &str, code: &str, token: &str, purpose: SmsPurpose) {
        if cfg.max_sms_log == 0 {
            return;
        }
        while self.sms.len() >= cfg.max_sms_log {
            self.sms.pop_front();
        }
        self.sms.push_back(Sms {
            phone_number: phone.to_owned(),
            code: code.to_owned(),
            otc_token: token.to_owned(),
            purpose,
            sent_at: now_rfc3339(SystemTime::now()),
        });
    }

    /// Makes room for one pending token: evicts expired ones when full.
    fn reserve_pending(&mut self, cfg: &EmulatorConfig, now: Instant) -> Result<(), ApiError> {
        if self.pending.len() >= cfg.max_pending_tokens {
            self.pending.retain(|_, p| p.expires > now);
            if self.pending.len() >= cfg.max_pending_tokens {
                return Err(ApiError::too_many_pending());
            }
        }
        Ok(())
    }

    /// Makes room for a pending entry of `kind`, sends its SMS with a new
    /// code, and stores it; returns its token.
    pub(crate) fn issue(
        &mut self,
        cfg: &EmulatorConfig,
        kind: PendingKind,
        user: &str,
        phone: &str,
        purpose: SmsPurpose,
    ) -> Result<String, ApiError> {
        let now = Instant::now();
        self.reserve_pending(cfg, now)?;
        let token = random_token();
        let code = random_code(cfg.code_length);
        self.send_sms(cfg, phone, &code, &token, purpose);
        self.pending.insert(
            token.clone(),
            Pending {
                kind,
                user_id: user.to_owned(),
                code,
                expires: now + cfg.otc_ttl,
                attempts: 0,
            },
        );
        Ok(token)
    }

    fn new_record(&mut self, user: &str, phone: &str, verified: bool) -> Record {
        let now = now_rfc3339(SystemTime::now());
        Record {
            id: random_uuid(),
            user_id: user.to_owned(),
            phone_number: phone.to_owned(),
            verified,
            created_at: now.clone(),
            updated_at: now,
            seq: self.next_record_seq(),
        }
    }

    /// `user`'s verified numbers, oldest first.
    pub(crate) fn verified_numbers<'a>(&'a self, user: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.users
            .get(user)
            .into_iter()
            .flatten()
            .filter(|r| r.verified)
            .map(|r| r.phone_number.as_str())
    }

    /// A user with this verified number.
    pub(crate) fn verified_owner(&self, phone: &str) -> Option<&str> {
        self.users
            .values()
            .flatten()
            .find(|r| r.verified && r.phone_number == phone)
            .map(|r| r.user_id.as_str())
    }

    /// Whether `user` has any phone-number record.
    pub(crate) fn has_records(&self, user: &str) -> bool {
        self.users.contains_key(user)
    }

    fn has_number(&self, user: &str, phone: &str) -> bool {
        self.users
            .get(user)
            .is_some_and(|v| v.iter().any(|r| r.phone_number == phone))
    }

    fn check_new_number(&self, cfg: &EmulatorConfig, user: &str, phone: &str) -> Result<(), ApiError> {
        if !is_e164(phone) {
            return Err(ApiError::invalid_phone());
        }
        if self.has_number(user, phone) {
            return Err(ApiError::exists());
        }
        if self.total_numbers >= cfg.max_phone_numbers {
            return Err(ApiError::storage_full());
        }
        Ok(())
    }

    fn push_record(&mut self, record: Record) {
        self.total_numbers += 1;
        self.users.entry(record.user_id.clone()).or_default().push(record);
    }

    /// Loads a seed into this (empty) state; the first invalid entry is
    /// the error, saying which one.
    pub(crate) fn load_seed(&mut self, cfg: &EmulatorConfig, seed: &crate::seed::Seed) -> Result<(), String> {
        let at = |what: &str, i: usize, e: ApiError| format!("{what}[{i}]: {}", e.message);
        for (i, t) in seed.tenants.iter().enumerate() {
            self.add_tenant(t).map_err(|e| at("tenants", i, e))?;
        }
        for (i, u) in seed.users.iter().enumerate() {
            self.create_user(cfg, u.clone()).map_err(|e| at("users", i, e))?;
        }
        for (i, p) in seed.phone_numbers.iter().enumerate() {
            self.seed_number(cfg, p).map_err(|e| at("phoneNumbers", i, e))?;
        }
        for (i, d) in seed.mfa_devices.iter().enumerate() {
            self.add_device(cfg, d).map_err(|e| at("mfaDevices", i, e))?;
        }
        Ok(())
    }

    fn seed_number(
        &mut self,
        cfg: &EmulatorConfig,
        p: &crate::seed::SeedPhoneNumber,
    ) -> Result<(), ApiError> {
        if p.user_id.is_empty() {
            return Err(ApiError::validation("userId must not be empty"));
        }
        self.check_new_number(cfg, &p.user_id, &p.phone_number)?;
        let mut record = self.new_record(&p.user_id, &p.phone_number, p.verified);
        if let Some(id) = &p.id {
            record.id.clone_from(id);
        }
        if let Some(at) = &p.created_at {
            record.created_at.clone_from(at);
            record.updated_at.clone_from(at);
        }
        if let Some(at) = &p.updated_at {
            record.updated_at.clone_from(at);
        }
        self.push_record(record);
        Ok(())
    }

    /// The state in the seed format.
    pub(crate) fn export(&self) -> crate::seed::Seed {
        let mut records: Vec<&Record> = self.users.values().flatten().collect();
        records.sort_by_key(|r| r.seq);
        let phone_numbers = records
            .into_iter()
            .map(|r| crate::seed::SeedPhoneNumber {
                id: Some(r.id.clone()),
                user_id: r.user_id.clone(),
                phone_number: r.phone_number.clone(),
                verified: r.verified,
                created_at: Some(r.created_at.clone()),
                updated_at: Some(r.updated_at.clone()),
            })
            .collect();
        let (tenants, users, mfa_devices) = self.export_accounts();
        crate::seed::Seed {
            tenants,
            users,
            phone_numbers,
            mfa_devices,
        }
    }

    /// Route 1.
    pub(crate) fn assign(
        &mut self,
        cfg: &EmulatorConfig,
        user: &str,
        phone: &str,
        verify: bool,
    ) -> Result<Answer, ApiError> {
        self.check_new_number(cfg, user, phone)?;
        if verify {
            // The record's id goes into the pending entry, but the record
            // (and its sequence number) exists only once `issue` has made
            // room: a refused request changes nothing.
            let id = random_uuid();
            let kind = PendingKind::Assign {
                record_id: id.clone(),
            };
            let token = self.issue(cfg, kind, user, phone, SmsPurpose::Assign)?;
            let record = Record {
                id,
                ..self.new_record(user, phone, false)
            };
            self.push_record(record);
            Ok(Answer::json(
                StatusCode::CREATED,
                &serde_json::json!({ "otcToken": token }),
            ))
        } else {
            let key = (user.to_owned(), phone.to_owned());
            let now = Instant::now();
            let verified = matches!(self.preverified.remove(&key), Some(until) if until > now);
            let record = self.new_record(user, phone, verified);
            self.push_record(record);
            Ok(Answer::json(StatusCode::CREATED, &serde_json::json!({})))
        }
    }

    /// Route 2.
    pub(crate) fn preverify(
        &mut self,
        cfg: &EmulatorConfig,
        user: &str,
        phone: &str,
    ) -> Result<Answer, ApiError> {
        if !is_e164(phone) {
            return Err(ApiError::invalid_phone());
        }
        let kind = PendingKind::Preverify {
            phone: phone.to_owned(),
        };
        let token = self.issue(cfg, kind, user, phone, SmsPurpose::Preverify)?;
        Ok(Answer::json(
            StatusCode::OK,
            &serde_json::json!({ "otcToken": token }),
        ))
    }

    /// Checks a token and code against the pending entry that `accepts` (its
    /// kind and owner); on success removes it and returns its owner and kind.
    pub(crate) fn redeem_if(
        &mut self,
        cfg: &EmulatorConfig,
        token: &str,
        code: &str,
        accepts: impl FnOnce(&PendingKind, &str) -> bool,
    ) -> Result<(String, PendingKind), Refused> {
        let now = Instant::now();
        let Some(p) = self.pending.get_mut(token) else {
            return Err(Refused::Token);
        };
        if !accepts(&p.kind, &p.user_id) {
            return Err(Refused::Token);
        }
        if p.expires <= now {
            self.pending.remove(token);
            return Err(Refused::Token);
        }
        if p.code != code {
            p.attempts += 1;
            if p.attempts >= cfg.max_attempts.max(1) {
                self.pending.remove(token);
            }
            return Err(Refused::Code);
        }
        match self.pending.remove(token) {
            Some(p) => Ok((p.user_id, p.kind)),
            None => Err(Refused::Token),
        }
    }

    /// [`Self::redeem_if`] for the phone-number routes: `user`'s token, for a
    /// deletion of `delete_of` or else an assignment or pre-verification.
    fn redeem(
        &mut self,
        cfg: &EmulatorConfig,
        user: &str,
        token: &str,
        code: &str,
        delete_of: Option<&str>,
    ) -> Result<PendingKind, ApiError> {
        let accepts = |kind: &PendingKind, owner: &str| {
            owner == user
                && match (kind, delete_of) {
                    (PendingKind::Delete { record_id }, Some(id)) => record_id == id,
                    (PendingKind::Assign { .. } | PendingKind::Preverify { .. }, None) => true,
                    _ => false,
                }
        };
        match self.redeem_if(cfg, token, code, accepts) {
            Ok((_, kind)) => Ok(kind),
            Err(Refused::Token) => Err(ApiError::invalid_otc()),
            Err(Refused::Code) => Err(ApiError::invalid_code()),
        }
    }

    /// Route 3.
    pub(crate) fn verify(
        &mut self,
        cfg: &EmulatorConfig,
        user: &str,
        token: &str,
        code: &str,
    ) -> Result<Answer, ApiError> {
        match self.redeem(cfg, user, token, code, None)? {
            PendingKind::Assign { record_id } => {
                let record = self
                    .users
                    .get_mut(user)
                    .and_then(|v| v.iter_mut().find(|r| r.id == record_id))
                    .ok_or_else(ApiError::invalid_otc)?;
                record.verified = true;
                record.updated_at = now_rfc3339(SystemTime::now());
            }
            PendingKind::Preverify { phone } => {
                let now = Instant::now();
                if self.preverified.len() >= cfg.max_pending_tokens.max(1) {
                    self.preverified.retain(|_, until| *until > now);
                    if self.preverified.len() >= cfg.max_pending_tokens.max(1) {
                        let victim = self.preverified.keys().next().cloned();
                        if let Some(victim) = victim {
                            self.preverified.remove(&victim);
                        }
                    }
                }
                self.preverified
                    .insert((user.to_owned(), phone), now + cfg.otc_ttl);
            }
            _ => return Err(ApiError::invalid_otc()),
        }
        Ok(Answer::empty(StatusCode::OK))
    }

    /// Route 4.
    pub(crate) fn list_mine(&self, user: &str) -> Answer {
        let empty = Vec::new();
        let records = self.users.get(user).unwrap_or(&empty);
        Answer::json(StatusCode::OK, records)
    }

    /// Route 5.
    pub(crate) fn start_delete(
        &mut self,
        cfg: &EmulatorConfig,
        user: &str,
        id: &str,
    ) -> Result<Answer, ApiError> {
        let phone = self
            .users
            .get(user)
            .and_then(|v| v.iter().find(|r| r.id == id))
            .map(|r| r.phone_number.clone())
            .ok_or_else(ApiError::not_found)?;
        let kind = PendingKind::Delete {
            record_id: id.to_owned(),
        };
        let token = self.issue(cfg, kind, user, &phone, SmsPurpose::Delete)?;
        Ok(Answer::json(
            StatusCode::OK,
            &serde_json::json!({ "phoneId": id, "otcToken": token }),
        ))
    }

    fn remove_record(&mut self, user: &str, id: &str) -> bool {
        let Some(list) = self.users.get_mut(user) else {
            return false;
        };
        let before = list.len();
        list.retain(|r| r.id != id);
        let removed = list.len() < before;
        if list.is_empty() {
            self.users.remove(user);
        }
        if removed {
            self.total_numbers -= 1;
        }
        removed
    }

    /// Route 6.
    pub(crate) fn confirm_delete(
        &mut self,
        cfg: &EmulatorConfig,
        user: &str,
        id: &str,
        token: &str,
        code: &str,
    ) -> Result<Answer, ApiError> {
        self.redeem(cfg, user, token, code, Some(id))?;
        if self.remove_record(user, id) {
            Ok(Answer::empty(StatusCode::OK))
        } else {
            Err(ApiError::not_found())
        }
    }

    /// Routes 7 and 8.
    pub(crate) fn list(&self, q: &ListQuery) -> Answer {
        let mut items: Vec<&Record> = self
            .users
            .iter()
            .filter(|(user, _)| q.user_ids.as_ref().is_none_or(|set| set.contains(*user)))
            .flat_map(|(_, records)| records.iter())
            .filter(|r| q.phone.as_deref().is_none_or(|p| r.phone_number == p))
            .collect();
        match q.sort_by {
            None => items.sort_unstable_by_key(|r| r.seq),
            Some(SortBy::UserId) => {
                items.sort_unstable_by(|a, b| (&a.user_id, a.seq).cmp(&(&b.user_id, b.seq)))
            }
            Some(SortBy::PhoneNumber) => {
                items.sort_unstable_by(|a, b| (&a.phone_number, a.seq).cmp(&(&b.phone_number, b.seq)))
            }
        }
        if q.desc {
            items.reverse();
        }
        let total = items.len();
        let pages = total.div_ceil(q.limit);
        let page_items: Vec<&Record> = items
            .into_iter()
            .skip(q.page.saturating_mul(q.limit))
            .take(q.limit)
            .collect();
        let link = |page: usize| format!("?_limit={}&_offset={}", q.limit, page);
        let last_page = pages.saturating_sub(1);
        let next = if q.page + 1 < pages {
            link(q.page + 1)
        } else {
            String::new()
        };
        let prev = if q.page > 0 && pages > 0 {
            link((q.page - 1).min(last_page))
        } else {
            String::new()
        };
        Answer::json(
            StatusCode::OK,
            &serde_json::json!({
                "items": page_items,
                "_metadata": { "totalItems": total, "totalPages": pages },
                "_links": { "next": next, "prev": prev, "first": link(0), "last": link(last_page) },
            }),
        )
    }

    /// Route 9.
    pub(crate) fn vendor_add(
        &mut self,
        cfg: &EmulatorConfig,
        user: &str,
        phone: &str,
    ) -> Result<Answer, ApiError> {
        self.check_new_number(cfg, user, phone)?;
        let record = self.new_record(user, phone, true);
        self.push_record(record);
        Ok(Answer::empty(StatusCode::CREATED))
    }

    /// Route 10.
    pub(crate) fn vendor_delete(&mut self, user: &str, id: &str) -> Result<Answer, ApiError> {
        if self.remove_record(user, id) {
            Ok(Answer::empty(StatusCode::OK))
        } else {
            Err(ApiError::not_found())
        }
    }

    /// Takes one use of the first fault matching `route`.
    pub(crate) fn take_fault(&mut self, route: Route) -> Option<FaultSpec> {
        let idx = self
            .faults
            .iter()
            .position(|f| f.spec.route.is_none_or(|r| r == route))?;
        let fault = &mut self.faults[idx];
        fault.remaining -= 1;
        if fault.remaining == 0 {
            Some(self.faults.remove(idx).spec)
        } else {
            Some(fault.spec.clone())
        }
    }

    /// Appends to the request log.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn log(
        &mut self,
        cfg: &EmulatorConfig,
        route: &'static str,
        method: http::Method,
        path: String,
        status: Option<u16>,
        processed: bool,
        fault: Option<&'static str>,
        user_id: Option<String>,
    ) {
        if cfg.max_request_log == 0 {
            return;
        }
        while self.log.len() >= cfg.max_request_log {
            self.log.pop_front();
        }
        self.log_seq += 1;
        self.log.push_back(LogEntry {
            seq: self.log_seq,
            route,
            method,
            path,
            status,
            processed,
            fault,
            user_id,
            at: SystemTime::now(),
        });
    }
}
