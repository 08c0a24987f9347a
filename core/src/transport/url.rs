//! The server URL every transport sends to, checked once.

use crate::error::{Error, Result};

/// Checks that `server` is `http(s)://host[:port][/prefix]` and drops a trailing `/`.
///
/// A URL with a user name or password in it (`http://user:pw@host`) is refused: the
/// credentials would show wherever the URL is shown, and travel beside the client's own
/// `Authorization` header. The error shows the URL with that part masked.
pub fn server_url(server: &str) -> Result<String> {
    base_url("server", server)
}

/// [`server_url`] for the base URL of another server (Jenkins' own URL), refusals naming
/// `field`.
pub fn base_url(field: &str, server: &str) -> Result<String> {
    let rest = server
        .strip_prefix("https://")
        .or_else(|| server.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Err(not_a_server_url(field, server));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if let Some((_, host)) = authority.rsplit_once('@') {
        let scheme = &server[..server.len() - rest.len()];
        return Err(Error::invalid(
            field,
            format!(
                "\"{scheme}***@{host}\" has a user name or password in it; give the URL \
                 without it, and the credentials as a token or a user name and password"
            ),
        ));
    }
    if rest.is_empty() || rest.starts_with('/') || rest.contains(['?', '#', ' ']) {
        return Err(not_a_server_url(field, server));
    }
    Ok(server.trim_end_matches('/').to_owned())
}

fn not_a_server_url(field: &str, server: &str) -> Error {
    Error::invalid(
        field,
        format!(
            "{server:?} is not a server URL; expected http://host[:port] or https://host[:port]"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_url_needs_a_scheme_and_a_host() {
        assert_eq!(
            server_url("http://127.0.0.1:9090/").unwrap(),
            "http://127.0.0.1:9090"
        );
        assert_eq!(
            server_url("https://ks.example/prefix").unwrap(),
            "https://ks.example/prefix"
        );
        for bad in [
            "ks.example:80",
            "http://",
            "https:///x",
            "http://a b",
            "ftp://x",
        ] {
            let err = server_url(bad).unwrap_err();
            assert_eq!(err.field(), Some("server"));
            assert!(err.message().contains(bad), "{}", err.message());
        }
    }

    #[test]
    fn user_info_is_refused_without_showing_it() {
        for bad in [
            "http://user:s3cr3t-pw@ks.example:30880",
            "https://s3cr3t-pw@ks.example/",
            "http://user:s3cr3t-pw@ks.example/x@y",
        ] {
            let err = server_url(bad).unwrap_err();
            assert_eq!(err.field(), Some("server"));
            assert!(!err.message().contains("s3cr3t-pw"), "{err}");
            assert!(err.message().contains("ks.example"), "{err}");
            assert!(err.message().contains("user name or password"), "{err}");
        }
        assert!(
            server_url("http://ks.example/x@y").is_ok(),
            "an @ in the path is no user-info"
        );
    }
}
