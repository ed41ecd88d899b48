//! Sign-in by SMS (routes 19, 20) and password reset by SMS (21, 22): the
//! public routes, whose proof travels in their bodies and cookies.

use http::header::{COOKIE, SET_COOKIE};
use http::{HeaderMap, HeaderName, HeaderValue, Response};
use serde::Serialize;
use serde_json::{Map, Value};

use super::{RequestContext, auth_result, endpoints, json_body, object, required};
use crate::error::Error;
use crate::route::Route;
use crate::secret::{ResetPhoneNumberToken, ResetSessionId, ResetToken, SessionCookies, VerificationCode};
use crate::sms::{
    AuthResult, LoginIdentifier, PasswordResetSession, PasswordResetToken, ResetIdentifier, SmsLogin,
    SmsLoginOptions, text,
};

/// The `frontegg-vendor-host` header.
pub static VENDOR_HOST_HEADER: HeaderName = HeaderName::from_static("frontegg-vendor-host");

fn vendor_host(ctx: &RequestContext<'_>, headers: &mut HeaderMap) {
    if let Some(host) = ctx.vendor_host {
        headers.insert(VENDOR_HOST_HEADER.clone(), host.clone());
    }
}

/// The extras of an SMS sign-in, as body fields.
fn extras(body: &mut Map<String, Value>, options: &SmsLoginOptions) {
    if let Some(token) = &options.invitation_token {
        body.insert("invitationToken".into(), token.expose_secret().into());
    }
    if let Some(token) = &options.recaptcha_token {
        body.insert("recaptchaToken".into(), token.expose_secret().into());
    }
}

/// The `name=value` pairs of every `Set-Cookie`, as one `Cookie` header value.
fn cookie_jar(headers: &HeaderMap) -> Option<SessionCookies> {
    let pairs: Vec<&str> = headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::trim)
        .filter(|pair| pair.contains('=') && HeaderValue::from_str(pair).is_ok())
        .collect();
    (!pairs.is_empty()).then(|| SessionCookies::from_server(pairs.join("; ")))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResetBody<'a> {
    identifier: &'a str,
    identifier_type: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResetVerifyBody<'a> {
    otc_token: &'a str,
    session_id: &'a str,
}

/// Route 21's answer: the reset's session.
fn reset_session(route: Route, response: &Response<Vec<u8>>) -> Result<PasswordResetSession, Error> {
    let session = text(&object(route, response)?, "sessionId").map(ResetSessionId::from_server);
    Ok(PasswordResetSession {
        session_id: required(route, response, session, "no sessionId")?,
    })
}

/// Route 22's answer: the token that sets the new password.
fn reset_token(route: Route, response: &Response<Vec<u8>>) -> Result<PasswordResetToken, Error> {
    let answer = object(route, response)?;
    let token = text(&answer, "token").map(ResetToken::from_server);
    Ok(PasswordResetToken {
        user_id: text(&answer, "userId"),
        token: required(route, response, token, "no token")?,
    })
}

endpoints! {
    /// Route 19: starts a sign-in by SMS; Frontegg sends a code to the user's number.
    pub struct StartSmsLogin<'a> {
        /// Who signs in.
        pub identifier: &'a LoginIdentifier,
        /// Invitation and reCAPTCHA tokens.
        pub options: &'a SmsLoginOptions,
    }
    Route::StartSmsLogin -> SmsLogin {
        fn headers(&self, ctx: &RequestContext<'_>, headers: &mut HeaderMap) -> Result<(), Error> {
            vendor_host(ctx, headers);
            Ok(())
        }

        fn body(&self) -> Result<Option<Vec<u8>>, Error> {
            let (field, value) = self.identifier.field();
            let mut body = Map::new();
            body.insert(field.into(), value.into());
            extras(&mut body, self.options);
            json_body(&body)
        }

        fn parse_success(&self, response: Response<Vec<u8>>) -> Result<SmsLogin, Error> {
            let answer = object(Self::ROUTE, &response)?;
            Ok(SmsLogin::from_parts(
                cookie_jar(response.headers()),
                text(&answer, "phoneNumber"),
                text(&answer, "resetPhoneNumberToken").map(ResetPhoneNumberToken::from_server),
            ))
        }
    }

    /// Route 20: finishes a sign-in by SMS with the code.
    pub struct FinishSmsLogin<'a> {
        /// The sign-in started by route 19.
        pub login: &'a SmsLogin,
        /// The code the user received.
        pub code: &'a VerificationCode,
        /// Invitation and reCAPTCHA tokens.
        pub options: &'a SmsLoginOptions,
    }
    Route::FinishSmsLogin -> AuthResult {
        parse: auth_result;
        fn headers(&self, ctx: &RequestContext<'_>, headers: &mut HeaderMap) -> Result<(), Error> {
            vendor_host(ctx, headers);
            if let Some(cookies) = self.login.cookies() {
                let mut value = HeaderValue::from_str(cookies.expose_secret()).map_err(|_| {
                    crate::error::InvalidInput::new("session cookies", "cannot be sent in a header")
                })?;
                value.set_sensitive(true);
                headers.insert(COOKIE, value);
            }
            Ok(())
        }

        fn body(&self) -> Result<Option<Vec<u8>>, Error> {
            let mut body = Map::new();
            body.insert("token".into(), self.code.expose_secret().into());
            extras(&mut body, self.options);
            json_body(&body)
        }
    }

    /// Route 21: starts a password reset by SMS; Frontegg sends a code to the
    /// user's number (if the user exists and has one: the answer does not say).
    pub struct StartSmsReset<'a> {
        /// Who resets a password.
        pub identifier: &'a ResetIdentifier,
    }
    Route::StartSmsReset -> PasswordResetSession {
        body: |e| ResetBody { identifier: &e.identifier.value, identifier_type: e.identifier.kind.as_str() };
        parse: reset_session;
    }

    /// Route 22: verifies a password reset by SMS with the code.
    pub struct VerifySmsReset<'a> {
        /// The reset started by route 21.
        pub session: &'a PasswordResetSession,
        /// The code the user received.
        pub code: &'a VerificationCode,
    }
    Route::VerifySmsReset -> PasswordResetToken {
        body: |e| ResetVerifyBody {
            otc_token: e.code.expose_secret(),
            session_id: e.session.session_id.expose_secret(),
        };
        parse: reset_token;
    }
}
