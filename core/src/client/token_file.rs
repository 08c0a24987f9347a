//! The token file: where `ksdevops login --save-token` keeps a login for later commands
//! and other clients.
//!
//! Format: one JSON object, the fields of the OAuth token answer: `access_token` (required),
//! `refresh_token`, `token_type`, `expires_in` (seconds, as issued). A file holding only an
//! access token on its first line (older files, tokens written by other tools) reads as a
//! token that cannot be renewed. Reading the file is the caller's; [`write_token_file`]
//! (native builds only) replaces it safely.

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

/// Writes `token` to `path`, readable and writable by its owner only: a new file beside it,
/// created with mode 0600, renamed over the target, so that a reader sees the old file or the
/// new one, never half of one. On failure the temporary file is removed and the old file is
/// left as it was.
#[cfg(not(target_arch = "wasm32"))]
pub fn write_token_file(path: &std::path::Path, token: &Token) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let write = || -> std::io::Result<()> {
        let mut file = options.open(&temp)?;
        file.write_all(render_token_file(token).as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    };
    write().inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
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

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_written_token_file_is_private_and_replaces_the_old_one_whole() {
        let dir = std::env::temp_dir().join(format!("ksdevops-token-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("token");
        std::fs::write(&path, "old").unwrap();
        let token = Token {
            access_token: Secret::new("new-token"),
            token_type: Some("Bearer".into()),
            refresh_token: Some(Secret::new("refresh")),
            id_token: None,
            expires_in: Some(60),
        };
        write_token_file(&path, &token).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(parse_token_file(&text).unwrap(), token);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["token"], "no temporary file left");
        let missing = dir.join("no-such-dir").join("token");
        assert!(write_token_file(&missing, &token).is_err());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "the old file is kept"
        );
        std::fs::remove_dir_all(&dir).unwrap();
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
