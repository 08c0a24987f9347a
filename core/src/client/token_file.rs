//! The token file: where `ksdevops login --save-token` keeps a login for later commands
//! and other clients.
//!
//! Format: one JSON object, the fields of the OAuth token answer: `access_token` (required),
//! `refresh_token`, `token_type`, `expires_in` (seconds, as issued). A file holding only an
//! access token on its first line (older files, tokens written by other tools) reads as a
//! token that cannot be renewed. Reading and writing the file is the caller's: the core has
//! no I/O.

use crate::error::{Error, Result};
use crate::model::Token;
use crate::Secret;

const FIELD: &str = "token_file";

/// Reads a token file's text. Errors name the place, never the content (it is secret).
pub fn parse_token_file(text: &str) -> Result<Token> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid(FIELD, "is empty"));
    }
    if !text.starts_with('{') {
        let line = text.lines().next().unwrap_or_default().trim();
        return Ok(bare(line));
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Error::invalid(
            FIELD,
            format!(
                "is not a token file: invalid JSON at line {} column {}",
                e.line(),
                e.column()
            ),
        )
    })?;
    let has_access_token = value
        .get("access_token")
        .and_then(serde_json::Value::as_str)
        .is_some_and(|t| !t.trim().is_empty());
    if !has_access_token {
        return Err(Error::invalid(FIELD, "holds no access_token"));
    }
    // serde's own message may quote a value, and every value here may be secret.
    let token: Token = serde_json::from_value(value)
        .map_err(|_| Error::invalid(FIELD, "is not a token file: a field has the wrong type"))?;
    Ok(token)
}

/// The text of a token file holding `token`, ending with a newline.
pub fn render_token_file(token: &Token) -> String {
    // A Token holds strings, numbers and options only: it always serializes.
    let mut text = serde_json::to_string_pretty(token).unwrap_or_default();
    text.push('\n');
    text
}

fn bare(access_token: &str) -> Token {
    Token {
        access_token: Secret::new(access_token),
        token_type: None,
        refresh_token: None,
        id_token: None,
        expires_in: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendered_token_reads_back() {
        let token = Token {
            access_token: Secret::new("a.b.c"),
            token_type: Some("Bearer".into()),
            refresh_token: Some(Secret::new("r-1")),
            id_token: None,
            expires_in: Some(7200),
        };
        let text = render_token_file(&token);
        assert!(text.ends_with('\n') && text.contains("\"refresh_token\": \"r-1\""));
        assert_eq!(parse_token_file(&text).unwrap(), token);
    }

    #[test]
    fn a_bare_token_reads_as_an_access_token_alone() {
        let token = parse_token_file("  plain-token\n").unwrap();
        assert_eq!(token.access_token.expose(), "plain-token");
        assert!(token.refresh_token.is_none());
    }

    #[test]
    fn bad_files_name_the_field_and_never_echo_the_content() {
        for text in [
            "",
            "{\"access_token\": \"\"}",
            "{\"refresh_token\": \"planted-secret\"}",
            "{\"access_token\": \"x\", \"expires_in\": \"planted-secret\"}",
            "{not json planted-secret",
        ] {
            let err = parse_token_file(text).unwrap_err();
            assert_eq!(err.field(), Some(FIELD), "{text}");
            assert!(!err.to_string().contains("planted"), "{err}");
        }
        let without = parse_token_file("{\"refresh_token\": \"r\"}").unwrap_err();
        assert!(without.message().contains("access_token"), "{without}");
    }
}
