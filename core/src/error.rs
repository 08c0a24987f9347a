//! The one error type of the crate, with a kind a caller can branch on.

use serde::Serialize;
use std::fmt;

/// What went wrong, coarse enough to branch on and to map to exit codes or exception classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The caller's arguments are wrong; nothing was sent.
    InvalidInput,
    NotFound,
    Conflict,
    Unauthorized,
    Forbidden,
    /// The server answered, but declined the action (e.g. an input approval it does not allow).
    Refused,
    Server,
    Transport,
    Decode,
    Timeout,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::Refused => "refused",
            ErrorKind::Server => "server",
            ErrorKind::Transport => "transport",
            ErrorKind::Decode => "decode",
            ErrorKind::Timeout => "timeout",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error with its kind, a message meant for people, and, when known, the argument field
/// at fault and the HTTP status the server answered with.
///
/// Messages never contain secret values: builders and decoders only ever name secret fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
    field: Option<String>,
    status: Option<u16>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            field: None,
            status: None,
        }
    }

    /// An invalid argument: the message names the field and, unless the field is secret, the value.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        let field = field.into();
        Error {
            kind: ErrorKind::InvalidInput,
            message: format!("{field}: {}", message.into()),
            field: Some(field),
            status: None,
        }
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The same error with `context` put before its message (kind, field and status kept).
    pub fn context(mut self, context: impl std::fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    pub fn status(&self) -> Option<u16> {
        self.status
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
