//! Routes 11 to 18 and 32: MFA by SMS (state logic in [`crate::accounts`]).

use http::{Method, StatusCode};
use serde::Deserialize;
use serde_json::json;

use super::Entry;
use super::phones::{OtcBody, PhoneBody};
use crate::accounts::signed_in;
use crate::app::Shared;
use crate::auth::{Caller, header_str};
use crate::pipeline::{Ctx, endpoint};
use crate::state::{Answer, ApiError, State, codes};
use crate::types::Route;

type Res = Result<Answer, ApiError>;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EnrollBody {
    phone_number: String,
    #[serde(default)]
    mfa_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FinishEnrollBody {
    otc_token: String,
    code: String,
    #[serde(default)]
    mfa_token: Option<String>,
    /// Accepted and ignored.
    #[serde(default, rename = "rememberDevice")]
    _remember_device: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MfaTokenBody {
    mfa_token: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VerifyCodeBody {
    otc_token: String,
    code: String,
    mfa_token: String,
    /// Accepted and ignored.
    #[serde(default, rename = "rememberDevice")]
    _remember_device: Option<bool>,
}

/// Route 17's body: a JSON object, fields ignored.
#[derive(Deserialize)]
pub(crate) struct NoFields {}

/// 11 and 12: the user of the token, or at a login step (no
/// `Authorization`) the user of the `mfaToken` in the body.
fn enrolling_user(st: &State, c: &Ctx, mfa_token: Option<&str>) -> Result<String, ApiError> {
    match (&c.caller, mfa_token) {
        (Caller::User { id, .. }, _) => Ok(id.clone()),
        (_, Some(token)) => st.mfa_user(token),
        (_, None) => Err(ApiError::unauthorized()),
    }
}

fn start_sms_enrollment(app: &Shared, st: &mut State, c: &Ctx, b: EnrollBody) -> Res {
    let user = enrolling_user(st, c, b.mfa_token.as_deref())?;
    st.start_mfa_enroll(&app.config, &user, &b.phone_number, StatusCode::CREATED)
}

fn finish_sms_enrollment(app: &Shared, st: &mut State, c: &Ctx, b: FinishEnrollBody) -> Res {
    let user = enrolling_user(st, c, b.mfa_token.as_deref())?;
    let recovery = st.finish_mfa_enroll(&app.config, &user, &b.otc_token, &b.code)?;
    if matches!(c.caller, Caller::Anonymous) {
        st.finish_login_step(b.mfa_token.as_deref());
    }
    Ok(Answer::json(
        StatusCode::CREATED,
        &signed_in(app, st, &user, recovery),
    ))
}

fn send_sms_code(app: &Shared, st: &mut State, c: &Ctx, b: MfaTokenBody) -> Res {
    st.send_mfa_code(&app.config, &b.mfa_token, c.param(0))
}

fn verify_sms_code(app: &Shared, st: &mut State, c: &Ctx, b: VerifyCodeBody) -> Res {
    let user = st.verify_mfa_code(&app.config, &b.mfa_token, c.param(0), &b.otc_token, &b.code)?;
    Ok(Answer::json(
        StatusCode::CREATED,
        &signed_in(app, st, &user, None),
    ))
}

fn enroll_sms(app: &Shared, st: &mut State, c: &Ctx, b: PhoneBody) -> Res {
    st.start_mfa_enroll(&app.config, c.caller.user()?, &b.phone_number, StatusCode::OK)
}

fn verify_sms_enrollment(app: &Shared, st: &mut State, c: &Ctx, b: OtcBody) -> Res {
    Ok(
        match st.finish_mfa_enroll(&app.config, c.caller.user()?, &b.otc_token, &b.code)? {
            Some(code) => Answer::json(StatusCode::OK, &json!({ "recoveryCode": code })),
            None => Answer::empty(StatusCode::OK),
        },
    )
}

fn start_sms_disable(app: &Shared, st: &mut State, c: &Ctx, _: NoFields) -> Res {
    if matches!(c.caller, Caller::User { by_vendor: true, .. })
        && header_str(&c.headers, "frontegg-tenant-id").is_none()
    {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            codes::MISSING_HEADER,
            "frontegg-tenant-id header is required",
        ));
    }
    st.start_mfa_disable(&app.config, c.caller.user()?, c.param(0))
}

fn confirm_sms_disable(app: &Shared, st: &mut State, c: &Ctx, b: OtcBody) -> Res {
    st.confirm_mfa_disable(&app.config, c.caller.user()?, c.param(0), &b.otc_token, &b.code)
}

fn mfa_devices(_: &Shared, st: &mut State, c: &Ctx, (): ()) -> Res {
    Ok(Answer::json(
        StatusCode::OK,
        &st.devices_json(c.caller.user()?, false),
    ))
}

const SELF_SERVICE: &str = "/identity/resources/auth/v1/user/mfa/sms";
const VENDOR: &str = "/identity/resources/users/v1/mfa";

pub(crate) fn routes() -> Vec<Entry> {
    let post = Method::POST;
    vec![
        (
            format!("{SELF_SERVICE}/enroll"),
            endpoint(Route::StartSmsEnrollment, post.clone(), start_sms_enrollment),
        ),
        (
            format!("{SELF_SERVICE}/enroll/verify"),
            endpoint(Route::FinishSmsEnrollment, post.clone(), finish_sms_enrollment),
        ),
        (
            format!("{SELF_SERVICE}/{{device_id}}"),
            endpoint(Route::SendSmsCode, post.clone(), send_sms_code),
        ),
        (
            format!("{SELF_SERVICE}/{{device_id}}/verify"),
            endpoint(Route::VerifySmsCode, post.clone(), verify_sms_code),
        ),
        (
            format!("{VENDOR}/sms/enroll"),
            endpoint(Route::EnrollSms, post.clone(), enroll_sms),
        ),
        (
            format!("{VENDOR}/sms/enroll/verify"),
            endpoint(Route::VerifySmsEnrollment, post.clone(), verify_sms_enrollment),
        ),
        (
            format!("{VENDOR}/sms/{{device_id}}/disable"),
            endpoint(Route::StartSmsDisable, post.clone(), start_sms_disable),
        ),
        (
            format!("{VENDOR}/sms/{{device_id}}/disable/verify"),
            endpoint(Route::ConfirmSmsDisable, post, confirm_sms_disable),
        ),
        (
            format!("{VENDOR}/devices"),
            endpoint(Route::MfaDevices, Method::GET, mfa_devices),
        ),
    ]
}
