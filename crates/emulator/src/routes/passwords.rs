//! Routes 21 and 22: password reset by SMS, the flow held by a `sessionId`.

use http::{Method, StatusCode};
use serde::Deserialize;
use serde_json::json;

use super::Entry;
use super::passwordless::missing_identifier;
use crate::accounts::IdKind;
use crate::app::Shared;
use crate::pipeline::{Ctx, endpoint};
use crate::state::{Answer, ApiError, State};
use crate::types::Route;

type Res = Result<Answer, ApiError>;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ResetBody {
    #[serde(default)]
    identifier: Option<String>,
    identifier_type: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VerifyResetBody {
    otc_token: String,
    session_id: String,
}

fn start_sms_reset(app: &Shared, st: &mut State, _: &Ctx, b: ResetBody) -> Res {
    let identifier = b
        .identifier
        .filter(|i| !i.is_empty())
        .ok_or_else(missing_identifier)?;
    let kind = match b.identifier_type.as_str() {
        "email" => IdKind::Email,
        "phoneNumber" => IdKind::PhoneNumber,
        "username" => IdKind::Username,
        _ => {
            return Err(ApiError::validation(
                "identifierType must be email, phoneNumber or username",
            ));
        }
    };
    let session = st.start_reset(&app.config, kind, &identifier);
    Ok(Answer::json(StatusCode::OK, &json!({ "sessionId": session })))
}

fn verify_sms_reset(app: &Shared, st: &mut State, _: &Ctx, b: VerifyResetBody) -> Res {
    let (user, token) = st.verify_reset(&app.config, &b.session_id, &b.otc_token)?;
    Ok(Answer::json(
        StatusCode::OK,
        &json!({ "userId": user, "token": token }),
    ))
}

const RESET: &str = "/identity/resources/users/v2/passwords/reset/sms";

pub(crate) fn routes() -> Vec<Entry> {
    vec![
        (
            RESET.to_owned(),
            endpoint(Route::StartSmsReset, Method::POST, start_sms_reset),
        ),
        (
            format!("{RESET}/verify"),
            endpoint(Route::VerifySmsReset, Method::POST, verify_sms_reset),
        ),
    ]
}
