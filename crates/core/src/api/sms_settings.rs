//! The vendor's SMS settings (routes 23 to 31): the provider configuration
//! and the templates. Reads are retried under the usual rules; writes never
//! are (they are idempotent, so a caller may repeat them).

use super::Dispatch;
use crate::endpoint::{
    DefaultSmsTemplate, DefaultSmsTemplates, DeleteSmsConfig, DeleteSmsTemplate, GetSmsConfig,
    GetSmsTemplate, SetSmsConfig, SetSmsTemplate, SmsTemplates,
};
use crate::ids::TemplateType;
use crate::sms::{SmsConfig, SmsTemplate};

/// The SMS settings routes (vendor credentials); see [`Dispatch`] for what
/// each method returns.
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
#[derive(Debug)]
pub struct SmsSettings<'c, C> {
    pub(crate) client: &'c C,
}

impl<C> Clone for SmsSettings<'_, C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C> Copy for SmsSettings<'_, C> {}

impl<'c, C: Dispatch> SmsSettings<'c, C> {
    /// Route 23: the SMS provider configuration, `None` when there is none.
    pub fn get(&self) -> C::Call<'_, GetSmsConfig> {
        self.client.dispatch(GetSmsConfig)
    }

    /// Route 24: creates or replaces the configuration.
    pub fn set<'a>(&'a self, config: &'a SmsConfig) -> C::Call<'a, SetSmsConfig<'a>> {
        self.client.dispatch(SetSmsConfig { config })
    }

    /// Route 25: deletes the configuration.
    pub fn delete(&self) -> C::Call<'_, DeleteSmsConfig> {
        self.client.dispatch(DeleteSmsConfig)
    }

    /// Route 26: the environment's templates.
    pub fn templates(&self) -> C::Call<'_, SmsTemplates> {
        self.client.dispatch(SmsTemplates)
    }

    /// Route 27: the template of one type, `None` when there is none.
    pub fn template<'a>(&'a self, template_type: &'a TemplateType) -> C::Call<'a, GetSmsTemplate<'a>> {
        self.client.dispatch(GetSmsTemplate { template_type })
    }

    /// Route 28: creates or replaces the template of one type.
    pub fn set_template<'a>(
        &'a self,
        template_type: &'a TemplateType,
        template: &'a SmsTemplate,
    ) -> C::Call<'a, SetSmsTemplate<'a>> {
        self.client.dispatch(SetSmsTemplate {
            template_type,
            template,
        })
    }

    /// Route 29: deletes the template of one type.
    pub fn delete_template<'a>(
        &'a self,
        template_type: &'a TemplateType,
    ) -> C::Call<'a, DeleteSmsTemplate<'a>> {
        self.client.dispatch(DeleteSmsTemplate { template_type })
    }

    /// Route 30: Frontegg's default template of one type, `None` when there is none.
    pub fn default_template<'a>(
        &'a self,
        template_type: &'a TemplateType,
    ) -> C::Call<'a, DefaultSmsTemplate<'a>> {
        self.client.dispatch(DefaultSmsTemplate { template_type })
    }

    /// Route 31: Frontegg's default templates.
    pub fn default_templates(&self) -> C::Call<'_, DefaultSmsTemplates> {
        self.client.dispatch(DefaultSmsTemplates)
    }
}
