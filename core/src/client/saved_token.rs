//! The token file `ksdevops login --save-token` writes, read by every front end the same way:
//! the access token as plain text, or a JSON object with an `access_token` field (and a
//! `refresh_token` beside it, when the file keeps one).

use crate::error::{Error, ErrorKind, Result};
use crate::model::Token;
use crate::Secret;

/// The token of a saved token file's `text`. An unreadable file is an invalid-input error
/// that says why without quoting the text (it holds a secret); the caller names the file.
pub fn read_saved_token(text: &str) -> Result<Token> {
    let text = text.trim();
    if text.is_empty() {
        return Err(unreadable("the token file is empty"));
    }
    if !text.starts_with('{') {
        return Ok(Token {
            access_token: Secret::new(text),
            token_type: None,
            refresh_token: None,
            id_token: None,
            expires_in: None,
        });
    }
    let token: Token = serde_json::from_str(text).map_err(|e| {
        unreadable(format!(
            "the token file is a JSON object without a readable \"access_token\" \
                 (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    if token.access_token.expose().trim().is_empty() {
        return Err(unreadable("the token file's access_token is empty"));
    }
    Ok(token)
}

fn unreadable(reason: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidInput, reason)
}

#[cfg(test)]
mod tests {
    use super::read_saved_token;
    use crate::ErrorKind;

    #[test]
    fn plain_text_and_json_files_read_alike() {
        let plain = read_saved_token("  eyJ.a.b\n").unwrap();
        assert_eq!(plain.access_token.expose(), "eyJ.a.b");
        assert!(plain.refresh_token.is_none());
        let json = r#"{"access_token": "eyJ.a.b", "refresh_token": "eyJ.r.s", "later": 1}"#;
        let saved = read_saved_token(json).unwrap();
        assert_eq!(saved.access_token.expose(), "eyJ.a.b");
        assert_eq!(saved.refresh_token.unwrap().expose(), "eyJ.r.s");
    }

    #[test]
    fn unreadable_files_are_named_without_their_secret() {
        for text in [
            "",
            "\n",
            r#"{"refresh_token": "s3cret-r"}"#,
            r#"{"access_token": " "}"#,
        ] {
            let e = read_saved_token(text).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert!(!e.to_string().contains("s3cret"), "{e}");
        }
    }
}
