//! TLS as a user meets it: a self-signed server certificate given with `--ca-file` is
//! trusted like `curl --cacert` does (its host name and validity still checked), and a
//! server whose certificate nobody vouches for is refused with what to do about it.
#![cfg(feature = "reqwest")]

use ksdevops::api::{Method, Request};
use ksdevops::transport::reqwest::{ReqwestConfig, ReqwestTransport};
use ksdevops::transport::Transport;
use ksdevops::ErrorKind;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

// Self-signed certificates with the CA flag set, as `openssl req -x509` makes them, made
// for these tests only: for localhost and 127.0.0.1 (valid for a century), for another
// host name, and one that expired in 2020.
const SELF_SIGNED_PEM: &str = r"-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUBS6lyY/6GNDampfK0HSqbcJ1kCcwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwMzEwNDQwN1oYDzIxMjYxMTA5
MTA0NDA3WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAT6vG5KbIcx2Nt3drc3hbpTFe8xZed4+4nHUkTXCC7TUiu9JxV7IwVV
SNflawNUhgI/AuOpDsoXOakDj/Rr4bVHo28wbTAdBgNVHQ4EFgQUxcgJoDNyt/4U
Sud0YlqB91qBW84wHwYDVR0jBBgwFoAUxcgJoDNyt/4USud0YlqB91qBW84wDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSAAwRQIhAMv8gSSJSIrypFaStz/rbSGkh9xhNNQbBqZea56Hlzh3AiAk
g92VpM1m8HmZVJHgaULrBCMY3GvNgal4g7n8udsbwQ==
-----END CERTIFICATE-----
";
const SELF_SIGNED_KEY: &str = r"-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQguZlFbrlvuQcJtyZc
BVcQZOIs30wQBkTyacH/KP4GF3ihRANCAAT6vG5KbIcx2Nt3drc3hbpTFe8xZed4
+4nHUkTXCC7TUiu9JxV7IwVVSNflawNUhgI/AuOpDsoXOakDj/Rr4bVH
-----END PRIVATE KEY-----
";
const OTHER_HOST_PEM: &str = r"-----BEGIN CERTIFICATE-----
MIIBoTCCAUegAwIBAgIUC+RmsWfpCvIzrP9HotCMs2Oo07cwCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNb3RoZXIuZXhhbXBsZTAgFw0yNjEyMDMxMDQ0MDdaGA8yMTI2
MTEwOTEwNDQwN1owGDEWMBQGA1UEAwwNb3RoZXIuZXhhbXBsZTBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABKrv6nxBzHZ+9/8Lo3cDZbxoWS5VEE1T7syd/qBZ/i/0
BkvdujRbAdMsJ0PRfEKjt2D76PP2SExZc19bF/PKdBqjbTBrMB0GA1UdDgQWBBRe
d3q0T5GIKzGQoE/XRRX9LaWgDzAfBgNVHSMEGDAWgBRed3q0T5GIKzGQoE/XRRX9
LaWgDzAPBgNVHRMBAf8EBTADAQH/MBgGA1UdEQQRMA+CDW90aGVyLmV4YW1wbGUw
CgYIKoZIzj0EAwIDSAAwRQIhAL3spQUh5mfvnxqUkeUJbtHzU3xv2v0LoFcDxph6
1f+sAiAwZqXm81wcdfHQbeeKPItES7L3+Swez66uNVjSXI3FWQ==
-----END CERTIFICATE-----
";
const OTHER_HOST_KEY: &str = r"-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg///UOQiBhrOpNtWa
uz2+aWRkd7Z7XpZG94yQEd+ZCiGhRANCAASq7+p8Qcx2fvf/C6N3A2W8aFkuVRBN
U+7Mnf6gWf4v9AZL3bo0WwHTLCdD0XxCo7dg++jz9khMWXNfWxfzynQa
-----END PRIVATE KEY-----
";
const EXPIRED_PEM: &str = r"-----BEGIN CERTIFICATE-----
MIIBZTCCAQugAwIBAgIBATAKBggqhkjOPQQDAjAUMRIwEAYDVQQDDAlsb2NhbGhv
c3QwHhcNMjAwMTAxMDAwMDAwWhcNMjAwMTAyMDAwMDAwWjAUMRIwEAYDVQQDDAls
b2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARyYKUsyd6Cjf0kWls7
d8vOtNaaouqELCJKTIoUDQ5PAgE4d5gpTgU6nDcRFMdly615hsSW7meZxA7TLnDv
iaWNo04wTDAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwDwYDVR0TAQH/BAUw
AwEB/zAdBgNVHQ4EFgQUO9/iHIx2HAkHe63ohLY7HMlx1qgwCgYIKoZIzj0EAwID
SAAwRQIhAPxgevixX9opQCRkZRnihq5IhpXx1/yfVOspQQP/VBP4AiBXwFI/Na7i
JrbhIlXwhRdsoImx5360WQmruEml/Irljg==
-----END CERTIFICATE-----
";
const EXPIRED_KEY: &str = r"-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgKhb3eeI3++bSFJnG
RQJBR0ERg1Jvh1fGLwf6Wm3ENx+hRANCAARyYKUsyd6Cjf0kWls7d8vOtNaaouqE
LCJKTIoUDQ5PAgE4d5gpTgU6nDcRFMdly615hsSW7meZxA7TLnDviaWN
-----END PRIVATE KEY-----
";

/// Serves one HTTPS request on loopback with `cert` and `key`.
fn serve_tls_once(cert: &str, key: &str) -> SocketAddr {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_slice_iter(cert.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(key.as_bytes()).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let Ok((tcp, _)) = listener.accept() else {
            return;
        };
        let conn = rustls::ServerConnection::new(Arc::new(config)).unwrap();
        let mut tls = rustls::StreamOwned::new(conn, tcp);
        let mut reader = BufReader::new(&mut tls);
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
            line.clear();
        }
        let _ = tls
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nsecure");
        tls.conn.send_close_notify();
        let _ = tls.flush();
    });
    addr
}

fn with_ca(host: &str, addr: SocketAddr, pem: &str) -> ReqwestConfig {
    let mut config = ReqwestConfig::new(format!("https://{host}:{}", addr.port()));
    config.ca_bundle_pem = Some(pem.as_bytes().to_vec());
    config
}

async fn get(config: ReqwestConfig) -> ksdevops::error::Result<Vec<u8>> {
    let response = ReqwestTransport::new(config)?
        .send(Request::new(Method::Get, "/"))
        .await?;
    response.bytes().await
}

#[tokio::test]
async fn a_self_signed_server_certificate_given_as_ca_file_is_trusted() {
    for host in ["127.0.0.1", "localhost"] {
        let addr = serve_tls_once(SELF_SIGNED_PEM, SELF_SIGNED_KEY);
        let body = get(with_ca(host, addr, SELF_SIGNED_PEM)).await;
        assert_eq!(body.unwrap_or_else(|e| panic!("{host}: {e}")), b"secure");
    }
}

#[tokio::test]
async fn a_given_certificate_still_needs_the_right_host_name_and_a_valid_date() {
    let addr = serve_tls_once(OTHER_HOST_PEM, OTHER_HOST_KEY);
    let err = get(with_ca("127.0.0.1", addr, OTHER_HOST_PEM))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(err.message().contains("NotValidForName"), "{err}");

    let addr = serve_tls_once(EXPIRED_PEM, EXPIRED_KEY);
    let err = get(with_ca("127.0.0.1", addr, EXPIRED_PEM))
        .await
        .unwrap_err();
    assert!(err.message().contains("Expired"), "{err}");

    // A certificate given for another server does not vouch for this one.
    let addr = serve_tls_once(SELF_SIGNED_PEM, SELF_SIGNED_KEY);
    let err = get(with_ca("127.0.0.1", addr, OTHER_HOST_PEM))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
}

#[tokio::test]
async fn an_unknown_issuer_says_what_to_do() {
    let addr = serve_tls_once(SELF_SIGNED_PEM, SELF_SIGNED_KEY);
    let config = ReqwestConfig::new(format!("https://127.0.0.1:{}", addr.port()));
    let err = get(config).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    for hint in ["--ca-file", "--insecure", "not signed by an authority"] {
        assert!(err.message().contains(hint), "{hint}: {err}");
    }
}
