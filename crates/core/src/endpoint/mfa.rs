//! MFA by SMS: routes 11 to 18 and 32.

use http::{HeaderMap, HeaderValue, Response};
use serde::Serialize;

use super::{
    CodeBody, Endpoint, PhoneBody, RequestContext, TENANT_ID_HEADER, auth_result, json_body, object,
    otc_token,
};
use crate::error::{Error, InvalidInput};
use crate::ids::{DeviceId, TenantId, UserId};
use crate::phone::PhoneNumber;
use crate::route::{AuthScheme, Route};
use crate::secret::{MfaToken, OtcToken, RecoveryCode, VerificationCode};
use crate::sms::{AuthResult, MfaDevices, text};

/// The login-step proof, if any: such a call takes no credentials.
fn step_auth(mfa_token: Option<&MfaToken>, route: Route) -> AuthScheme {
    if mfa_token.is_some() {
        AuthScheme::None
    } else {
        route.auth()
    }
}

/// Route 11: starts enrolling `phone_number` as an SMS MFA device; Frontegg
/// sends a code to it. With `mfa_token` (enrollment forced at sign-in) no
/// user token is needed.
#[derive(Debug, Clone, Copy)]
pub struct StartSmsEnrollment<'a> {
    /// The number to enroll.
    pub phone_number: &'a PhoneNumber,
    /// The sign-in's MFA token, for the login-step variant.
    pub mfa_token: Option<&'a MfaToken>,
}

impl Endpoint for StartSmsEnrollment<'_> {
    type Output = OtcToken;
    const ROUTE: Route = Route::StartSmsEnrollment;

    fn auth(&self) -> AuthScheme {
        step_auth(self.mfa_token, Self::ROUTE)
    }

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&PhoneBody {
            mfa_token: self.mfa_token.map(MfaToken::expose_secret),
            ..PhoneBody::new(self.phone_number)
        })
    }

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<OtcToken, Error> {
        otc_token(Self::ROUTE, &response)
    }
}

/// Route 12: finishes an SMS MFA enrollment with the code.
#[derive(Debug, Clone, Copy)]
pub struct FinishSmsEnrollment<'a> {
    /// The token of route 11.
    pub otc_token: &'a OtcToken,
    /// The code the user received.
    pub code: &'a VerificationCode,
    /// The sign-in's MFA token, for the login-step variant.
    pub mfa_token: Option<&'a MfaToken>,
    /// Whether to trust this device (login-step variant).
    pub remember_device: Option<bool>,
}

impl Endpoint for FinishSmsEnrollment<'_> {
    type Output = AuthResult;
    const ROUTE: Route = Route::FinishSmsEnrollment;

    fn auth(&self) -> AuthScheme {
        step_auth(self.mfa_token, Self::ROUTE)
    }

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&CodeBody {
            mfa_token: self.mfa_token.map(MfaToken::expose_secret),
            remember_device: self.remember_device,
            ..CodeBody::new(self.otc_token, self.code)
        })
    }

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<AuthResult, Error> {
        auth_result(Self::ROUTE, &response)
    }
}

/// Route 13: sends a sign-in code to an SMS MFA device.
#[derive(Debug, Clone, Copy)]
pub struct SendSmsCode<'a> {
    /// The device (a phone's id in `mfaDevices`).
    pub device_id: &'a DeviceId,
    /// The sign-in's MFA token.
    pub mfa_token: &'a MfaToken,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MfaTokenBody<'a> {
    mfa_token: &'a str,
}

impl Endpoint for SendSmsCode<'_> {
    type Output = OtcToken;
    const ROUTE: Route = Route::SendSmsCode;

    fn path_param(&self, _name: &str) -> Result<&str, Error> {
        self.device_id.checked()
    }

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&MfaTokenBody {
            mfa_token: self.mfa_token.expose_secret(),
        })
    }

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<OtcToken, Error> {
        otc_token(Self::ROUTE, &response)
    }
}

/// Route 14: passes the second factor with the code.
#[derive(Debug, Clone, Copy)]
pub struct VerifySmsCode<'a> {
    /// The device the code went to.
    pub device_id: &'a DeviceId,
    /// The sign-in's MFA token.
    pub mfa_token: &'a MfaToken,
    /// The token of route 13.
    pub otc_token: &'a OtcToken,
    /// The code the user received.
    pub code: &'a VerificationCode,
    /// Whether Frontegg may trust this device from now on.
    pub remember_device: bool,
}

impl Endpoint for VerifySmsCode<'_> {
    type Output = AuthResult;
    const ROUTE: Route = Route::VerifySmsCode;

    fn path_param(&self, _name: &str) -> Result<&str, Error> {
        self.device_id.checked()
    }

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&CodeBody {
            mfa_token: Some(self.mfa_token.expose_secret()),
            remember_device: Some(self.remember_device),
            ..CodeBody::new(self.otc_token, self.code)
        })
    }

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<AuthResult, Error> {
        auth_result(Self::ROUTE, &response)
    }
}

/// Route 15: starts enrolling a number as a user's SMS MFA device (vendor);
/// Frontegg sends a code to it.
#[derive(Debug, Clone, Copy)]
pub struct EnrollSms<'a> {
    /// The user.
    pub user_id: &'a UserId,
    /// The number to enroll.
    pub phone_number: &'a PhoneNumber,
}

impl Endpoint for EnrollSms<'_> {
    type Output = OtcToken;
    const ROUTE: Route = Route::EnrollSms;

    fn user_id(&self) -> Option<&UserId> {
        Some(self.user_id)
    }

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&PhoneBody::new(self.phone_number))
    }

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<OtcToken, Error> {
        otc_token(Self::ROUTE, &response)
    }
}

/// Route 16: finishes a vendor SMS MFA enrollment with the code. A user's
/// first MFA device may come with a recovery code.
#[derive(Debug, Clone, Copy)]
pub struct VerifySmsEnrollment<'a> {
    /// The user.
    pub user_id: &'a UserId,
    /// The token of route 15.
    pub otc_token: &'a OtcToken,
    /// The code the user received.
    pub code: &'a VerificationCode,
}

impl Endpoint for VerifySmsEnrollment<'_> {
    type Output = Option<RecoveryCode>;
    const ROUTE: Route = Route::VerifySmsEnrollment;

    fn user_id(&self) -> Option<&UserId> {
        Some(self.user_id)
    }

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&CodeBody::new(self.otc_token, self.code))
    }

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<Option<RecoveryCode>, Error> {
        Ok(text(&object(Self::ROUTE, &response)?, "recoveryCode").map(RecoveryCode::from_server))
    }
}

/// Route 17: starts removing a user's SMS MFA device (vendor); Frontegg
/// sends a code to the device. Needs a tenant: this one, else the client's.
#[derive(Debug, Clone, Copy)]
pub struct StartSmsDisable<'a> {
    /// The user.
    pub user_id: &'a UserId,
    /// The device.
    pub device_id: &'a DeviceId,
    /// The tenant, when not the client's.
    pub tenant_id: Option<&'a TenantId>,
}

impl Endpoint for StartSmsDisable<'_> {
    type Output = OtcToken;
    const ROUTE: Route = Route::StartSmsDisable;

    fn path_param(&self, _name: &str) -> Result<&str, Error> {
        self.device_id.checked()
    }

    fn user_id(&self) -> Option<&UserId> {
        Some(self.user_id)
    }

    fn headers(&self, ctx: &RequestContext<'_>, headers: &mut HeaderMap) -> Result<(), Error> {
        match self.tenant_id {
            Some(tenant) => {
                let value = HeaderValue::from_str(tenant.as_str())
                    .map_err(|_| InvalidInput::new("tenant id", "cannot be sent in a header"))?;
                headers.insert(TENANT_ID_HEADER.clone(), value);
                Ok(())
            }
            None if ctx.vendor && ctx.tenant_id.is_none() => Err(Error::Configuration(format!(
                "{} needs a tenant: set the client's tenant_id or pass one",
                Self::ROUTE
            ))),
            None => Ok(()),
        }
    }

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        Ok(Some(b"{}".to_vec()))
    }

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<OtcToken, Error> {
        otc_token(Self::ROUTE, &response)
    }
}

/// Route 18: confirms removing a user's SMS MFA device with the code.
#[derive(Debug, Clone, Copy)]
pub struct ConfirmSmsDisable<'a> {
    /// The user.
    pub user_id: &'a UserId,
    /// The device.
    pub device_id: &'a DeviceId,
    /// The token of route 17.
    pub otc_token: &'a OtcToken,
    /// The code the user received.
    pub code: &'a VerificationCode,
}

impl Endpoint for ConfirmSmsDisable<'_> {
    type Output = ();
    const ROUTE: Route = Route::ConfirmSmsDisable;

    fn path_param(&self, _name: &str) -> Result<&str, Error> {
        self.device_id.checked()
    }

    fn user_id(&self) -> Option<&UserId> {
        Some(self.user_id)
    }

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&CodeBody::new(self.otc_token, self.code))
    }

    fn parse_success(&self, _response: Response<Vec<u8>>) -> Result<(), Error> {
        Ok(())
    }
}

/// Route 32 (unstable: not in Frontegg's OpenAPI): a user's MFA devices,
/// for the signed-in user, or with vendor credentials for `user_id` (else
/// the client's user).
#[derive(Debug, Clone, Copy, Default)]
pub struct ListMfaDevices<'a> {
    /// The user, with vendor credentials.
    pub user_id: Option<&'a UserId>,
}

impl Endpoint for ListMfaDevices<'_> {
    type Output = MfaDevices;
    const ROUTE: Route = Route::MfaDevices;

    fn user_id(&self) -> Option<&UserId> {
        self.user_id
    }

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<MfaDevices, Error> {
        Ok(MfaDevices::from_json(&object(Self::ROUTE, &response)?))
    }
}
