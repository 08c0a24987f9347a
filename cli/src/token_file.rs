//! The token file (`login --save-token PATH`, then `--token-file PATH`): its format is the
//! core's (`ksdevops::client::parse_token_file`); here it is read, and written atomically,
//! readable by its owner only.

use crate::exit::Failure;
use ksdevops::client::{parse_token_file, render_token_file};
use ksdevops::model::Token;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn read(path: &Path) -> Result<Token, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::usage(format!(
            "token file {}: cannot read it: {e}",
            path.display()
        ))
    })?;
    parse_token_file(&text)
        .map_err(|e| Failure::usage(format!("token file {}: {}", path.display(), e.message())))
}

/// Writes `token` to `path` readable and writable by its owner only: a new file next to it,
/// created with mode 0600, renamed over the target (a reader sees the old file or the new,
/// never half of one).
pub fn write(path: &Path, token: &Token) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
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

#[cfg(test)]
mod tests {
    use super::*;
    use ksdevops::Secret;

    #[test]
    fn a_saved_token_is_private_to_its_owner_and_replaces_the_old_file() {
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
        write(&path, &token).unwrap();
        assert_eq!(read(&path).unwrap(), token);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
