//! HTTP/1.1 written byte for byte over a plain socket, so that nothing on the client side
//! cleans up a malformed request on its way to the simulator.

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A parsed HTTP/1.1 answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: String,
}

/// Writes `request` as given and reads the answer: the head, then the body until the server
/// closes (`Connection: close`) or, for a stream such as a watch, until it pauses.
pub async fn exchange(addr: &str, request: &[u8]) -> Result<Answer, String> {
    let mut stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    stream
        .write_all(request)
        .await
        .map_err(|e| format!("write: {e}"))?;
    let mut received = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        // Once the head is in, a pause in the body is a stream that goes on (a watch).
        let patience = match head_end(&received) {
            Some(_) => Duration::from_secs(1),
            None => Duration::from_secs(10),
        };
        let read = tokio::time::timeout(patience, stream.read(&mut chunk)).await;
        match read {
            Ok(Ok(0)) => break,
            Ok(Ok(n)) => received.extend_from_slice(&chunk[..n]),
            Ok(Err(e)) => return Err(format!("read: {e} after {} bytes", received.len())),
            Err(_) if head_end(&received).is_some() => break,
            Err(_) => return Err("no answer within 10 s".into()),
        }
    }
    parse(&received)
}

fn head_end(bytes: &[u8]) -> Option<usize> {
    bytes.windows(4).position(|w| w == b"\r\n\r\n")
}

fn parse(bytes: &[u8]) -> Result<Answer, String> {
    let end = head_end(bytes).ok_or_else(|| {
        format!(
            "connection closed without a complete answer: {:?}",
            String::from_utf8_lossy(bytes)
        )
    })?;
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let status_line = head.lines().next().unwrap_or("");
    let status = status_line
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("not an HTTP/1.1 status line: {status_line:?}"))?;
    Ok(Answer {
        status,
        head,
        body: String::from_utf8_lossy(&bytes[end + 4..]).into_owned(),
    })
}

/// An HTTP/1.1 request with the given target, headers and body, byte for byte.
pub fn request(method: &str, target: &str, headers: &[(&str, &[u8])], body: &[u8]) -> Vec<u8> {
    let mut out =
        format!("{method} {target} HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out
}
