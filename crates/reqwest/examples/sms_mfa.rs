//! MFA by SMS, end to end, against the embedded emulator:
//!
//! ```text
//! cargo run --example sms_mfa
//! ```
//!
//! 1. a signed-in user enrolls a phone number as a second factor (and is
//!    shown the recovery code once);
//! 2. the user signs in again by SMS, without a password, and is asked for
//!    the second factor: a code to the enrolled device;
//! 3. the vendor lists the user's devices and removes it, with a code sent
//!    to the device;
//! 4. the user resets a password by SMS.

use std::error::Error as StdError;

use frontegg_identity_emulator::{Emulator, EmulatorConfig, SmsPurpose};
use frontegg_identity_reqwest::{
    AccessToken, AuthResult, ClientBuilder, IdentifierType, LoginIdentifier, PhoneNumber, ReqwestBuild,
    ResetIdentifier, SmsLoginOptions, TenantId, UserId, VendorSecret, VerificationCode,
};

type Result<T> = std::result::Result<T, Box<dyn StdError>>;

/// The code the emulator "sent" to `number` for `purpose`.
fn sms_code(emulator: &Emulator, number: &PhoneNumber, purpose: SmsPurpose) -> Result<VerificationCode> {
    let code = emulator
        .last_code_for(number.as_str(), purpose)
        .ok_or("no SMS in the emulator's outbox")?;
    println!(
        "    (the emulator's outbox holds the {} SMS sent to {})",
        purpose.as_str(),
        number.masked()
    );
    Ok(VerificationCode::parse(&code)?)
}

#[tokio::main]
async fn main() -> Result<()> {
    let emulator = Emulator::start(EmulatorConfig::default()).await?;
    println!("emulator at {}", emulator.base_url());
    let base = ClientBuilder::new().base_url(emulator.base_url());
    let number = PhoneNumber::parse("+1 415 555 0142")?;
    emulator.create_user("user-1", Some("jane@example.com"), None)?;

    println!(
        "1. the signed-in user enrolls {} as a second factor",
        number.masked()
    );
    let token = AccessToken::new(emulator.mint_user_token("user-1", Some("tenant-1")))?;
    let user = base.clone().user_token(token).build()?;
    let otc = user.mfa().start_sms_enrollment(&number).await?;
    let enrolled = user
        .mfa()
        .finish_sms_enrollment(&otc, &sms_code(&emulator, &number, SmsPurpose::MfaEnroll)?)
        .await?;
    if let Some(session) = enrolled.signed_in() {
        let shown = session
            .recovery_code
            .as_ref()
            .map_or("none", |_| "given (show it once)");
        println!("   enrolled; recovery code: {shown}");
    }

    println!("2. the user signs in by SMS, with no password and no token yet");
    let anyone = base.clone().build()?;
    let who = LoginIdentifier::email("jane@example.com")?;
    let options = SmsLoginOptions::default();
    let login = anyone.passwordless().start_sms_login(&who, &options).await?;
    println!(
        "   a code went to {}",
        login.phone_number().unwrap_or("the user's number")
    );
    let answer = anyone
        .passwordless()
        .finish_sms_login(
            &login,
            &sms_code(&emulator, &number, SmsPurpose::Passwordless)?,
            &options,
        )
        .await?;
    let session = match answer {
        AuthResult::MfaRequired(mfa) => {
            let device = &mfa.devices.phones.first().ok_or("no SMS device")?.id;
            println!("   a second factor is required: a code to device {device}");
            let otc = anyone.mfa().send_sms_code(device, &mfa.mfa_token).await?;
            let code = sms_code(&emulator, &number, SmsPurpose::MfaLogin)?;
            anyone
                .mfa()
                .verify_sms_code(device, &mfa.mfa_token, &otc, &code, false)
                .await?
        }
        signed_in => signed_in,
    };
    let session = session.signed_in().ok_or("not signed in")?;
    println!("   signed in: {:?}", session.access_token);

    println!("3. the vendor removes the device, with a code sent to it");
    let (client_id, secret) = emulator.vendor_credentials();
    let admin = base
        .clone()
        .vendor_credentials(client_id, VendorSecret::new(secret)?)
        .tenant_id(TenantId::new("tenant-1")?)
        .build()?;
    let user_id = UserId::new("user-1")?;
    let devices = admin.mfa().list_devices(Some(&user_id)).await?;
    let device = &devices.phones.first().ok_or("no SMS device")?.id;
    let otc = admin.mfa().start_sms_disable(&user_id, device, None).await?;
    let code = sms_code(&emulator, &number, SmsPurpose::MfaDisable)?;
    admin
        .mfa()
        .confirm_sms_disable(&user_id, device, &otc, &code)
        .await?;
    let left = admin.mfa().list_devices(Some(&user_id)).await?.phones.len();
    println!("   removed; {left} SMS device(s) left");

    println!("4. the user resets a password by SMS");
    // Password reset needs a number on the account: the vendor adds a verified one.
    admin.phone_numbers().vendor_add(&user_id, &number).await?;
    let who = ResetIdentifier::new("jane@example.com", IdentifierType::Email)?;
    let reset = anyone.passwords().start_sms_reset(&who).await?;
    let code = sms_code(&emulator, &number, SmsPurpose::PasswordReset)?;
    let token = anyone.passwords().verify_sms_reset(&reset, &code).await?;
    println!(
        "   verified: a reset token {:?} for {:?}",
        token.token, token.user_id
    );

    println!("the emulator saw {} request(s); done", emulator.requests().len());
    Ok(())
}
