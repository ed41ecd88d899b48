//! The async client.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use futures_core::Stream;
use futures_util::{StreamExt, TryStreamExt, stream};
use http::HeaderValue;
use tracing::Instrument;

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
use crate::transport::{AsyncSleep, IdentityTransport, TimerSleep};

/// The async client, generic over its transport. Cheap to clone: clones
/// share the transport, configuration and vendor-token cache.
pub struct Client<T> {
    inner: Arc<Inner<T>>,
}

struct Inner<T> {
    transport: T,
    config: ClientConfig,
    tokens: TokenCache,
    refresh: async_lock::Mutex<()>,
    sleep: Arc<dyn AsyncSleep>,
}

impl<T> Clone for Client<T> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Builds an async client over `transport`, sleeping with a runtime-agnostic timer.
    pub fn build_with<T: IdentityTransport>(self, transport: T) -> Result<Client<T>, Error> {
        self.build_with_sleep(transport, Arc::new(TimerSleep))
    }

    /// Builds an async client over `transport`, sleeping with `sleep` between attempts.
    pub fn build_with_sleep<T: IdentityTransport>(
        self,
        transport: T,
        sleep: Arc<dyn AsyncSleep>,
    ) -> Result<Client<T>, Error> {
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                config: self.resolve()?,
                tokens: TokenCache::default(),
                refresh: async_lock::Mutex::new(()),
                sleep,
            }),
        })
    }
}

type BoxFuture<'a, O> = Pin<Box<dyn Future<Output = O> + Send + 'a>>;

impl<T: IdentityTransport> Client<T> {
    /// A builder; finish it with a transport crate's `build` or [`ClientBuilder::build_with`].
    #[must_use]
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The phone-number routes.
    #[must_use]
    pub fn phone_numbers(&self) -> PhoneNumbers<'_, T> {
        PhoneNumbers { client: self }
    }

    /// The transport.
    #[must_use]
    pub fn transport(&self) -> &T {
        &self.inner.transport
    }

    /// Sends any endpoint with this client's credentials, retries and tracing.
    pub async fn send<E: Endpoint + Sync>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let route = E::ROUTE;
        let span =
            tracing::debug_span!("frontegg_identity.call", route = route.name(), method = %route.method());
        self.run(endpoint).instrument(span).await
    }

    async fn run<E: Endpoint + Sync>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let inner = &*self.inner;
        let config = &inner.config;
        let plan = config.auth_plan(E::ROUTE)?;
        // Built before authenticating, so that bad input is refused before
        // anything is sent, vendor authentication included; rebuilt only to retry.
        let mut prepared = Some(endpoint.request(&config.context(E::ROUTE, None))?);
        let mut state = CallState::new(E::ROUTE);
        loop {
            let authorization = match &plan {
                AuthPlan::None => None,
                AuthPlan::Header(h) => Some(h.clone()),
                AuthPlan::Vendor(credentials) => Some(self.vendor_token(credentials).await?),
            };
            let mut request = match prepared.take() {
                Some(request) => request,
                None => endpoint.request(&config.context(E::ROUTE, None))?,
            };
            authorize(&mut request, authorization.as_ref());
            let outcome = inner.transport.execute(request).await;
            let vendor = matches!(plan, AuthPlan::Vendor(_));
            match state.next(config, outcome, vendor) {
                Next::Done(response) => return endpoint.parse_success(response),
                Next::Reauth => {
                    if let Some(rejected) = &authorization {
                        inner.tokens.invalidate(rejected);
                    }
                }
                Next::Sleep(wait) => inner.sleep.sleep(wait).await,
                Next::Fail(error) => return Err(error),
            }
        }
    }

    async fn vendor_token(&self, credentials: &VendorAuth<'_>) -> Result<HeaderValue, Error> {
        let inner = &*self.inner;
        match inner.tokens.lookup(Instant::now()) {
            Lookup::Fresh(header) => Ok(header),
            Lookup::Stale(header) => {
                // Refresh ahead of expiry; others keep the valid token meanwhile.
                let Some(_guard) = inner.refresh.try_lock() else {
                    return Ok(header);
                };
                match inner.tokens.lookup(Instant::now()) {
                    Lookup::Fresh(fresh) => Ok(fresh),
                    _ => Ok(self.fetch_vendor_token(credentials).await.unwrap_or(header)),
                }
            }
            Lookup::Missing => {
                let _guard = inner.refresh.lock().await;
                match inner.tokens.lookup(Instant::now()) {
                    Lookup::Fresh(header) | Lookup::Stale(header) => Ok(header),
                    Lookup::Missing => self.fetch_vendor_token(credentials).await,
                }
            }
        }
    }

    fn fetch_vendor_token<'a>(
        &'a self,
        credentials: &'a VendorAuth<'_>,
    ) -> BoxFuture<'a, Result<HeaderValue, Error>> {
        Box::pin(async move {
            let issued = Instant::now();
            let grant = self.send(credentials).await?;
            self.inner.tokens.store(&grant, issued)
        })
    }
}

/// The phone-number routes of an async [`Client`].
#[derive(Debug)]
pub struct PhoneNumbers<'a, T> {
    client: &'a Client<T>,
}

impl<T: IdentityTransport> PhoneNumbers<'_, T> {
    /// Route 1: assigns `phone_number` to the user. With `verify`, Frontegg
    /// sends an SMS code and the token to confirm it with is returned.
    pub async fn assign(&self, phone_number: &PhoneNumber, verify: bool) -> Result<Option<OtcToken>, Error> {
        self.client.send(&Assign { phone_number, verify }).await
    }

    /// Route 2: sends a code to `phone_number` to prove the user owns it,
    /// without assigning it.
    pub async fn preverify(&self, phone_number: &PhoneNumber) -> Result<OtcToken, Error> {
        self.client.send(&Preverify { phone_number }).await
    }

    /// Route 3: confirms an assignment or a pre-verification.
    pub async fn verify(&self, otc_token: &OtcToken, code: &VerificationCode) -> Result<(), Error> {
        self.client.send(&Verify { otc_token, code }).await
    }

    /// Route 4: the user's own numbers.
    pub async fn list_mine(&self) -> Result<Vec<PhoneNumberRecord>, Error> {
        self.client.send(&ListMine).await
    }

    /// Route 5: starts deleting a number; Frontegg sends a code to it.
    pub async fn start_delete(&self, phone_id: &PhoneNumberId) -> Result<PendingDeletion, Error> {
        self.client.send(&StartDelete { phone_id }).await
    }

    /// Route 6: confirms a deletion with the code.
    pub async fn confirm_delete(
        &self,
        phone_id: &PhoneNumberId,
        otc_token: &OtcToken,
        code: &VerificationCode,
    ) -> Result<(), Error> {
        self.client
            .send(&ConfirmDelete {
                phone_id,
                otc_token,
                code,
            })
            .await
    }

    /// Route 7: one page of the environment's numbers (vendor credentials).
    pub async fn list(&self, query: &ListQuery) -> Result<Page<PhoneNumberRecord>, Error> {
        self.client.send(&List { query }).await
    }

    /// Every number matching `query`, from its page on, fetching pages as
    /// the stream is read (vendor credentials).
    pub fn list_all(
        &self,
        query: &ListQuery,
    ) -> impl Stream<Item = Result<PhoneNumberRecord, Error>> + Send + 'static {
        let client = self.client.clone();
        stream::try_unfold(Some(query.clone()), move |next| {
            let client = client.clone();
            async move {
                let Some(query) = next else {
                    return Ok::<_, Error>(None);
                };
                let page = client.send(&List { query: &query }).await?;
                let following = page.has_next().then(|| {
                    let index = query.page_index().saturating_add(1);
                    query.page(index)
                });
                Ok(Some((stream::iter(page.items.into_iter().map(Ok)), following)))
            }
        })
        .try_flatten()
        .boxed()
    }

    /// Route 9: adds an already verified number to a user (vendor credentials).
    pub async fn vendor_add(&self, user_id: &UserId, phone_number: &PhoneNumber) -> Result<(), Error> {
        self.client
            .send(&VendorAdd {
                user_id,
                phone_number,
            })
            .await
    }

    /// Route 10: removes a user's number without a code (vendor credentials).
    pub async fn vendor_delete(&self, user_id: &UserId, phone_id: &PhoneNumberId) -> Result<(), Error> {
        self.client.send(&VendorDelete { user_id, phone_id }).await
    }
}
