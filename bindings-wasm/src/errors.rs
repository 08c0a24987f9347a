//! Core errors as JS errors with `kind`, `field` and `status` properties: instances of the
//! package's `KsDevOpsError` class once the package has registered it, plain `Error`s named
//! "KsDevOpsError" before (the bare wasm-bindgen build, its tests).

use js_sys::{Array, Error, Function, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Registers the class every error is made from (`new cls(message)`); the package calls it
/// once when the module is loaded.
#[wasm_bindgen(js_name = setErrorClass)]
pub fn set_error_class(class: Function) {
    ERROR_CLASS.with(|c| *c.borrow_mut() = Some(class));
}

fn new_error(message: &str) -> JsValue {
    let registered = ERROR_CLASS.with(|c| c.borrow().clone());
    registered
        .and_then(|class| Reflect::construct(&class, &Array::of1(&message.into())).ok())
        .unwrap_or_else(|| Error::new(message).into())
}

pub fn to_js_error(err: ksdevops::Error) -> JsValue {
    let js = new_error(err.message());
    let field = err.field().map_or(JsValue::NULL, JsValue::from_str);
    let status = err.status().map_or(JsValue::NULL, JsValue::from);
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&js, &"name".into(), &"KsDevOpsError".into());
    let _ = Reflect::set(&js, &"kind".into(), &err.kind().as_str().into());
    let _ = Reflect::set(&js, &"field".into(), &field);
    let _ = Reflect::set(&js, &"status".into(), &status);
    js
}
