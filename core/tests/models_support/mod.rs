//! Shared helpers of the model tests: finding and reading fixtures, round-trip checks.
#![allow(dead_code)] // each test crate uses a different subset

mod js;
mod schema;

pub use js::js_exports;
pub use schema::{sample_from_crd, sample_from_swagger};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt::Debug;
use std::path::PathBuf;

/// The captured server payloads: `$KSDEVOPS_SHARED/reference/fixtures` (`cargo xtask test`
/// sets the variable when the material is present). They are external material, not part of
/// the repository; empty without the variable.
pub fn fixtures_dir() -> PathBuf {
    let shared = std::env::var_os("KSDEVOPS_SHARED").unwrap_or_default();
    if shared.is_empty() {
        return PathBuf::new();
    }
    PathBuf::from(shared).join("reference").join("fixtures")
}

/// Whether the captured payloads are here. When not, says so on stderr: the test that asks
/// is skipped (it passes without checking anything).
pub fn fixtures_present() -> bool {
    let dir = fixtures_dir();
    let present = !dir.as_os_str().is_empty() && dir.is_dir();
    if !present {
        eprintln!(
            "skipped: no captured payloads (KSDEVOPS_SHARED is {:?})",
            std::env::var_os("KSDEVOPS_SHARED").unwrap_or_default()
        );
    }
    present
}

/// Returns from the calling test when the captured payloads are absent.
#[macro_export]
macro_rules! require_fixtures {
    () => {
        if !support::fixtures_present() {
            return;
        }
    };
}

pub fn fixture_text(name: &str) -> String {
    let path = fixtures_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

pub fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture_text(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The documents of a multi-document YAML file, as JSON values.
pub fn yaml_documents(name: &str) -> Vec<Value> {
    let text = fixture_text(name);
    serde_norway::Deserializer::from_str(&text)
        .map(|doc| Value::deserialize(doc).unwrap_or_else(|e| panic!("{name}: {e}")))
        .filter(|doc| !doc.is_null())
        .collect()
}

/// The first JSON block after `heading` in the BlueOcean README, with its `[...]`/`{...}`
/// elisions read as empty.
pub fn markdown_json_after(heading: &str) -> Value {
    let text = fixture_text("README.md");
    let start = text
        .lines()
        .scan(0usize, |offset, line| {
            let here = *offset;
            *offset += line.len() + 1;
            Some((here, line))
        })
        .find(|(_, line)| line.trim_end() == heading)
        .map(|(offset, _)| offset)
        .unwrap_or_else(|| panic!("heading {heading:?} not in README.md"));
    let rest = &text[start + heading.len()..];
    let open = rest
        .lines()
        .scan(0usize, |offset, line| {
            let here = *offset;
            *offset += line.len() + 1;
            Some((here, line))
        })
        .find(|(_, line)| matches!(line.trim_start().chars().next(), Some('[' | '{')))
        .map(|(offset, line)| offset + line.len() - line.trim_start().len())
        .unwrap_or_else(|| panic!("no JSON after {heading:?}"));
    let block = balanced_prefix(&rest[open..]);
    let cleaned = block.replace("[...]", "[]").replace("{...}", "{}");
    serde_json::from_str(&cleaned).unwrap_or_else(|e| panic!("JSON after {heading:?}: {e}"))
}

/// The text up to the bracket that closes the first one, skipping string contents.
fn balanced_prefix(text: &str) -> &str {
    let (mut depth, mut in_string, mut escaped) = (0i32, false, false);
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return &text[..=i];
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced JSON block");
}

/// Decodes `value` as `T`, re-encodes it and checks nothing was lost. `null` members count as
/// absent: BlueOcean writes `null` for unset values and the models skip unset values.
pub fn assert_round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> T {
    let decoded: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("decode as {}: {e}", std::any::type_name::<T>()));
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(
        without_null_members(encoded),
        without_null_members(value.clone()),
        "{} round trip changed the JSON",
        std::any::type_name::<T>()
    );
    decoded
}

/// As [`assert_round_trip`], but the JSON must come back exactly equal.
pub fn assert_round_trip_strict<T: DeserializeOwned + Serialize>(value: &Value) -> T {
    let decoded: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("decode as {}: {e}", std::any::type_name::<T>()));
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(
        &encoded,
        value,
        "{} round trip changed the JSON",
        std::any::type_name::<T>()
    );
    decoded
}

fn without_null_members(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_null_members(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_null_members).collect()),
        other => other,
    }
}

/// Fails if any `extra` map in `value`'s Debug output holds something, i.e. a field the
/// models do not type.
pub fn assert_no_extra_fields<T: Debug>(value: &T) {
    assert_eq!(leftover_extras(value), "", "fields left untyped");
}

/// Decodes a schema sample (without `_links`/`actions`, which stay untyped on purpose) and
/// returns the untyped leftovers, empty when every field is typed.
pub fn decode_untyped<T: DeserializeOwned + Debug>(sample: &Value) -> String {
    let decoded: T = serde_json::from_value(without_links_and_actions(sample.clone()))
        .unwrap_or_else(|e| panic!("decode as {}: {e}", std::any::type_name::<T>()));
    leftover_extras(&decoded)
}

fn leftover_extras<T: Debug>(value: &T) -> String {
    let debug = format!("{value:?}");
    debug
        .match_indices("extra: {")
        .filter(|(i, m)| !debug[i + m.len()..].starts_with('}'))
        .map(|(i, _)| debug[i..].chars().take(100).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

fn without_links_and_actions(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| k != "_links" && k != "actions")
                .map(|(k, v)| (k, without_links_and_actions(v)))
                .collect(),
        ),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(without_links_and_actions).collect())
        }
        other => other,
    }
}
