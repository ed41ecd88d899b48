//! The blocking client: the async client's twin, with plain methods.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError, TryLockError};
use std::time::Instant;

use http::HeaderValue;

use crate::api::{Dispatch, Pager, inherent_groups, with_groups};
use crate::auth::{Acquire, TokenCache};
use crate::call::{Call, Input, Step};
use crate::config::{ClientBuilder, ClientConfig};
use crate::endpoint::{Endpoint, List, VendorAuth};
use crate::error::Error;
use crate::model::{ListQuery, PhoneNumberRecord};
use crate::options::{CallOptions, with_options};
use crate::transport::BlockingIdentityTransport;

/// The blocking client, generic over its transport. Cheap to clone and safe
/// to share across threads: clones share the transport, configuration and
/// vendor-token cache.
pub struct BlockingClient<T> {
    inner: Arc<Inner<T>>,
    options: CallOptions,
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
            options: self.options,
        }
    }
}

impl<T> fmt::Debug for BlockingClient<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingClient")
            .field("config", &self.inner.config)
            .field("options", &self.options)
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
            options: CallOptions::new(),
        })
    }
}

with_groups!(inherent_groups, BlockingClient, BlockingIdentityTransport);
with_options!(BlockingClient, BlockingIdentityTransport);

impl<T: BlockingIdentityTransport> BlockingClient<T> {
    /// A builder; finish it with a transport crate's `build` or
    /// [`ClientBuilder::build_blocking_with`].
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
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let route = E::ROUTE;
        let span =
            tracing::debug_span!("frontegg_identity.call", route = route.name(), method = %route.method());
        let _entered = span.enter();
        let inner = &*self.inner;
        let mut call = Call::new(&inner.config, self.options, endpoint)?;
        let mut input = Input::Start;
        loop {
            input = match call.step(input) {
                Step::Send(request) => Input::Answer(inner.transport.execute(request)),
                Step::Token {
                    credentials,
                    rejected,
                } => Input::Token(self.vendor_token(credentials, rejected)),
                Step::Sleep(wait) => {
                    std::thread::sleep(wait);
                    Input::Waited
                }
                Step::Done(outcome) => break outcome,
            };
        }
    }

    /// A vendor token: the cache's single-flight decision, carried out with
    /// a blocking lock (a poisoned lock guards nothing and is taken anyway).
    fn vendor_token(
        &self,
        credentials: VendorAuth<'_>,
        rejected: Option<HeaderValue>,
    ) -> Result<HeaderValue, Error> {
        let inner = &*self.inner;
        let refresh = &inner.refresh;
        let (_guard, stale) = match inner.tokens.acquire(rejected.as_ref()) {
            Acquire::Use(header) => return Ok(header),
            Acquire::Fetch => (refresh.lock().unwrap_or_else(PoisonError::into_inner), None),
            Acquire::Refresh(stale) => match refresh.try_lock() {
                Ok(guard) => (guard, Some(stale)),
                Err(TryLockError::Poisoned(poisoned)) => (poisoned.into_inner(), Some(stale)),
                Err(TryLockError::WouldBlock) => return Ok(stale),
            },
        };
        match inner.tokens.after_lock(stale.is_some()) {
            Some(header) => Ok(header),
            None => {
                let issued = Instant::now();
                inner.tokens.settle(self.send(&credentials), issued, stale)
            }
        }
    }
}

impl<T: BlockingIdentityTransport> Dispatch for BlockingClient<T> {
    type Call<'a, E: Endpoint + 'a>
        = Result<E::Output, Error>
    where
        Self: 'a;
    type ListAll = ListAll<T>;

    fn dispatch<'a, E: Endpoint + 'a>(&'a self, endpoint: E) -> Self::Call<'a, E> {
        self.send(&endpoint)
    }

    fn list_all(&self, query: &ListQuery) -> ListAll<T> {
        ListAll {
            client: self.clone(),
            pager: Pager::new(query),
            buffer: Vec::new().into_iter(),
        }
    }
}

/// The iterator of [`PhoneNumbers::list_all`](crate::PhoneNumbers::list_all)
/// on a [`BlockingClient`]. After an error it ends.
#[derive(Debug)]
pub struct ListAll<T> {
    client: BlockingClient<T>,
    pager: Pager,
    buffer: std::vec::IntoIter<PhoneNumberRecord>,
}

impl<T: BlockingIdentityTransport> Iterator for ListAll<T> {
    type Item = Result<PhoneNumberRecord, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(record) = self.buffer.next() {
                return Some(Ok(record));
            }
            let query = self.pager.next_query()?;
            match self.client.send(&List { query: &query }) {
                Ok(page) => {
                    self.pager.advance(query, &page);
                    self.buffer = page.items.into_iter();
                }
                Err(error) => return Some(Err(error)),
            }
        }
    }
}
