//! Builds a sample object with every field a schema declares (CRD OpenAPI v3 or swagger 2
//! definitions), to check that the models type each of them.

use serde_json::{json, Map, Value};

const SAMPLE_TIME: &str = "2024-05-01T10:00:00Z";

/// An object of the CRD's first version with every declared property filled in.
pub fn sample_from_crd(name: &str) -> Value {
    let crd = &super::yaml_documents(name)[0];
    let schema = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
    from_openapi_v3(schema)
}

fn from_openapi_v3(schema: &Value) -> Value {
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    match schema["type"].as_str() {
        Some("string") if schema["format"] == "date-time" => json!(SAMPLE_TIME),
        Some("string") => json!("x"),
        Some("integer") => json!(1),
        Some("boolean") => json!(true),
        Some("array") => json!([from_openapi_v3(&schema["items"])]),
        _ => Value::Object(
            properties(schema)
                .map(|(key, property)| (key.clone(), from_openapi_v3(property)))
                .collect(),
        ),
    }
}

fn properties(schema: &Value) -> impl Iterator<Item = (&String, &Value)> {
    schema["properties"].as_object().into_iter().flatten()
}

/// A sample of a swagger definition. Times become timestamps; "any" members become `null`
/// (arrays of them empty); Jenkins parameter definitions get their two required fields.
pub fn sample_from_swagger(definition: &str) -> Value {
    let swagger = super::fixture_json("swagger.json");
    from_swagger(
        &swagger["definitions"],
        &json!({ "$ref": format!("#/definitions/{definition}") }),
    )
}

fn from_swagger(definitions: &Value, schema: &Value) -> Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/definitions/");
        return match name {
            "job.Time" | "v1.Time" => json!(SAMPLE_TIME),
            "job.ParameterDefinition" => json!({"name": "p", "type": "string"}),
            _ => {
                let target = &definitions[name];
                if target.get("type").is_none() && target.get("properties").is_none() {
                    Value::Null
                } else {
                    from_swagger(definitions, target)
                }
            }
        };
    }
    match schema["type"].as_str() {
        Some("string") => json!("x"),
        Some("integer") => json!(1),
        Some("boolean") => json!(true),
        Some("array") => match from_swagger(definitions, &schema["items"]) {
            Value::Null => json!([]),
            item => json!([item]),
        },
        _ => {
            // v1alpha2 shapes declare their times as plain strings.
            let members: Map<String, Value> = properties(schema)
                .map(
                    |(key, property)| match from_swagger(definitions, property) {
                        Value::String(_) if key.ends_with("Time") => {
                            (key.clone(), json!(SAMPLE_TIME))
                        }
                        value => (key.clone(), value),
                    },
                )
                .collect();
            Value::Object(members)
        }
    }
}
