//! The SMS routes' arguments in and results out (routes 11 to 32).
//!
//! Results are the frozen dataclasses of `frontegg_identity._types`, with
//! their secrets as the native classes of `secrets`; SMS templates are plain
//! dicts, converted through the `json` module (a template is opaque JSON).

use frontegg_identity_core::{
    AuthResult, Error, IdentifierType, InvalidInput, InvitationToken, LoginIdentifier, MfaDevices,
    PasswordResetSession, PasswordResetToken, ProviderToken, RecaptchaToken, RecoveryCode, ResetIdentifier,
    SmsConfig, SmsLogin, SmsLoginOptions, SmsTemplate, UserId,
};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyMapping, PyTuple};

use crate::convert::{phone_arg, types};
use crate::errors::to_pyerr;
use crate::routes::IntoPyResult;
use crate::secrets::{
    PyAccessToken, PyMfaToken, PyPasswordResetSession, PyProviderToken, PyRecoveryCode, PyRefreshToken,
    PyResetToken, PySmsLogin, held_arg,
};

fn invalid(py: Python<'_>, field: &'static str, reason: &'static str) -> PyErr {
    to_pyerr(py, &Error::InvalidInput(InvalidInput::new(field, reason)), None)
}

// ------------------------------------------------------------------ arguments

type Text = Option<PyBackedStr>;
type LoginArgs = (Text, Text, Text, Text, Text, Text);

/// The keyword arguments of `start_sms_login`: exactly one identifier, and
/// the optional invitation and reCAPTCHA tokens.
pub(crate) fn login(
    py: Python<'_>,
    (email, user_id, username, phone_number, invitation_token, recaptcha_token): LoginArgs,
) -> PyResult<(LoginIdentifier, SmsLoginOptions)> {
    let fail = |e: Error| to_pyerr(py, &e, None);
    let given = [&email, &user_id, &username, &phone_number]
        .iter()
        .filter(|v| v.is_some())
        .count();
    if given != 1 {
        return Err(invalid(
            py,
            "identifier",
            "give exactly one of email, user_id, username, phone_number",
        ));
    }
    let identifier = if let Some(email) = email {
        LoginIdentifier::email(&*email).map_err(fail)?
    } else if let Some(user_id) = user_id {
        LoginIdentifier::UserId(UserId::new(String::from(&*user_id)).map_err(fail)?)
    } else if let Some(username) = username {
        LoginIdentifier::username(String::from(&*username)).map_err(fail)?
    } else {
        let number = phone_number.ok_or_else(|| invalid(py, "identifier", "missing"))?;
        LoginIdentifier::PhoneNumber(phone_arg(py, &number)?)
    };
    let mut options = SmsLoginOptions::default();
    options.invitation_token = invitation_token
        .map(|t| InvitationToken::new(&*t))
        .transpose()
        .map_err(fail)?;
    options.recaptcha_token = recaptcha_token
        .map(|t| RecaptchaToken::new(&*t))
        .transpose()
        .map_err(fail)?;
    Ok((identifier, options))
}

/// The identifier of a password reset and its type (`"email"`,
/// `"phone_number"` or `"username"`).
pub(crate) fn reset_identifier(
    py: Python<'_>,
    identifier: PyBackedStr,
    identifier_type: PyBackedStr,
) -> PyResult<ResetIdentifier> {
    let fail = |e: Error| to_pyerr(py, &e, None);
    let kind: IdentifierType = identifier_type.parse().map_err(fail)?;
    ResetIdentifier::new(&identifier, kind).map_err(fail)
}

/// A reset session: a `PasswordResetSession` or its session id as a `str`.
pub(crate) fn reset_session(
    py: Python<'_>,
    value: Borrowed<'_, '_, PyAny>,
) -> PyResult<PasswordResetSession> {
    let session_id = held_arg::<PyPasswordResetSession>(py, value)?.into_owned();
    Ok(PasswordResetSession { session_id })
}

/// The keyword arguments of `sms_settings.set`; `None` fields are not sent.
pub(crate) fn sms_config(py: Python<'_>, args: &Bound<'_, PyTuple>, at: usize) -> PyResult<SmsConfig> {
    let text = |i: usize| -> PyResult<Option<String>> { args.get_borrowed_item(at + i)?.extract() };
    let mut config = SmsConfig::new();
    config.sender_name = text(0)?;
    config.account_id = text(1)?;
    let token = args.get_borrowed_item(at + 2)?;
    config.token = if token.is_none() {
        None
    } else {
        Some(held_arg::<PyProviderToken>(py, token)?.into_owned())
    };
    config.service_id = text(3)?;
    config.provider = text(4)?;
    config.channel = text(5)?;
    for (field, value) in [
        ("sender_name", &config.sender_name),
        ("account_id", &config.account_id),
        ("service_id", &config.service_id),
        ("provider", &config.provider),
        ("channel", &config.channel),
    ] {
        if value.as_deref().is_some_and(|v| v.chars().any(char::is_control)) {
            return Err(invalid(py, field, "must not contain control characters"));
        }
    }
    Ok(config)
}

/// The `json` module's `loads` and `dumps`, imported once.
struct Json {
    loads: Py<PyAny>,
    dumps: Py<PyAny>,
}

static JSON: PyOnceLock<Json> = PyOnceLock::new();

fn json(py: Python<'_>) -> PyResult<&'static Json> {
    JSON.get_or_try_init(py, || {
        let m = py.import("json")?;
        Ok(Json {
            loads: m.getattr("loads")?.unbind(),
            dumps: m.getattr("dumps")?.unbind(),
        })
    })
}

/// A template: a mapping of JSON values, converted with `json.dumps`
/// (`allow_nan=False`); anything that is not JSON is refused before sending.
pub(crate) fn template(py: Python<'_>, value: Borrowed<'_, '_, PyAny>) -> PyResult<SmsTemplate> {
    let mapping = value
        .cast::<PyMapping>()
        .map_err(|_| invalid(py, "template", "must be a mapping (a JSON object)"))?;
    let dict = if let Ok(dict) = mapping.cast::<PyDict>() {
        dict.to_owned()
    } else {
        let dict = PyDict::new(py);
        dict.update(&mapping)?;
        dict
    };
    let kwargs = PyDict::new(py);
    kwargs.set_item("allow_nan", false)?;
    let text: PyBackedStr = json(py)?
        .dumps
        .bind(py)
        .call((dict,), Some(&kwargs))
        .map_err(|_| {
            invalid(
                py,
                "template",
                "must hold only JSON values (str keys; str, int, float, bool, None, list, dict)",
            )
        })?
        .extract()?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|_| invalid(py, "template", "is not valid JSON"))?;
    SmsTemplate::new(value).map_err(|e| to_pyerr(py, &e, None))
}

// ------------------------------------------------------------------ results

fn object<T: pyo3::PyClass + Into<pyo3::PyClassInitializer<T>>>(
    py: Python<'_>,
    value: T,
) -> PyResult<Bound<'_, PyAny>> {
    Ok(Bound::new(py, value)?.into_any())
}

fn optional<'py, T>(
    py: Python<'py>,
    value: Option<T>,
    f: impl FnOnce(Python<'py>, T) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    value.map_or_else(|| Ok(py.None().into_bound(py)), |v| f(py, v))
}

impl IntoPyResult for AuthResult {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        let t = types(py)?;
        match self {
            AuthResult::SignedIn(s) => {
                let args = (
                    object(py, PyAccessToken(s.access_token))?,
                    optional(py, s.refresh_token, |py, r| object(py, PyRefreshToken(r)))?,
                    s.expires_in,
                    s.user_id,
                    optional(py, s.recovery_code, |py, r| object(py, PyRecoveryCode(r)))?,
                    s.user_email,
                    s.mfa_enrolled,
                    s.token_type,
                    s.expires,
                );
                t.signed_in.bind(py).call1(args)
            }
            AuthResult::MfaRequired(m) => t.mfa_required.bind(py).call1((
                object(py, PyMfaToken(m.mfa_token))?,
                m.devices.into_py_result(py)?,
                m.user_id,
            )),
            _ => Err(pyo3::exceptions::PyRuntimeError::new_err(
                "an unknown kind of sign-in result",
            )),
        }
    }
}

impl IntoPyResult for MfaDevices {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        let t = types(py)?;
        let phones = self
            .phones
            .into_iter()
            .map(|p| {
                t.mfa_phone
                    .bind(py)
                    .call1((p.id.as_str(), p.phone_number.as_str()))
            })
            .collect::<PyResult<Vec<_>>>()?;
        let webauthn = self
            .webauthn
            .into_iter()
            .map(|w| t.webauthn.bind(py).call1((w.id, w.device_type, w.name)))
            .collect::<PyResult<Vec<_>>>()?;
        let emails = self.emails.into_iter().map(|e| e.0);
        t.mfa_devices.bind(py).call1((
            PyTuple::new(py, phones)?,
            PyTuple::new(py, webauthn)?,
            PyTuple::new(py, self.authenticators)?,
            PyTuple::new(py, emails)?,
        ))
    }
}

impl IntoPyResult for RecoveryCode {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        object(py, PyRecoveryCode(self))
    }
}

impl IntoPyResult for SmsLogin {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        object(py, PySmsLogin(self))
    }
}

impl IntoPyResult for PasswordResetSession {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        object(py, PyPasswordResetSession(self.session_id))
    }
}

impl IntoPyResult for PasswordResetToken {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        let token = object(py, PyResetToken(self.token))?;
        types(py)?.reset_token.bind(py).call1((self.user_id, token))
    }
}

impl IntoPyResult for SmsConfig {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        let token = optional(py, self.token, |py, t: ProviderToken| {
            object(py, PyProviderToken(t))
        })?;
        types(py)?.sms_config.bind(py).call1((
            self.sender_name,
            self.account_id,
            token,
            self.service_id,
            self.provider,
            self.channel,
        ))
    }
}

impl IntoPyResult for SmsTemplate {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        let text = serde_json::to_string(self.as_object())
            .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
        json(py)?.loads.bind(py).call1((text,))
    }
}

impl IntoPyResult for Vec<SmsTemplate> {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        let items = self
            .into_iter()
            .map(|t| t.into_py_result(py))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?.into_any())
    }
}
