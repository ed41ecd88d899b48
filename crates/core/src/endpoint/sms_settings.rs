//! The vendor's SMS settings: the provider configuration (routes 23 to 25)
//! and the SMS templates (26 to 31).

use http::Response;
use serde_json::Value;

use super::{decode, endpoints, is_blank, json_body, nothing, object};
use crate::error::{Error, InvalidInput};
use crate::ids::TemplateType;
use crate::route::Route;
use crate::sms::{MAX_TEMPLATE_BYTES, SmsConfig, SmsTemplate};

/// Route 23's answer: `None` for an empty body or `{}`.
fn config(route: Route, response: &Response<Vec<u8>>) -> Result<Option<SmsConfig>, Error> {
    let config = SmsConfig::from_json(&object(route, response)?);
    Ok((!config.is_empty()).then_some(config))
}

/// A bare array of templates (a single object is wrapped in a list).
fn template_list(route: Route, response: &Response<Vec<u8>>) -> Result<Vec<SmsTemplate>, Error> {
    if is_blank(response.body()) {
        return Ok(Vec::new());
    }
    Ok(match decode::<Value>(route, response)? {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|item| match item {
                Value::Object(object) => Some(SmsTemplate::from_object(object)),
                _ => None,
            })
            .collect(),
        Value::Object(object) => vec![SmsTemplate::from_object(object)],
        _ => Vec::new(),
    })
}

/// One template, `None` for an empty answer.
fn one_template(route: Route, response: &Response<Vec<u8>>) -> Result<Option<SmsTemplate>, Error> {
    let object = object(route, response)?;
    Ok((!object.is_empty()).then(|| SmsTemplate::from_object(object)))
}

endpoints! {
    /// Route 23: the SMS provider configuration; `None` when there is none
    /// (404, an empty body or `{}`).
    #[derive(Default)]
    pub struct GetSmsConfig;
    Route::GetSmsConfig -> Option<SmsConfig> { not_found: None; parse: config; }

    /// Route 24: creates or replaces the SMS provider configuration.
    pub struct SetSmsConfig<'a> {
        /// The configuration; fields left `None` are not sent.
        pub config: &'a SmsConfig,
    }
    Route::SetSmsConfig -> SmsConfig {
        body: |e| e.config.to_json();
        fn parse_success(&self, response: Response<Vec<u8>>) -> Result<SmsConfig, Error> {
            // An empty answer means Frontegg stored what was sent.
            let stored = SmsConfig::from_json(&object(Self::ROUTE, &response)?);
            Ok(if stored.is_empty() {
                self.config.clone()
            } else {
                stored
            })
        }
    }

    /// Route 25: deletes the SMS provider configuration.
    #[derive(Default)]
    pub struct DeleteSmsConfig;
    Route::DeleteSmsConfig -> () { parse: nothing; }

    /// Route 26: the environment's SMS templates.
    #[derive(Default)]
    pub struct SmsTemplates;
    Route::SmsTemplates -> Vec<SmsTemplate> { parse: template_list; }

    /// Route 27: the template of one type; `None` when there is none (404).
    pub struct GetSmsTemplate<'a> {
        /// The template's type.
        pub template_type: &'a TemplateType,
    }
    Route::SmsTemplate -> Option<SmsTemplate> { path: template_type; not_found: None; parse: one_template; }

    /// Route 28: creates or replaces the template of one type.
    pub struct SetSmsTemplate<'a> {
        /// The template's type.
        pub template_type: &'a TemplateType,
        /// The template.
        pub template: &'a SmsTemplate,
    }
    Route::SetSmsTemplate -> SmsTemplate {
        path: template_type;
        fn body(&self) -> Result<Option<Vec<u8>>, Error> {
            let body = json_body(self.template.as_object())?;
            if body.as_ref().is_some_and(|b| b.len() > MAX_TEMPLATE_BYTES) {
                return Err(InvalidInput::new("template", "is larger than 64 KiB").into());
            }
            Ok(body)
        }

        fn parse_success(&self, response: Response<Vec<u8>>) -> Result<SmsTemplate, Error> {
            // An empty answer means Frontegg stored what was sent.
            Ok(one_template(Self::ROUTE, &response)?.unwrap_or_else(|| self.template.clone()))
        }
    }

    /// Route 29: deletes the template of one type.
    pub struct DeleteSmsTemplate<'a> {
        /// The template's type.
        pub template_type: &'a TemplateType,
    }
    Route::DeleteSmsTemplate -> () { path: template_type; parse: nothing; }

    /// Route 30: Frontegg's default template of one type; `None` when there
    /// is none (404).
    pub struct DefaultSmsTemplate<'a> {
        /// The template's type.
        pub template_type: &'a TemplateType,
    }
    Route::DefaultSmsTemplate -> Option<SmsTemplate> {
        path: template_type;
        not_found: None;
        parse: one_template;
    }

    /// Route 31: Frontegg's default templates.
    #[derive(Default)]
    pub struct DefaultSmsTemplates;
    Route::DefaultSmsTemplates -> Vec<SmsTemplate> { parse: template_list; }
}
