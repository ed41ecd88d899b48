//! The blocking client: the async client's twin, with plain methods.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError, TryLockError};
use std::time::Instant;

use http::HeaderValue;

use crate::auth::{AuthPlan, Lookup, TokenCache};
use crate::call::{CallState, Next, authorize};
use crate::config::{ClientBuilder, ClientConfig};
use crate::endpoint::{
    Assign, ConfirmDelete, Endpoint, List, ListMine, Preverify, StartDelete, VendorAdd, VendorAuth,
    VendorDelete, Verify,
};
use crate::error::Error;
use crate::ids::{PhoneNumberId, UserId};
use crate::model::{ListQuery, Page, PendingDeletion, PhoneNumberRecord};
use crate::phone::PhoneNumber;
use crate::secret::{OtcToken, VerificationCode};
use crate::transport::BlockingIdentityTransport;

/// The blocking client, generic over its transport. Cheap to clone and safe
/// to share across threads: clones share the transport, configuration and
/// vendor-token cache.
pub struct BlockingClient<T> {
    inner: Arc<Inner<T>>,
}

struct Inner<T> {
    transport: T,
    config: ClientConfig,
    tokens: TokenCache,
    refresh: Mutex<()>,
}

impl<T> Clone for BlockingClient<T> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> fmt::Debug for BlockingClient<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingClient")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Builds a blocking client over `transport`.
    pub fn build_blocking_with<T: BlockingIdentityTransport>(
        self,
        transport: T,
    ) -> Result<BlockingClient<T>, Error> {
        Ok(BlockingClient {
            inner: Arc::new(Inner {
                transport,
                config: self.resolve()?,
                tokens: TokenCache::default(),
                refresh: Mutex::new(()),
            }),
        })
    }
}

impl<T: BlockingIdentityTransport> BlockingClient<T> {
    /// A builder; finish it with a transport crate's `build` or
    /// [`ClientBuilder::build_blocking_with`].
    #[must_use]
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The phone-number routes.
    #[must_use]
    pub fn phone_numbers(&self) -> BlockingPhoneNumbers<'_, T> {
        BlockingPhoneNumbers { client: self }
    }

    /// The transport.
    #[must_use]
    pub fn transport(&self) -> &T {
        &self.inner.transport
    }

    /// Sends any endpoint with this client's credentials, retries and tracing.
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let route = E::ROUTE;
        let span =
            tracing::debug_span!("frontegg_identity.call", route = route.name(), method = %route.method());
        let _entered = span.enter();
        let inner = &*self.inner;
        let config = &inner.config;
        let plan = config.auth_plan(route)?;
        // Built before authenticating, so that bad input is refused before
        // anything is sent, vendor authentication included; rebuilt only to retry.
        let mut prepared = Some(endpoint.request(&config.context(route, None))?);
        let mut state = CallState::new(route);
        loop {
            let authorization = match &plan {
                AuthPlan::None => None,
                AuthPlan::Header(h) => Some(h.clone()),
                AuthPlan::Vendor(credentials) => Some(self.vendor_token(credentials)?),
            };
            let mut request = match prepared.take() {
                Some(request) => request,
                None => endpoint.request(&config.context(route, None))?,
            };
            authorize(&mut request, authorization.as_ref());
            let outcome = inner.transport.execute(request);
            match state.next(config, outcome, matches!(plan, AuthPlan::Vendor(_))) {
                Next::Done(response) => return endpoint.parse_success(response),
                Next::Reauth => {
                    if let Some(rejected) = &authorization {
                        inner.tokens.invalidate(rejected);
                    }
                }
                Next::Sleep(wait) => std::thread::sleep(wait),
                Next::Fail(error) => return Err(error),
            }
        }
    }

    fn vendor_token(&self, credentials: &VendorAuth<'_>) -> Result<HeaderValue, Error> {
        let inner = &*self.inner;
        match inner.tokens.lookup(Instant::now()) {
            Lookup::Fresh(header) => Ok(header),
            Lookup::Stale(header) => {
                // Refresh ahead of expiry; others keep the valid token meanwhile.
                let _guard = match inner.refresh.try_lock() {
                    Ok(guard) => guard,
                    Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
                    Err(TryLockError::WouldBlock) => return Ok(header),
                };
                match inner.tokens.lookup(Instant::now()) {
                    Lookup::Fresh(fresh) => Ok(fresh),
                    _ => Ok(self.fetch_vendor_token(credentials).unwrap_or(header)),
                }
            }
            Lookup::Missing => {
                let _guard = inner.refresh.lock().unwrap_or_else(PoisonError::into_inner);
                match inner.tokens.lookup(Instant::now()) {
                    Lookup::Fresh(header) | Lookup::Stale(header) => Ok(header),
                    Lookup::Missing => self.fetch_vendor_token(credentials),
                }
            }
        }
    }

    fn fetch_vendor_token(&self, credentials: &VendorAuth<'_>) -> Result<HeaderValue, Error> {
        let issued = Instant::now();
        let grant = self.send(credentials)?;
        self.inner.tokens.store(&grant, issued)
    }
}

/// The phone-number routes of a [`BlockingClient`].
#[derive(Debug)]
pub struct BlockingPhoneNumbers<'a, T> {
    client: &'a BlockingClient<T>,
}

impl<T: BlockingIdentityTransport> BlockingPhoneNumbers<'_, T> {
    /// Route 1: assigns `phone_number` to the user. With `verify`, Frontegg
    /// sends an SMS code and the token to confirm it with is returned.
    pub fn assign(&self, phone_number: &PhoneNumber, verify: bool) -> Result<Option<OtcToken>, Error> {
        self.client.send(&Assign { phone_number, verify })
    }

    /// Route 2: sends a code to `phone_number` to prove the user owns it,
    /// without assigning it.
    pub fn preverify(&self, phone_number: &PhoneNumber) -> Result<OtcToken, Error> {
        self.client.send(&Preverify { phone_number })
    }

    /// Route 3: confirms an assignment or a pre-verification.
    pub fn verify(&self, otc_token: &OtcToken, code: &VerificationCode) -> Result<(), Error> {
        self.client.send(&Verify { otc_token, code })
    }

    /// Route 4: the user's own numbers.
    pub fn list_mine(&self) -> Result<Vec<PhoneNumberRecord>, Error> {
        self.client.send(&ListMine)
    }

    /// Route 5: starts deleting a number; Frontegg sends a code to it.
    pub fn start_delete(&self, phone_id: &PhoneNumberId) -> Result<PendingDeletion, Error> {
        self.client.send(&StartDelete { phone_id })
    }

    /// Route 6: confirms a deletion with the code.
    pub fn confirm_delete(
        &self,
        phone_id: &PhoneNumberId,
        otc_token: &OtcToken,
        code: &VerificationCode,
    ) -> Result<(), Error> {
        self.client.send(&ConfirmDelete {
            phone_id,
            otc_token,
            code,
        })
    }

    /// Route 7: one page of the environment's numbers (vendor credentials).
    pub fn list(&self, query: &ListQuery) -> Result<Page<PhoneNumberRecord>, Error> {
        self.client.send(&List { query })
    }

    /// Every number matching `query`, from its page on, fetching pages as
    /// the iterator is read (vendor credentials). After an error it ends.
    #[must_use]
    pub fn list_all(&self, query: &ListQuery) -> ListAll<T> {
        ListAll {
            client: self.client.clone(),
            next: Some(query.clone()),
            buffer: Vec::new().into_iter(),
        }
    }

    /// Route 9: adds an already verified number to a user (vendor credentials).
    pub fn vendor_add(&self, user_id: &UserId, phone_number: &PhoneNumber) -> Result<(), Error> {
        self.client.send(&VendorAdd {
            user_id,
            phone_number,
        })
    }

    /// Route 10: removes a user's number without a code (vendor credentials).
    pub fn vendor_delete(&self, user_id: &UserId, phone_id: &PhoneNumberId) -> Result<(), Error> {
        self.client.send(&VendorDelete { user_id, phone_id })
    }
}

/// The iterator of [`BlockingPhoneNumbers::list_all`].
#[derive(Debug)]
pub struct ListAll<T> {
    client: BlockingClient<T>,
    next: Option<ListQuery>,
    buffer: std::vec::IntoIter<PhoneNumberRecord>,
}

impl<T: BlockingIdentityTransport> Iterator for ListAll<T> {
    type Item = Result<PhoneNumberRecord, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(record) = self.buffer.next() {
                return Some(Ok(record));
            }
            let query = self.next.take()?;
            match self.client.send(&List { query: &query }) {
                Ok(page) => {
                    if page.has_next() {
                        let index = query.page_index().saturating_add(1);
                        self.next = Some(query.page(index));
                    }
                    self.buffer = page.items.into_iter();
                }
                Err(error) => return Some(Err(error)),
            }
        }
    }
}
