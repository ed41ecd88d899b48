//! The SDK clients, behind the same small surface as the raw ones.

use std::sync::Arc;

use frontegg_identity_hyper::{HyperBuild, HyperClient};
use frontegg_identity_reqwest::{
    AccessToken, Client, ClientBuilder, IdentityTransport, OtcToken, PhoneNumber, ReqwestBuild,
    ReqwestClient, VerificationCode,
};
use frontegg_identity_ureq::{UreqBuild, UreqClient};

use crate::BoxError;
use crate::raw::{RawAsync, RawBlocking, RawHyper};

/// What a preverify returned.
pub(crate) enum Token {
    Sdk(OtcToken),
    Raw(String),
}

fn builder(base: &str, token: &str) -> Result<ClientBuilder, BoxError> {
    Ok(ClientBuilder::new()
        .base_url(base)
        .user_token(AccessToken::new(token)?))
}

/// An async client: the SDK's over reqwest or hyper-util, the raw reqwest
/// one or the raw hyper-util one.
#[derive(Clone)]
pub(crate) enum AsyncClient {
    Sdk(ReqwestClient),
    SdkHyper(HyperClient),
    Raw(Arc<RawAsync>),
    Hyper(Arc<RawHyper>),
}

impl AsyncClient {
    pub(crate) fn sdk(base: &str, token: &str) -> Result<Self, BoxError> {
        Ok(Self::Sdk(ReqwestBuild::build(builder(base, token)?)?))
    }

    pub(crate) fn sdk_hyper(base: &str, token: &str) -> Result<Self, BoxError> {
        Ok(Self::SdkHyper(HyperBuild::build(builder(base, token)?)?))
    }

    pub(crate) fn raw(base: &str, token: &str) -> Result<Self, BoxError> {
        Ok(Self::Raw(Arc::new(RawAsync::new(base, token)?)))
    }

    pub(crate) fn hyper(base: &str, token: &str) -> Result<Self, BoxError> {
        Ok(Self::Hyper(Arc::new(RawHyper::new(base, token)?)))
    }

    /// Preverifies `phone`, given as a user would type it: the SDK parses it.
    pub(crate) async fn preverify(&self, phone: &str) -> Result<Token, BoxError> {
        match self {
            Self::Sdk(c) => sdk_preverify(c, phone).await,
            Self::SdkHyper(c) => sdk_preverify(c, phone).await,
            Self::Raw(c) => Ok(Token::Raw(c.preverify(phone).await?)),
            Self::Hyper(c) => Ok(Token::Raw(c.preverify(phone).await?)),
        }
    }

    pub(crate) async fn verify(&self, token: &Token, code: &str) -> Result<(), BoxError> {
        match (self, token) {
            (Self::Sdk(c), Token::Sdk(t)) => sdk_verify(c, t, code).await,
            (Self::SdkHyper(c), Token::Sdk(t)) => sdk_verify(c, t, code).await,
            (Self::Raw(c), Token::Raw(t)) => c.verify(t, code).await,
            (Self::Hyper(c), Token::Raw(t)) => c.verify(t, code).await,
            _ => Err("token from another variant".into()),
        }
    }

    /// Lists the user's numbers; returns how many.
    pub(crate) async fn list_mine(&self) -> Result<usize, BoxError> {
        match self {
            Self::Sdk(c) => Ok(c.phone_numbers().list_mine().await?.len()),
            Self::SdkHyper(c) => Ok(c.phone_numbers().list_mine().await?.len()),
            Self::Raw(c) => Ok(c.list_mine().await?.len()),
            Self::Hyper(c) => Ok(c.list_mine().await?.len()),
        }
    }
}

async fn sdk_preverify<T: IdentityTransport>(client: &Client<T>, phone: &str) -> Result<Token, BoxError> {
    let number = PhoneNumber::parse(phone)?;
    Ok(Token::Sdk(client.phone_numbers().preverify(&number).await?))
}

async fn sdk_verify<T: IdentityTransport>(
    client: &Client<T>,
    token: &OtcToken,
    code: &str,
) -> Result<(), BoxError> {
    let code = VerificationCode::parse(code)?;
    Ok(client.phone_numbers().verify(token, &code).await?)
}

/// A blocking client: the SDK's or the raw one.
pub(crate) enum BlockingClient {
    Sdk(UreqClient),
    Raw(RawBlocking),
}

impl BlockingClient {
    pub(crate) fn sdk(base: &str, token: &str) -> Result<Self, BoxError> {
        Ok(Self::Sdk(UreqBuild::build(builder(base, token)?)?))
    }

    pub(crate) fn raw(base: &str, token: &str) -> Self {
        Self::Raw(RawBlocking::new(base, token))
    }

    pub(crate) fn preverify(&self, phone: &str) -> Result<Token, BoxError> {
        match self {
            Self::Sdk(c) => {
                let number = PhoneNumber::parse(phone)?;
                Ok(Token::Sdk(c.phone_numbers().preverify(&number)?))
            }
            Self::Raw(c) => Ok(Token::Raw(c.preverify(phone)?)),
        }
    }

    pub(crate) fn verify(&self, token: &Token, code: &str) -> Result<(), BoxError> {
        match (self, token) {
            (Self::Sdk(c), Token::Sdk(t)) => {
                let code = VerificationCode::parse(code)?;
                Ok(c.phone_numbers().verify(t, &code)?)
            }
            (Self::Raw(c), Token::Raw(t)) => c.verify(t, code),
            _ => Err("token from another variant".into()),
        }
    }

    pub(crate) fn list_mine(&self) -> Result<usize, BoxError> {
        match self {
            Self::Sdk(c) => Ok(c.phone_numbers().list_mine()?.len()),
            Self::Raw(c) => Ok(c.list_mine()?.len()),
        }
    }
}
