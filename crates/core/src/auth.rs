//! Credentials per call, and the vendor-token cache.
//!
//! The cache is read without a lock (`arc-swap`); a refresh takes a lock
//! that the async and blocking clients each hold their own way, so one
//! refresh is in flight however many tasks or threads ask.

use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwapOption;
use http::HeaderValue;

use crate::config::{Auth, ClientConfig, bearer};
use crate::endpoint::{VendorAuth, VendorTokenGrant};
use crate::error::Error;
use crate::route::{AuthScheme, Route};

/// Used when Frontegg does not say how long a vendor token lives.
const DEFAULT_VENDOR_TTL: Duration = Duration::from_secs(600);
/// A token is refreshed this long before it expires, at most.
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(60);

struct Cached {
    header: HeaderValue,
    refresh_at: Instant,
    expires_at: Instant,
}

/// What the cache holds now.
enum Lookup {
    /// A token to use.
    Fresh(HeaderValue),
    /// A token still valid whose refresh is due.
    Stale(HeaderValue),
    /// Nothing usable.
    Missing,
}

/// What a client does to get a vendor token: the single-flight decision,
/// which each client carries out with its own lock.
pub(crate) enum Acquire {
    /// Use this token.
    Use(HeaderValue),
    /// This token is still valid but due for a refresh: refresh it if the
    /// refresh lock is free, else use it while another caller refreshes.
    Refresh(HeaderValue),
    /// No usable token: wait for the refresh lock, then
    /// [`after_lock`](TokenCache::after_lock).
    Fetch,
}

#[derive(Default)]
pub(crate) struct TokenCache {
    current: ArcSwapOption<Cached>,
}

impl TokenCache {
    /// What to do to get a token, after dropping `rejected` (a token
    /// Frontegg just refused) if it is still the cached one.
    pub(crate) fn acquire(&self, rejected: Option<&HeaderValue>) -> Acquire {
        if let Some(rejected) = rejected {
            self.invalidate(rejected);
        }
        match self.lookup(Instant::now()) {
            Lookup::Fresh(header) => Acquire::Use(header),
            Lookup::Stale(header) => Acquire::Refresh(header),
            Lookup::Missing => Acquire::Fetch,
        }
    }

    /// With the refresh lock held: the token another caller fetched while
    /// this one waited, or `None` to fetch one now. `refreshing` says the
    /// caller came to refresh a stale token (which does not count).
    pub(crate) fn after_lock(&self, refreshing: bool) -> Option<HeaderValue> {
        match self.lookup(Instant::now()) {
            Lookup::Fresh(header) => Some(header),
            Lookup::Stale(header) if !refreshing => Some(header),
            _ => None,
        }
    }

    /// Stores a fetched token; a failed refresh of a still-valid token keeps
    /// using it (`stale`), a failed fetch is the call's error.
    pub(crate) fn settle(
        &self,
        fetched: Result<VendorTokenGrant, Error>,
        issued: Instant,
        stale: Option<HeaderValue>,
    ) -> Result<HeaderValue, Error> {
        match (fetched.and_then(|grant| self.store(&grant, issued)), stale) {
            (Ok(header), _) | (Err(_), Some(header)) => Ok(header),
            (Err(error), None) => Err(error),
        }
    }

    fn lookup(&self, now: Instant) -> Lookup {
        match &*self.current.load() {
            Some(c) if now < c.refresh_at => Lookup::Fresh(c.header.clone()),
            Some(c) if now < c.expires_at => Lookup::Stale(c.header.clone()),
            _ => Lookup::Missing,
        }
    }

    pub(crate) fn store(&self, grant: &VendorTokenGrant, issued: Instant) -> Result<HeaderValue, Error> {
        let header = bearer(&grant.token)?;
        let ttl = grant.expires_in.unwrap_or(DEFAULT_VENDOR_TTL);
        let margin = (ttl / 5).min(MAX_REFRESH_MARGIN);
        self.current.store(Some(Arc::new(Cached {
            header: header.clone(),
            refresh_at: issued + (ttl - margin),
            expires_at: issued + ttl,
        })));
        Ok(header)
    }

    /// Drops the cached token if it is still the one that was rejected.
    fn invalidate(&self, rejected: &HeaderValue) {
        let current = self.current.load();
        if current.as_ref().is_some_and(|c| c.header == *rejected) {
            self.current.compare_and_swap(&current, None);
        }
    }
}

/// How a call gets its `Authorization` header.
pub(crate) enum AuthPlan<'a> {
    /// No header (vendor authentication itself).
    None,
    /// This header.
    Header(HeaderValue),
    /// A vendor token from the cache, fetched with these credentials.
    Vendor(VendorAuth<'a>),
}

impl ClientConfig {
    /// How a call of `route` that takes `scheme` authenticates, or why it cannot.
    /// `names_user` says the call names its user itself (an argument).
    pub(crate) fn auth_plan(
        &self,
        route: Route,
        scheme: AuthScheme,
        names_user: bool,
    ) -> Result<AuthPlan<'_>, Error> {
        if scheme == AuthScheme::None {
            return Ok(AuthPlan::None);
        }
        let needs_vendor = || {
            Error::Configuration(format!(
                "{} needs vendor credentials (client id and secret), not a user token",
                route.name()
            ))
        };
        match &self.credentials {
            None => Err(Error::Configuration(format!(
                "{route} needs credentials: set a user token, a token provider or vendor credentials"
            ))),
            Some(Auth::User(header)) => match scheme {
                AuthScheme::Vendor => Err(needs_vendor()),
                _ => Ok(AuthPlan::Header(header.clone())),
            },
            Some(Auth::Provider(provider)) => match scheme {
                AuthScheme::Vendor => Err(needs_vendor()),
                _ => {
                    let token = provider.access_token().map_err(|source| Error::Credentials {
                        message: crate::phone::scrub_digits(&source.to_string()),
                        source,
                    })?;
                    Ok(AuthPlan::Header(bearer(&token)?))
                }
            },
            Some(Auth::Vendor { client_id, secret }) => {
                if scheme == AuthScheme::User && self.user_id.is_none() && !names_user {
                    return Err(Error::Configuration(format!(
                        "{} acts on a user: with vendor credentials, set user_id",
                        route.name()
                    )));
                }
                Ok(AuthPlan::Vendor(VendorAuth { client_id, secret }))
            }
        }
    }

    /// Whether calls authenticate with a vendor token.
    pub(crate) fn is_vendor(&self) -> bool {
        matches!(self.credentials, Some(Auth::Vendor { .. }))
    }
}
