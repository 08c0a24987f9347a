//! `decode_response` for every operation on arbitrary status, headers and body: never panics,
//! and a refusal is a typed error whose message does not quote a token body.
//! Run: `cargo +nightly fuzz run decode_response -- -max_total_time=600`
#![no_main]

use arbitrary::Arbitrary;
use ksdevops::api::{Operation, ResponseKind};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Response {
    operation: u8,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fuzz_target!(|r: Response| {
    let operation = Operation::ALL[usize::from(r.operation) % Operation::ALL.len()];
    let decoded = ksdevops::decode::decode_response(
        operation.as_str(),
        r.status,
        &r.headers,
        &r.body,
    );
    match decoded {
        Ok(value) => {
            serde_json::to_string(&value).expect("a decoded value serializes");
        }
        Err(e) => {
            let message = e.message().to_owned();
            if operation.response() == ResponseKind::Token && r.body.len() >= 16 {
                let body = String::from_utf8_lossy(&r.body);
                assert!(!message.contains(&*body), "a token body was quoted in an error");
            }
        }
    }
});
