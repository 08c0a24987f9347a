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
