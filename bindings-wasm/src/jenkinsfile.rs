//! Jenkinsfile parameters for JavaScript.

use crate::errors::to_js_error;
use crate::{from_js, to_js};
use ksdevops::model::ParameterDefinition;
use wasm_bindgen::prelude::*;

/// Reads a Jenkinsfile with Jenkins' rules, offline. Never throws for any text: problems are
/// diagnostics with line and column.
#[wasm_bindgen(js_name = parseJenkinsfile, unchecked_return_type = "JenkinsfileReport")]
pub fn parse_jenkinsfile(text: &str) -> Result<JsValue, JsValue> {
    to_js(&ksdevops::jenkinsfile::parse_jenkinsfile(text))
}

/// Checks `values` against `definitions` and returns the run payload `[{name, value}]` in the
/// definitions' order, password entries marked `secret: true` (so a request built from it
/// masks them). Throws an invalid_input error whose `field` is `parameters.<name>`.
#[wasm_bindgen(js_name = checkParameters, unchecked_return_type = "ParameterValue[]")]
pub fn check_parameters(
    #[wasm_bindgen(unchecked_param_type = "ParameterDefinition[]")] definitions: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown> | Map<string, unknown>")]
    values: JsValue,
    #[wasm_bindgen(js_name = fillDefaults)] fill_defaults: Option<bool>,
) -> Result<JsValue, JsValue> {
    let definitions: Vec<ParameterDefinition> = from_js(definitions, "definitions")?;
    let values = crate::args::parameter_values(values, "values")?;
    let checked = ksdevops::jenkinsfile::check_parameters(
        &definitions,
        &values,
        fill_defaults.unwrap_or(false),
    )
    .map_err(to_js_error)?;
    to_js(&ksdevops::api::parameters_argument(&checked, &definitions))
}

/// The kind of a parameter type, from Jenkins' class name (`hudson.model.ChoiceParameterDefinition`,
/// `BooleanParameterDefinition`) or KubeSphere's simplified type (`choice`): what a form
/// shows for it. Types the library does not check are "other".
#[wasm_bindgen(js_name = parameterKind, unchecked_return_type = "ParameterKind")]
pub fn parameter_kind(type_name: &str) -> String {
    let kind = ksdevops::model::ParameterKind::of(type_name);
    kind.simplified().unwrap_or("other").to_owned()
}
