//! The RS256 key that signs every token the emulator mints (user tokens,
//! sign-in sessions, vendor tokens), and the forms its public half is served
//! in: JWKS (`/.well-known/jwks.json`) and PEM (`publicKey` of
//! `/identity/resources/configurations/v1`).

use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey as _, EncodePublicKey as _, LineEnding};
use rsa::signature::{SignatureEncoding as _, Signer as _, Verifier as _};
use rsa::traits::PublicKeyParts as _;
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::{Digest as _, Sha256};

/// Why a signing key was refused: never the key itself.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid signing key: {0}")]
pub struct SigningKeyError(pub String);

/// Bits of the key generated when none is given.
const GENERATED_BITS: usize = 2048;

/// An RSA key pair, its `kid`, and its public half as PEM and JWK.
pub(crate) struct Signer {
    signing: SigningKey<Sha256>,
    verifying: VerifyingKey<Sha256>,
    kid: String,
    public_pem: String,
    jwk: serde_json::Value,
}

impl Signer {
    fn new(private: RsaPrivateKey) -> Result<Self, SigningKeyError> {
        let public = RsaPublicKey::from(&private);
        let public_pem = public
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| SigningKeyError(format!("cannot encode the public key: {e}")))?;
        let n = URL_SAFE_NO_PAD.encode(public.n().to_bytes_be());
        let e = URL_SAFE_NO_PAD.encode(public.e().to_bytes_be());
        // RFC 7638 thumbprint: members in lexicographic order, no spaces.
        let thumbprint = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
        let kid = URL_SAFE_NO_PAD.encode(Sha256::digest(thumbprint.as_bytes()));
        let jwk = serde_json::json!({
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": kid,
            "n": n,
            "e": e,
        });
        Ok(Self {
            signing: SigningKey::new(private),
            verifying: VerifyingKey::new(public),
            kid,
            public_pem,
            jwk,
        })
    }

    /// Loads a PEM RSA private key, PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1
    /// (`BEGIN RSA PRIVATE KEY`), of at least 1024 bits.
    pub(crate) fn from_pem(pem: &str) -> Result<Self, SigningKeyError> {
        let pem = pem.trim();
        let key = if pem.contains("BEGIN RSA PRIVATE KEY") {
            RsaPrivateKey::from_pkcs1_pem(pem)
                .map_err(|e| SigningKeyError(format!("not a PKCS#1 RSA key: {e}")))?
        } else if pem.contains("BEGIN PRIVATE KEY") {
            RsaPrivateKey::from_pkcs8_pem(pem)
                .map_err(|e| SigningKeyError(format!("not a PKCS#8 RSA key: {e}")))?
        } else {
            return Err(SigningKeyError(
                "expected a PEM RSA private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)".into(),
            ));
        };
        if key.size() * 8 < 1024 {
            return Err(SigningKeyError("the RSA key is shorter than 1024 bits".into()));
        }
        key.validate()
            .map_err(|e| SigningKeyError(format!("inconsistent RSA key: {e}")))?;
        Self::new(key)
    }

    /// The key generated for this process (2048 bits, generated once, shared
    /// by every emulator of the process that was given no key).
    pub(crate) fn generated() -> Result<Arc<Self>, SigningKeyError> {
        static GENERATED: OnceLock<Result<Arc<Signer>, SigningKeyError>> = OnceLock::new();
        GENERATED
            .get_or_init(|| {
                let mut rng = rand_core::OsRng;
                let key = RsaPrivateKey::new(&mut rng, GENERATED_BITS)
                    .map_err(|e| SigningKeyError(format!("cannot generate a key: {e}")))?;
                Self::new(key).map(Arc::new)
            })
            .clone()
    }

    pub(crate) fn kid(&self) -> &str {
        &self.kid
    }

    pub(crate) fn public_pem(&self) -> &str {
        &self.public_pem
    }

    /// `{"keys": [jwk]}`.
    pub(crate) fn jwks(&self) -> serde_json::Value {
        serde_json::json!({ "keys": [self.jwk] })
    }

    /// Signs `input` (the JWT's `header.payload`): the signature, base64url.
    pub(crate) fn sign(&self, input: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(self.signing.sign(input).to_bytes())
    }

    /// Whether `sig` (raw bytes) is this key's signature of `input`.
    pub(crate) fn verify(&self, input: &[u8], sig: &[u8]) -> bool {
        Signature::try_from(sig).is_ok_and(|s| self.verifying.verify(input, &s).is_ok())
    }
}
