//! Routes 23 to 31: the SMS provider configuration and SMS templates
//! (vendor token only).

use std::collections::BTreeMap;

use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::Entry;
use crate::app::Shared;
use crate::pipeline::Ctx;
use crate::state::{Answer, ApiError, State, codes};
use crate::types::SmsPurpose;

type Res = Result<Answer, ApiError>;

/// The SMS provider configuration. `token` is stored and never answered.
/// No `Debug`: it holds the provider's credential.
#[derive(Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SmsConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sender_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    account_id: Option<String>,
    #[serde(default, skip_serializing)]
    #[allow(dead_code, reason = "the provider's credential is stored, never answered")]
    token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    channel: Option<String>,
}

/// The settings' state, inside [`State`].
#[derive(Default)]
pub(crate) struct Settings {
    config: Option<SmsConfig>,
    /// Custom templates by type.
    templates: BTreeMap<String, Map<String, Value>>,
}

/// Longest template type accepted.
const MAX_TYPE_LEN: usize = 256;

fn not_found(code: &'static str, what: &'static str) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, code, what)
}

fn no_template() -> ApiError {
    not_found(codes::SMS_TEMPLATE_NOT_FOUND, "SMS template not found")
}

/// 201 when `created`, else 200.
fn written(created: bool, value: &impl Serialize) -> Answer {
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Answer::json(status, value)
}

/// The built-in default of a type: one per outbox purpose.
fn default_template(kind: &str) -> Option<Value> {
    let purpose = kind.parse::<SmsPurpose>().ok()?;
    Some(json!({ "type": purpose.as_str(), "body": "Your code is {{code}}" }))
}

fn get_sms_config(_: &Shared, st: &mut State, _: &Ctx, (): ()) -> Res {
    match &st.settings.config {
        Some(config) => Ok(Answer::json(StatusCode::OK, config)),
        None => Err(not_found(
            codes::SMS_CONFIG_NOT_FOUND,
            "SMS configuration not found",
        )),
    }
}

fn set_sms_config(_: &Shared, st: &mut State, _: &Ctx, b: Map<String, Value>) -> Res {
    let b: SmsConfig = serde_json::from_value(Value::Object(b))
        .map_err(|_| ApiError::validation("Invalid request body: a field has the wrong type"))?;
    let created = st.settings.config.is_none();
    let config = st.settings.config.insert(b);
    Ok(written(created, config))
}

fn delete_sms_config(_: &Shared, st: &mut State, _: &Ctx, (): ()) -> Res {
    st.settings.config = None;
    Ok(Answer::empty(StatusCode::OK))
}

fn sms_templates(_: &Shared, st: &mut State, _: &Ctx, (): ()) -> Res {
    let all: Vec<&Map<String, Value>> = st.settings.templates.values().collect();
    Ok(Answer::json(StatusCode::OK, &all))
}

fn sms_template(_: &Shared, st: &mut State, c: &Ctx, (): ()) -> Res {
    let template = st.settings.templates.get(c.param(0)).ok_or_else(no_template)?;
    Ok(Answer::json(StatusCode::OK, template))
}

fn set_sms_template(app: &Shared, st: &mut State, c: &Ctx, b: Value) -> Res {
    let kind = c.param(0);
    if kind.is_empty() || kind.chars().count() > MAX_TYPE_LEN {
        return Err(ApiError::validation(
            "The template type must have 1 to 256 characters",
        ));
    }
    let Value::Object(mut template) = b else {
        return Err(ApiError::validation("A template is a JSON object"));
    };
    template.insert("type".into(), kind.into());
    let size = serde_json::to_vec(&template).map_or(usize::MAX, |v| v.len());
    if size > app.config.max_sms_template_bytes {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            codes::PAYLOAD_TOO_LARGE,
            "The template is too large",
        ));
    }
    let templates = &mut st.settings.templates;
    let created = !templates.contains_key(kind);
    if created && templates.len() >= app.config.max_sms_templates {
        return Err(ApiError::new(
            StatusCode::INSUFFICIENT_STORAGE,
            codes::STORAGE_FULL,
            "SMS template storage is full",
        ));
    }
    let answer = written(created, &template);
    templates.insert(kind.to_owned(), template);
    Ok(answer)
}

fn delete_sms_template(_: &Shared, st: &mut State, c: &Ctx, (): ()) -> Res {
    st.settings.templates.remove(c.param(0));
    Ok(Answer::empty(StatusCode::OK))
}

fn default_sms_template(_: &Shared, _: &mut State, c: &Ctx, (): ()) -> Res {
    let template = default_template(c.param(0)).ok_or_else(no_template)?;
    Ok(Answer::json(StatusCode::OK, &template))
}

fn default_sms_templates(_: &Shared, _: &mut State, _: &Ctx, (): ()) -> Res {
    let all: Vec<Value> = SmsPurpose::ALL
        .iter()
        .filter_map(|p| default_template(p.as_str()))
        .collect();
    Ok(Answer::json(StatusCode::OK, &all))
}

const SMS: &str = "/identity/resources/configurations/v1/sms";

pub(crate) fn routes() -> Vec<Entry> {
    table![
        SMS.to_owned() => [
            GET GetSmsConfig get_sms_config,
            POST SetSmsConfig set_sms_config,
            DELETE DeleteSmsConfig delete_sms_config,
        ],
        format!("{SMS}/templates") => [GET SmsTemplates sms_templates],
        format!("{SMS}/templates/default/all") => [GET DefaultSmsTemplates default_sms_templates],
        format!("{SMS}/templates/{{type}}") => [
            GET SmsTemplate sms_template,
            POST SetSmsTemplate set_sms_template,
            DELETE DeleteSmsTemplate delete_sms_template,
        ],
        format!("{SMS}/templates/{{type}}/default") => [GET DefaultSmsTemplate default_sms_template],
    ]
}
