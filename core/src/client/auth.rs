//! Getting an access token with the OAuth password grant, and renewing it.

use super::config::Auth;
use super::connection::{Client, Resend};
use crate::api::{Api, ApiLayout, OAuthClient, Operation, Request};
use crate::decode::decode_as;
use crate::error::{Error, ErrorKind, Result};
use crate::model::Token;
use crate::transport::Transport;
use crate::Secret;

/// A new token: through `current`'s refresh token when it has one, else (or when the refresh
/// is refused) by logging in with the password.
pub(super) async fn obtain<T: Transport>(
    client: &Client<T>,
    current: Option<&Token>,
) -> Result<Token> {
    let Auth::Password {
        username,
        password,
        oauth_client,
    } = &client.config().auth
    else {
        return Err(Error::new(
            ErrorKind::Unauthorized,
            "no credentials to log in with",
        ));
    };
    // The token endpoint is KubeSphere core's: never layout- or cluster-dependent.
    let api = Api::new(ApiLayout::V4);
    if let Some(refresh) = current.and_then(|t| t.refresh_token.as_ref()) {
        let request = api.refresh_token(refresh, oauth_client)?;
        if let Ok(token) = token_from(client, Operation::RefreshToken, &request).await {
            return Ok(token);
        }
    }
    let request = api.login(username, password, oauth_client)?;
    token_from(client, Operation::Login, &request).await
}

/// A new token through `refresh` alone (a token saved earlier, with no password to log in
/// again with). An answer without a refresh token keeps `refresh` (RFC 6749 §6).
pub(super) async fn refresh<T: Transport>(client: &Client<T>, refresh: &Secret) -> Result<Token> {
    let oauth_client = match &client.config().auth {
        Auth::Password { oauth_client, .. } => oauth_client.clone(),
        _ => OAuthClient::default(),
    };
    let request = Api::new(ApiLayout::V4).refresh_token(refresh, &oauth_client)?;
    let mut token = token_from(client, Operation::RefreshToken, &request)
        .await
        .map_err(|e| {
            Error::new(
                ErrorKind::Unauthorized,
                format!(
                    "the access token was refused and renewing it failed ({}): log in again",
                    e.message()
                ),
            )
        })?;
    if token.refresh_token.is_none() {
        token.refresh_token = Some(refresh.clone());
    }
    Ok(token)
}

async fn token_from<T: Transport>(
    client: &Client<T>,
    operation: Operation,
    request: &Request,
) -> Result<Token> {
    // Asking for a token twice does no harm, so a lost answer is asked again.
    let (headers, body) = client
        .fetch_unauthenticated(operation, request, Resend::Harmless)
        .await?;
    let token: Token = decode_as(operation, 200, &headers, &body)?;
    if token.access_token.is_empty() {
        return Err(Error::new(
            ErrorKind::Unauthorized,
            format!("{operation}: the server answered without an access token"),
        ));
    }
    Ok(token)
}
