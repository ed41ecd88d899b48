//! The blocking client: the async client's twin, with plain methods.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError, TryLockError};
use std::time::Instant;

use http::HeaderValue;

use crate::api::{Dispatch, Pager, inherent_groups, with_groups};
use crate::auth::Acquire;
use crate::call::{Call, Input, Step};
use crate::config::ClientBuilder;
use crate::endpoint::{Endpoint, List, VendorAuth};
use crate::error::Error;
use crate::model::{ListQuery, PhoneNumberRecord};
use crate::options::{CallOptions, Shared, shared_client_parts};
use crate::transport::BlockingIdentityTransport;

/// The blocking client, generic over its transport. Cheap to clone and safe
/// to share across threads: clones share the transport, configuration and
/// vendor-token cache.
pub struct BlockingClient<T> {
    inner: Arc<Shared<T, Mutex<()>, ()>>,
    options: CallOptions,
}

impl ClientBuilder {
    /// Builds a blocking client over `transport`.
    pub fn build_blocking_with<T: BlockingIdentityTransport>(
        self,
        transport: T,
    ) -> Result<BlockingClient<T>, Error> {
        Ok(BlockingClient {
            inner: Shared::new(transport, self, ())?,
            options: CallOptions::new(),
        })
    }
}

with_groups!(inherent_groups, BlockingClient, BlockingIdentityTransport);
shared_client_parts!(BlockingClient, BlockingIdentityTransport);

impl<T: BlockingIdentityTransport> BlockingClient<T> {
    /// Sends any endpoint with this client's credentials, retries and tracing.
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let _entered = crate::call::span(E::ROUTE).entered();
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
