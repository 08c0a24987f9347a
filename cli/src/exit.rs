//! Exit codes scripts can trust, and the one line on stderr that explains a failure.

use ksdevops::{Error, ErrorKind};

pub const SUCCESS: i32 = 0;
/// The run failed or was aborted.
pub const RUN_FAILED: i32 = 1;
/// Bad arguments or values (clap uses 2 for its own usage errors too).
pub const USAGE: i32 = 2;
/// The server answered with an error, or could not be reached.
pub const SERVER: i32 = 3;

/// Why the command did not succeed, with the exit code it means.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: USAGE,
            message: message.into(),
        }
    }

    pub fn server(message: impl Into<String>) -> Self {
        Failure {
            code: SERVER,
            message: message.into(),
        }
    }

    /// Prints the message and gives the exit code.
    pub fn report(self) -> i32 {
        if !self.message.is_empty() {
            errln!("ksdevops: {}", self.message.trim_end());
        }
        self.code
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let code = match error.kind() {
            ErrorKind::InvalidInput => USAGE,
            _ => SERVER,
        };
        let status = error
            .status()
            .filter(|s| !error.message().contains(&format!("HTTP {s}")))
            .map(|s| format!(" (HTTP {s})"))
            .unwrap_or_default();
        Failure {
            code,
            message: format!("{}: {}{status}", error.kind(), error.message()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_input_is_a_usage_error_and_everything_else_a_server_error() {
        assert_eq!(Failure::from(Error::invalid("param", "bad")).code, USAGE);
        for kind in [
            ErrorKind::NotFound,
            ErrorKind::Unauthorized,
            ErrorKind::Transport,
            ErrorKind::Timeout,
            ErrorKind::Refused,
        ] {
            assert_eq!(Failure::from(Error::new(kind, "x")).code, SERVER, "{kind}");
        }
        let f = Failure::from(Error::new(ErrorKind::NotFound, "no such pipeline").with_status(404));
        assert_eq!(f.message, "not_found: no such pipeline (HTTP 404)");
        let f =
            Failure::from(Error::new(ErrorKind::NotFound, "get: HTTP 404: gone").with_status(404));
        assert_eq!(f.message, "not_found: get: HTTP 404: gone");
    }
}
