//! Client configuration: region or base URL, credentials, timeouts, retries.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;

use crate::defaults;
use crate::error::{BoxError, Error};
use crate::ids::{TenantId, UserId};
use crate::options::check_times;
use crate::retry::RetryPolicy;
use crate::secret::{AccessToken, VendorSecret};
use crate::transport::{TransportOptions, parse_pem_certificates};

/// The default `User-Agent` (the same as [`defaults::USER_AGENT`]).
pub const USER_AGENT: &str = defaults::USER_AGENT;

/// A Frontegg region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Region {
    /// Europe, `api.frontegg.com` (the default).
    #[default]
    Eu,
    /// United States, `api.us.frontegg.com`.
    Us,
    /// Canada, `api.ca.frontegg.com`.
    Ca,
    /// Australia, `api.au.frontegg.com`.
    Au,
}

impl Region {
    /// The region's gateway root.
    #[must_use]
    pub const fn gateway(self) -> &'static str {
        match self {
            Self::Eu => "https://api.frontegg.com",
            Self::Us => "https://api.us.frontegg.com",
            Self::Ca => "https://api.ca.frontegg.com",
            Self::Au => "https://api.au.frontegg.com",
        }
    }
}

impl std::str::FromStr for Region {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "eu" => Ok(Self::Eu),
            "us" => Ok(Self::Us),
            "ca" => Ok(Self::Ca),
            "au" => Ok(Self::Au),
            _ => Err(Error::Configuration(
                "region must be one of eu, us, ca, au".into(),
            )),
        }
    }
}

/// Supplies the current user access token on every call, for applications
/// that refresh tokens themselves. Any `Fn() -> Result<AccessToken, BoxError>`
/// is one.
pub trait TokenProvider: Send + Sync + 'static {
    /// The token to send now.
    fn access_token(&self) -> Result<AccessToken, BoxError>;
}

impl<F> TokenProvider for F
where
    F: Fn() -> Result<AccessToken, BoxError> + Send + Sync + 'static,
{
    fn access_token(&self) -> Result<AccessToken, BoxError> {
        self()
    }
}

/// How the client authenticates.
#[derive(Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// A user's access token (JWT), for the self-service routes.
    UserToken(AccessToken),
    /// A callback returning the user's current access token.
    TokenProvider(Arc<dyn TokenProvider>),
    /// Vendor (environment) credentials, for the management routes.
    Vendor {
        /// The environment's client id.
        client_id: String,
        /// The environment's API key.
        secret: VendorSecret,
    },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UserToken(t) => f.debug_tuple("UserToken").field(t).finish(),
            Self::TokenProvider(_) => f.write_str("TokenProvider(..)"),
            Self::Vendor { client_id, secret } => f
                .debug_struct("Vendor")
                .field("client_id", client_id)
                .field("secret", secret)
                .finish(),
        }
    }
}

/// Builds a [`Client`](crate::Client) or a [`BlockingClient`](crate::BlockingClient).
///
/// Transport crates add the one-line `build` for their HTTP stack; with your
/// own transport use [`build_with`](Self::build_with) or
/// [`build_blocking_with`](Self::build_blocking_with). It starts from the
/// values of [`defaults`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    region: Region,
    base_url: Option<String>,
    allow_insecure_http: bool,
    credentials: Option<Credentials>,
    tenant_id: Option<TenantId>,
    user_id: Option<UserId>,
    retry: RetryPolicy,
    transport: TransportOptions,
    user_agent: Option<String>,
    vendor_host: Option<String>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            region: defaults::REGION,
            base_url: None,
            allow_insecure_http: false,
            credentials: None,
            tenant_id: None,
            user_id: None,
            retry: RetryPolicy::default(),
            transport: TransportOptions::default(),
            user_agent: None,
            vendor_host: None,
        }
    }
}

/// Values given in code, to layer over the environment with
/// [`ClientBuilder::from_env_with`]; `None` means "not given". Start from
/// `EnvOverrides::default()` and set the fields you have.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct EnvOverrides {
    /// Wins, with `base_url`, over `FRONTEGG_REGION` and `FRONTEGG_BASE_URL`.
    pub region: Option<Region>,
    /// Wins, with `region`, over `FRONTEGG_REGION` and `FRONTEGG_BASE_URL`;
    /// wins over `region`.
    pub base_url: Option<String>,
    /// Credentials given whole (a user token, a token provider, or a vendor
    /// pair): they win over every other credential, given or in the environment.
    pub credentials: Option<Credentials>,
    /// The vendor client id, the half of a pair with `secret`.
    pub client_id: Option<String>,
    /// The vendor API key, the half of a pair with `client_id`.
    pub secret: Option<VendorSecret>,
    /// Wins over `FRONTEGG_TENANT_ID`.
    pub tenant_id: Option<TenantId>,
    /// Wins over `FRONTEGG_USER_ID`.
    pub user_id: Option<UserId>,
}

const HALF_IN_ENV: &str = "FRONTEGG_CLIENT_ID and FRONTEGG_API_KEY must be set together";

impl ClientBuilder {
    /// A builder for the EU region with no credentials yet, and every other
    /// setting at its [default](defaults).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder from the environment: `FRONTEGG_BASE_URL`, `FRONTEGG_REGION`,
    /// `FRONTEGG_USER_TOKEN`, or `FRONTEGG_CLIENT_ID` with `FRONTEGG_API_KEY`
    /// (the names of Frontegg's own SDKs), `FRONTEGG_TENANT_ID`, `FRONTEGG_USER_ID`.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with values given in code layered over
    /// it, each setting decided once, here, for every binding:
    ///
    /// - **Where**: an explicit `base_url` or `region` wins over both
    ///   `FRONTEGG_BASE_URL` and `FRONTEGG_REGION` (which are then not read);
    ///   within one layer a base URL wins over a region.
    /// - **Who**: explicit `credentials` (a user token, a token provider or a
    ///   whole vendor pair) win over everything else. Otherwise the vendor
    ///   pair is assembled half by half: each half is the explicit value, else
    ///   its variable (`FRONTEGG_CLIENT_ID`, `FRONTEGG_API_KEY`), and the
    ///   variables are read with `from_env`'s rule: when a half is taken from
    ///   the environment, the environment must hold both halves. So half a
    ///   pair is an error whatever mix of explicit values and variables
    ///   produces it (an explicit `client_id` with only `FRONTEGG_API_KEY` set
    ///   is refused, as `from_env` refuses `FRONTEGG_API_KEY` alone), while an
    ///   explicit `secret` may replace the key of a whole pair in the
    ///   environment. With no vendor half anywhere, `FRONTEGG_USER_TOKEN`.
    /// - `tenant_id` and `user_id`: the explicit value, else the variable.
    ///
    /// With `EnvOverrides::default()` this is exactly `from_env`.
    pub fn from_env_with(explicit: EnvOverrides) -> Result<Self, Error> {
        Self::from_vars_with(|name| std::env::var(name).ok(), explicit)
    }

    /// [`from_env`](Self::from_env) over any variable lookup.
    fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        Self::from_vars_with(lookup, EnvOverrides::default())
    }

    /// [`from_env_with`](Self::from_env_with) over any variable lookup (a
    /// test's, or a tool's own view of its environment).
    pub fn from_lookup_with(
        lookup: impl Fn(&str) -> Option<String>,
        explicit: EnvOverrides,
    ) -> Result<Self, Error> {
        Self::from_vars_with(lookup, explicit)
    }

    /// [`from_env_with`](Self::from_env_with) over any variable lookup.
    fn from_vars_with(
        lookup: impl Fn(&str) -> Option<String>,
        explicit: EnvOverrides,
    ) -> Result<Self, Error> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut builder = Self::new();
        if explicit.region.is_some() || explicit.base_url.is_some() {
            builder.region = explicit.region.unwrap_or(defaults::REGION);
            builder.base_url = explicit.base_url;
        } else {
            if let Some(region) = var("FRONTEGG_REGION") {
                let region = region.parse().map_err(|_| {
                    Error::Configuration("FRONTEGG_REGION must be one of eu, us, ca, au".into())
                })?;
                builder = builder.region(region);
            }
            builder.base_url = var("FRONTEGG_BASE_URL");
        }
        // The environment's vendor pair, both halves or none.
        let env_pair = || match (var("FRONTEGG_CLIENT_ID"), var("FRONTEGG_API_KEY")) {
            (Some(id), Some(key)) => Ok(Some((id, key))),
            (None, None) => Ok(None),
            _ => Err(Error::Configuration(HALF_IN_ENV.into())),
        };
        builder.credentials = match (explicit.credentials, explicit.client_id, explicit.secret) {
            (Some(credentials), _, _) => Some(credentials),
            (None, Some(client_id), Some(secret)) => Some(Credentials::Vendor { client_id, secret }),
            (None, None, None) => match env_pair()? {
                Some((client_id, key)) => Some(Credentials::Vendor {
                    client_id,
                    secret: VendorSecret::new(key)?,
                }),
                None => var("FRONTEGG_USER_TOKEN")
                    .map(AccessToken::new)
                    .transpose()?
                    .map(Credentials::UserToken),
            },
            (None, client_id, secret) => {
                let Some((env_id, env_key)) = env_pair()? else {
                    return Err(Error::Configuration(
                        "vendor credentials need both client_id and secret \
                         (or FRONTEGG_CLIENT_ID and FRONTEGG_API_KEY)"
                            .into(),
                    ));
                };
                Some(Credentials::Vendor {
                    client_id: client_id.unwrap_or(env_id),
                    secret: match secret {
                        Some(secret) => secret,
                        None => VendorSecret::new(env_key)?,
                    },
                })
            }
        };
        builder.tenant_id = match explicit.tenant_id {
            Some(tenant) => Some(tenant),
            None => var("FRONTEGG_TENANT_ID").map(TenantId::new).transpose()?,
        };
        builder.user_id = match explicit.user_id {
            Some(user) => Some(user),
            None => var("FRONTEGG_USER_ID").map(UserId::new).transpose()?,
        };
        Ok(builder)
    }

    /// The credentials set so far, if any.
    #[must_use]
    pub fn configured_credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// The gateway root set so far, as given (not yet checked): the base
    /// URL, else the region's gateway.
    #[must_use]
    pub fn configured_gateway(&self) -> &str {
        self.base_url.as_deref().unwrap_or(self.region.gateway())
    }

    setters! {
        /// The region (EU by default). A [`base_url`](Self::base_url) overrides it.
        region(region: Region) => region = region;

        /// A gateway root to use instead of the region's: a custom domain
        /// (`https://app-xxx.frontegg.com`), staging, a proxy or the emulator.
        /// `/identity/...` and `/auth/vendor` are appended to it. Plain `http://`
        /// is refused unless the host is loopback or
        /// [`allow_insecure_http`](Self::allow_insecure_http) is set.
        base_url(url: impl Into<String>) => base_url = Some(url.into());

        /// Allows a plain `http://` base URL on a host that is not loopback.
        allow_insecure_http(allow: bool) => allow_insecure_http = allow;

        /// Authenticates as a user with this access token.
        user_token(token: AccessToken) => credentials = Some(Credentials::UserToken(token));

        /// Authenticates as a user with a token from `provider`, asked on every call.
        token_provider(provider: impl TokenProvider) =>
            credentials = Some(Credentials::TokenProvider(Arc::new(provider)));
    }

    /// Authenticates as the vendor with the environment's client id and API key.
    #[must_use]
    pub fn vendor_credentials(mut self, client_id: impl Into<String>, secret: VendorSecret) -> Self {
        self.credentials = Some(Credentials::Vendor {
            client_id: client_id.into(),
            secret,
        });
        self
    }

    setters! {
        /// Sets the credentials.
        credentials(credentials: Credentials) => credentials = Some(credentials);

        /// The tenant sent as `frontegg-tenant-id` with vendor tokens.
        tenant_id(tenant: TenantId) => tenant_id = Some(tenant);

        /// The user sent as `frontegg-user-id` with vendor tokens, so that the
        /// self-service routes act on that user.
        user_id(user: UserId) => user_id = Some(user);

        /// The retry policy ([`RetryPolicy::default`], whose values are
        /// [`defaults::MAX_ATTEMPTS`] and the backoffs next to it, unless set).
        retry_policy(policy: RetryPolicy) => retry = policy;

        /// The time allowed to connect ([`defaults::CONNECT_TIMEOUT`], 10 s).
        connect_timeout(timeout: Duration) => transport.connect_timeout = timeout;

        /// The time allowed for one attempt, from connecting to the last byte of
        /// the answer ([`defaults::TIMEOUT`], 30 s).
        timeout(timeout: Duration) => transport.timeout = timeout;

        /// The time allowed for a whole call: every attempt, retry and wait
        /// between them (60 s by default). Each attempt is given at most the
        /// time left; a retry that cannot start before the deadline is not made,
        /// and the call fails with a timeout that says so
        /// ([`Error::deadline_exceeded`]). It must not be
        /// shorter than the connect timeout.
        deadline(deadline: Duration) => transport.deadline = deadline;

        /// Sends every request through this proxy (`http://host:port` or
        /// `https://host:port`, with `user:password@` if it asks), instead of
        /// the environment's. A URL that does not parse or has another scheme is
        /// refused when the client is built.
        proxy(url: impl Into<String>) => transport.proxy = Some(url.into());
    }

    /// Trusts the CA certificates in `pem` (one or more `-----BEGIN
    /// CERTIFICATE-----` blocks) besides the platform's, for every transport:
    /// a corporate CA, a TLS-inspecting proxy's, a test CA. PEM without a
    /// certificate is refused when the client is built.
    #[must_use]
    pub fn add_root_certificate(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.transport.root_certificates.push(pem.into());
        self
    }

    /// [`add_root_certificate`](Self::add_root_certificate) with the contents
    /// of a PEM file (a CA bundle); a file that cannot be read is a
    /// configuration error.
    pub fn add_root_certificate_file(self, path: impl AsRef<std::path::Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let pem = std::fs::read(path).map_err(|e| {
            Error::Configuration(format!("could not read the CA bundle {}: {e}", path.display()))
        })?;
        Ok(self.add_root_certificate(pem))
    }

    setters! {
        /// The largest answer body read ([`defaults::MAX_RESPONSE_BYTES`], 1 MiB);
        /// a larger one is an error.
        max_response_bytes(limit: usize) => transport.max_response_bytes = limit;

        /// Whether proxies are taken from the environment (on by default).
        proxy_from_env(enabled: bool) => transport.proxy_from_env = enabled;

        /// The environment's login domain (`app-xxx.frontegg.com`), sent as
        /// `frontegg-vendor-host` on the sign-in routes that ask for it
        /// (passwordless SMS sign-in).
        vendor_host(host: impl Into<String>) => vendor_host = Some(host.into());

        /// Replaces the `User-Agent` ([`defaults::USER_AGENT`],
        /// `frontegg-identity-rust/<version>`).
        user_agent(user_agent: impl Into<String>) => user_agent = Some(user_agent.into());
    }

    /// What the transport must honour.
    #[must_use]
    pub fn transport_options(&self) -> &TransportOptions {
        &self.transport
    }

    /// Checks the configuration and resolves it.
    pub(crate) fn resolve(self) -> Result<ClientConfig, Error> {
        let gateway = match &self.base_url {
            Some(url) => check_base_url(url, self.allow_insecure_http)?,
            None => self.region.gateway().to_owned(),
        };
        check_times(
            self.transport.connect_timeout,
            self.transport.timeout,
            self.transport.deadline,
        )?;
        if let Some(proxy) = &self.transport.proxy {
            check_proxy_url(proxy)?;
        }
        for (i, pem) in self.transport.root_certificates.iter().enumerate() {
            parse_pem_certificates(pem)
                .map_err(|why| Error::Configuration(format!("root certificate {} {why}", i + 1)))?;
        }
        if self.transport.max_response_bytes == 0 {
            return Err(Error::Configuration(
                "max_response_bytes must be greater than zero".into(),
            ));
        }
        let header = |value: &str, what: &str| {
            HeaderValue::from_str(value)
                .map_err(|_| Error::Configuration(format!("{what} must be printable ASCII")))
        };
        let credentials = match self.credentials {
            None => None,
            Some(Credentials::UserToken(token)) => Some(Auth::User(bearer(&token)?)),
            Some(Credentials::TokenProvider(p)) => Some(Auth::Provider(p)),
            Some(Credentials::Vendor { client_id, secret }) => {
                if client_id.trim().is_empty() {
                    return Err(Error::Configuration("client_id must not be empty".into()));
                }
                Some(Auth::Vendor { client_id, secret })
            }
        };
        Ok(ClientConfig {
            gateway,
            credentials,
            tenant_id: self
                .tenant_id
                .as_ref()
                .map(|t| header(t.as_str(), "tenant id"))
                .transpose()?,
            user_id: self
                .user_id
                .as_ref()
                .map(|u| header(u.as_str(), "user id"))
                .transpose()?,
            user_agent: header(self.user_agent.as_deref().unwrap_or(USER_AGENT), "user agent")?,
            vendor_host: self
                .vendor_host
                .as_deref()
                .map(|h| header(h.trim(), "vendor host"))
                .transpose()?,
            retry: self.retry,
            transport: self.transport,
        })
    }
}

/// `Bearer <token>`, marked sensitive so `http` never prints it.
pub(crate) fn bearer(token: &AccessToken) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::try_from(format!("Bearer {}", token.expose_secret()))
        .map_err(|_| Error::Configuration("the access token cannot be sent in a header".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Checks a proxy URL. The message never quotes it: it may hold a password.
fn check_proxy_url(raw: &str) -> Result<(), Error> {
    let bad = |why: &str| Error::Configuration(format!("the proxy URL {why}"));
    let url = url::Url::parse(raw.trim()).map_err(|_| bad("is not a valid URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must use http:// or https://"));
    }
    if url.host().is_none() {
        return Err(bad("has no host"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a path, query or fragment"));
    }
    Ok(())
}

fn check_base_url(raw: &str, allow_insecure_http: bool) -> Result<String, Error> {
    let bad = |why: &str| Error::Configuration(format!("base_url {why}"));
    let url = url::Url::parse(raw.trim()).map_err(|_| bad("is not a valid URL"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not contain credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    match url.scheme() {
        "https" => {}
        "http" => {
            let loopback = match url.host() {
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
                Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
                None => false,
            };
            if !loopback && !allow_insecure_http {
                return Err(bad(
                    "uses plain http on a host that is not loopback; use https or allow_insecure_http(true)",
                ));
            }
        }
        _ => return Err(bad("must use https (or http on loopback)")),
    }
    if url.host().is_none() {
        return Err(bad("has no host"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

pub(crate) enum Auth {
    User(HeaderValue),
    Provider(Arc<dyn TokenProvider>),
    Vendor { client_id: String, secret: VendorSecret },
}

/// A resolved configuration, shared by both clients.
pub(crate) struct ClientConfig {
    pub(crate) gateway: String,
    pub(crate) credentials: Option<Auth>,
    pub(crate) tenant_id: Option<HeaderValue>,
    pub(crate) user_id: Option<HeaderValue>,
    pub(crate) user_agent: HeaderValue,
    pub(crate) vendor_host: Option<HeaderValue>,
    pub(crate) retry: RetryPolicy,
    pub(crate) transport: TransportOptions,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = match &self.credentials {
            None => "none",
            Some(Auth::User(_)) => "user token",
            Some(Auth::Provider(_)) => "token provider",
            Some(Auth::Vendor { .. }) => "vendor",
        };
        f.debug_struct("ClientConfig")
            .field("gateway", &self.gateway)
            .field("credentials", &credentials)
            .field("tenant_id", &self.tenant_id)
            .field("user_id", &self.user_id)
            .field("vendor_host", &self.vendor_host)
            .field("retry", &self.retry)
            .field("transport", &self.transport)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let ok = |u: &str| check_base_url(u, false).unwrap();
        assert_eq!(ok("https://app-x.frontegg.com/"), "https://app-x.frontegg.com");
        assert_eq!(ok("http://127.0.0.1:8787"), "http://127.0.0.1:8787");
        assert_eq!(ok("http://localhost:1/prefix/"), "http://localhost:1/prefix");
        assert_eq!(ok("http://[::1]:9"), "http://[::1]:9");
        for bad in [
            "http://example.com",
            "ftp://x",
            "not a url",
            "https://u:p@x.com",
            "https://x.com/?a=1",
            "https://x.com/#f",
            "http://10.0.0.1",
        ] {
            assert!(check_base_url(bad, false).is_err(), "{bad}");
        }
        assert_eq!(
            check_base_url("http://example.com", true).unwrap(),
            "http://example.com"
        );
    }

    #[test]
    fn debug_redacts_credentials() {
        let b = ClientBuilder::new().vendor_credentials("cid", VendorSecret::new("s3cr3t-canary").unwrap());
        let text = format!("{b:?}");
        assert!(!text.contains("s3cr3t-canary"), "{text}");
        let b = ClientBuilder::new().user_token(AccessToken::new("tok-canary").unwrap());
        let resolved = b.clone().resolve().unwrap();
        assert!(!format!("{b:?}{resolved:?}").contains("tok-canary"));
    }

    #[test]
    fn environment() {
        let b = ClientBuilder::from_vars(env(&[
            ("FRONTEGG_REGION", "au"),
            ("FRONTEGG_CLIENT_ID", "cid"),
            ("FRONTEGG_API_KEY", "key"),
            ("FRONTEGG_USER_TOKEN", "ignored"),
        ]))
        .unwrap();
        assert!(matches!(b.credentials, Some(Credentials::Vendor { .. })));
        assert_eq!(b.resolve().unwrap().gateway, "https://api.au.frontegg.com");
        let b = ClientBuilder::from_vars(env(&[
            ("FRONTEGG_USER_TOKEN", "tok"),
            ("FRONTEGG_BASE_URL", "http://127.0.0.1:1"),
        ]))
        .unwrap();
        assert!(matches!(b.credentials, Some(Credentials::UserToken(_))));
        assert_eq!(b.resolve().unwrap().gateway, "http://127.0.0.1:1");
        for half in [
            &[("FRONTEGG_CLIENT_ID", "cid")][..],
            &[("FRONTEGG_API_KEY", "key")][..],
        ] {
            let pairs: &'static [(&'static str, &'static str)] = half;
            assert!(matches!(
                ClientBuilder::from_vars(env(pairs)),
                Err(Error::Configuration(_))
            ));
        }
        assert!(ClientBuilder::from_vars(env(&[("FRONTEGG_REGION", "mars")])).is_err());
        assert!(ClientBuilder::from_vars(env(&[])).unwrap().credentials.is_none());
    }

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    fn secret(value: &str) -> Option<VendorSecret> {
        Some(VendorSecret::new(value).unwrap())
    }

    fn kind(b: &ClientBuilder) -> &'static str {
        match b.configured_credentials() {
            None => "none",
            Some(Credentials::UserToken(_)) => "user",
            Some(Credentials::TokenProvider(_)) => "provider",
            Some(Credentials::Vendor { .. }) => "vendor",
        }
    }

    fn vendor_id(b: &ClientBuilder) -> &str {
        match b.configured_credentials() {
            Some(Credentials::Vendor { client_id, .. }) => client_id,
            _ => panic!("not vendor credentials"),
        }
    }

    #[test]
    fn explicit_values_layered_over_the_environment() {
        let layered = |pairs: &'static [(&'static str, &'static str)], explicit: EnvOverrides| {
            ClientBuilder::from_vars_with(env(pairs), explicit)
        };
        let half = |r: Result<ClientBuilder, Error>| matches!(r, Err(Error::Configuration(_)));
        let pair = &[("FRONTEGG_CLIENT_ID", "env-id"), ("FRONTEGG_API_KEY", "env-key")][..];
        let key_only = &[("FRONTEGG_API_KEY", "env-key")][..];

        // Nothing explicit: exactly from_env.
        let b = layered(pair, EnvOverrides::default()).unwrap();
        assert_eq!((kind(&b), vendor_id(&b)), ("vendor", "env-id"));
        assert!(half(layered(key_only, EnvOverrides::default())));

        // Where: an explicit region or base URL wins over both variables.
        let location = &[
            ("FRONTEGG_BASE_URL", "http://127.0.0.1:1"),
            ("FRONTEGG_REGION", "mars"),
        ][..];
        let e = EnvOverrides {
            region: Some(Region::Au),
            ..EnvOverrides::default()
        };
        assert_eq!(
            layered(location, e).unwrap().configured_gateway(),
            "https://api.au.frontegg.com"
        );
        let e = EnvOverrides {
            base_url: Some("https://app-x.frontegg.com".into()),
            region: Some(Region::Us),
            ..EnvOverrides::default()
        };
        assert_eq!(
            layered(location, e).unwrap().configured_gateway(),
            "https://app-x.frontegg.com"
        );
        let b = layered(
            &[
                ("FRONTEGG_BASE_URL", "http://127.0.0.1:1"),
                ("FRONTEGG_REGION", "us"),
            ],
            EnvOverrides::default(),
        );
        assert_eq!(b.unwrap().configured_gateway(), "http://127.0.0.1:1");

        // Half a pair is an error whatever mix produces it.
        let e = EnvOverrides {
            client_id: Some("code-id".into()),
            ..EnvOverrides::default()
        };
        assert!(
            half(layered(key_only, e.clone())),
            "explicit id + FRONTEGG_API_KEY alone"
        );
        assert!(half(layered(&[], e.clone())), "explicit id alone");
        assert!(half(layered(&[("FRONTEGG_CLIENT_ID", "env-id")], e)));
        let e = EnvOverrides {
            secret: secret("code-key"),
            ..EnvOverrides::default()
        };
        assert!(half(layered(&[("FRONTEGG_CLIENT_ID", "env-id")], e.clone())));
        // ... while one explicit half may replace its twin in a whole pair.
        let b = layered(pair, e).unwrap();
        assert_eq!((kind(&b), vendor_id(&b)), ("vendor", "env-id"));
        let e = EnvOverrides {
            client_id: Some("code-id".into()),
            ..EnvOverrides::default()
        };
        assert_eq!(vendor_id(&layered(pair, e).unwrap()), "code-id");

        // A whole explicit pair does not read the vendor variables at all.
        let e = EnvOverrides {
            client_id: Some("code-id".into()),
            secret: secret("code-key"),
            ..EnvOverrides::default()
        };
        assert_eq!(vendor_id(&layered(key_only, e).unwrap()), "code-id");

        // Explicit credentials win over everything.
        let e = EnvOverrides {
            credentials: Some(Credentials::UserToken(AccessToken::new("code-token").unwrap())),
            client_id: Some("ignored".into()),
            ..EnvOverrides::default()
        };
        assert_eq!(kind(&layered(pair, e.clone()).unwrap()), "user");
        assert_eq!(kind(&layered(key_only, e).unwrap()), "user");
        // In the environment, the vendor pair wins over the user token.
        let both = &[
            ("FRONTEGG_USER_TOKEN", "env-token"),
            ("FRONTEGG_CLIENT_ID", "env-id"),
            ("FRONTEGG_API_KEY", "k"),
        ];
        assert_eq!(kind(&layered(both, EnvOverrides::default()).unwrap()), "vendor");
        assert_eq!(
            kind(&layered(&[("FRONTEGG_USER_TOKEN", "t")], EnvOverrides::default()).unwrap()),
            "user"
        );

        // Tenant and user: explicit, else the variable.
        let ids = &[
            ("FRONTEGG_TENANT_ID", "env-tenant"),
            ("FRONTEGG_USER_ID", "env-user"),
        ][..];
        let e = EnvOverrides {
            tenant_id: Some(TenantId::new("code-tenant").unwrap()),
            ..EnvOverrides::default()
        };
        let b = layered(ids, e).unwrap();
        assert_eq!(b.tenant_id.as_ref().map(TenantId::as_str), Some("code-tenant"));
        assert_eq!(b.user_id.as_ref().map(UserId::as_str), Some("env-user"));
    }

    #[test]
    fn the_builder_starts_from_the_defaults() {
        let b = ClientBuilder::new();
        assert_eq!(b.region, defaults::REGION);
        assert_eq!(b.transport.connect_timeout, defaults::CONNECT_TIMEOUT);
        assert_eq!(b.transport.timeout, defaults::TIMEOUT);
        assert_eq!(b.transport.max_response_bytes, defaults::MAX_RESPONSE_BYTES);
        assert_eq!(b.transport.proxy_from_env, defaults::PROXY_FROM_ENV);
        assert_eq!(b.retry.attempts(), defaults::MAX_ATTEMPTS);
        // The types' own defaults agree, so a client built without the
        // builder behaves the same.
        assert_eq!(b.transport, TransportOptions::default());
        assert_eq!(b.retry, RetryPolicy::default());
        assert_eq!(b.region, Region::default());
        assert_eq!(USER_AGENT, defaults::USER_AGENT);
    }

    /// The README's configuration table says what `defaults` holds.
    #[test]
    fn the_readme_table_matches_the_defaults() {
        let readme = include_str!("../../../README.md");
        let section = readme
            .split("### Configuration")
            .nth(1)
            .expect("README has a Configuration section");
        let rows: Vec<Vec<&str>> = section
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
            .collect();
        let default_of = |setting: &str| -> &str {
            let row = rows
                .iter()
                .find(|r| r[0] == setting)
                .unwrap_or_else(|| panic!("no README row for {setting:?}"));
            row[row.len() - 1]
        };
        let duration = |d: Duration| {
            if d.subsec_nanos() == 0 {
                format!("{} s", d.as_secs())
            } else {
                format!("{} ms", d.as_millis())
            }
        };
        assert_eq!(
            default_of("region"),
            format!("`{}`", format!("{:?}", defaults::REGION).to_lowercase())
        );
        assert_eq!(default_of("connect timeout"), duration(defaults::CONNECT_TIMEOUT));
        assert_eq!(default_of("timeout per attempt"), duration(defaults::TIMEOUT));
        assert_eq!(
            default_of("attempts per call"),
            defaults::MAX_ATTEMPTS.to_string()
        );
        assert_eq!(default_of("first backoff"), duration(defaults::INITIAL_BACKOFF));
        assert_eq!(default_of("longest backoff"), duration(defaults::MAX_BACKOFF));
        assert_eq!(
            default_of("longest total wait"),
            duration(defaults::MAX_TOTAL_WAIT)
        );
        assert_eq!(
            default_of("largest answer body"),
            format!("{} MiB", defaults::MAX_RESPONSE_BYTES >> 20)
        );
        assert_eq!(defaults::MAX_RESPONSE_BYTES % (1 << 20), 0);
        assert_eq!(
            default_of("proxies from the environment"),
            if defaults::PROXY_FROM_ENV { "on" } else { "off" }
        );
        let agent = defaults::USER_AGENT.replace(env!("CARGO_PKG_VERSION"), "<version>");
        assert!(default_of("`User-Agent`").starts_with(&format!("`{agent}`")));
    }

    #[test]
    fn network_options_are_checked_when_built() {
        let refused = |b: ClientBuilder| match b.resolve() {
            Err(Error::Configuration(message)) => message,
            other => panic!("{other:?}"),
        };
        for url in [
            "not a url",
            "socks5://127.0.0.1:1080",
            "ftp://p:21",
            "http://p:3128/x",
            "http://",
        ] {
            refused(ClientBuilder::new().proxy(url));
        }
        let message = refused(ClientBuilder::new().proxy("http://u:hunter2@p:3128/x?y"));
        assert!(!message.contains("hunter2"), "{message}");
        for url in ["http://127.0.0.1:3128", "https://u:p@proxy.example:443/"] {
            ClientBuilder::new().proxy(url).resolve().unwrap();
        }
        let message = refused(ClientBuilder::new().add_root_certificate("not PEM at all"));
        assert!(message.contains("root certificate 1"), "{message}");
        refused(
            ClientBuilder::new()
                .add_root_certificate("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"),
        );
        refused(
            ClientBuilder::new()
                .add_root_certificate("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
        );
        let message = match ClientBuilder::new().add_root_certificate_file("/nonexistent/ca.pem") {
            Err(Error::Configuration(message)) => message,
            other => panic!("{other:?}"),
        };
        assert!(message.contains("/nonexistent/ca.pem"), "{message}");
    }

    #[test]
    fn time_bounds_are_checked_when_built() {
        let s = Duration::from_secs;
        for b in [
            ClientBuilder::new().timeout(Duration::ZERO),
            ClientBuilder::new().connect_timeout(Duration::ZERO),
            ClientBuilder::new().deadline(Duration::ZERO),
            ClientBuilder::new().connect_timeout(s(5)).deadline(s(4)),
        ] {
            assert!(matches!(b.resolve(), Err(Error::Configuration(_))));
        }
        let config = ClientBuilder::new().resolve().unwrap();
        assert_eq!(config.transport.deadline, defaults::DEADLINE);
        // An attempt timeout longer than the deadline is fine: the deadline caps it.
        ClientBuilder::new()
            .timeout(s(120))
            .deadline(s(10))
            .resolve()
            .unwrap();
    }

    #[test]
    fn regions() {
        assert_eq!(
            "US".parse::<Region>().unwrap().gateway(),
            "https://api.us.frontegg.com"
        );
        assert!("mars".parse::<Region>().is_err());
        assert_eq!(
            ClientBuilder::new().resolve().unwrap().gateway,
            "https://api.frontegg.com"
        );
    }
}
