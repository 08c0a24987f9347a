//! Preparing Kubernetes objects given by the caller as request bodies.

use super::validate;
use crate::error::{Error, Result};
use serde::Serialize;
use serde_json::{Map, Value};

/// A caller's object (a model type or JSON) as a JSON map, with a validated `metadata.name`,
/// `metadata.namespace` set to `namespace` (an object from another namespace is refused), and
/// `apiVersion`/`kind` filled in when absent.
pub(crate) fn prepare(
    field: &str,
    object: &impl Serialize,
    api_version: &str,
    kind: &str,
    namespace: Option<&str>,
) -> Result<(Map<String, Value>, String)> {
    let value = serde_json::to_value(object)
        .map_err(|e| Error::invalid(field, format!("cannot be serialized: {e}")))?;
    let Value::Object(mut map) = value else {
        return Err(Error::invalid(field, "must be a JSON object"));
    };
    let metadata = map
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(metadata) = metadata else {
        return Err(Error::invalid(
            format!("{field}.metadata"),
            "must be a JSON object",
        ));
    };
    let name_field = format!("{field}.metadata.name");
    let name = match metadata.get("name") {
        Some(Value::String(name)) => validate::dns_subdomain(&name_field, name)?.to_owned(),
        _ => return Err(Error::invalid(name_field, "is required")),
    };
    if let Some(namespace) = namespace {
        match metadata.get("namespace") {
            None | Some(Value::Null) => {}
            Some(Value::String(ns)) if ns == namespace => {}
            Some(other) => {
                return Err(Error::invalid(
                    format!("{field}.metadata.namespace"),
                    format!("{other} differs from the DevOps project {namespace:?}"),
                ))
            }
        }
        metadata.insert("namespace".into(), namespace.into());
    }
    fill_type_meta(&mut map, api_version, kind);
    Ok((map, name))
}

/// Puts `apiVersion` and `kind` first when the object lacks them.
pub(crate) fn fill_type_meta(map: &mut Map<String, Value>, api_version: &str, kind: &str) {
    if map.contains_key("apiVersion") && map.contains_key("kind") {
        return;
    }
    let mut out = Map::new();
    out.insert(
        "apiVersion".into(),
        map.remove("apiVersion")
            .unwrap_or_else(|| api_version.into()),
    );
    out.insert(
        "kind".into(),
        map.remove("kind").unwrap_or_else(|| kind.into()),
    );
    out.append(map);
    *map = out;
}

/// Sets `metadata.annotations[key] = value`, creating the maps on the way.
pub(crate) fn set_annotation(map: &mut Map<String, Value>, key: &str, value: &str) {
    set_meta_entry(map, "annotations", key, value);
}

fn set_meta_entry(map: &mut Map<String, Value>, which: &str, key: &str, value: &str) {
    let metadata = map
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    if !metadata.is_object() {
        *metadata = Value::Object(Map::new());
    }
    let entries = metadata
        .as_object_mut()
        .expect("metadata is an object")
        .entry(which)
        .or_insert_with(|| Value::Object(Map::new()));
    if !entries.is_object() {
        *entries = Value::Object(Map::new());
    }
    entries
        .as_object_mut()
        .expect("entries is an object")
        .insert(key.into(), value.into());
}
