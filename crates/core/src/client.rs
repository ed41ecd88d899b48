//! The async client.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use futures_util::{StreamExt, TryStreamExt, stream};
use http::HeaderValue;
use tracing::Instrument;

use crate::api::{BoxFuture, Dispatch, Pager, inherent_groups, with_groups};
use crate::auth::{Acquire, TokenCache};
use crate::call::{Call, Input, Step};
use crate::config::{ClientBuilder, ClientConfig};
use crate::endpoint::{Endpoint, List, VendorAuth};
use crate::error::Error;
use crate::model::{ListQuery, PhoneNumberRecord};
use crate::options::{CallOptions, with_options};
use crate::transport::{AsyncSleep, IdentityTransport, TimerSleep};

/// The async client, generic over its transport. Cheap to clone: clones
/// share the transport, configuration and vendor-token cache.
pub struct Client<T> {
    inner: Arc<Inner<T>>,
    options: CallOptions,
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
            options: self.options,
        }
    }
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .field("options", &self.options)
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
            options: CallOptions::new(),
        })
    }
}

with_groups!(inherent_groups, Client, IdentityTransport);
with_options!(Client, IdentityTransport);

impl<T: IdentityTransport> Client<T> {
    /// A builder; finish it with a transport crate's `build` or [`ClientBuilder::build_with`].
    #[must_use]
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The transport.
    #[must_use]
    pub fn transport(&self) -> &T {
        &self.inner.transport
    }

    /// Sends any endpoint with this client's credentials, retries and tracing.
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let route = E::ROUTE;
        let span =
            tracing::debug_span!("frontegg_identity.call", route = route.name(), method = %route.method());
        self.run(endpoint).instrument(span).await
    }

    async fn run<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let inner = &*self.inner;
        let mut call = Call::new(&inner.config, self.options, endpoint)?;
        let mut input = Input::Start;
        loop {
            input = match call.step(input) {
                Step::Token {
                    credentials,
                    rejected,
                } => Input::Token(self.vendor_token(credentials, rejected).await),
                Step::Send(request) => Input::Answer(inner.transport.execute(request).await),
                Step::Sleep(wait) => {
                    inner.sleep.sleep(wait).await;
                    Input::Waited
                }
                Step::Done(outcome) => return outcome,
            };
        }
    }

    /// A vendor token: the cache's single-flight decision, carried out with
    /// an async lock.
    async fn vendor_token(
        &self,
        credentials: VendorAuth<'_>,
        rejected: Option<HeaderValue>,
    ) -> Result<HeaderValue, Error> {
        let inner = &*self.inner;
        let (_guard, stale) = match inner.tokens.acquire(rejected.as_ref()) {
            Acquire::Use(header) => return Ok(header),
            Acquire::Refresh(stale) => match inner.refresh.try_lock() {
                Some(guard) => (guard, Some(stale)),
                None => return Ok(stale),
            },
            Acquire::Fetch => (inner.refresh.lock().await, None),
        };
        if let Some(header) = inner.tokens.after_lock(stale.is_some()) {
            return Ok(header);
        }
        let issued = Instant::now();
        let fetched = self.fetch_vendor_token(credentials).await;
        inner.tokens.settle(fetched, issued, stale)
    }

    /// Vendor authentication is itself a call: boxed, as the recursion needs.
    fn fetch_vendor_token<'a>(
        &'a self,
        credentials: VendorAuth<'a>,
    ) -> BoxFuture<'a, Result<crate::endpoint::VendorTokenGrant, Error>> {
        Box::pin(async move { self.send(&credentials).await })
    }
}

impl<T: IdentityTransport> Dispatch for Client<T> {
    type Call<'a, E: Endpoint + 'a>
        = BoxFuture<'a, Result<E::Output, Error>>
    where
        Self: 'a;
    type ListAll = futures_util::stream::BoxStream<'static, Result<PhoneNumberRecord, Error>>;

    fn dispatch<'a, E: Endpoint + 'a>(&'a self, endpoint: E) -> Self::Call<'a, E> {
        Box::pin(async move { self.send(&endpoint).await })
    }

    fn list_all(&self, query: &ListQuery) -> Self::ListAll {
        let client = self.clone();
        let pages = stream::try_unfold(Pager::new(query), move |mut pager| {
            let client = client.clone();
            async move {
                let Some(query) = pager.next_query() else {
                    return Ok::<_, Error>(None);
                };
                let page = client.send(&List { query: &query }).await?;
                pager.advance(query, &page);
                Ok(Some((stream::iter(page.items.into_iter().map(Ok)), pager)))
            }
        });
        pages.try_flatten().boxed()
    }
}
