//! Response decoding: (status, headers, body) in, a typed value or an [`Error`] out.
//!
//! [`decode_response`] gives JSON for every operation (the vectors and bindings use it), in
//! the form the models serialise to; the typed helpers ([`decode_as`], [`decode_log`], [`decode_text`], [`decode_bytes`]) give Rust
//! values to the client.

mod error;
mod headers;
mod models;
mod success;

pub use error::error_from_response;
pub use headers::header;
pub(crate) use models::agent_labels;
pub(crate) use success::html_instead_of_json;
pub use success::{decode_as, decode_bytes, decode_log, decode_text, LogChunk};

use crate::api::Operation;
use crate::error::Result;
use serde_json::Value;

/// Decodes the response to `operation` into JSON, or into the error the server meant.
///
/// Success values: JSON operations give their model as it serialises (`items: null` reads as
/// `[]`, `aprovable` as `approvable`, unknown fields kept; operations without a model give the
/// parsed body, `null` when empty); text operations
/// a string; logs `{"text", "text_size", "more_data"}`; an artifact download
/// `{"filename", "size", "content_base64"}`; a watch the list of events.
pub fn decode_response(
    operation: &str,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Value> {
    let operation: Operation = operation.parse()?;
    success::check(operation, status, headers, body)?;
    success::to_json(operation, headers, body)
}
