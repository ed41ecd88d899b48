//! Arguments in, result objects out.
//!
//! Results are the frozen dataclasses of `frontegg_identity._types`, built
//! by calling the (cached) classes with positional arguments; `OtcToken` is
//! a native class (see `secrets`) so that the secret stays in Rust memory
//! (wiped on drop) and is passed back to calls without a copy.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Datelike, Timelike, Utc};
use frontegg_identity_core::{
    Error, InvalidInput, ListQuery, OtcToken, Page, PendingDeletion, PhoneNumber, PhoneNumberId,
    PhoneNumberRecord, SortBy, SortOrder, UserId, VerificationCode,
};
use pyo3::IntoPyObjectExt;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple, PyType};

use crate::errors::{phone_error, to_pyerr};
use crate::secrets::PyOtcToken;

pub(crate) fn phone_arg(py: Python<'_>, value: &str) -> PyResult<PhoneNumber> {
    PhoneNumber::parse(value).map_err(|e| phone_error(py, &e))
}

pub(crate) fn code_arg(py: Python<'_>, value: &str) -> PyResult<VerificationCode> {
    VerificationCode::parse(value).map_err(|e| to_pyerr(py, &e, None))
}

pub(crate) fn phone_id_arg(py: Python<'_>, value: PyBackedStr) -> PyResult<PhoneNumberId> {
    PhoneNumberId::new(String::from(&*value)).map_err(|e| to_pyerr(py, &e, None))
}

pub(crate) fn user_id_arg(py: Python<'_>, value: PyBackedStr) -> PyResult<UserId> {
    UserId::new(String::from(&*value)).map_err(|e| to_pyerr(py, &e, None))
}

fn invalid(field: &'static str, reason: &'static str) -> Error {
    Error::InvalidInput(InvalidInput::new(field, reason))
}

/// The arguments of `list` as a core query, checked.
pub(crate) fn list_query(
    py: Python<'_>,
    limit: Option<i64>,
    page: i64,
    sort_by: Option<PyBackedStr>,
    order: Option<PyBackedStr>,
    phone_number: Option<PyBackedStr>,
    user_ids: Option<Vec<PyBackedStr>>,
) -> PyResult<ListQuery> {
    let fail = |e: Error| to_pyerr(py, &e, None);
    let mut query = ListQuery::new();
    if let Some(limit) = limit {
        let limit = u32::try_from(limit)
            .ok()
            .filter(|l| (1..=frontegg_identity_core::MAX_PAGE_SIZE).contains(l))
            .ok_or_else(|| fail(invalid("limit", "must be between 1 and 250")))?;
        query = query.limit(limit);
    }
    let page = u32::try_from(page).map_err(|_| fail(invalid("page", "must be between 0 and 4294967295")))?;
    query = query.page(page);
    if let Some(sort_by) = sort_by {
        query = query.sort_by(match &*sort_by {
            "user_id" | "userId" => SortBy::UserId,
            "phone_number" | "phoneNumber" => SortBy::PhoneNumber,
            _ => return Err(fail(invalid("sort_by", "must be 'user_id' or 'phone_number'"))),
        });
    }
    if let Some(order) = order {
        query = query.order(if order.eq_ignore_ascii_case("asc") {
            SortOrder::Asc
        } else if order.eq_ignore_ascii_case("desc") {
            SortOrder::Desc
        } else {
            return Err(fail(invalid("order", "must be 'asc' or 'desc'")));
        });
    }
    if let Some(number) = phone_number {
        query = query.phone_number(phone_arg(py, &number)?);
    }
    if let Some(ids) = user_ids {
        let ids = ids
            .into_iter()
            .map(|id| UserId::new(String::from(&*id)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(fail)?;
        query = query.user_ids(ids);
    }
    Ok(query)
}

/// The result classes, imported once, `object.__new__`, `datetime.datetime`
/// and `datetime.timezone.utc`.
pub(crate) struct Types {
    phone_number: Py<PyType>,
    page: Py<PyType>,
    pending: Py<PyType>,
    object_new: Py<PyAny>,
    // The SMS routes' results (built in `sms`).
    pub(crate) signed_in: Py<PyType>,
    pub(crate) mfa_required: Py<PyType>,
    pub(crate) mfa_devices: Py<PyType>,
    pub(crate) mfa_phone: Py<PyType>,
    pub(crate) webauthn: Py<PyType>,
    pub(crate) sms_config: Py<PyType>,
    pub(crate) reset_token: Py<PyType>,
    datetime: Py<PyAny>,
    utc: Py<PyAny>,
}

static TYPES: PyOnceLock<Types> = PyOnceLock::new();

pub(crate) fn types(py: Python<'_>) -> PyResult<&'static Types> {
    TYPES.get_or_try_init(py, || {
        let m = py.import("frontegg_identity._types")?;
        let get =
            |name: &str| -> PyResult<Py<PyType>> { Ok(m.getattr(name)?.cast_into::<PyType>()?.unbind()) };
        Ok(Types {
            phone_number: get("PhoneNumber")?,
            page: get("Page")?,
            pending: get("PendingDeletion")?,
            signed_in: get("SignedIn")?,
            mfa_required: get("MfaRequired")?,
            mfa_devices: get("MfaDevices")?,
            mfa_phone: get("MfaPhone")?,
            webauthn: get("WebAuthnDevice")?,
            sms_config: get("SmsConfig")?,
            reset_token: get("PasswordResetToken")?,
            object_new: py
                .import("builtins")?
                .getattr("object")?
                .getattr("__new__")?
                .unbind(),
            datetime: py.import("datetime")?.getattr("datetime")?.unbind(),
            utc: pyo3::types::PyTzInfo::utc(py)?.to_owned().into_any().unbind(),
        })
    })
}

pub(crate) fn otc<'py>(py: Python<'py>, token: OtcToken) -> PyResult<Bound<'py, PyAny>> {
    Ok(Bound::new(py, PyOtcToken(token))?.into_any())
}

/// Builds a `PhoneNumber` dataclass instance without running its generated
/// frozen `__init__` (six Python-level `object.__setattr__` calls): the
/// instance is made with `object.__new__` and its `__dict__` filled directly,
/// which is what that `__init__` ends up doing.
fn record_with<'py>(t: &Types, py: Python<'py>, r: PhoneNumberRecord) -> PyResult<Bound<'py, PyAny>> {
    let PhoneNumberRecord {
        id,
        user_id,
        phone_number,
        verified,
        created_at,
        updated_at,
        ..
    } = r;
    let obj = t.object_new.bind(py).call1((t.phone_number.bind(py),))?;
    let dict = obj.getattr(intern!(py, "__dict__"))?.cast_into::<PyDict>()?;
    dict.set_item(intern!(py, "id"), id.as_ref().map(PhoneNumberId::as_str))?;
    dict.set_item(intern!(py, "user_id"), user_id.as_ref().map(UserId::as_str))?;
    dict.set_item(intern!(py, "phone_number"), phone_number.as_str())?;
    dict.set_item(intern!(py, "verified"), verified)?;
    let created = utc_datetime(t, py, created_at)?;
    // A record never changed since it was made has the same two instants:
    // datetimes are immutable, so one object serves both.
    let updated = if updated_at == created_at {
        created.clone()
    } else {
        utc_datetime(t, py, updated_at)?
    };
    dict.set_item(intern!(py, "created_at"), created)?;
    dict.set_item(intern!(py, "updated_at"), updated)?;
    Ok(obj)
}

/// How many datetimes [`RECENT`] keeps.
const RECENT_SLOTS: usize = 64;

/// The datetimes made last, by their instant in microseconds, one per slot
/// (the slot is the instant's hash). Records read again (a list read after
/// each change, pages of the same user) carry the same instants, and a
/// `datetime` is immutable, so the object made for the last record with that
/// instant serves the next one: building one costs a call of the class with
/// eight arguments that are parsed one by one.
static RECENT: Mutex<[Option<Made>; RECENT_SLOTS]> = Mutex::new([const { None }; RECENT_SLOTS]);

/// A `datetime` and its instant in microseconds.
type Made = (i64, Py<PyAny>);

fn recent_slot(micros: i64) -> usize {
    // Fibonacci hashing: instants a second or a microsecond apart spread out.
    let hash = (micros as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (hash >> (64 - RECENT_SLOTS.trailing_zeros())) as usize
}

/// `datetime.datetime(year, ..., microsecond, timezone.utc)`, the value
/// pyo3's conversion makes: with the abi3 wheel that conversion calls the
/// class with a fresh `{"fold": ...}` dict of keywords each time, which costs
/// more than the positional call (fold is always 0 in UTC). A leap second
/// goes through pyo3, which truncates it with a warning. An instant made
/// recently is the object made then (see [`RECENT`]).
fn utc_datetime<'py>(
    t: &Types,
    py: Python<'py>,
    value: Option<DateTime<Utc>>,
) -> PyResult<Bound<'py, PyAny>> {
    let Some(value) = value else {
        return Ok(py.None().into_bound(py));
    };
    let nanos = value.nanosecond();
    if nanos >= 1_000_000_000 {
        return value.into_bound_py_any(py);
    }
    let micros = value.timestamp_micros();
    let slot = recent_slot(micros);
    // The lock is never held while Python runs: making a datetime may run
    // the garbage collector, and with it code that lists records again.
    let recent = || RECENT.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((at, object)) = &recent()[slot]
        && *at == micros
    {
        return Ok(object.bind(py).clone());
    }
    let made = new_utc_datetime(t, py, value, nanos)?;
    let previous = recent()[slot].replace((micros, made.clone().unbind()));
    drop(previous); // released after the lock, with the GIL held
    Ok(made)
}

fn new_utc_datetime<'py>(
    t: &Types,
    py: Python<'py>,
    value: DateTime<Utc>,
    nanos: u32,
) -> PyResult<Bound<'py, PyAny>> {
    let (date, time) = (value.date_naive(), value.time());
    t.datetime.bind(py).call1((
        date.year(),
        date.month(),
        date.day(),
        time.hour(),
        time.minute(),
        time.second(),
        nanos / 1_000,
        t.utc.bind(py),
    ))
}

pub(crate) fn records<'py>(py: Python<'py>, items: Vec<PhoneNumberRecord>) -> PyResult<Bound<'py, PyList>> {
    let t = types(py)?;
    let objects = items
        .into_iter()
        .map(|r| record_with(t, py, r))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, objects)
}

pub(crate) fn page<'py>(py: Python<'py>, page: Page<PhoneNumberRecord>) -> PyResult<Bound<'py, PyAny>> {
    let t = types(py)?;
    let Page {
        items,
        page,
        total_items,
        total_pages,
        ..
    } = page;
    let items = items
        .into_iter()
        .map(|r| record_with(t, py, r))
        .collect::<PyResult<Vec<_>>>()?;
    t.page
        .bind(py)
        .call1((PyTuple::new(py, items)?, page, total_items, total_pages))
}

pub(crate) fn pending<'py>(py: Python<'py>, d: PendingDeletion) -> PyResult<Bound<'py, PyAny>> {
    let t = types(py)?;
    let PendingDeletion {
        phone_id, otc_token, ..
    } = d;
    t.pending.bind(py).call1((phone_id.as_str(), otc(py, otc_token)?))
}
