//! Minimal HS256 JWTs: enough to mint and check the emulator's own tokens
//! and to read the payload of tokens crafted by tests.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The claims the emulator reads.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Claims {
    pub(crate) sub: Option<String>,
    pub(crate) exp: Option<f64>,
    /// Emulator-private: precise expiry in milliseconds.
    #[serde(rename = "expMs")]
    pub(crate) exp_ms: Option<u64>,
    /// Emulator-private: `"vendor"` on vendor tokens.
    #[serde(rename = "feTyp")]
    pub(crate) kind: Option<String>,
}

impl Claims {
    pub(crate) fn expired(&self) -> bool {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        if let Some(ms) = self.exp_ms {
            return now.as_millis() >= u128::from(ms);
        }
        match self.exp {
            Some(exp) => now.as_secs_f64() >= exp,
            None => false,
        }
    }
}

/// A parsed token: its claims and whether our key signed it.
pub(crate) struct Parsed {
    pub(crate) claims: Claims,
    pub(crate) signed_by_us: bool,
}

fn sign(key: &[u8], input: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length: this cannot fail.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return Vec::new(),
    };
    mac.update(input);
    mac.finalize().into_bytes().to_vec()
}

/// Mints an HS256 JWT whose payload is `payload` plus `iat`, `exp` and `expMs`.
pub(crate) fn mint(
    key: &[u8],
    mut payload: serde_json::Map<String, serde_json::Value>,
    ttl: Duration,
) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let exp = now + ttl;
    let exp_ms = u64::try_from(exp.as_millis()).unwrap_or(u64::MAX);
    payload.insert("iat".into(), now.as_secs().into());
    payload.insert("exp".into(), exp.as_secs_f64().ceil().into());
    payload.insert("expMs".into(), exp_ms.into());
    payload.insert("jti".into(), format!("{:016x}", fastrand::u64(..)).into());
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let body = URL_SAFE_NO_PAD.encode(serde_json::Value::Object(payload).to_string());
    let input = format!("{header}.{body}");
    let sig = URL_SAFE_NO_PAD.encode(sign(key, input.as_bytes()));
    format!("{input}.{sig}")
}

/// Parses a JWT; `None` when it is not a JWT with a JSON payload.
pub(crate) fn parse(key: &[u8], token: &str) -> Option<Parsed> {
    let mut parts = token.split('.');
    let header = parts.next()?;
    let payload = parts.next()?;
    let sig = parts.next().unwrap_or("");
    if parts.next().is_some() {
        return None;
    }
    let header_json = URL_SAFE_NO_PAD.decode(header.trim_end_matches('=')).ok()?;
    let header_json: serde_json::Value = serde_json::from_slice(&header_json).ok()?;
    let payload_json = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Claims = serde_json::from_slice(&payload_json).ok()?;
    let signed_by_us = header_json.get("alg").and_then(|a| a.as_str()) == Some("HS256")
        && match URL_SAFE_NO_PAD.decode(sig) {
            Ok(sig) => {
                let signing_input = &token[..header.len() + 1 + payload.len()];
                match HmacSha256::new_from_slice(key) {
                    Ok(mut mac) => {
                        mac.update(signing_input.as_bytes());
                        mac.verify_slice(&sig).is_ok()
                    }
                    Err(_) => false,
                }
            }
            Err(_) => false,
        };
    Some(Parsed { claims, signed_by_us })
}
