//! RS256 JWTs: minting the emulator's tokens, checking them, and reading the
//! payload of tokens crafted by tests (accepted only with
//! [`EmulatorConfig::accept_unsigned_jwt`](crate::EmulatorConfig::accept_unsigned_jwt)).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::signing::Signer;

/// The claims the emulator reads. Read leniently: a claim of an unexpected
/// type is treated as absent, unknown claims are ignored.
#[derive(Debug, Default)]
pub(crate) struct Claims {
    pub(crate) sub: Option<String>,
    pub(crate) exp: Option<f64>,
    /// Emulator-private: precise expiry in milliseconds (sub-second TTLs in tests).
    pub(crate) exp_ms: Option<u64>,
    /// Frontegg's `type`: `"vendor"` on vendor tokens, `"userToken"` on user tokens.
    pub(crate) kind: Option<String>,
}

impl Claims {
    fn from_payload(payload: &Map<String, Value>) -> Self {
        let string = |k: &str| payload.get(k).and_then(Value::as_str).map(str::to_owned);
        Self {
            sub: string("sub"),
            exp: payload.get("exp").and_then(Value::as_f64),
            exp_ms: payload.get("expMs").and_then(Value::as_u64),
            kind: string("type"),
        }
    }

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

/// Mints an RS256 JWT (header with our `kid`) whose payload is `payload`,
/// with `iat`, `exp` and `expMs` (valid `ttl`) unless `payload` sets `exp`
/// itself (then it is kept, and `expMs` is not added).
pub(crate) fn mint(signer: &Signer, mut payload: Map<String, Value>, ttl: Duration) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    payload.entry("iat").or_insert_with(|| now.as_secs().into());
    if !payload.contains_key("exp") {
        let exp = now + ttl;
        let exp_ms = u64::try_from(exp.as_millis()).unwrap_or(u64::MAX);
        // Whole seconds, as every JWT library expects.
        payload.insert(
            "exp".into(),
            exp.as_secs()
                .saturating_add(u64::from(exp.subsec_nanos() > 0))
                .into(),
        );
        payload.insert("expMs".into(), exp_ms.into());
    }
    payload
        .entry("jti")
        .or_insert_with(|| format!("{:016x}", fastrand::u64(..)).into());
    let header = serde_json::json!({ "alg": "RS256", "typ": "JWT", "kid": signer.kid() });
    let header = URL_SAFE_NO_PAD.encode(header.to_string());
    let body = URL_SAFE_NO_PAD.encode(Value::Object(payload).to_string());
    let input = format!("{header}.{body}");
    let sig = signer.sign(input.as_bytes());
    format!("{input}.{sig}")
}

/// Parses a JWT; `None` when it is not a JWT with a JSON object payload.
/// `signed_by_us` needs `alg: RS256`, our `kid` (or none) and our signature.
pub(crate) fn parse(signer: &Signer, token: &str) -> Option<Parsed> {
    let mut parts = token.split('.');
    let header = parts.next()?;
    let payload = parts.next()?;
    let sig = parts.next().unwrap_or("");
    if parts.next().is_some() {
        return None;
    }
    let header_json = URL_SAFE_NO_PAD.decode(header.trim_end_matches('=')).ok()?;
    let header_json: Value = serde_json::from_slice(&header_json).ok()?;
    let payload_json = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let payload_json: Map<String, Value> = serde_json::from_slice(&payload_json).ok()?;
    let claims = Claims::from_payload(&payload_json);
    let alg_ok = header_json.get("alg").and_then(Value::as_str) == Some("RS256");
    let kid_ok = match header_json.get("kid") {
        None => true,
        Some(kid) => kid.as_str() == Some(signer.kid()),
    };
    let signed_by_us = alg_ok
        && kid_ok
        && URL_SAFE_NO_PAD.decode(sig).is_ok_and(|sig| {
            let signing_input = &token[..header.len() + 1 + payload.len()];
            signer.verify(signing_input.as_bytes(), &sig)
        });
    Some(Parsed { claims, signed_by_us })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> std::sync::Arc<Signer> {
        Signer::generated().expect("key")
    }

    #[test]
    fn minted_tokens_verify_and_tampered_ones_do_not() {
        let s = signer();
        let mut claims = Map::new();
        claims.insert("sub".into(), "u1".into());
        let token = mint(&s, claims, Duration::from_secs(60));
        let parsed = parse(&s, &token).expect("parses");
        assert!(parsed.signed_by_us);
        assert_eq!(parsed.claims.sub.as_deref(), Some("u1"));
        assert!(!parsed.claims.expired());

        let (head, rest) = token.split_once('.').expect("dot");
        let (_, sig) = rest.split_once('.').expect("dot");
        let forged = URL_SAFE_NO_PAD.encode(r#"{"sub":"admin"}"#);
        let parsed = parse(&s, &format!("{head}.{forged}.{sig}")).expect("parses");
        assert!(!parsed.signed_by_us);
    }

    #[test]
    fn a_wrong_kid_or_alg_is_not_ours_and_odd_claims_do_not_fail() {
        let s = signer();
        for header in [
            r#"{"alg":"RS256","kid":"other"}"#,
            r#"{"alg":"HS256"}"#,
            r#"{"alg":"none"}"#,
            r#"{"alg":"RS256","kid":7}"#,
        ] {
            let h = URL_SAFE_NO_PAD.encode(header);
            let p = URL_SAFE_NO_PAD.encode(r#"{"sub":5,"exp":"soon","type":[1],"x":{"y":null}}"#);
            let parsed = parse(&s, &format!("{h}.{p}.c2ln")).expect("parses");
            assert!(!parsed.signed_by_us);
            assert_eq!(parsed.claims.sub, None);
            assert!(!parsed.claims.expired());
        }
    }
}
