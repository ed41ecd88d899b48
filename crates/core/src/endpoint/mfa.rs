//! MFA by SMS: routes 11 to 18 and 32.

use http::{HeaderMap, HeaderValue, Response};
use serde::Serialize;

use super::{
    CodeBody, PhoneBody, RequestContext, TENANT_ID_HEADER, auth_result, endpoints, nothing, object, otc_token,
};
use crate::error::{Error, InvalidInput};
use crate::ids::{DeviceId, TenantId, UserId};
use crate::phone::PhoneNumber;
use crate::route::Route;
use crate::secret::{MfaToken, OtcToken, RecoveryCode, VerificationCode};
use crate::sms::{AuthResult, MfaDevices, text};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MfaTokenBody<'a> {
    mfa_token: &'a str,
}

/// Route 16's answer: the recovery code a user's first device comes with.
fn recovery_code(route: Route, response: &Response<Vec<u8>>) -> Result<Option<RecoveryCode>, Error> {
    Ok(text(&object(route, response)?, "recoveryCode").map(RecoveryCode::from_server))
}

/// Route 32's answer.
fn mfa_devices(route: Route, response: &Response<Vec<u8>>) -> Result<MfaDevices, Error> {
    Ok(MfaDevices::from_json(&object(route, response)?))
}

endpoints! {
    /// Route 11: starts enrolling `phone_number` as an SMS MFA device; Frontegg
    /// sends a code to it. With `mfa_token` (enrollment forced at sign-in) no
    /// user token is needed.
    pub struct StartSmsEnrollment<'a> {
        /// The number to enroll.
        pub phone_number: &'a PhoneNumber,
        /// The sign-in's MFA token, for the login-step variant.
        pub mfa_token: Option<&'a MfaToken>,
    }
    Route::StartSmsEnrollment -> OtcToken {
        login_step: mfa_token;
        body: |e| PhoneBody::new(e.phone_number).login_step(e.mfa_token);
        parse: otc_token;
    }

    /// Route 12: finishes an SMS MFA enrollment with the code.
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
    Route::FinishSmsEnrollment -> AuthResult {
        login_step: mfa_token;
        body: |e| CodeBody::new(e.otc_token, e.code).login_step(e.mfa_token, e.remember_device);
        parse: auth_result;
    }

    /// Route 13: sends a sign-in code to an SMS MFA device.
    pub struct SendSmsCode<'a> {
        /// The device (a phone's id in `mfaDevices`).
        pub device_id: &'a DeviceId,
        /// The sign-in's MFA token.
        pub mfa_token: &'a MfaToken,
    }
    Route::SendSmsCode -> OtcToken {
        path: device_id;
        body: |e| MfaTokenBody { mfa_token: e.mfa_token.expose_secret() };
        parse: otc_token;
    }

    /// Route 14: passes the second factor with the code.
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
    Route::VerifySmsCode -> AuthResult {
        path: device_id;
        body: |e| CodeBody::new(e.otc_token, e.code).login_step(Some(e.mfa_token), Some(e.remember_device));
        parse: auth_result;
    }

    /// Route 15: starts enrolling a number as a user's SMS MFA device (vendor);
    /// Frontegg sends a code to it.
    pub struct EnrollSms<'a> {
        /// The user.
        pub user_id: &'a UserId,
        /// The number to enroll.
        pub phone_number: &'a PhoneNumber,
    }
    Route::EnrollSms -> OtcToken {
        user: user_id;
        body: |e| PhoneBody::new(e.phone_number);
        parse: otc_token;
    }

    /// Route 16: finishes a vendor SMS MFA enrollment with the code. A user's
    /// first MFA device may come with a recovery code.
    pub struct VerifySmsEnrollment<'a> {
        /// The user.
        pub user_id: &'a UserId,
        /// The token of route 15.
        pub otc_token: &'a OtcToken,
        /// The code the user received.
        pub code: &'a VerificationCode,
    }
    Route::VerifySmsEnrollment -> Option<RecoveryCode> {
        user: user_id;
        body: |e| CodeBody::new(e.otc_token, e.code);
        parse: recovery_code;
    }

    /// Route 17: starts removing a user's SMS MFA device (vendor); Frontegg
    /// sends a code to the device. Needs a tenant: this one, else the client's.
    pub struct StartSmsDisable<'a> {
        /// The user.
        pub user_id: &'a UserId,
        /// The device.
        pub device_id: &'a DeviceId,
        /// The tenant, when not the client's.
        pub tenant_id: Option<&'a TenantId>,
    }
    Route::StartSmsDisable -> OtcToken {
        path: device_id;
        user: user_id;
        parse: otc_token;
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
    }

    /// Route 18: confirms removing a user's SMS MFA device with the code.
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
    Route::ConfirmSmsDisable -> () {
        path: device_id;
        user: user_id;
        body: |e| CodeBody::new(e.otc_token, e.code);
        parse: nothing;
    }

    /// Route 32 (unstable: not in Frontegg's OpenAPI): a user's MFA devices,
    /// for the signed-in user, or with vendor credentials for `user_id` (else
    /// the client's user).
    #[derive(Default)]
    pub struct ListMfaDevices<'a> {
        /// The user, with vendor credentials.
        pub user_id: Option<&'a UserId>,
    }
    Route::MfaDevices -> MfaDevices {
        parse: mfa_devices;
        fn user_id(&self) -> Option<&UserId> {
            self.user_id
        }
    }
}
