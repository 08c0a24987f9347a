//! Who the client acts as: the user the console would name in `kubesphere.io/creator`.

use super::config::Auth;
use super::connection::Client;
use crate::api::creator_from_token;
use crate::error::Result;
use crate::transport::Transport;

impl<T: Transport> Client<T> {
    /// The user named in the access token, else the user name logged in with; `None` for an
    /// anonymous client or an opaque token.
    pub(crate) async fn creator(&self) -> Result<Option<String>> {
        let from_token = self
            .access_token()
            .await?
            .and_then(|token| creator_from_token(&token).ok());
        Ok(from_token.or_else(|| match &self.config().auth {
            Auth::Password { username, .. } => Some(username.clone()),
            _ => None,
        }))
    }
}
