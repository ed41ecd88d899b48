//! The secret classes: each wraps a core secret type, so the value stays in
//! Rust memory (wiped on drop) and goes back to calls without a copy.
//!
//! Every class is written once, by `secret_classes!`: `repr()` and `str()`
//! show `Name([redacted])`, `==` compares in constant time, `reveal()` gives
//! the value (to store or to send) and `Name(value)` rebuilds one. Only
//! `OtcToken` pickles (as it always has); the others refuse, so that a
//! secret never lands in a pickle by accident.
//!
//! `SmsLogin` holds an SMS sign-in under way: its cookies are secret, its
//! masked number is not.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use frontegg_identity_core::{
    AccessToken, MfaToken, OtcToken, ProviderToken, RecoveryCode, RefreshToken, ResetSessionId, ResetToken,
    SessionCookies, SmsLogin, mask_phone,
};
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyTuple, PyType};

use crate::errors::to_pyerr;

/// A native class holding a Rust value that a route borrows (not copies)
/// when the class is passed to it.
pub(crate) trait Held: pyo3::PyClass<Frozen = pyo3::pyclass::boolean_struct::True> + Sync {
    /// The value held.
    type Core: Clone + Send + Sync + 'static;
    /// The value held.
    fn core(&self) -> &Self::Core;
    /// The value from an argument that is not an instance of the class (a
    /// secret class takes its value as a `str`), or the error saying what is expected.
    fn from_other(py: Python<'_>, value: Borrowed<'_, '_, PyAny>) -> PyResult<Self::Core>;
}

macro_rules! secret_classes {
    ($(
        $(#[$doc:meta])*
        $class:ident($core:ident) as $name:literal, pickle: $pickle:literal;
    )*) => {$(
        $(#[$doc])*
        #[pyclass(frozen, module = "frontegg_identity", name = $name)]
        pub(crate) struct $class(pub(crate) $core);

        impl Held for $class {
            type Core = $core;
            fn core(&self) -> &$core {
                &self.0
            }
            fn from_other(py: Python<'_>, value: Borrowed<'_, '_, PyAny>) -> PyResult<$core> {
                let text: PyBackedStr = value
                    .extract()
                    .map_err(|_| PyTypeError::new_err(concat!("expected ", $name, " or str")))?;
                $core::new(&*text).map_err(|e| to_pyerr(py, &e, None))
            }
        }

        #[pymethods]
        impl $class {
            #[new]
            fn new(py: Python<'_>, value: PyBackedStr) -> PyResult<Self> {
                $core::new(&*value).map(Self).map_err(|e| to_pyerr(py, &e, None))
            }

            /// The secret itself, to store or to send.
            fn reveal(&self) -> &str {
                self.0.expose_secret()
            }

            fn __repr__(&self) -> &'static str {
                concat!($name, "([redacted])")
            }

            fn __str__(&self) -> &'static str {
                concat!($name, "([redacted])")
            }

            fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                match other.cast::<Self>() {
                    Ok(other) => {
                        constant_time_eq(self.reveal().as_bytes(), other.get().reveal().as_bytes()).into_py_any(py)
                    }
                    Err(_) => Ok(py.NotImplemented()),
                }
            }

            fn __hash__(&self) -> u64 {
                hash_of(self.reveal())
            }

            fn __copy__(slf: Py<Self>) -> Py<Self> {
                slf
            }

            fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
                slf
            }

            fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
                reduce(slf.get_type(), slf.get().reveal(), $pickle, $name)
            }
        }
    )*};
}

secret_classes! {
    /// A one-time-code token: the token Frontegg returns when it sends an SMS
    /// code, to be sent back with the code. `OtcToken(value)` rebuilds one,
    /// so it can be stored between web requests (it also pickles).
    PyOtcToken(OtcToken) as "OtcToken", pickle: true;
    /// The token of a sign-in that needs a second factor; it names the user
    /// to the MFA routes in place of an access token.
    PyMfaToken(MfaToken) as "MfaToken", pickle: false;
    /// A user's access token (a JWT), from a completed sign-in.
    PyAccessToken(AccessToken) as "AccessToken", pickle: false;
    /// A refresh token, from a completed sign-in.
    PyRefreshToken(RefreshToken) as "RefreshToken", pickle: false;
    /// A recovery code, given when a user's first MFA device is enrolled:
    /// show it to the user once.
    PyRecoveryCode(RecoveryCode) as "RecoveryCode", pickle: false;
    /// The token a verified password reset by SMS gives, to set the new password with.
    PyResetToken(ResetToken) as "ResetToken", pickle: false;
    /// The SMS provider's credential in the SMS configuration.
    PyProviderToken(ProviderToken) as "ProviderToken", pickle: false;
    /// A password reset by SMS under way: its session id is secret.
    /// `reveal()` gives it and `PasswordResetSession(session_id)` rebuilds
    /// the session, to finish it in another web request.
    PyPasswordResetSession(ResetSessionId) as "PasswordResetSession", pickle: false;
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn hash_of(value: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// `__reduce__`: `(class, (value,))` for a class that pickles, else `TypeError`.
fn reduce<'py>(
    class: Bound<'py, PyType>,
    value: &str,
    pickle: bool,
    name: &str,
) -> PyResult<Bound<'py, PyTuple>> {
    if !pickle {
        return Err(PyTypeError::new_err(format!(
            "{name} cannot be pickled: store {name}.reveal() and rebuild it with {name}(value)"
        )));
    }
    let py = class.py();
    let args = PyTuple::new(py, [value])?;
    PyTuple::new(py, [class.into_any(), args.into_any()])
}

/// An argument of class `P` (borrowed, not copied) or, for the classes that
/// take one, the value it holds as a `str`.
pub(crate) fn held_arg<'a, P: Held>(
    py: Python<'_>,
    value: Borrowed<'a, '_, PyAny>,
) -> PyResult<Cow<'a, P::Core>> {
    if let Ok(held) = value.cast::<P>() {
        let held: &'a P = held.get();
        return Ok(Cow::Borrowed(held.core()));
    }
    P::from_other(py, value).map(Cow::Owned)
}

/// An SMS sign-in under way (`passwordless.start_sms_login` started it,
/// `passwordless.finish_sms_login` finishes it).
///
/// It holds the cookies Frontegg set for this one flow (secret: never in
/// `repr()`) and `phone_number`, where the code went as Frontegg wrote it
/// (usually masked). To finish in another web request, store
/// `reveal_cookies()` and rebuild it with `SmsLogin.resume(cookies)`.
/// It does not pickle.
#[pyclass(frozen, module = "frontegg_identity", name = "SmsLogin")]
pub(crate) struct PySmsLogin(pub(crate) SmsLogin);

impl Held for PySmsLogin {
    type Core = SmsLogin;
    fn core(&self) -> &SmsLogin {
        &self.0
    }
    fn from_other(_: Python<'_>, _: Borrowed<'_, '_, PyAny>) -> PyResult<SmsLogin> {
        Err(PyTypeError::new_err(
            "expected SmsLogin (from start_sms_login or SmsLogin.resume)",
        ))
    }
}

#[pymethods]
impl PySmsLogin {
    /// Rebuilds a sign-in from the value `reveal_cookies()` gave (`None`
    /// when Frontegg set no cookies).
    #[staticmethod]
    #[pyo3(signature = (cookies))]
    fn resume(py: Python<'_>, cookies: Option<PyBackedStr>) -> PyResult<Self> {
        let cookies = cookies
            .map(|c| SessionCookies::new(&*c))
            .transpose()
            .map_err(|e| to_pyerr(py, &e, None))?;
        Ok(Self(SmsLogin::resume(cookies)))
    }

    /// Where the code went, as Frontegg wrote it (often masked); `None` for
    /// a resumed sign-in. Personal data: do not log it.
    #[getter]
    fn phone_number(&self) -> Option<&str> {
        self.0.phone_number()
    }

    /// The flow's cookies (a `Cookie` header value), to store between web
    /// requests; `None` when Frontegg set none.
    fn reveal_cookies(&self) -> Option<&str> {
        self.0.cookies().map(SessionCookies::expose_secret)
    }

    fn __repr__(&self) -> String {
        match self.0.phone_number() {
            Some(number) => format!(
                "SmsLogin(phone_number='{}', cookies=[redacted])",
                mask_phone(number)
            ),
            None => "SmsLogin(phone_number=None, cookies=[redacted])".to_owned(),
        }
    }

    fn __str__(&self) -> String {
        self.__repr__()
    }

    fn __reduce__(&self) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "SmsLogin cannot be pickled: store reveal_cookies() and rebuild it with SmsLogin.resume(cookies)",
        ))
    }
}
