//! OAuth token requests to KubeSphere core (`/oauth/token`, never cluster-prefixed).

use super::mask::SecretField;
use super::request::{Method, Request, JSON};
use super::scope::Api;
use super::validate;
use crate::error::Result;
use crate::Secret;

const TOKEN_PATH: &str = "/oauth/token";

/// The OAuth client the token request authenticates as. KubeSphere's console client is
/// `kubesphere`/`kubesphere` (the [`Default`]); password grants need a trusted client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthClient {
    pub client_id: String,
    pub client_secret: Secret,
}

impl Default for OAuthClient {
    fn default() -> Self {
        OAuthClient {
            client_id: "kubesphere".into(),
            client_secret: Secret::new("kubesphere"),
        }
    }
}

impl Api {
    /// Password grant: exchanges a user name and password for an access token.
    pub fn login(
        &self,
        username: &str,
        password: &Secret,
        client: &OAuthClient,
    ) -> Result<Request> {
        validate::non_empty("username", username)?;
        let pairs = vec![
            ("grant_type".into(), "password".into()),
            ("username".into(), username.into()),
            ("password".into(), password.expose().into()),
            ("client_id".into(), client.client_id.clone()),
            ("client_secret".into(), client.client_secret.expose().into()),
        ];
        Ok(Request::new(Method::Post, TOKEN_PATH)
            .accept(JSON)
            .form_body(pairs)
            .secret(SecretField::FormField("password"))
            .secret(SecretField::FormField("client_secret")))
    }

    /// Exchanges a refresh token for a new access token.
    pub fn refresh_token(&self, refresh_token: &Secret, client: &OAuthClient) -> Result<Request> {
        if refresh_token.is_empty() {
            return Err(crate::Error::invalid("refresh_token", "must not be empty"));
        }
        let pairs = vec![
            ("grant_type".into(), "refresh_token".into()),
            ("refresh_token".into(), refresh_token.expose().into()),
            ("client_id".into(), client.client_id.clone()),
            ("client_secret".into(), client.client_secret.expose().into()),
        ];
        Ok(Request::new(Method::Post, TOKEN_PATH)
            .accept(JSON)
            .form_body(pairs)
            .secret(SecretField::FormField("refresh_token"))
            .secret(SecretField::FormField("client_secret")))
    }
}
