#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The SMS flows end to end, through every Rust client (async reqwest, async
//! hyper and blocking ureq), against the emulator over loopback: MFA enrollment, the
//! second factor at sign-in, removing a device; passwordless sign-in with and
//! without MFA; password reset by SMS; and their errors.

use std::time::Duration;

use frontegg_identity_core::{
    AccessToken, AuthResult, ClientBuilder, DeviceId, Error, IdentifierType, LoginIdentifier, MfaDevices,
    MfaToken, OtcToken, PasswordResetSession, PasswordResetToken, PhoneNumber, RecoveryCode, ResetIdentifier,
    RetryPolicy, SmsLogin, TenantId, UserId, VendorSecret, VerificationCode,
};
use frontegg_identity_emulator::{Emulator, EmulatorConfig, SmsPurpose};
use frontegg_identity_scenarios::{AnyClient, Backend, Op};

const TENANT: &str = "tenant-1";

struct World {
    emu: Emulator,
}

impl World {
    async fn new(config: EmulatorConfig) -> Self {
        Self {
            emu: Emulator::start(config).await.expect("emulator"),
        }
    }

    fn base(&self) -> ClientBuilder {
        ClientBuilder::new()
            .base_url(self.emu.base_url())
            .retry_policy(RetryPolicy::none())
            .timeout(Duration::from_secs(5))
    }

    fn user(&self, backend: Backend, user: &str) -> AnyClient {
        let token = AccessToken::new(self.emu.mint_user_token(user, Some(TENANT))).unwrap();
        backend.build(self.base().user_token(token))
    }

    fn vendor(&self, backend: Backend) -> AnyClient {
        let (id, secret) = self.emu.vendor_credentials();
        backend.build(
            self.base()
                .vendor_credentials(id, VendorSecret::new(secret).unwrap())
                .tenant_id(TenantId::new(TENANT).unwrap()),
        )
    }

    fn anonymous(&self, backend: Backend) -> AnyClient {
        backend.build(self.base())
    }

    fn code(&self, phone: &PhoneNumber, purpose: SmsPurpose) -> VerificationCode {
        let code = self
            .emu
            .last_code_for(phone.as_str(), purpose)
            .expect("an SMS for that purpose");
        VerificationCode::parse(&code).unwrap()
    }

    fn wrong(&self, phone: &PhoneNumber, purpose: SmsPurpose) -> VerificationCode {
        let right = self.emu.last_code_for(phone.as_str(), purpose).unwrap();
        let wrong: String = right.chars().map(|c| if c == '1' { '2' } else { '1' }).collect();
        VerificationCode::parse(&wrong).unwrap()
    }
}

/// The number `+1415555{block}{i}`: one of its own for each test (`block`)
/// and backend (`i`).
fn phone(block: u16, i: usize) -> PhoneNumber {
    PhoneNumber::parse(&format!("+1415555{block:03}{i}")).unwrap()
}

fn error_code(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(e) => e.error_code().unwrap_or("(none)").to_owned(),
        Ok(v) => panic!("expected an error, got {v:?}"),
    }
}

async fn run<T: 'static>(client: &AnyClient, op: Op) -> Result<T, Error> {
    client
        .run(op)
        .await
        .map(frontegg_identity_scenarios::Outcome::take::<T>)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enroll_sign_in_with_the_second_factor_then_disable() {
    let world = World::new(EmulatorConfig::default()).await;
    for (i, backend) in Backend::ALL.into_iter().enumerate() {
        let user = format!("mfa-user-{i}");
        let email = format!("mfa{i}@example.com");
        let number = phone(20, i);
        world.emu.create_user(&user, Some(&email), None).unwrap();
        let me = world.user(backend, &user);

        // The signed-in user enrolls the number as a second factor.
        let otc: OtcToken = run(&me, Op::StartSmsEnrollment(number.clone(), None))
            .await
            .unwrap();
        let code = world.code(&number, SmsPurpose::MfaEnroll);
        let enrolled: AuthResult = run(&me, Op::FinishSmsEnrollment(otc.clone(), code.clone(), None))
            .await
            .unwrap();
        let signed = enrolled.signed_in().expect("signed in");
        assert!(
            signed.recovery_code.is_some(),
            "{backend:?}: the first device comes with a recovery code"
        );
        // The token and its code are spent.
        let reused = run::<AuthResult>(&me, Op::FinishSmsEnrollment(otc, code, None)).await;
        assert_eq!(error_code(reused), "ER-EMULATOR-OTC-TOKEN-INVALID");
        let devices: MfaDevices = run(&me, Op::MfaDevices(None)).await.unwrap();
        assert_eq!(devices.phones.len(), 1, "{backend:?}");
        assert_eq!(devices.phones[0].phone_number.as_str(), number.as_str());
        let device = devices.phones[0].id.clone();

        // Signing in by SMS now needs the second factor.
        let anyone = world.anonymous(backend);
        let who = LoginIdentifier::email(&email).unwrap();
        let login: SmsLogin = run(&anyone, Op::StartSmsLogin(who)).await.unwrap();
        assert!(
            login.phone_number().is_some_and(|p| p.contains('*')),
            "a caller not yet signed in sees a masked number"
        );
        let code = world.code(&number, SmsPurpose::Passwordless);
        let answer: AuthResult = run(&anyone, Op::FinishSmsLogin(login, code)).await.unwrap();
        let mfa = answer
            .mfa_required()
            .expect("a second factor is required")
            .clone();
        assert_eq!(mfa.devices.phones[0].id, device);
        assert!(mfa.devices.phones[0].phone_number.as_str().contains('*'));
        let otc: OtcToken = run(&anyone, Op::SendSmsCode(device.clone(), mfa.mfa_token.clone()))
            .await
            .unwrap();
        let wrong = world.wrong(&number, SmsPurpose::MfaLogin);
        let refused = run::<AuthResult>(
            &anyone,
            Op::VerifySmsCode(device.clone(), mfa.mfa_token.clone(), otc.clone(), wrong),
        )
        .await;
        assert_eq!(error_code(refused), "ER-EMULATOR-INVALID-CODE");
        let code = world.code(&number, SmsPurpose::MfaLogin);
        let signed_in: AuthResult = run(
            &anyone,
            Op::VerifySmsCode(device.clone(), mfa.mfa_token.clone(), otc, code),
        )
        .await
        .unwrap();
        let session = signed_in.signed_in().expect("signed in after the second factor");
        assert!(
            session.access_token.expose_secret().split('.').count() == 3,
            "a JWT"
        );
        // The MFA token is spent by the successful verification.
        let spent = run::<OtcToken>(&anyone, Op::SendSmsCode(device.clone(), mfa.mfa_token)).await;
        assert_eq!(error_code(spent), "ER-EMULATOR-MFA-TOKEN-INVALID");

        // The vendor removes the device, with the code sent to it.
        let vendor = world.vendor(backend);
        let user_id = UserId::new(&user).unwrap();
        let otc: OtcToken = run(
            &vendor,
            Op::StartSmsDisable(user_id.clone(), device.clone(), None),
        )
        .await
        .unwrap();
        let code = world.code(&number, SmsPurpose::MfaDisable);
        run::<()>(&vendor, Op::ConfirmSmsDisable(user_id.clone(), device, otc, code))
            .await
            .unwrap();
        let devices: MfaDevices = run(&vendor, Op::MfaDevices(Some(user_id))).await.unwrap();
        assert!(devices.phones.is_empty(), "{backend:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vendor_enrollment_and_login_step_enrollment() {
    let world = World::new(EmulatorConfig::default()).await;
    for (i, backend) in Backend::ALL.into_iter().enumerate() {
        let vendor = world.vendor(backend);
        let user = UserId::new(format!("vendor-enrolled-{i}")).unwrap();
        world.emu.create_user(user.as_str(), None, None).unwrap();
        let number = phone(30, i);
        let otc: OtcToken = run(&vendor, Op::EnrollSms(user.clone(), number.clone()))
            .await
            .unwrap();
        let code = world.code(&number, SmsPurpose::MfaEnroll);
        let recovery: Option<RecoveryCode> = run(&vendor, Op::VerifySmsEnrollment(user.clone(), otc, code))
            .await
            .unwrap();
        assert!(recovery.is_some(), "{backend:?}: first device");
        // The same number again for the same user is a conflict.
        let again = run::<OtcToken>(&vendor, Op::EnrollSms(user.clone(), number.clone())).await;
        assert_eq!(error_code(again), "ER-EMULATOR-MFA-DEVICE-EXISTS");
        // A device that is not this user's.
        let stranger = DeviceId::new("not-a-device").unwrap();
        let missing = run::<OtcToken>(&vendor, Op::StartSmsDisable(user.clone(), stranger, None)).await;
        assert_eq!(error_code(missing), "ER-EMULATOR-MFA-DEVICE-NOT-FOUND");

        // Enrollment forced at sign-in: the MFA token stands in for a user token.
        let forced = format!("forced-{i}");
        world.emu.create_user(&forced, None, None).unwrap();
        let mfa_token = MfaToken::new(world.emu.mfa_token(&forced).unwrap()).unwrap();
        let anyone = world.anonymous(backend);
        let number = phone(31, i);
        let otc: OtcToken = run(
            &anyone,
            Op::StartSmsEnrollment(number.clone(), Some(mfa_token.clone())),
        )
        .await
        .unwrap();
        let code = world.code(&number, SmsPurpose::MfaEnroll);
        let result: AuthResult = run(
            &anyone,
            Op::FinishSmsEnrollment(otc, code, Some(mfa_token.clone())),
        )
        .await
        .unwrap();
        assert!(result.signed_in().is_some(), "{backend:?}");
        let bad = MfaToken::new("not-an-mfa-token").unwrap();
        let refused = run::<OtcToken>(&anyone, Op::StartSmsEnrollment(number, Some(bad))).await;
        assert_eq!(error_code(refused), "ER-EMULATOR-MFA-TOKEN-INVALID");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwordless_without_mfa_and_reset_by_sms() {
    let world = World::new(EmulatorConfig::default()).await;
    for (i, backend) in Backend::ALL.into_iter().enumerate() {
        let vendor = world.vendor(backend);
        let user = format!("plain-{i}");
        let username = format!("plain_user_{i}");
        let number = phone(40, i);
        world.emu.create_user(&user, None, Some(&username)).unwrap();
        run::<()>(
            &vendor,
            Op::VendorAdd(UserId::new(&user).unwrap(), number.clone()),
        )
        .await
        .unwrap();

        let anyone = world.anonymous(backend);
        let who = LoginIdentifier::username(&username).unwrap();
        let login: SmsLogin = run(&anyone, Op::StartSmsLogin(who.clone())).await.unwrap();
        // A code from another flow does not finish this one.
        let other: SmsLogin = run(&anyone, Op::StartSmsLogin(who)).await.unwrap();
        let code = world.code(&number, SmsPurpose::Passwordless);
        let stale = run::<AuthResult>(&anyone, Op::FinishSmsLogin(login, code.clone())).await;
        assert!(stale.is_err(), "{backend:?}: the first flow's code was replaced");
        let signed: AuthResult = run(&anyone, Op::FinishSmsLogin(other, code)).await.unwrap();
        assert!(signed.signed_in().is_some(), "{backend:?}");
        // A flow without its cookies is not a flow.
        let lost = run::<AuthResult>(
            &anyone,
            Op::FinishSmsLogin(
                SmsLogin::resume(None),
                world.wrong(&number, SmsPurpose::Passwordless),
            ),
        )
        .await;
        assert_eq!(error_code(lost), "ER-EMULATOR-OTC-TOKEN-INVALID");
        // An unknown user: one answer, whatever the reason.
        let nobody = LoginIdentifier::email("nobody@example.com").unwrap();
        let unknown = run::<SmsLogin>(&anyone, Op::StartSmsLogin(nobody)).await;
        assert_eq!(error_code(unknown), "ER-EMULATOR-PHONE-NOT-SET");

        // Password reset by SMS.
        let who = ResetIdentifier::new(&username, IdentifierType::Username).unwrap();
        let session: PasswordResetSession = run(&anyone, Op::StartSmsReset(who)).await.unwrap();
        let wrong = world.wrong(&number, SmsPurpose::PasswordReset);
        let refused = run::<PasswordResetToken>(&anyone, Op::VerifySmsReset(session.clone(), wrong)).await;
        assert_eq!(error_code(refused), "ER-EMULATOR-INVALID-CODE");
        let code = world.code(&number, SmsPurpose::PasswordReset);
        let reset: PasswordResetToken = run(&anyone, Op::VerifySmsReset(session.clone(), code.clone()))
            .await
            .unwrap();
        assert_eq!(reset.user_id.as_deref(), Some(user.as_str()));
        let reused = run::<PasswordResetToken>(&anyone, Op::VerifySmsReset(session, code)).await;
        assert_eq!(error_code(reused), "ER-EMULATOR-OTC-TOKEN-INVALID");
        // An unknown user still gets a session, and no SMS is sent.
        let sent = world.emu.sms(None).len();
        let nobody = ResetIdentifier::new("nobody@example.com", IdentifierType::Email).unwrap();
        let _: PasswordResetSession = run(&anyone, Op::StartSmsReset(nobody)).await.unwrap();
        assert_eq!(world.emu.sms(None).len(), sent, "no account probing");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_codes_and_tokens() {
    let world = World::new(EmulatorConfig::default().with_otc_ttl(Duration::from_millis(300))).await;
    for (i, backend) in Backend::ALL.into_iter().enumerate() {
        let user = format!("slow-{i}");
        world.emu.create_user(&user, None, None).unwrap();
        let number = phone(50, i);
        let me = world.user(backend, &user);
        let otc: OtcToken = run(&me, Op::StartSmsEnrollment(number.clone(), None))
            .await
            .unwrap();
        let code = world.code(&number, SmsPurpose::MfaEnroll);
        let mfa_token = MfaToken::new(world.emu.mfa_token(&user).unwrap()).unwrap();
        tokio::time::sleep(Duration::from_millis(400)).await;
        let late = run::<AuthResult>(&me, Op::FinishSmsEnrollment(otc, code, None)).await;
        assert_eq!(error_code(late), "ER-EMULATOR-OTC-TOKEN-INVALID", "{backend:?}");
        let device = DeviceId::new("any").unwrap();
        let expired = run::<OtcToken>(&world.anonymous(backend), Op::SendSmsCode(device, mfa_token)).await;
        assert_eq!(
            error_code(expired),
            "ER-EMULATOR-MFA-TOKEN-INVALID",
            "{backend:?}"
        );
    }
}
