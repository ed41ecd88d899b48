//! Seed and exported state: the JSON of `--seed state.json`,
//! [`EmulatorConfig::seed`](crate::EmulatorConfig::seed) and
//! `GET /_emulator/state` (the same format both ways).

use std::path::Path;

use serde::{Deserialize, Serialize};

/// State to start from: users (identifiers and token claims), tenants, phone
/// numbers and SMS MFA devices. Every list is optional; unknown fields are
/// refused (a typo should not go unnoticed).
///
/// ```
/// use frontegg_identity_emulator::Seed;
///
/// let seed = Seed::from_json(r#"{
///   "tenants": [{"tenantId": "t1", "name": "Acme"}],
///   "users": [{"userId": "u1", "email": "a@example.com", "tenantId": "t1", "roles": ["admin"]}],
///   "phoneNumbers": [{"userId": "u1", "phoneNumber": "+14155550100"}]
/// }"#).unwrap();
/// assert_eq!(seed.users[0].roles, ["admin"]);
/// assert!(seed.phone_numbers[0].verified);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Seed {
    /// Tenants (stored and exported; users name them in `tenantId`).
    pub tenants: Vec<SeedTenant>,
    /// Users: identifiers for SMS sign-in and the claims of their tokens.
    pub users: Vec<SeedUser>,
    /// Phone numbers (routes 1 to 10), in creation order.
    pub phone_numbers: Vec<SeedPhoneNumber>,
    /// SMS MFA devices, in creation order.
    pub mfa_devices: Vec<SeedMfaDevice>,
}

/// A tenant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedTenant {
    /// Its id.
    pub tenant_id: String,
    /// A display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A user, as `POST /_emulator/users` takes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedUser {
    /// Its id (`sub` of its tokens).
    pub user_id: String,
    /// E-mail (SMS sign-in and reset find the user by it; `email` claim).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Username (SMS sign-in and reset find the user by it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Default `tenantId` of its tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// `tenantIds` of its tokens (the `tenantId` is added when missing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tenant_ids: Vec<String>,
    /// `roles` of its tokens.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// `permissions` of its tokens.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<String>,
}

fn yes() -> bool {
    true
}

/// A phone number of a user.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedPhoneNumber {
    /// Its id; a new UUID when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its user.
    pub user_id: String,
    /// E.164.
    pub phone_number: String,
    /// Verified (default `true`).
    #[serde(default = "yes")]
    pub verified: bool,
    /// RFC 3339; now when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// RFC 3339; `createdAt` when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// An SMS MFA device of a user.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedMfaDevice {
    /// Its id; a new UUID when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its user.
    pub user_id: String,
    /// E.164.
    pub phone_number: String,
    /// RFC 3339; now when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

/// A seed that could not be read, parsed or loaded. The message names the
/// file, and the line and column for JSON errors.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SeedError(pub String);

impl Seed {
    /// Parses the JSON form; errors say the line and column.
    pub fn from_json(json: &str) -> Result<Seed, SeedError> {
        serde_json::from_str(json).map_err(|e| SeedError(format!("invalid seed: {e}")))
    }

    /// Reads and parses a seed file; errors name the file, line and column.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Seed, SeedError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| SeedError(format!("cannot read seed file {}: {e}", path.display())))?;
        serde_json::from_str(&text)
            .map_err(|e| SeedError(format!("invalid seed file {}: {e}", path.display())))
    }

    /// The JSON form (pretty-printed).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
