//! Response decoding: (status, headers, body) in, a typed value or an [`Error`] out.

use crate::error::{Error, Result};
use serde_json::Value;

/// Decodes the response to `operation` into JSON, or into the error the server meant.
/// This is the entry point the bindings and the vectors use.
pub fn decode_response(
    operation: &str,
    _status: u16,
    _headers: &[(String, String)],
    _body: &[u8],
) -> Result<Value> {
    Err(Error::invalid(
        "operation",
        format!("{operation:?} is not a known operation"),
    ))
}
