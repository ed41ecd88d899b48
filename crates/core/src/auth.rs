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
use crate::endpoint::{AuthScheme, Route, VendorAuth, VendorTokenGrant};
use crate::error::Error;

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
pub(crate) enum Lookup {
    /// A token to use.
    Fresh(HeaderValue),
    /// A token still valid whose refresh is due.
    Stale(HeaderValue),
    /// Nothing usable.
    Missing,
}

#[derive(Default)]
pub(crate) struct TokenCache {
    current: ArcSwapOption<Cached>,
}

impl TokenCache {
    pub(crate) fn lookup(&self, now: Instant) -> Lookup {
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
    pub(crate) fn invalidate(&self, rejected: &HeaderValue) {
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
    pub(crate) fn auth_plan(&self, route: Route) -> Result<AuthPlan<'_>, Error> {
        let scheme = route.auth();
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
            None => Err(Error::Configuration(
                "no credentials: set a user token, a token provider or vendor credentials".into(),
            )),
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
                if scheme == AuthScheme::User && self.user_id.is_none() {
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
