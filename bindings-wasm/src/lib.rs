//! WebAssembly binding of ksdevops: the client over fetch (wasm32 only) and the sans-I/O
//! functions, for JavaScript.
//!
//! Arguments and results are plain JS objects (through their JSON text); errors are JS
//! `Error`s with `kind`, `field` and `status` properties. The TypeScript types live in
//! `types.rs`.

mod args;
#[cfg(target_arch = "wasm32")]
mod client;
mod errors;
mod jenkinsfile;
mod request;
mod run_state;
mod types;

use errors::to_js_error;
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

#[cfg(target_arch = "wasm32")]
pub use client::{connect_client, ArtifactStream, Client, Jenkins, LogStream, RunEventStream};
pub use errors::set_error_class;
pub use jenkinsfile::{check_parameters, parse_jenkinsfile};
pub use request::Request;
pub use run_state::{node_state, run_state};

/// Reads a JS value as `T` through its JSON text: serde_json is the one serde format the
/// wasm carries (a second one, serde-wasm-bindgen, cost more code than the copy costs time).
pub(crate) fn from_js<T: serde::de::DeserializeOwned>(
    value: JsValue,
    field: &str,
) -> Result<T, JsValue> {
    let unreadable = |why: String| to_js_error(ksdevops::Error::invalid(field, why));
    let text = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| unreadable("cannot be read: it is not JSON data".into()))?;
    // From bytes, as the core decodes responses: one instance of each type's decoder.
    serde_json::from_slice(text.as_bytes()).map_err(|e| unreadable(format!("cannot be read: {e}")))
}

/// JSON values go out as plain objects (maps become objects, not `Map`s).
pub(crate) fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&text)
}

/// Builds the request for `operation` from `args` (named as in the vector format) for the
/// server generation `layout` ("v4", the default, or "v3"). Nothing is sent.
#[wasm_bindgen(js_name = buildRequest)]
pub fn build_request(
    operation: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "RequestArgs")] args: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Layout")] layout: Option<String>,
) -> Result<Request, JsValue> {
    let layout: ksdevops::api::ApiLayout = layout
        .as_deref()
        .unwrap_or("v4")
        .parse()
        .map_err(to_js_error)?;
    let args: serde_json::Value = if args.is_undefined() || args.is_null() {
        serde_json::Value::Object(Default::default())
    } else {
        from_js(args, "args")?
    };
    ksdevops::api::build_request(operation, &args, layout)
        .map(Request::from)
        .map_err(to_js_error)
}

/// Decodes the server's answer to `operation` into plain JS values, or throws the error it
/// means. `headers` is an object, a `Headers` instance or a list of [name, value] pairs;
/// `body` is a string or bytes.
#[wasm_bindgen(js_name = decodeResponse, unchecked_return_type = "any")]
pub fn decode_response(
    operation: &str,
    status: u16,
    #[wasm_bindgen(unchecked_param_type = "ResponseHeaders")] headers: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | null | undefined")] body: JsValue,
) -> Result<JsValue, JsValue> {
    let headers = headers_from_js(headers)?;
    let body = if let Some(text) = body.as_string() {
        text.into_bytes()
    } else if body.is_undefined() || body.is_null() {
        Vec::new()
    } else if body.is_instance_of::<Uint8Array>() {
        Uint8Array::new(&body).to_vec()
    } else {
        return Err(to_js_error(ksdevops::Error::invalid(
            "body",
            "must be a string, a Uint8Array, null or undefined",
        )));
    };
    let value = ksdevops::decode::decode_response(operation, status, &headers, &body)
        .map_err(to_js_error)?;
    to_js(&value)
}

fn headers_from_js(headers: JsValue) -> Result<Vec<(String, String)>, JsValue> {
    if headers.is_undefined() || headers.is_null() {
        return Ok(Vec::new());
    }
    // `Headers`, `Map` and arrays of pairs are iterable; plain objects are not.
    let pairs = if js_sys::Array::is_array(&headers)
        || js_sys::Reflect::has(&headers, &js_sys::Symbol::iterator().into()).unwrap_or(false)
    {
        js_sys::Array::from(&headers).into()
    } else {
        js_sys::Object::entries(headers.unchecked_ref()).into()
    };
    from_js(pairs, "headers")
}
