//! The vendor's SMS settings: the provider configuration (routes 23 to 25)
//! and the SMS templates (26 to 31).

use http::Response;
use serde_json::Value;

use super::{Endpoint, decode, is_blank, json_body, object};
use crate::error::{Error, InvalidInput};
use crate::ids::TemplateType;
use crate::route::Route;
use crate::sms::{MAX_TEMPLATE_BYTES, SmsConfig, SmsTemplate};

/// Route 23: the SMS provider configuration; `None` when there is none
/// (404, an empty body or `{}`).
#[derive(Debug, Clone, Copy, Default)]
pub struct GetSmsConfig;

impl Endpoint for GetSmsConfig {
    type Output = Option<SmsConfig>;
    const ROUTE: Route = Route::GetSmsConfig;

    fn not_found(&self) -> Option<Option<SmsConfig>> {
        Some(None)
    }

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<Option<SmsConfig>, Error> {
        let config = SmsConfig::from_json(&object(Self::ROUTE, &response)?);
        Ok((!config.is_empty()).then_some(config))
    }
}

/// Route 24: creates or replaces the SMS provider configuration.
#[derive(Debug, Clone, Copy)]
pub struct SetSmsConfig<'a> {
    /// The configuration; fields left `None` are not sent.
    pub config: &'a SmsConfig,
}

impl Endpoint for SetSmsConfig<'_> {
    type Output = SmsConfig;
    const ROUTE: Route = Route::SetSmsConfig;

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&self.config.to_json())
    }

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
#[derive(Debug, Clone, Copy, Default)]
pub struct DeleteSmsConfig;

impl Endpoint for DeleteSmsConfig {
    type Output = ();
    const ROUTE: Route = Route::DeleteSmsConfig;

    fn parse_success(&self, _response: Response<Vec<u8>>) -> Result<(), Error> {
        Ok(())
    }
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

/// Route 26: the environment's SMS templates.
#[derive(Debug, Clone, Copy, Default)]
pub struct SmsTemplates;

impl Endpoint for SmsTemplates {
    type Output = Vec<SmsTemplate>;
    const ROUTE: Route = Route::SmsTemplates;

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<Vec<SmsTemplate>, Error> {
        template_list(Self::ROUTE, &response)
    }
}

/// A read of one template by type, `None` on 404 (routes 27 and 30).
macro_rules! template_read {
    ($(#[$doc:meta])* $name:ident, $route:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<'a> {
            /// The template's type.
            pub template_type: &'a TemplateType,
        }

        impl Endpoint for $name<'_> {
            type Output = Option<SmsTemplate>;
            const ROUTE: Route = Route::$route;

            fn path_param(&self, _name: &str) -> Result<&str, Error> {
                self.template_type.checked()
            }

            fn not_found(&self) -> Option<Option<SmsTemplate>> {
                Some(None)
            }

            fn parse_success(&self, response: Response<Vec<u8>>) -> Result<Option<SmsTemplate>, Error> {
                one_template(Self::ROUTE, &response)
            }
        }
    };
}

template_read!(
    /// Route 27: the template of one type; `None` when there is none (404).
    GetSmsTemplate,
    SmsTemplate
);
template_read!(
    /// Route 30: Frontegg's default template of one type; `None` when there
    /// is none (404).
    DefaultSmsTemplate,
    DefaultSmsTemplate
);

/// Route 28: creates or replaces the template of one type.
#[derive(Debug, Clone, Copy)]
pub struct SetSmsTemplate<'a> {
    /// The template's type.
    pub template_type: &'a TemplateType,
    /// The template.
    pub template: &'a SmsTemplate,
}

impl Endpoint for SetSmsTemplate<'_> {
    type Output = SmsTemplate;
    const ROUTE: Route = Route::SetSmsTemplate;

    fn path_param(&self, _name: &str) -> Result<&str, Error> {
        self.template_type.checked()
    }

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
#[derive(Debug, Clone, Copy)]
pub struct DeleteSmsTemplate<'a> {
    /// The template's type.
    pub template_type: &'a TemplateType,
}

impl Endpoint for DeleteSmsTemplate<'_> {
    type Output = ();
    const ROUTE: Route = Route::DeleteSmsTemplate;

    fn path_param(&self, _name: &str) -> Result<&str, Error> {
        self.template_type.checked()
    }

    fn parse_success(&self, _response: Response<Vec<u8>>) -> Result<(), Error> {
        Ok(())
    }
}

/// Route 31: Frontegg's default templates.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultSmsTemplates;

impl Endpoint for DefaultSmsTemplates {
    type Output = Vec<SmsTemplate>;
    const ROUTE: Route = Route::DefaultSmsTemplates;

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<Vec<SmsTemplate>, Error> {
        template_list(Self::ROUTE, &response)
    }
}
