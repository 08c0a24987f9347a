//! Reading the JS arguments that several functions share.

use crate::errors::to_js_error;
use crate::from_js;
use wasm_bindgen::{JsCast, JsValue};

/// Parameter values given as an object or a `Map` of names to values, in their order.
pub(crate) fn parameter_values(
    values: JsValue,
    field: &str,
) -> Result<Vec<(String, serde_json::Value)>, JsValue> {
    if values.is_undefined() || values.is_null() {
        return Ok(Vec::new());
    }
    let entries: JsValue = if values.is_instance_of::<js_sys::Map>() {
        js_sys::Array::from(&values).into()
    } else if values.is_object() && !js_sys::Array::is_array(&values) {
        js_sys::Object::entries(values.unchecked_ref()).into()
    } else {
        return Err(to_js_error(ksdevops::Error::invalid(
            field,
            "must be an object or a Map of parameter names to values",
        )));
    };
    from_js(entries, field)
}

fn property(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

fn given(value: &JsValue) -> bool {
    !(value.is_undefined() || value.is_null())
}

/// A string option, absent when `undefined` or `null`.
pub(crate) fn opt_string(object: &JsValue, name: &str) -> Result<Option<String>, JsValue> {
    let value = property(object, name);
    if !given(&value) {
        return Ok(None);
    }
    value
        .as_string()
        .map(Some)
        .ok_or_else(|| to_js_error(ksdevops::Error::invalid(name, "must be a string")))
}

/// A boolean option, absent when `undefined` or `null`.
pub(crate) fn opt_bool(object: &JsValue, name: &str) -> Result<Option<bool>, JsValue> {
    let value = property(object, name);
    if !given(&value) {
        return Ok(None);
    }
    value
        .as_bool()
        .map(Some)
        .ok_or_else(|| to_js_error(ksdevops::Error::invalid(name, "must be true or false")))
}

/// A duration option in milliseconds (a finite number, not negative).
pub(crate) fn opt_millis(
    object: &JsValue,
    name: &str,
) -> Result<Option<std::time::Duration>, JsValue> {
    let value = property(object, name);
    if !given(&value) {
        return Ok(None);
    }
    match value.as_f64() {
        Some(ms) if ms.is_finite() && ms >= 0.0 => {
            Ok(Some(std::time::Duration::from_secs_f64(ms / 1000.0)))
        }
        _ => Err(to_js_error(ksdevops::Error::invalid(
            name,
            "must be a number of milliseconds (0 or more)",
        ))),
    }
}

/// An options object (`undefined` and `null` mean none) whose keys are all among `known`.
pub(crate) fn options(value: JsValue, known: &[&str]) -> Result<JsValue, JsValue> {
    if !given(&value) {
        return Ok(js_sys::Object::new().into());
    }
    if !value.is_object() {
        return Err(to_js_error(ksdevops::Error::invalid(
            "options",
            format!("must be an object with any of: {}", known.join(", ")),
        )));
    }
    let keys = js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>());
    for key in keys.iter().filter_map(|k| k.as_string()) {
        if !known.contains(&key.as_str()) {
            return Err(to_js_error(ksdevops::Error::invalid(
                key,
                format!("is not an option here (known: {})", known.join(", ")),
            )));
        }
    }
    Ok(value)
}

/// A name given as a string, or the object's `metadata.name` (a run or pipeline object).
pub(crate) fn object_name(value: &JsValue, field: &str) -> Result<String, JsValue> {
    if let Some(name) = value.as_string() {
        return Ok(name);
    }
    property(&property(value, "metadata"), "name")
        .as_string()
        .ok_or_else(|| {
            to_js_error(ksdevops::Error::invalid(
                field,
                "must be a name or an object with metadata.name",
            ))
        })
}
