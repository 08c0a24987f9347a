//! The reqwest transport over real loopback sockets: what it sends, streaming, timeouts,
//! TLS trust, and errors that never show the Authorization header.
#![cfg(feature = "reqwest")]

use ksdevops::api::{Body, Method, Request};
use ksdevops::transport::reqwest::{ReqwestConfig, ReqwestTransport};
use ksdevops::transport::Transport;
use ksdevops::ErrorKind;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

const PLANTED_TOKEN: &str = "planted-token-7f3a9c";

// A test CA and a server certificate it signed (for localhost and 127.0.0.1, valid for a
// century), made with openssl for these tests only.
const TEST_CA_PEM: &str = r"-----BEGIN CERTIFICATE-----
MIIBnTCCAUOgAwIBAgIUO5vG3VeJ+NXNK56wcqQApzbU+bQwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQa3NkZXZvcHMgdGVzdCBDQTAgFw0yNjExMjcwMDEzMDNaGA8y
MTI2MTEwMzAwMTMwM1owGzEZMBcGA1UEAwwQa3NkZXZvcHMgdGVzdCBDQTBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABB5N8D5bYeGvY1Nw91Zh/IeDfOopwoTN+QYW
0qQYsfrs4M/cj4j2N+saaGC0dYPWgniR/mgjaYqHuQh2EUSZKuyjYzBhMB0GA1Ud
DgQWBBTB51ImDz2PftysaWjwzD/kZMVYJjAfBgNVHSMEGDAWgBTB51ImDz2Pftys
aWjwzD/kZMVYJjAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAKBggq
hkjOPQQDAgNIADBFAiATA5cPUEwELJHPp6S/3hXSqe4E9IgkzfZCv9Pf/83w/wIh
ANsTZdZvVCJeW+CCgXdshEfzfWs/4YNnv8lR5m8pgr6e
-----END CERTIFICATE-----
";
const SERVER_CERT_PEM: &str = r"-----BEGIN CERTIFICATE-----
MIIBxTCCAWygAwIBAgIUCA8ZHEZdjviZdFQ/Nq1JkRu3MMIwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQa3NkZXZvcHMgdGVzdCBDQTAgFw0yNjExMjcwMDEzMDRaGA8y
MTI2MTEwMzAwMTMwNFowFDESMBAGA1UEAwwJbG9jYWxob3N0MFkwEwYHKoZIzj0C
AQYIKoZIzj0DAQcDQgAEga5GrlsWBRCl9RaV/ub4RzltEHno51OkBgQY741ZSIIh
C/YiYeg2Ezw9DQJpYZPO2E0o1KT9h4h51sM4k35Kj6OBkjCBjzAaBgNVHREEEzAR
gglsb2NhbGhvc3SHBH8AAAEwDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCB4Aw
EwYDVR0lBAwwCgYIKwYBBQUHAwEwHQYDVR0OBBYEFDbdGqbGR3MXhqksg2Bf29wY
mZuEMB8GA1UdIwQYMBaAFMHnUiYPPY9+3KxpaPDMP+RkxVgmMAoGCCqGSM49BAMC
A0cAMEQCIB5EFHGJBPtGvt1dnyT/QsRoaaa1mySiBNnzLJxGgRWqAiBarHD7/DbX
wxWOGTb0qKSte0Pef2HSuhXC6ObSjKLErA==
-----END CERTIFICATE-----
";
const SERVER_KEY_PEM: &str = r"-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg59YANzn7zRpey2OJ
CfjS3JCF64qL7QZ0d+Eqz6Mb51uhRANCAASBrkauWxYFEKX1FpX+5vhHOW0Qeejn
U6QGBBjvjVlIgiEL9iJh6DYTPD0NAmlhk87YTSjUpP2HiHnWwziTfkqP
-----END PRIVATE KEY-----
";

/// What the test server read: the request head lines and the body.
#[derive(Debug)]
struct Seen {
    head: Vec<String>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.iter().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

fn read_request(stream: &mut impl Read) -> Seen {
    let mut reader = BufReader::new(stream);
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        let line = line.trim_end().to_owned();
        if line.is_empty() {
            break;
        }
        head.push(line);
    }
    let mut seen = Seen {
        head,
        body: Vec::new(),
    };
    if let Some(len) = seen
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
    {
        seen.body = vec![0; len];
        reader.read_exact(&mut seen.body).unwrap();
    }
    seen
}

/// Serves one connection on loopback with `handle`, in a thread.
fn serve_once(handle: impl FnOnce(TcpStream) + Send + 'static) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            handle(stream);
        }
    });
    addr
}

fn transport(addr: SocketAddr) -> ReqwestTransport {
    ReqwestTransport::new(ReqwestConfig::new(format!("http://{addr}"))).unwrap()
}

fn authorized_get(path: &str) -> Request {
    let mut r = Request::new(Method::Get, path);
    r.headers
        .push(("Authorization".into(), format!("Bearer {PLANTED_TOKEN}")));
    r
}

#[tokio::test]
async fn sends_method_path_query_headers_and_body_and_reads_the_answer() {
    let (tx, rx) = mpsc::channel();
    let addr = serve_once(move |mut s| {
        tx.send(read_request(&mut s)).unwrap();
        s.write_all(b"HTTP/1.1 201 Created\r\nX-Text-Size: 42\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
            .unwrap();
    });
    let mut r = Request::new(
        Method::Post,
        "/kapis/devops.kubesphere.io/v1alpha2/namespaces/d/pipelines/p/runs",
    );
    r.query.push(("branch".into(), "feature/x y".into()));
    r.headers
        .push(("Authorization".into(), format!("Bearer {PLANTED_TOKEN}")));
    r.body = Some(Body::Json(
        serde_json::json!({"parameters": [{"name": "A", "value": "1"}]}),
    ));
    let response = transport(addr).send(r).await.unwrap();
    assert_eq!(response.status, 201);
    assert_eq!(response.header("x-text-size"), Some("42"));
    assert_eq!(response.bytes().await.unwrap(), b"hello");
    let seen = rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(
        seen.head[0],
        "POST /kapis/devops.kubesphere.io/v1alpha2/namespaces/d/pipelines/p/runs?branch=feature%2Fx%20y HTTP/1.1"
    );
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(
        seen.header("authorization"),
        Some(format!("Bearer {PLANTED_TOKEN}").as_str())
    );
    assert_eq!(
        seen.header("accept"),
        Some("*/*"),
        "ks-devops text routes answer 406 to anything narrower"
    );
    assert_eq!(seen.body, br#"{"parameters":[{"name":"A","value":"1"}]}"#);
}

#[tokio::test]
async fn hands_on_the_body_chunk_by_chunk_as_it_arrives() {
    let (go_on_tx, go_on_rx) = mpsc::channel::<()>();
    let addr = serve_once(move |mut s| {
        read_request(&mut s);
        s.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n6\r\nfirst\n\r\n").unwrap();
        s.flush().unwrap();
        // The rest is sent only once the client has handed on the first chunk.
        if go_on_rx.recv_timeout(Duration::from_secs(5)).is_ok() {
            s.write_all(b"7\r\nsecond\n\r\n0\r\n\r\n").unwrap();
        }
    });
    let mut response = transport(addr)
        .send(Request::new(Method::Get, "/log"))
        .await
        .unwrap();
    assert_eq!(
        response.body.next_chunk().await.unwrap().unwrap(),
        b"first\n"
    );
    go_on_tx.send(()).unwrap();
    assert_eq!(
        response.body.next_chunk().await.unwrap().unwrap(),
        b"second\n"
    );
    assert_eq!(response.body.next_chunk().await.unwrap(), None);
}

#[tokio::test]
async fn a_silent_server_times_out_with_a_timeout_error() {
    let addr = serve_once(|mut s| {
        read_request(&mut s);
        thread::sleep(Duration::from_secs(3));
    });
    let mut config = ReqwestConfig::new(format!("http://{addr}"));
    config.read_timeout = Duration::from_millis(300);
    let t = ReqwestTransport::new(config).unwrap();
    let started = Instant::now();
    let err = t.send(authorized_get("/runs/1")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert!(err.message().contains("GET /runs/1"), "{err}");
    assert!(!format!("{err} {err:?}").contains(PLANTED_TOKEN));
}

#[tokio::test]
async fn a_body_that_stalls_times_out() {
    let addr = serve_once(|mut s| {
        read_request(&mut s);
        s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc")
            .unwrap();
        thread::sleep(Duration::from_secs(3));
    });
    let mut config = ReqwestConfig::new(format!("http://{addr}"));
    config.read_timeout = Duration::from_millis(300);
    let response = ReqwestTransport::new(config)
        .unwrap()
        .send(Request::new(Method::Get, "/a"))
        .await
        .unwrap();
    let err = response.bytes().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
}

#[tokio::test]
async fn a_connection_dropped_mid_body_is_a_transport_error() {
    let addr = serve_once(|mut s| {
        read_request(&mut s);
        s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
            .unwrap();
    });
    let mut response = transport(addr)
        .send(Request::new(Method::Get, "/a"))
        .await
        .unwrap();
    let mut got = Vec::new();
    let err = loop {
        match response.body.next_chunk().await {
            Ok(Some(chunk)) => got.extend(chunk),
            Ok(None) => panic!("a truncated body must not look complete"),
            Err(e) => break e,
        }
    };
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(b"0123456789".starts_with(&got));
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error_without_the_token() {
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let err = transport(addr)
        .send(authorized_get("/x"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(err.message().contains("cannot connect"), "{err}");
    assert!(!format!("{err} {err:?}").contains(PLANTED_TOKEN));
}

#[tokio::test]
async fn a_bad_header_value_is_named_without_showing_it() {
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut r = Request::new(Method::Get, "/x");
    r.headers
        .push(("Authorization".into(), format!("Bearer {PLANTED_TOKEN}\n")));
    let err = transport(addr).send(r).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.field(), Some("headers"));
    assert!(err.message().contains("authorization"), "{err}");
    assert!(!format!("{err} {err:?}").contains(PLANTED_TOKEN));
}

#[test]
fn bad_settings_are_rejected_naming_the_field() {
    let err = ReqwestTransport::new(ReqwestConfig::new("ks.example.com")).unwrap_err();
    assert_eq!(err.field(), Some("server"));
    let mut c = ReqwestConfig::new("http://127.0.0.1:1");
    c.read_timeout = Duration::ZERO;
    assert_eq!(
        ReqwestTransport::new(c).unwrap_err().field(),
        Some("read_timeout")
    );
    let err = ReqwestConfig::new("https://x")
        .with_ca_file("/nonexistent/ca.pem")
        .unwrap_err();
    assert_eq!(err.field(), Some("ca_bundle"));
    assert!(err.message().contains("/nonexistent/ca.pem"), "{err}");
    let mut c = ReqwestConfig::new("https://x");
    c.ca_bundle_pem = Some(b"not a certificate".to_vec());
    assert_eq!(
        ReqwestTransport::new(c).unwrap_err().field(),
        Some("ca_bundle")
    );
}

/// Serves one HTTPS request with the test server certificate.
fn serve_tls_once() -> SocketAddr {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_slice_iter(SERVER_CERT_PEM.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(SERVER_KEY_PEM.as_bytes()).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    serve_once(move |tcp| {
        let conn = rustls::ServerConnection::new(Arc::new(config)).unwrap();
        let mut tls = rustls::StreamOwned::new(conn, tcp);
        read_request(&mut tls);
        let _ = tls
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nsecure");
        tls.conn.send_close_notify();
        let _ = tls.flush();
    })
}

fn tls_config(addr: SocketAddr) -> ReqwestConfig {
    ReqwestConfig::new(format!("https://localhost:{}", addr.port()))
}

#[tokio::test]
async fn trusts_a_server_signed_by_the_given_ca_bundle() {
    let addr = serve_tls_once();
    let dir = std::env::temp_dir().join(format!("ksdevops-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, TEST_CA_PEM).unwrap();
    let config = tls_config(addr).with_ca_file(&ca_file).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let response = ReqwestTransport::new(config)
        .unwrap()
        .send(Request::new(Method::Get, "/"))
        .await
        .unwrap();
    assert_eq!(response.bytes().await.unwrap(), b"secure");
}

#[tokio::test]
async fn refuses_a_server_whose_ca_it_was_not_given() {
    let addr = serve_tls_once();
    let t = ReqwestTransport::new(tls_config(addr)).unwrap();
    let err = t.send(authorized_get("/")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(
        err.message().to_lowercase().contains("certificate"),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains(PLANTED_TOKEN));
}

#[tokio::test]
async fn insecure_mode_accepts_any_certificate_when_asked() {
    let addr = serve_tls_once();
    let mut config = tls_config(addr);
    config.insecure = true;
    let response = ReqwestTransport::new(config)
        .unwrap()
        .send(Request::new(Method::Get, "/"))
        .await
        .unwrap();
    assert_eq!(response.status, 200);
}

#[test]
fn futures_and_responses_can_cross_threads() {
    fn assert_send<T: Send>(_: &T) {}
    let t = transport("127.0.0.1:9".parse().unwrap());
    let request = Request::new(Method::Get, "/");
    let sending = t.send(request.clone());
    assert_send(&sending);
    let policy = ksdevops::client::retry::RetryPolicy::default();
    let mut jitter = ksdevops::client::retry::SeededJitter::new(1);
    let retrying = ksdevops::client::retry::send_with_retry(&t, &request, &policy, &mut jitter);
    assert_send(&retrying);
    let response = ksdevops::transport::Response::buffered(200, Vec::new(), b"x".to_vec());
    assert_send(&response);
}
