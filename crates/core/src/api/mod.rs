//! The route groups (`client.phone_numbers()`, ...), written once for both
//! clients.
//!
//! A group method builds its [`Endpoint`] and hands it to the client through
//! [`Dispatch`]: on a [`BlockingClient`](crate::BlockingClient) the method
//! returns `Result<T, Error>`, on a [`Client`](crate::Client) a future of it.
//!
//! ```
//! use frontegg_identity_core::{AccessToken, BlockingIdentityTransport, ClientBuilder, TransportError};
//!
//! struct Canned;
//! impl BlockingIdentityTransport for Canned {
//!     fn execute(&self, _: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError> {
//!         Ok(http::Response::new(b"[]".to_vec()))
//!     }
//! }
//!
//! let client = ClientBuilder::new()
//!     .user_token(AccessToken::new("eyJhbGciOi...").unwrap())
//!     .build_blocking_with(Canned)
//!     .unwrap();
//! // The blocking client answers at once ...
//! let mine: Vec<_> = client.phone_numbers().list_mine().unwrap();
//! assert!(mine.is_empty());
//! ```

use std::future::Future;
use std::pin::Pin;

use crate::endpoint::Endpoint;
use crate::model::{ListQuery, Page, PhoneNumberRecord};

mod mfa;
mod phone_numbers;
mod signin;
mod sms_settings;

pub use mfa::Mfa;
pub use phone_numbers::PhoneNumbers;
pub use signin::{Passwordless, Passwords};
pub use sms_settings::SmsSettings;

/// A boxed, sendable future: what an async group method returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

mod sealed {
    pub trait Sealed {}
}

/// A client that sends endpoints: [`Client`](crate::Client) (its calls are
/// futures) or [`BlockingClient`](crate::BlockingClient) (its calls block).
/// Sealed: the group methods are written once against it.
pub trait Dispatch: sealed::Sealed {
    /// What a call of `E` returns: `Result<E::Output, Error>` on the blocking
    /// client, a [`BoxFuture`] of it on the async client.
    type Call<'a, E: Endpoint + 'a>
    where
        Self: 'a;
    /// What [`PhoneNumbers::list_all`] returns: an iterator on the blocking
    /// client, a stream on the async client.
    type ListAll: 'static;

    /// Sends `endpoint` with the client's credentials, retries and tracing.
    fn dispatch<'a, E: Endpoint + 'a>(&'a self, endpoint: E) -> Self::Call<'a, E>;

    /// Every record matching `query`, from its page on, fetched a page at a
    /// time as it is read (see [`Pager`]).
    fn list_all(&self, query: &ListQuery) -> Self::ListAll;
}

impl<T> sealed::Sealed for crate::Client<T> {}
impl<T> sealed::Sealed for crate::BlockingClient<T> {}

/// Paging through route 7, sans-IO: which page to ask for next. Every client
/// (both Rust ones and both Python ones) pages with it.
#[derive(Debug, Clone)]
pub struct Pager {
    next: Option<ListQuery>,
}

impl Pager {
    /// Starts at `query`'s page.
    #[must_use]
    pub fn new(query: &ListQuery) -> Self {
        Self {
            next: Some(query.clone()),
        }
    }

    /// The query of the next page to fetch, or `None` when every page was read.
    pub fn next_query(&mut self) -> Option<ListQuery> {
        self.next.take()
    }

    /// Records the page fetched for `query`: the next page follows when this
    /// one says there is one.
    pub fn advance(&mut self, query: ListQuery, page: &Page<PhoneNumberRecord>) {
        if page.has_next() {
            let index = query.page_index().saturating_add(1);
            self.next = Some(query.page(index));
        }
    }

    /// Whether a page is still to be fetched.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.next.is_none()
    }
}

/// Declares a route group: its struct (a borrowed client, `Copy`) and one
/// method a call, which builds the call's endpoint from its arguments and
/// hands it to [`Dispatch::dispatch`].
///
/// A method is declared as `fn name(arg: Type, ...) -> Endpoint<'a>;`: it
/// takes `&'a self` and the arguments, returns `C::Call<'a, Endpoint<'a>>`,
/// and the endpoint's fields are the arguments of the same names. An
/// endpoint with other fields ends in a struct expression's braces instead
/// of `;` (`-> StartSmsEnrollment<'a> { phone_number, mfa_token: None }`).
macro_rules! group {
    (@endpoint $endpoint:ident [$($arg:ident)*]) => {
        $endpoint { $($arg),* }
    };
    (@endpoint $endpoint:ident [$($arg:ident)*] { $($field:tt)* }) => {
        $endpoint { $($field)* }
    };
    (
        $(#[$attr:meta])*
        pub struct $group:ident;
        $(
            $(#[$doc:meta])*
            fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $endpoint:ident $(<$lt:lifetime>)?
                $({ $($field:tt)* })? $(;)?
        )*
    ) => {
        $(#[$attr])*
        #[derive(Debug)]
        pub struct $group<'c, C> {
            pub(crate) client: &'c C,
        }

        impl<C> Clone for $group<'_, C> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<C> Copy for $group<'_, C> {}

        impl<'c, C: $crate::api::Dispatch> $group<'c, C> {
            $(
                $(#[$doc])*
                pub fn $name<'a>(&'a self, $($arg: $ty),*) -> C::Call<'a, $endpoint $(<$lt>)?> {
                    self.client.dispatch($crate::api::group!(
                        @endpoint $endpoint [$($arg)*] $({ $($field)* })?
                    ))
                }
            )*
        }
    };
}
pub(crate) use group;

/// The route groups, listed once: `with_groups!(m, args)` calls `m!` with
/// `args` and every group's accessor name, type and doc.
macro_rules! with_groups {
    ($m:ident, $($args:tt)*) => {
        $m! { $($args)*
            [phone_numbers, PhoneNumbers, "The phone-number routes (1 to 10)."]
            [mfa, Mfa, "The MFA-by-SMS routes (11 to 18, and the unstable 32)."]
            [passwordless, Passwordless, "The passwordless SMS sign-in routes (19, 20)."]
            [passwords, Passwords, "The password-reset-by-SMS routes (21, 22)."]
            [sms_settings, SmsSettings, "The SMS settings routes (23 to 31, vendor credentials)."]
        }
    };
}
pub(crate) use with_groups;

/// The group accessors as inherent methods of a client type, so that
/// `client.mfa()` needs no trait in scope.
macro_rules! inherent_groups {
    ($client:ident, $transport:ident $([$name:ident, $group:ident, $doc:literal])*) => {
        impl<T: $transport> $client<T> {
            $(
                #[doc = $doc]
                #[must_use]
                pub fn $name(&self) -> $crate::api::$group<'_, Self> {
                    $crate::api::$group { client: self }
                }
            )*
        }
    };
}
pub(crate) use inherent_groups;

/// The group accessors as provided methods of [`Dispatch`], for code generic
/// over the client.
macro_rules! dispatch_groups {
    ($([$name:ident, $group:ident, $doc:literal])*) => {
        /// The route groups of any client, for code generic over it (the
        /// clients also have them as inherent methods).
        pub trait Groups: Dispatch + Sized {
            $(
                #[doc = $doc]
                fn $name(&self) -> $group<'_, Self> {
                    $group { client: self }
                }
            )*
        }

        impl<C: Dispatch> Groups for C {}
    };
}

with_groups!(dispatch_groups,);
