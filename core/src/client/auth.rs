//! Getting an access token with the OAuth password grant, and renewing it.

use super::config::Auth;
use super::connection::{Client, Resend};
use crate::api::{Api, ApiLayout, Operation, Request};
use crate::decode::decode_as;
use crate::error::{Error, ErrorKind, Result};
use crate::model::Token;
use crate::transport::Transport;

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
