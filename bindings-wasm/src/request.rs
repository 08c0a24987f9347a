//! `Request`: a built request, ready to hand to `fetch`.

use crate::to_js;
use ksdevops::api::Body;
use ksdevops::Secret;
use wasm_bindgen::prelude::*;

/// An HTTP request for the KubeSphere API server, relative to its base URL.
#[wasm_bindgen]
pub struct Request {
    inner: ksdevops::api::Request,
}

impl From<ksdevops::api::Request> for Request {
    fn from(inner: ksdevops::api::Request) -> Self {
        Request { inner }
    }
}

#[wasm_bindgen]
impl Request {
    /// "GET", "POST", "PUT" or "DELETE".
    #[wasm_bindgen(getter, unchecked_return_type = "HttpMethod")]
    pub fn method(&self) -> String {
        self.inner.method.as_str().to_owned()
    }

    /// The base URL of the server this request goes to when that is not the KubeSphere API
    /// server (Jenkins' own URL), else `undefined`.
    #[wasm_bindgen(getter)]
    pub fn base(&self) -> Option<String> {
        self.inner.base.clone()
    }

    /// The percent-encoded path, without the query.
    #[wasm_bindgen(getter)]
    pub fn path(&self) -> String {
        self.inner.path.clone()
    }

    /// Query parameters as decoded [name, value] pairs, in order.
    #[wasm_bindgen(getter, unchecked_return_type = "[string, string][]")]
    pub fn query(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.query)
    }

    /// Header names and values as a plain object.
    #[wasm_bindgen(getter, unchecked_return_type = "Record<string, string>")]
    pub fn headers(&self) -> Result<JsValue, JsValue> {
        let map: serde_json::Map<String, serde_json::Value> = self
            .inner
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        to_js(&map)
    }

    /// The JSON body as a value, the [name, value] pairs of a form body, or `null`.
    #[wasm_bindgen(getter, unchecked_return_type = "any")]
    pub fn body(&self) -> Result<JsValue, JsValue> {
        body_to_js(self.inner.body.as_ref())
    }

    /// The body as the text to send (JSON or form-urlencoded), or `undefined`.
    #[wasm_bindgen(getter, js_name = bodyText)]
    pub fn body_text(&self) -> Option<String> {
        self.inner
            .body_bytes()
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The absolute URL under `base`, query encoded (under the request's own `base` when it
    /// has one).
    pub fn url(&self, base: &str) -> String {
        self.inner.url(base)
    }

    /// A curl command line with every secret (the token too) shown as `***`.
    #[wasm_bindgen(js_name = toCurl)]
    pub fn to_curl(
        &self,
        base: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] token: Option<String>,
    ) -> String {
        let token = token.map(Secret::new);
        self.inner.to_curl(base, token.as_ref())
    }

    /// The plain-object form (`JSON.stringify` uses it), for logs: every secret in the body is
    /// shown as `***`. Send `body` / `bodyText`, which keep them.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "RequestJson")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        let object = js_sys::Object::new();
        let set = |key: &str, value: JsValue| js_sys::Reflect::set(&object, &key.into(), &value);
        set("method", self.method().into())?;
        if let Some(base) = self.base() {
            set("base", base.into())?;
        }
        set("path", self.path().into())?;
        set("query", self.query()?)?;
        set("headers", self.headers()?)?;
        set("body", body_to_js(self.inner.masked_body().as_ref())?)?;
        Ok(object.into())
    }
}

fn body_to_js(body: Option<&Body>) -> Result<JsValue, JsValue> {
    match body {
        None => Ok(JsValue::NULL),
        Some(Body::Json(value)) => to_js(value),
        Some(Body::Form(pairs)) => to_js(pairs),
    }
}
