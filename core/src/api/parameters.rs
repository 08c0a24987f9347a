//! Run and input parameters as they go into request bodies.

use crate::error::{Error, Result};
use crate::model::{ParameterDefinition, ParameterValue};
use serde_json::{json, Value};

/// The `parameters` argument of [`super::build_request`] for checked `values`: `[{name, value}]`,
/// with `"secret": true` on each password parameter's entry (by `definitions`), so that the
/// built request masks those values wherever it is shown.
pub fn parameters_argument(
    values: &[ParameterValue],
    definitions: &[ParameterDefinition],
) -> Value {
    values
        .iter()
        .map(|p| {
            let password = definitions
                .iter()
                .any(|d| d.name == p.name && d.is_password());
            if password {
                json!({ "name": p.name, "value": p.value, "secret": true })
            } else {
                json!({ "name": p.name, "value": p.value })
            }
        })
        .collect()
}

/// The `[{name, value}]` list, refusing empty or repeated names (the server silently drops
/// entries without a name, and Jenkins keeps only one value per name).
pub(crate) fn checked(parameters: &[ParameterValue]) -> Result<Vec<Value>> {
    let mut seen: Vec<&str> = Vec::with_capacity(parameters.len());
    parameters
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if p.name.trim().is_empty() {
                return Err(Error::invalid(
                    format!("parameters[{i}].name"),
                    "must not be empty",
                ));
            }
            if seen.contains(&p.name.as_str()) {
                return Err(Error::invalid(
                    format!("parameters[{i}].name"),
                    format!("{:?} is given twice", p.name),
                ));
            }
            seen.push(&p.name);
            Ok(json!({ "name": p.name, "value": p.value }))
        })
        .collect()
}
