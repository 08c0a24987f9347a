//! The token file (`login --save-token PATH`, then `--token-file PATH`): its format and its
//! safe rewrite are the core's (`ksdevops::client::{parse_token_file, write_token_file}`);
//! here it is read, with errors that name the file.

use crate::exit::Failure;
use ksdevops::client::parse_token_file;
use ksdevops::model::Token;
use std::path::Path;

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
