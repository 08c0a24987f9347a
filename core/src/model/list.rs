//! List envelopes: `{items, totalItems}` (v1alpha3, v1alpha2 runs), `{items, total_count}`
//! (v1alpha2 search) and bare arrays (v1alpha2 branches, nodes, steps, artifacts).

use crate::{Error, ErrorKind};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListResult<T> {
    /// `"items": null` (what the server sends for an empty pipeline, credential or project
    /// list) reads as empty.
    #[serde(
        default = "Vec::new",
        deserialize_with = "null_as_empty",
        bound(deserialize = "T: Deserialize<'de>")
    )]
    pub items: Vec<T>,
    /// Total across all pages.
    #[serde(default, alias = "total_count")]
    pub total_items: i64,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl<T> Default for ListResult<T> {
    fn default() -> Self {
        ListResult {
            items: Vec::new(),
            total_items: 0,
            extra: Map::new(),
        }
    }
}

impl<T> ListResult<T> {
    /// A list of exactly these items.
    pub fn from_items(items: Vec<T>) -> Self {
        let total_items = i64::try_from(items.len()).unwrap_or(i64::MAX);
        ListResult {
            items,
            total_items,
            extra: Map::new(),
        }
    }
}

impl<T: DeserializeOwned> ListResult<T> {
    /// Reads either envelope form or a bare JSON array (whose total is its length).
    pub fn from_json(body: &[u8]) -> Result<Self, Error> {
        let value: Value = serde_json::from_slice(body).map_err(decode_error)?;
        Self::from_value(value)
    }

    pub fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Array(_) => serde_json::from_value(value)
                .map(ListResult::from_items)
                .map_err(decode_error),
            Value::Null => Ok(ListResult::default()),
            other => serde_json::from_value(other).map_err(decode_error),
        }
    }
}

fn decode_error(e: serde_json::Error) -> Error {
    Error::new(ErrorKind::Decode, format!("list: {e}"))
}

fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}
