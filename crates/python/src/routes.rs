//! The bindings' route table: one row per route, serving both native clients.
//!
//! A row names the core [`Route`], the kinds of its Python arguments (in the
//! order the Python declaration passes them), what it returns, and how it
//! runs on a core client. The row's call is written once and expanded for
//! both clients: on the blocking client it returns the result, on the async
//! client a future of it. From the table come:
//!
//! - `call_blocking`, behind `SyncClient.call(route, *args)`: converts the
//!   arguments (borrowing them: an `OtcToken` is not copied), runs the call
//!   with the GIL released, converts the result;
//! - `start_async`, behind `AsyncClient.start(route, event_loop, completions, *args)`:
//!   converts the arguments into owned values and spawns the call; its
//!   result travels back to the event loop as an [`Out`] (one variant per
//!   row, so no allocation) and is converted there.
//!
//! The route id Python passes is the route's index in core's
//! [`Route::ALL`], exported as `_native.ROUTES`.
//!
//! Adding a route: one row in the `routes!` table below (an argument kind
//! or an [`IntoPyResult`] implementation only if the route brings a new type).

use std::borrow::Cow;
use std::marker::PhantomData;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use frontegg_identity_core::endpoint as ep;
use frontegg_identity_core::{
    AuthResult, DeviceId, Dispatch, ListQuery, LoginIdentifier, MfaDevices, OtcToken, Page,
    PasswordResetSession, PasswordResetToken, PendingDeletion, PhoneNumber, PhoneNumberId, PhoneNumberRecord,
    RecoveryCode, ResetIdentifier, Route, SmsConfig, SmsLogin, SmsLoginOptions, SmsTemplate, TemplateType,
    TenantId, UserId, VerificationCode,
};
use frontegg_identity_hyper::HyperClient;
use frontegg_identity_ureq::UreqClient;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyTuple;

use crate::async_client::{AsyncClient, Call, Completions, spawn};
use crate::convert;
use crate::errors::{guarded, to_pyerr};
use crate::secrets::{Held, PyMfaToken, PyOtcToken, PySmsLogin, held_arg};
use crate::sms;
use crate::sync_client::{SyncClient, run};

macro_rules! routes {
    ($(
        $variant:ident($($arg:ident: $kind:ident),*) -> $out:ty = |$c:ident, $a:ident| $call:expr;
    )*) => {
        /// Each route's converted arguments.
        mod args {
            use super::*;
            $(
                pub(crate) struct $variant<'a> {
                    $(pub(crate) $arg: <$kind as Arg>::Value<'a>,)*
                    _borrows: PhantomData<&'a ()>,
                }

                impl<'a> $variant<'a> {
                    #[allow(unused_assignments, unused_mut, unused_variables)]
                    pub(crate) fn extract(py: Python<'_>, args: &'a Bound<'_, PyTuple>) -> PyResult<Self> {
                        check_arity(Route::$variant, args, 0 $(+ <$kind as Arg>::ARITY)*)?;
                        let mut at = 0;
                        $(
                            let $arg = <$kind as Arg>::extract(py, args, at)
                                .map_err(|e| named(py, stringify!($arg), e))?;
                            at += <$kind as Arg>::ARITY;
                        )*
                        Ok(Self { $($arg,)* _borrows: PhantomData })
                    }

                    pub(crate) fn owned(self) -> $variant<'static> {
                        $variant { $($arg: <$kind as Arg>::owned(self.$arg),)* _borrows: PhantomData }
                    }
                }
            )*
        }

        /// What an async call produced: one variant per route.
        pub(crate) enum Out {
            $($variant($out),)*
        }

        impl Out {
            pub(crate) fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
                match self {
                    $(Self::$variant(value) => value.into_py_result(py),)*
                }
            }
        }

        /// The Python parameters of a route, in the order the declaration
        /// passes them; `None` for a route with no row.
        fn params(route: Route) -> Option<Vec<&'static str>> {
            match route {
                $(Route::$variant => {
                    #[allow(unused_mut)]
                    let mut names = Vec::new();
                    $(
                        match <$kind as Arg>::NAMES {
                            // `type_` stands for Python's `type`.
                            [] => names.push(stringify!($arg).trim_end_matches('_')),
                            several => names.extend_from_slice(several),
                        }
                    )*
                    Some(names)
                })*
                _ => None,
            }
        }

        /// Runs a route on the blocking client, the GIL released while it waits.
        pub(crate) fn call_blocking<'py>(
            py: Python<'py>,
            client: &UreqClient,
            route: Route,
            args: &Bound<'py, PyTuple>,
        ) -> PyResult<Bound<'py, PyAny>> {
            match route {
                $(Route::$variant => {
                    let $a = args::$variant::extract(py, args)?;
                    let $c = client;
                    run(py, || $call)?.into_py_result(py)
                })*
                _ => Err(not_bound(route)),
            }
        }

        /// Starts a route on the async client, as a call of `event_loop`
        /// that comes back through `completions`.
        pub(crate) fn start_async<'py>(
            py: Python<'py>,
            client: Arc<HyperClient>,
            route: Route,
            event_loop: Bound<'py, PyAny>,
            completions: &Completions,
            args: &Bound<'py, PyTuple>,
        ) -> PyResult<Bound<'py, Call>> {
            match route {
                $(Route::$variant => {
                    let $a = args::$variant::extract(py, args)?.owned();
                    spawn(py, event_loop, completions, async move {
                        let $c = &*client;
                        $call.await.map(|value| Out::$variant(value.into()))
                    })
                })*
                _ => Err(not_bound(route)),
            }
        }
    };
}

routes! {
    Assign(phone_number: Phone, verify: Flag) -> Option<OtcToken>
        = |c, a| c.phone_numbers().assign(&a.phone_number, a.verify);
    Preverify(phone_number: Phone) -> OtcToken
        = |c, a| c.phone_numbers().preverify(&a.phone_number);
    Verify(otc_token: Otc, code: Code) -> ()
        = |c, a| c.phone_numbers().verify(&a.otc_token, &a.code);
    ListMine() -> Vec<PhoneNumberRecord>
        = |c, _a| c.phone_numbers().list_mine();
    StartDelete(phone_id: PhoneId) -> PendingDeletion
        = |c, a| c.phone_numbers().start_delete(&a.phone_id);
    ConfirmDelete(phone_id: PhoneId, otc_token: Otc, code: Code) -> ()
        = |c, a| c.phone_numbers().confirm_delete(&a.phone_id, &a.otc_token, &a.code);
    List(query: Query) -> Page<PhoneNumberRecord>
        = |c, a| c.phone_numbers().list(&a.query);
    VendorAdd(user_id: User, phone_number: Phone) -> ()
        = |c, a| c.phone_numbers().vendor_add(&a.user_id, &a.phone_number);
    VendorDelete(user_id: User, phone_id: PhoneId) -> ()
        = |c, a| c.phone_numbers().vendor_delete(&a.user_id, &a.phone_id);
    // The endpoint itself, not `c.mfa()`: its login-step variant (with an
    // `mfa_token`) is a field there, where the group has two methods.
    StartSmsEnrollment(phone_number: Phone, mfa_token: OptMfa) -> OtcToken
        = |c, a| c.dispatch(ep::StartSmsEnrollment {
            phone_number: &a.phone_number,
            mfa_token: a.mfa_token.as_deref(),
        });
    FinishSmsEnrollment(otc_token: Otc, code: Code, mfa_token: OptMfa, remember_device: Flag) -> Box<AuthResult>
        = |c, a| c.dispatch(ep::FinishSmsEnrollment {
            otc_token: &a.otc_token,
            code: &a.code,
            mfa_token: a.mfa_token.as_deref(),
            remember_device: a.mfa_token.is_some().then_some(a.remember_device),
        });
    SendSmsCode(device_id: Device, mfa_token: Mfa) -> OtcToken
        = |c, a| c.mfa().send_sms_code(&a.device_id, &a.mfa_token);
    VerifySmsCode(device_id: Device, mfa_token: Mfa, otc_token: Otc, code: Code, remember_device: Flag) -> Box<AuthResult>
        = |c, a| c.mfa().verify_sms_code(&a.device_id, &a.mfa_token, &a.otc_token, &a.code, a.remember_device);
    EnrollSms(user_id: User, phone_number: Phone) -> OtcToken
        = |c, a| c.mfa().enroll_sms(&a.user_id, &a.phone_number);
    VerifySmsEnrollment(user_id: User, otc_token: Otc, code: Code) -> Option<RecoveryCode>
        = |c, a| c.mfa().verify_sms_enrollment(&a.user_id, &a.otc_token, &a.code);
    StartSmsDisable(user_id: User, device_id: Device, tenant_id: OptTenant) -> OtcToken
        = |c, a| c.mfa().start_sms_disable(&a.user_id, &a.device_id, a.tenant_id.as_ref());
    ConfirmSmsDisable(user_id: User, device_id: Device, otc_token: Otc, code: Code) -> ()
        = |c, a| c.mfa().confirm_sms_disable(&a.user_id, &a.device_id, &a.otc_token, &a.code);
    StartSmsLogin(login: Login) -> Box<SmsLogin>
        = |c, a| c.passwordless().start_sms_login(&a.login.0, &a.login.1);
    FinishSmsLogin(login: LoginHandle, code: Code) -> Box<AuthResult>
        = |c, a| c.passwordless().finish_sms_login(&a.login, &a.code, &NO_LOGIN_OPTIONS);
    StartSmsReset(identifier: Reset) -> PasswordResetSession
        = |c, a| c.passwords().start_sms_reset(&a.identifier);
    VerifySmsReset(session: Session, code: Code) -> PasswordResetToken
        = |c, a| c.passwords().verify_sms_reset(&a.session, &a.code);
    GetSmsConfig() -> Box<Option<SmsConfig>>
        = |c, _a| c.sms_settings().get();
    SetSmsConfig(config: Config) -> Box<SmsConfig>
        = |c, a| c.sms_settings().set(&a.config);
    DeleteSmsConfig() -> ()
        = |c, _a| c.sms_settings().delete();
    SmsTemplates() -> Vec<SmsTemplate>
        = |c, _a| c.sms_settings().templates();
    SmsTemplate(type_: Template) -> Option<SmsTemplate>
        = |c, a| c.sms_settings().template(&a.type_);
    SetSmsTemplate(type_: Template, template: TemplateBody) -> SmsTemplate
        = |c, a| c.sms_settings().set_template(&a.type_, &a.template);
    DeleteSmsTemplate(type_: Template) -> ()
        = |c, a| c.sms_settings().delete_template(&a.type_);
    DefaultSmsTemplate(type_: Template) -> Option<SmsTemplate>
        = |c, a| c.sms_settings().default_template(&a.type_);
    DefaultSmsTemplates() -> Vec<SmsTemplate>
        = |c, _a| c.sms_settings().default_templates();
    MfaDevices(user_id: OptUser) -> Box<MfaDevices>
        = |c, a| c.mfa().list_devices(a.user_id.as_ref());
}

// An async call moves its `Out` between threads: the SMS routes' larger
// results are boxed so that `Out` stays the size the phone-number routes had.
const _: () = {
    const fn max(a: usize, b: usize) -> usize {
        if a > b { a } else { b }
    }
    use std::mem::size_of;
    let phone_routes = max(
        max(size_of::<Page<PhoneNumberRecord>>(), size_of::<PendingDeletion>()),
        max(size_of::<Vec<PhoneNumberRecord>>(), size_of::<Option<OtcToken>>()),
    );
    assert!(size_of::<Out>() <= phone_routes + 8);
};

/// `finish_sms_login` sends no invitation or reCAPTCHA token.
static NO_LOGIN_OPTIONS: LazyLock<SmsLoginOptions> = LazyLock::new(SmsLoginOptions::default);

/// The route with this id (its index in [`Route::ALL`]).
pub(crate) fn route(id: usize) -> PyResult<Route> {
    Route::ALL
        .get(id)
        .copied()
        .ok_or_else(|| PyValueError::new_err(format!("no route has the id {id}")))
}

/// The route names, in id order: `_native.ROUTES`.
pub(crate) fn names<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, Route::ALL.map(Route::name))
}

/// Each route's Python parameters, in id order (`None` for a route the
/// table has no row for): `_native.ROUTE_PARAMS`. The Python declarations
/// are checked against it when their classes are made.
pub(crate) fn all_params<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
    let rows = Route::ALL
        .into_iter()
        .map(|route| params(route).map(|names| PyTuple::new(py, names)).transpose())
        .collect::<PyResult<Vec<_>>>()?;
    PyTuple::new(py, rows)
}

/// How one Python argument (or several, for a query) becomes the Rust value
/// a route's call takes.
pub(crate) trait Arg {
    /// The value; it may borrow from the Python arguments.
    type Value<'a>;
    /// How many positional Python arguments it reads.
    const ARITY: usize = 1;
    /// The names of those arguments, when it reads several (one is named
    /// after the row's field).
    const NAMES: &'static [&'static str] = &[];
    /// Reads the value from `args`, starting at `at`.
    fn extract<'a>(py: Python<'_>, args: &'a Bound<'_, PyTuple>, at: usize) -> PyResult<Self::Value<'a>>;
    /// The value with nothing borrowed, for a call that outlives its arguments.
    fn owned(value: Self::Value<'_>) -> Self::Value<'static>;
}

/// Argument kinds read from one `str`.
macro_rules! str_args {
    ($($(#[$doc:meta])* $kind:ident => $value:ty = $convert:expr;)*) => {$(
        $(#[$doc])*
        pub(crate) struct $kind;

        impl Arg for $kind {
            type Value<'a> = $value;
            fn extract(py: Python<'_>, args: &Bound<'_, PyTuple>, at: usize) -> PyResult<$value> {
                let text: PyBackedStr = args.get_borrowed_item(at)?.extract()?;
                $convert(py, text)
            }
            fn owned(value: $value) -> $value {
                value
            }
        }
    )*};
}

str_args! {
    /// A phone number, normalised to E.164 (`InvalidPhoneNumberError` otherwise).
    Phone => PhoneNumber = |py, text: PyBackedStr| convert::phone_arg(py, &text);
    /// A verification code.
    Code => VerificationCode = |py, text: PyBackedStr| convert::code_arg(py, &text);
    /// A phone-number record id.
    PhoneId => PhoneNumberId = convert::phone_id_arg;
    /// A user id.
    User => UserId = convert::user_id_arg;
    /// An MFA device id.
    Device => DeviceId = |py, text: PyBackedStr| checked(py, DeviceId::new(String::from(&*text)));
    /// A tenant id.
    Tenant => TenantId = |py, text: PyBackedStr| checked(py, TenantId::new(String::from(&*text)));
    /// An SMS template type.
    Template => TemplateType = |py, text: PyBackedStr| checked(py, TemplateType::new(String::from(&*text)));
}

fn checked<T>(py: Python<'_>, value: Result<T, frontegg_identity_core::Error>) -> PyResult<T> {
    value.map_err(|e| to_pyerr(py, &e, None))
}

/// A `bool`.
pub(crate) struct Flag;

impl Arg for Flag {
    type Value<'a> = bool;
    fn extract(_: Python<'_>, args: &Bound<'_, PyTuple>, at: usize) -> PyResult<bool> {
        args.get_borrowed_item(at)?.extract()
    }
    fn owned(value: bool) -> bool {
        value
    }
}

/// An object of the native class `P` (borrowed, not copied) or, for a
/// secret class, its value as a `str`.
pub(crate) struct Native<P>(PhantomData<P>);

impl<P: Held> Arg for Native<P> {
    type Value<'a> = Cow<'a, P::Core>;
    fn extract<'a>(py: Python<'_>, args: &'a Bound<'_, PyTuple>, at: usize) -> PyResult<Cow<'a, P::Core>> {
        held_arg::<P>(py, args.get_borrowed_item(at)?)
    }
    fn owned(value: Cow<'_, P::Core>) -> Cow<'static, P::Core> {
        Cow::Owned(value.into_owned())
    }
}

/// An `OtcToken` or a `str`.
pub(crate) type Otc = Native<PyOtcToken>;
/// An `MfaToken` or a `str`.
pub(crate) type Mfa = Native<PyMfaToken>;
/// An `SmsLogin`.
pub(crate) type LoginHandle = Native<PySmsLogin>;

/// `None`, or an argument of kind `K`.
pub(crate) struct Opt<K>(PhantomData<K>);

impl<K: Arg> Arg for Opt<K> {
    type Value<'a> = Option<K::Value<'a>>;
    const ARITY: usize = K::ARITY;
    fn extract<'a>(py: Python<'_>, args: &'a Bound<'_, PyTuple>, at: usize) -> PyResult<Self::Value<'a>> {
        if args.get_borrowed_item(at)?.is_none() {
            return Ok(None);
        }
        K::extract(py, args, at).map(Some)
    }
    fn owned(value: Self::Value<'_>) -> Self::Value<'static> {
        value.map(K::owned)
    }
}

pub(crate) type OptMfa = Opt<Mfa>;
pub(crate) type OptUser = Opt<User>;
pub(crate) type OptTenant = Opt<Tenant>;

/// Argument kinds that own their value and read `ARITY` items with a
/// function of `(py, args, at)`.
macro_rules! owned_args {
    ($($(#[$doc:meta])* $kind:ident($arity:literal $(, [$($name:literal),*])?) => $value:ty = $convert:expr;)*) => {$(
        $(#[$doc])*
        pub(crate) struct $kind;

        impl Arg for $kind {
            type Value<'a> = $value;
            const ARITY: usize = $arity;
            const NAMES: &'static [&'static str] = &[$($($name),*)?];
            fn extract(py: Python<'_>, args: &Bound<'_, PyTuple>, at: usize) -> PyResult<$value> {
                $convert(py, args, at)
            }
            fn owned(value: $value) -> $value {
                value
            }
        }
    )*};
}

owned_args! {
    /// `email, user_id, username, phone_number, invitation_token,
    /// recaptcha_token` of `start_sms_login`: exactly one identifier.
    Login(6, ["email", "user_id", "username", "phone_number", "invitation_token", "recaptcha_token"])
        => (LoginIdentifier, SmsLoginOptions) = |py, args: &Bound<'_, PyTuple>, at: usize| {
        sms::login(py, args.get_slice(at, at + 6).extract()?)
    };
    /// `identifier, identifier_type` of `start_sms_reset`.
    Reset(2, ["identifier", "identifier_type"]) => ResetIdentifier = |py, args: &Bound<'_, PyTuple>, at: usize| {
        sms::reset_identifier(py, args.get_borrowed_item(at)?.extract()?, args.get_borrowed_item(at + 1)?.extract()?)
    };
    /// A `PasswordResetSession` or its session id.
    Session(1) => PasswordResetSession = |py, args: &Bound<'_, PyTuple>, at: usize| {
        sms::reset_session(py, args.get_borrowed_item(at)?)
    };
    /// The six fields of `sms_settings.set`.
    Config(6, ["sender_name", "account_id", "token", "service_id", "provider", "channel"])
        => SmsConfig = sms::sms_config;
    /// An SMS template: a mapping of JSON values.
    TemplateBody(1) => SmsTemplate = |py, args: &Bound<'_, PyTuple>, at: usize| {
        sms::template(py, args.get_borrowed_item(at)?)
    };
}

/// The six arguments of `list`: `limit, page, sort_by, order, phone_number,
/// user_ids`, as one checked query.
pub(crate) struct Query;

impl Arg for Query {
    type Value<'a> = ListQuery;
    const ARITY: usize = 6;
    const NAMES: &'static [&'static str] = &["limit", "page", "sort_by", "order", "phone_number", "user_ids"];
    fn extract(py: Python<'_>, args: &Bound<'_, PyTuple>, at: usize) -> PyResult<ListQuery> {
        let item = |i: usize| args.get_borrowed_item(at + i);
        convert::list_query(
            py,
            item(0)?.extract()?,
            item(1)?.extract()?,
            item(2)?.extract()?,
            item(3)?.extract()?,
            item(4)?.extract()?,
            item(5)?.extract()?,
        )
    }
    fn owned(value: ListQuery) -> ListQuery {
        value
    }
}

/// A route's result, converted to its Python object (with the GIL).
pub(crate) trait IntoPyResult {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>>;
}

impl IntoPyResult for () {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        Ok(py.None().into_bound(py))
    }
}

impl IntoPyResult for OtcToken {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        convert::otc(py, self)
    }
}

/// A large result, boxed in [`Out`] so that every variant stays small (the
/// blocking path converts the unboxed result).
impl<T: IntoPyResult> IntoPyResult for Box<T> {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        (*self).into_py_result(py)
    }
}

impl<T: IntoPyResult> IntoPyResult for Option<T> {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        match self {
            Some(value) => value.into_py_result(py),
            None => Ok(py.None().into_bound(py)),
        }
    }
}

impl IntoPyResult for Vec<PhoneNumberRecord> {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        Ok(convert::records(py, self)?.into_any())
    }
}

impl IntoPyResult for Page<PhoneNumberRecord> {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        convert::page(py, self)
    }
}

impl IntoPyResult for PendingDeletion {
    fn into_py_result(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        convert::pending(py, self)
    }
}

/// `TypeError` when Python passes the wrong number of arguments (a bug in
/// the declaration, since the Python methods pass every argument).
fn check_arity(route: Route, args: &Bound<'_, PyTuple>, arity: usize) -> PyResult<()> {
    if args.len() == arity {
        return Ok(());
    }
    Err(PyTypeError::new_err(format!(
        "route {route} takes {arity} arguments, {} given",
        args.len()
    )))
}

/// Names the argument in a `TypeError` raised while reading it, as pyo3 does
/// for declared parameters.
fn named(py: Python<'_>, name: &str, err: PyErr) -> PyErr {
    if err.is_instance_of::<PyTypeError>(py) {
        PyTypeError::new_err(format!("argument '{name}': {}", err.value(py)))
    } else {
        err
    }
}

fn not_bound(route: Route) -> PyErr {
    PyValueError::new_err(format!("route {route} is not callable from Python"))
}

/// Paging through `list` for `iter_all`, with core's [`Pager`]: which page
/// comes next is decided there, for every client.
///
/// [`Pager`]: frontegg_identity_core::Pager
#[pyclass(frozen, module = "frontegg_identity._native")]
pub(crate) struct Pager {
    state: Arc<Mutex<frontegg_identity_core::Pager>>,
}

impl Pager {
    fn next_query(&self) -> PyResult<ListQuery> {
        lock(&self.state)
            .next_query()
            .ok_or_else(|| PyRuntimeError::new_err("every page was read"))
    }
}

fn lock(
    state: &Mutex<frontegg_identity_core::Pager>,
) -> std::sync::MutexGuard<'_, frontegg_identity_core::Pager> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

#[pymethods]
impl Pager {
    #[new]
    #[pyo3(signature = (*args))]
    fn new(py: Python<'_>, args: &Bound<'_, PyTuple>) -> PyResult<Self> {
        guarded(py, || {
            let query = args::List::extract(py, args)?.query;
            Ok(Self {
                state: Arc::new(Mutex::new(frontegg_identity_core::Pager::new(&query))),
            })
        })
    }

    /// Whether every page was read.
    #[getter]
    fn done(&self) -> bool {
        lock(&self.state).is_done()
    }

    /// Fetches the next page on a blocking client.
    fn next<'py>(&self, py: Python<'py>, client: &Bound<'py, SyncClient>) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let client = client.get().slot.get(py)?;
            let query = self.next_query()?;
            let page = run(py, || client.phone_numbers().list(&query))?;
            lock(&self.state).advance(query, &page);
            page.into_py_result(py)
        })
    }

    /// Starts fetching the next page on an async client, as a call of
    /// `event_loop` that comes back through `completions`.
    fn start_next<'py>(
        &self,
        py: Python<'py>,
        client: &Bound<'py, AsyncClient>,
        event_loop: Bound<'py, PyAny>,
        completions: &Bound<'py, Completions>,
    ) -> PyResult<Bound<'py, Call>> {
        guarded(py, || {
            let client = client.get().slot.get(py)?;
            let query = self.next_query()?;
            let state = Arc::clone(&self.state);
            spawn(py, event_loop, completions.get(), async move {
                let page = client.phone_numbers().list(&query).await?;
                lock(&state).advance(query, &page);
                Ok(Out::List(page))
            })
        })
    }
}
