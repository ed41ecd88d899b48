//! Hand-written clients over the same HTTP libraries as the SDK transports,
//! sending byte-identical requests and parsing the same JSON with serde.

use std::time::Duration;

use chrono::{DateTime, Utc};
use http::HeaderValue;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use serde::{Deserialize, Serialize};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::BoxError;

/// The SDK's `User-Agent`, sent by the raw clients too.
pub(crate) const UA: &str = frontegg_identity_reqwest::USER_AGENT;
const JSON: &str = "application/json";
const PHONES: &str = "/identity/resources/users/phone-numbers/v1";

/// The three URLs measured.
#[derive(Debug, Clone)]
pub(crate) struct Urls {
    pub(crate) preverify: String,
    pub(crate) verify: String,
    pub(crate) me: String,
}

impl Urls {
    pub(crate) fn new(base: &str) -> Self {
        let base = base.trim_end_matches('/');
        Self {
            preverify: format!("{base}{PHONES}/preverify"),
            verify: format!("{base}{PHONES}/verify"),
            me: format!("{base}{PHONES}/me"),
        }
    }
}

#[derive(Serialize)]
struct PhoneBody<'a> {
    #[serde(rename = "phoneNumber")]
    phone_number: &'a str,
}

#[derive(Serialize)]
struct OtcBody<'a> {
    #[serde(rename = "otcToken")]
    otc_token: &'a str,
    code: &'a str,
}

#[derive(Deserialize)]
struct OtcAnswer {
    #[serde(rename = "otcToken")]
    otc_token: String,
}

/// A phone-number record, as a hand-written client would parse it.
#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub(crate) struct RawRecord {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    phone_number: String,
    #[serde(default)]
    verified: bool,
    #[serde(default)]
    created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    updated_at: Option<DateTime<Utc>>,
}

fn check(route: &str, status: http::StatusCode) -> Result<(), BoxError> {
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("{route}: HTTP {status}").into())
    }
}

/// A request builder (reqwest's, ureq's or http's) with the headers the SDK sends,
/// in its order: `accept`, `user-agent`, `content-type` when there is a
/// body, `authorization`.
macro_rules! sdk_headers {
    ($request:expr, $auth:expr) => {
        $request
            .header(ACCEPT, JSON)
            .header(USER_AGENT, UA)
            .header(AUTHORIZATION, $auth)
    };
    ($request:expr, $auth:expr, json) => {
        $request
            .header(ACCEPT, JSON)
            .header(USER_AGENT, UA)
            .header(CONTENT_TYPE, JSON)
            .header(AUTHORIZATION, $auth)
    };
}

/// Raw async client over `reqwest`, configured like `ReqwestTransport::new`.
#[derive(Debug)]
pub(crate) struct RawAsync {
    client: reqwest::Client,
    urls: Urls,
    auth: HeaderValue,
}

impl RawAsync {
    pub(crate) fn new(base: &str, token: &str) -> Result<Self, BoxError> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_nodelay(true)
            .build()?;
        Ok(Self {
            client,
            urls: Urls::new(base),
            auth: HeaderValue::from_str(&format!("Bearer {token}"))?,
        })
    }

    /// POSTs `body` as JSON to `url`; the answer, its status checked.
    async fn post(
        &self,
        route: &str,
        url: &str,
        body: &impl Serialize,
    ) -> Result<reqwest::Response, BoxError> {
        let body = serde_json::to_vec(body)?;
        let response = sdk_headers!(self.client.post(url), &self.auth, json)
            .body(body)
            .send()
            .await?;
        check(route, response.status())?;
        Ok(response)
    }

    pub(crate) async fn preverify(&self, phone: &str) -> Result<String, BoxError> {
        let response = self
            .post(
                "preverify",
                &self.urls.preverify,
                &PhoneBody { phone_number: phone },
            )
            .await?;
        Ok(serde_json::from_slice::<OtcAnswer>(&response.bytes().await?)?.otc_token)
    }

    pub(crate) async fn verify(&self, otc_token: &str, code: &str) -> Result<(), BoxError> {
        let response = self
            .post("verify", &self.urls.verify, &OtcBody { otc_token, code })
            .await?;
        let _ = response.bytes().await?;
        Ok(())
    }

    pub(crate) async fn list_mine(&self) -> Result<Vec<RawRecord>, BoxError> {
        let response = sdk_headers!(self.client.get(&self.urls.me), &self.auth)
            .send()
            .await?;
        check("list_mine", response.status())?;
        Ok(serde_json::from_slice(&response.bytes().await?)?)
    }
}

/// Raw async client over hyper-util's pooled client with nothing above it:
/// no reqwest layers (redirects, retries, URL conversions). It measures what
/// a transport written on hyper-util directly would start from. Plain HTTP
/// only, which is all the floor server and the emulator speak.
#[derive(Debug)]
pub(crate) struct RawHyper {
    client: HyperClient<HttpConnector, Full<Bytes>>,
    preverify: http::Uri,
    verify: http::Uri,
    me: http::Uri,
    auth: HeaderValue,
}

impl RawHyper {
    pub(crate) fn new(base: &str, token: &str) -> Result<Self, BoxError> {
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(Duration::from_secs(10)));
        connector.set_nodelay(true);
        let client = HyperClient::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .build(connector);
        let urls = Urls::new(base);
        Ok(Self {
            client,
            preverify: urls.preverify.parse()?,
            verify: urls.verify.parse()?,
            me: urls.me.parse()?,
            auth: HeaderValue::from_str(&format!("Bearer {token}"))?,
        })
    }

    /// Sends `request` and reads the answer's body, within 30 s as the
    /// other clients are configured; the body, its status checked.
    async fn send(&self, route: &str, request: http::Request<Full<Bytes>>) -> Result<Bytes, BoxError> {
        let exchange = async {
            let response = self.client.request(request).await?;
            check(route, response.status())?;
            Ok::<_, BoxError>(response.into_body().collect().await?.to_bytes())
        };
        tokio::time::timeout(Duration::from_secs(30), exchange).await?
    }

    async fn post(&self, route: &str, uri: &http::Uri, body: &impl Serialize) -> Result<Bytes, BoxError> {
        let body = serde_json::to_vec(body)?;
        let request =
            sdk_headers!(http::Request::post(uri.clone()), &self.auth, json).body(Full::from(body))?;
        self.send(route, request).await
    }

    pub(crate) async fn preverify(&self, phone: &str) -> Result<String, BoxError> {
        let body = self
            .post("preverify", &self.preverify, &PhoneBody { phone_number: phone })
            .await?;
        Ok(serde_json::from_slice::<OtcAnswer>(&body)?.otc_token)
    }

    pub(crate) async fn verify(&self, otc_token: &str, code: &str) -> Result<(), BoxError> {
        self.post("verify", &self.verify, &OtcBody { otc_token, code })
            .await
            .map(drop)
    }

    pub(crate) async fn list_mine(&self) -> Result<Vec<RawRecord>, BoxError> {
        let request = sdk_headers!(http::Request::get(self.me.clone()), &self.auth).body(Full::default())?;
        Ok(serde_json::from_slice(&self.send("list_mine", request).await?)?)
    }
}

/// Answers IP-literal hosts without ureq's default resolver, which (with a
/// timeout set) resolves on a new thread for every request. The SDK's
/// transport does the same, so both variants do the same HTTP work.
#[derive(Debug, Default)]
struct LiteralResolver(ureq::unversioned::resolver::DefaultResolver);

impl ureq::unversioned::resolver::Resolver for LiteralResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let host = uri
            .host()
            .unwrap_or("")
            .trim_start_matches('[')
            .trim_end_matches(']');
        match (host.parse::<std::net::IpAddr>(), uri.port_u16()) {
            (Ok(ip), Some(port)) => {
                let mut addrs = self.empty();
                addrs.push(std::net::SocketAddr::new(ip, port));
                Ok(addrs)
            }
            _ => self.0.resolve(uri, config, timeout),
        }
    }
}

/// Raw blocking client over `ureq`, configured like `UreqTransport::new`.
#[derive(Debug)]
pub(crate) struct RawBlocking {
    agent: ureq::Agent,
    urls: Urls,
    auth: String,
}

impl RawBlocking {
    pub(crate) fn new(base: &str, token: &str) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(30)))
            .timeout_connect(Some(Duration::from_secs(10)))
            .max_redirects(0)
            .save_redirect_history(false)
            .max_idle_connections(256)
            .max_idle_connections_per_host(256)
            .http_status_as_error(false)
            .build();
        let agent = ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::default(),
            LiteralResolver::default(),
        );
        Self {
            agent,
            urls: Urls::new(base),
            auth: format!("Bearer {token}"),
        }
    }

    /// POSTs `body` as JSON to `url`; the answer's body.
    fn post(&self, route: &str, url: &str, body: &impl Serialize) -> Result<Vec<u8>, BoxError> {
        let body = serde_json::to_vec(body)?;
        let mut response = sdk_headers!(self.agent.post(url), &self.auth, json).send(&body[..])?;
        check(route, response.status())?;
        Ok(response.body_mut().read_to_vec()?)
    }

    pub(crate) fn preverify(&self, phone: &str) -> Result<String, BoxError> {
        let bytes = self.post(
            "preverify",
            &self.urls.preverify,
            &PhoneBody { phone_number: phone },
        )?;
        Ok(serde_json::from_slice::<OtcAnswer>(&bytes)?.otc_token)
    }

    pub(crate) fn verify(&self, otc_token: &str, code: &str) -> Result<(), BoxError> {
        self.post("verify", &self.urls.verify, &OtcBody { otc_token, code })?;
        Ok(())
    }

    pub(crate) fn list_mine(&self) -> Result<Vec<RawRecord>, BoxError> {
        let mut response = sdk_headers!(self.agent.get(&self.urls.me), &self.auth).call()?;
        check("list_mine", response.status())?;
        Ok(serde_json::from_slice(&response.body_mut().read_to_vec()?)?)
    }
}
