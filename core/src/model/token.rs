//! The OAuth token answer of KubeSphere's `POST /oauth/token`.

use crate::Secret;
use serde::{Deserialize, Serialize};

/// Token values are [`Secret`]s: Debug output shows `***`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub access_token: Secret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Secret>,
    /// Lifetime in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
}

impl Token {
    /// The `Authorization` header value: `Bearer <access_token>`, itself a secret.
    pub fn bearer(&self) -> Secret {
        Secret::new(format!("Bearer {}", self.access_token.expose()))
    }
}
