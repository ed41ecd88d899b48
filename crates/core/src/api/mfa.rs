//! MFA by SMS (routes 11 to 18 and 32): the user's own enrollment, the
//! second factor at sign-in, and the vendor's management of any user's device.

use super::group;
use crate::endpoint::{
    ConfirmSmsDisable, EnrollSms, FinishSmsEnrollment, ListMfaDevices, SendSmsCode, StartSmsDisable,
    StartSmsEnrollment, VerifySmsCode, VerifySmsEnrollment,
};
use crate::ids::{DeviceId, TenantId, UserId};
use crate::phone::PhoneNumber;
use crate::secret::{MfaToken, OtcToken, VerificationCode};

group! {
    /// The MFA-by-SMS routes of a [`Client`](crate::Client) or a
    /// [`BlockingClient`](crate::BlockingClient); see
    /// [`Dispatch`](super::Dispatch) for what each method returns.
    ///
    /// ```
    /// # use frontegg_identity_core::*;
    /// # fn flow<T: BlockingIdentityTransport>(client: &BlockingClient<T>, number: &PhoneNumber, code: impl Fn() -> VerificationCode) -> Result<(), Error> {
    /// // A signed-in user enrolls a number as a second factor ...
    /// let otc = client.mfa().start_sms_enrollment(number)?;
    /// let enrolled = client.mfa().finish_sms_enrollment(&otc, &code())?;
    /// if let Some(session) = enrolled.signed_in() {
    ///     // Show the recovery code once (the first device comes with one).
    ///     let _ = session.recovery_code.as_ref().map(RecoveryCode::expose_secret);
    /// }
    /// // ... and the vendor can remove it later, with a code sent to it.
    /// let user = UserId::new("user-1")?;
    /// let devices = client.mfa().list_devices(Some(&user))?;
    /// let device = &devices.phones[0].id;
    /// let otc = client.mfa().start_sms_disable(&user, device, None)?;
    /// client.mfa().confirm_sms_disable(&user, device, &otc, &code())?;
    /// # Ok(()) }
    /// ```
    pub struct Mfa;

    /// Route 11: starts enrolling `phone_number` as the signed-in user's SMS
    /// MFA device; Frontegg sends a code to it. Never retried.
    fn start_sms_enrollment(phone_number: &'a PhoneNumber)
        -> StartSmsEnrollment<'a> { phone_number, mfa_token: None }

    /// Route 11, login step: enrollment forced at sign-in, proved by the
    /// sign-in's `mfa_token` (no user token needed).
    fn start_sms_enrollment_at_login(phone_number: &'a PhoneNumber, mfa_token: &'a MfaToken)
        -> StartSmsEnrollment<'a> { phone_number, mfa_token: Some(mfa_token) }

    /// Route 12: finishes the enrollment with the code.
    fn finish_sms_enrollment(otc_token: &'a OtcToken, code: &'a VerificationCode)
        -> FinishSmsEnrollment<'a> { otc_token, code, mfa_token: None, remember_device: None }

    /// Route 12, login step: finishes an enrollment forced at sign-in; the
    /// answer signs the user in.
    fn finish_sms_enrollment_at_login(otc_token: &'a OtcToken, code: &'a VerificationCode,
        mfa_token: &'a MfaToken, remember_device: bool)
        -> FinishSmsEnrollment<'a> { otc_token, code, mfa_token: Some(mfa_token),
            remember_device: Some(remember_device) }

    /// Route 13: sends a sign-in code to an SMS device (no credentials: the
    /// `mfa_token` names the user). Never retried.
    fn send_sms_code(device_id: &'a DeviceId, mfa_token: &'a MfaToken) -> SendSmsCode<'a>;

    /// Route 14: passes the second factor with the code.
    fn verify_sms_code(device_id: &'a DeviceId, mfa_token: &'a MfaToken, otc_token: &'a OtcToken,
        code: &'a VerificationCode, remember_device: bool)
        -> VerifySmsCode<'a>;

    /// Route 15: starts enrolling a number as `user_id`'s SMS device (vendor
    /// credentials); Frontegg sends a code to it. Never retried.
    fn enroll_sms(user_id: &'a UserId, phone_number: &'a PhoneNumber) -> EnrollSms<'a>;

    /// Route 16: finishes a vendor enrollment with the code; a user's first
    /// device may come with a recovery code.
    fn verify_sms_enrollment(user_id: &'a UserId, otc_token: &'a OtcToken, code: &'a VerificationCode)
        -> VerifySmsEnrollment<'a>;

    /// Route 17: starts removing `user_id`'s SMS device (vendor
    /// credentials); Frontegg sends a code to the device. The tenant is
    /// `tenant_id`, else the client's; with neither the call is refused
    /// before anything is sent.
    fn start_sms_disable(user_id: &'a UserId, device_id: &'a DeviceId, tenant_id: Option<&'a TenantId>)
        -> StartSmsDisable<'a>;

    /// Route 18: confirms removing the device with the code.
    fn confirm_sms_disable(user_id: &'a UserId, device_id: &'a DeviceId, otc_token: &'a OtcToken,
        code: &'a VerificationCode)
        -> ConfirmSmsDisable<'a>;

    /// Route 32, **unstable** (Frontegg does not publish it): the MFA
    /// devices of the signed-in user, or with vendor credentials of
    /// `user_id` (else the client's user).
    fn list_devices(user_id: Option<&'a UserId>) -> ListMfaDevices<'a>;
}
