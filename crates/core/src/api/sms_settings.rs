//! The vendor's SMS settings (routes 23 to 31): the provider configuration
//! and the templates. Reads are retried under the usual rules; writes never
//! are (they are idempotent, so a caller may repeat them).

use super::group;
use crate::endpoint::{
    DefaultSmsTemplate, DefaultSmsTemplates, DeleteSmsConfig, DeleteSmsTemplate, GetSmsConfig,
    GetSmsTemplate, SetSmsConfig, SetSmsTemplate, SmsTemplates,
};
use crate::ids::TemplateType;
use crate::sms::{SmsConfig, SmsTemplate};

group! {
    /// The SMS settings routes (vendor credentials); see
    /// [`Dispatch`](super::Dispatch) for what each method returns.
    ///
    /// ```
    /// # use frontegg_identity_core::*;
    /// # fn flow<T: BlockingIdentityTransport>(admin: &BlockingClient<T>) -> Result<(), Error> {
    /// let mut config = SmsConfig::new();
    /// config.sender_name = Some("Acme".into());
    /// config.token = Some(ProviderToken::new("twilio-auth-token")?);
    /// admin.sms_settings().set(&config)?;
    /// let kind = TemplateType::new("mfa_login")?;
    /// let template = SmsTemplate::new(serde_json::json!({"body": "Your Acme code is {{code}}"}))?;
    /// admin.sms_settings().set_template(&kind, &template)?;
    /// assert!(admin.sms_settings().template(&kind)?.is_some());
    /// # Ok(()) }
    /// ```
    pub struct SmsSettings;

    /// Route 23: the SMS provider configuration, `None` when there is none.
    fn get() -> GetSmsConfig;

    /// Route 24: creates or replaces the configuration.
    fn set(config: &'a SmsConfig) -> SetSmsConfig<'a>;

    /// Route 25: deletes the configuration.
    fn delete() -> DeleteSmsConfig;

    /// Route 26: the environment's templates.
    fn templates() -> SmsTemplates;

    /// Route 27: the template of one type, `None` when there is none.
    fn template(template_type: &'a TemplateType) -> GetSmsTemplate<'a>;

    /// Route 28: creates or replaces the template of one type.
    fn set_template(template_type: &'a TemplateType, template: &'a SmsTemplate) -> SetSmsTemplate<'a>;

    /// Route 29: deletes the template of one type.
    fn delete_template(template_type: &'a TemplateType) -> DeleteSmsTemplate<'a>;

    /// Route 30: Frontegg's default template of one type, `None` when there is none.
    fn default_template(template_type: &'a TemplateType) -> DefaultSmsTemplate<'a>;

    /// Route 31: Frontegg's default templates.
    fn default_templates() -> DefaultSmsTemplates;
}
