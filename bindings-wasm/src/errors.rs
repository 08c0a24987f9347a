//! Core errors as JS `Error`s with `kind`, `field` and `status` properties.

use js_sys::{Error, Reflect};
use wasm_bindgen::JsValue;

pub fn to_js_error(err: ksdevops::Error) -> JsValue {
    let js = Error::new(err.message());
    js.set_name("KsDevOpsError");
    let field = err.field().map_or(JsValue::NULL, JsValue::from_str);
    let status = err.status().map_or(JsValue::NULL, JsValue::from);
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&js, &"kind".into(), &err.kind().as_str().into());
    let _ = Reflect::set(&js, &"field".into(), &field);
    let _ = Reflect::set(&js, &"status".into(), &status);
    js.into()
}
