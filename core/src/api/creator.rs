//! The `kubesphere.io/creator` annotation, from a name or from the caller's JWT.

use super::object::set_annotation;
use super::validate;
use crate::error::{Error, Result};
use crate::model::annotations;
use crate::Secret;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

/// Sets the creator annotation on an object being created, when `creator` is given.
pub(crate) fn annotate_creator(
    object: &mut Map<String, Value>,
    creator: Option<&str>,
) -> Result<()> {
    if let Some(creator) = creator {
        let creator = validate::non_empty("creator", creator)?;
        set_annotation(object, annotations::CREATOR, creator);
    }
    Ok(())
}

/// The user name in a KubeSphere access token (a JWT): its `preferred_username` claim, or
/// `username`. The token is only decoded, not verified, and never appears in an error.
pub fn creator_from_token(token: &Secret) -> Result<String> {
    let invalid = |why: &str| Error::invalid("token", why.to_owned());
    let payload = token
        .expose()
        .split('.')
        .nth(1)
        .ok_or_else(|| invalid("is not a JWT (expected three dot-separated parts)"))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| invalid("is not a JWT (its payload is not base64url)"))?;
    let claims: Value = serde_json::from_slice(&bytes)
        .map_err(|_| invalid("is not a JWT (its payload is not JSON)"))?;
    ["preferred_username", "username"]
        .iter()
        .find_map(|claim| claims.get(claim).and_then(Value::as_str))
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| invalid("has no preferred_username or username claim; pass creator"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> Secret {
        Secret::new(format!(
            "eyJhbGciOiJIUzI1NiJ9.{}.c2lnbmF0dXJl",
            URL_SAFE_NO_PAD.encode(claims)
        ))
    }

    #[test]
    fn reads_preferred_username_then_username() {
        let token = jwt(r#"{"username":"u","preferred_username":"p"}"#);
        assert_eq!(creator_from_token(&token).unwrap(), "p");
        assert_eq!(
            creator_from_token(&jwt(r#"{"username":"admin"}"#)).unwrap(),
            "admin"
        );
    }

    #[test]
    fn errors_never_show_the_token() {
        for token in ["opaque-token-value", "a.!!!.c"] {
            let err = creator_from_token(&Secret::new(token)).unwrap_err();
            assert_eq!(err.field(), Some("token"));
            assert!(!err.message().contains(token));
        }
        let err = creator_from_token(&jwt(r#"{"sub":"x"}"#)).unwrap_err();
        assert!(err.message().contains("creator"));
    }
}
