//! Sign-in by SMS (routes 19, 20) and password reset by SMS (21, 22). These
//! routes take no credentials: a client made without any can call them.

use super::group;
use crate::endpoint::{FinishSmsLogin, StartSmsLogin, StartSmsReset, VerifySmsReset};
use crate::secret::VerificationCode;
use crate::sms::{LoginIdentifier, PasswordResetSession, ResetIdentifier, SmsLogin, SmsLoginOptions};

group! {
    /// The passwordless SMS sign-in routes; see [`Dispatch`](super::Dispatch)
    /// for what each method returns.
    ///
    /// ```
    /// # use frontegg_identity_core::*;
    /// # fn flow<T: BlockingIdentityTransport>(client: &BlockingClient<T>, typed: impl Fn() -> VerificationCode) -> Result<(), Error> {
    /// let who = LoginIdentifier::email("jane@example.com")?;
    /// let options = SmsLoginOptions::default();
    /// let login = client.passwordless().start_sms_login(&who, &options)?;
    /// match client.passwordless().finish_sms_login(&login, &typed(), &options)? {
    ///     AuthResult::SignedIn(session) => { let _jwt = session.access_token.expose_secret(); }
    ///     AuthResult::MfaRequired(mfa) => {
    ///         // The second factor: a code to one of the user's SMS devices.
    ///         let device = &mfa.devices.phones[0].id;
    ///         let otc = client.mfa().send_sms_code(device, &mfa.mfa_token)?;
    ///         client.mfa().verify_sms_code(device, &mfa.mfa_token, &otc, &typed(), false)?;
    ///     }
    ///     _ => {}
    /// }
    /// # Ok(()) }
    /// ```
    pub struct Passwordless;

    /// Route 19: starts signing `identifier` in by SMS; Frontegg sends a
    /// code to the user's number. The returned handle keeps the flow's
    /// cookies for [`finish_sms_login`](Self::finish_sms_login). Never retried.
    fn start_sms_login(identifier: &'a LoginIdentifier, options: &'a SmsLoginOptions) -> StartSmsLogin<'a>;

    /// Route 20: finishes the sign-in with the code: signed in, or a second
    /// factor is required (continue with [`Mfa`](super::Mfa)).
    fn finish_sms_login(login: &'a SmsLogin, code: &'a VerificationCode, options: &'a SmsLoginOptions)
        -> FinishSmsLogin<'a>;
}

group! {
    /// The password-reset-by-SMS routes; see [`Dispatch`](super::Dispatch)
    /// for what each method returns.
    ///
    /// ```
    /// # use frontegg_identity_core::*;
    /// # fn flow<T: BlockingIdentityTransport>(client: &BlockingClient<T>, typed: VerificationCode) -> Result<(), Error> {
    /// let who = ResetIdentifier::new("+1 415 555 0100", IdentifierType::PhoneNumber)?;
    /// let session = client.passwords().start_sms_reset(&who)?;
    /// let reset = client.passwords().verify_sms_reset(&session, &typed)?;
    /// // reset.token sets the new password (POST /resources/users/v1/passwords/reset/verify).
    /// # let _ = reset; Ok(()) }
    /// ```
    pub struct Passwords;

    /// Route 21: starts a password reset by SMS. Frontegg answers the same
    /// whether or not the user exists. Never retried.
    fn start_sms_reset(identifier: &'a ResetIdentifier) -> StartSmsReset<'a>;

    /// Route 22: verifies the reset with the code; the answer's token sets
    /// the new password.
    fn verify_sms_reset(session: &'a PasswordResetSession, code: &'a VerificationCode) -> VerifySmsReset<'a>;
}
