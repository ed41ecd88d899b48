//! What the phone-number routes return, and the list query.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::error::{Error, InvalidInput};
use crate::ids::{PhoneNumberId, UserId};
use crate::phone::{PhoneNumber, StoredPhoneNumber};
use crate::secret::OtcToken;

/// A phone number stored for a user.
///
/// Parsed leniently: Frontegg omits some fields on some routes, so missing
/// fields are `None` (or `false`), unknown fields are ignored, an unparseable
/// date is `None`, and a stored number that is not E.164 still lists.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct PhoneNumberRecord {
    /// The record's id, used to delete it.
    pub id: Option<PhoneNumberId>,
    /// The user the number belongs to (absent on some routes).
    pub user_id: Option<UserId>,
    /// The number as stored.
    pub phone_number: StoredPhoneNumber,
    /// Whether the number was verified by an SMS code.
    #[serde(deserialize_with = "lenient_bool")]
    pub verified: bool,
    /// When the record was created.
    #[serde(deserialize_with = "lenient_date")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the record was last changed.
    #[serde(deserialize_with = "lenient_date")]
    pub updated_at: Option<DateTime<Utc>>,
}

fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(Lenient(|v: Scalar<'_>| matches!(v, Scalar::Bool(true))))
}

fn lenient_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    d.deserialize_any(Lenient(|v: Scalar<'_>| match v {
        Scalar::Str(s) => DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc)),
        _ => None,
    }))
}

/// A JSON value as the lenient fields see it, without allocating.
enum Scalar<'a> {
    Bool(bool),
    Str(&'a str),
    Other,
}

/// Accepts any JSON value and maps it with `F`; arrays and objects are
/// skipped, so an odd field never fails a record.
struct Lenient<F>(F);

impl<'de, T, F: FnOnce(Scalar<'_>) -> T> Visitor<'de> for Lenient<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<T, E> {
        Ok((self.0)(Scalar::Bool(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<T, E> {
        Ok((self.0)(Scalar::Str(v)))
    }
    fn visit_i64<E>(self, _: i64) -> Result<T, E> {
        Ok((self.0)(Scalar::Other))
    }
    fn visit_u64<E>(self, _: u64) -> Result<T, E> {
        Ok((self.0)(Scalar::Other))
    }
    fn visit_f64<E>(self, _: f64) -> Result<T, E> {
        Ok((self.0)(Scalar::Other))
    }
    fn visit_unit<E>(self) -> Result<T, E> {
        Ok((self.0)(Scalar::Other))
    }
    fn visit_none<E>(self) -> Result<T, E> {
        Ok((self.0)(Scalar::Other))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok((self.0)(Scalar::Other))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok((self.0)(Scalar::Other))
    }
}

/// A deletion in progress: Frontegg sent an SMS code to the number.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PendingDeletion {
    /// The record being deleted.
    pub phone_id: PhoneNumberId,
    /// The token to send back with the code.
    pub otc_token: OtcToken,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// The page index that was asked for (0 is the first page).
    pub page: u32,
    /// How many items match in all.
    pub total_items: u64,
    /// How many pages there are at this page size.
    pub total_pages: u64,
}

impl<T> Page<T> {
    /// Whether a page follows this one.
    #[must_use]
    pub fn has_next(&self) -> bool {
        !self.items.is_empty() && u64::from(self.page) + 1 < self.total_pages
    }
}

/// The field a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// By user id.
    UserId,
    /// By phone number.
    PhoneNumber,
}

impl SortBy {
    /// The value sent in `_sortBy`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UserId => "userId",
            Self::PhoneNumber => "phoneNumber",
        }
    }
}

/// The sort order of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

impl SortOrder {
    /// The value sent in `_order`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asc => "ASC",
            Self::Desc => "DESC",
        }
    }
}

/// The largest page Frontegg serves.
pub const MAX_PAGE_SIZE: u32 = 250;

/// A query for the vendor list of phone numbers (`GET .../v2`).
///
/// ```
/// use frontegg_identity_core::{ListQuery, SortBy, SortOrder};
/// let query = ListQuery::new().limit(100).sort_by(SortBy::PhoneNumber).order(SortOrder::Desc);
/// assert_eq!(query.page_index(), 0);
/// ```
///
/// `Debug` masks the phone number, as [`PhoneNumber`]'s own `Debug` does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub(crate) limit: Option<u32>,
    pub(crate) page: u32,
    pub(crate) sort_by: Option<SortBy>,
    pub(crate) order: Option<SortOrder>,
    pub(crate) phone_number: Option<PhoneNumber>,
    pub(crate) user_ids: Vec<UserId>,
}

impl ListQuery {
    /// A query for the first page with Frontegg's default page size.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// The page size, 1 to 250 (checked when the query is sent).
        limit(limit: u32) => limit = Some(limit);

        /// The page index to fetch: 0 is the first page.
        page(page: u32) => page = page;

        /// The sort field.
        sort_by(sort_by: SortBy) => sort_by = Some(sort_by);

        /// The sort order.
        order(order: SortOrder) => order = Some(order);

        /// Only this phone number.
        phone_number(number: PhoneNumber) => phone_number = Some(number);
    }

    /// Only these users' numbers (added to any given before).
    #[must_use]
    pub fn user_ids(mut self, ids: impl IntoIterator<Item = UserId>) -> Self {
        self.user_ids.extend(ids);
        self
    }

    /// The page index this query asks for.
    #[must_use]
    pub fn page_index(&self) -> u32 {
        self.page
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        if let Some(limit) = self.limit
            && !(1..=MAX_PAGE_SIZE).contains(&limit)
        {
            return Err(InvalidInput::new("limit", "must be between 1 and 250").into());
        }
        if self.user_ids.len() > 1000 {
            return Err(InvalidInput::new("user_ids", "must list at most 1000 users").into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_parses_leniently() {
        let r: PhoneNumberRecord = serde_json::from_str(
            r#"{"id":"p1","phoneNumber":"0415 555","verified":"yes","createdAt":"not a date",
                "updatedAt":"2026-01-02T03:04:05.678Z","extra":[1,2]}"#,
        )
        .unwrap();
        assert_eq!(r.id.unwrap().as_str(), "p1");
        assert_eq!(r.user_id, None);
        assert_eq!(r.phone_number.as_str(), "0415 555");
        assert!(!r.verified);
        assert_eq!(r.created_at, None);
        assert_eq!(
            r.updated_at.unwrap().to_rfc3339(),
            "2026-01-02T03:04:05.678+00:00"
        );
        let r: PhoneNumberRecord =
            serde_json::from_str(r#"{"userId":"u","phoneNumber":"+14155550100"}"#).unwrap();
        assert!(format!("{r:?}").contains("+*********00"));
        assert!(!format!("{r:?}").contains("4155550100"));
    }

    #[test]
    fn query_is_checked_and_masked() {
        assert!(ListQuery::new().limit(0).check().is_err());
        assert!(ListQuery::new().limit(251).check().is_err());
        assert!(ListQuery::new().limit(250).check().is_ok());
        let q = ListQuery::new().phone_number(PhoneNumber::parse("+14155550100").unwrap());
        assert!(!format!("{q:?}").contains("4155550100"));
    }
}
