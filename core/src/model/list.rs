//! List envelopes: `{items, totalItems}` (v1alpha3, v1alpha2 runs), `{items, total_count}`
//! (v1alpha2 search) and bare arrays (v1alpha2 branches, nodes, steps, artifacts).

use crate::{Error, ErrorKind};
use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use std::marker::PhantomData;

/// Deserializing reads the body once, straight into the items (no intermediate
/// [`Value`] of the whole list): decoding a list costs little more than the list itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListResult<T> {
    /// `"items": null` (what the server sends for an empty pipeline, credential or project
    /// list) reads as empty.
    pub items: Vec<T>,
    /// Total across all pages (`totalItems`, or `total_count` in v1alpha2 search).
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
    /// Reads either envelope form, a bare JSON array (whose total is its length) or `null`.
    pub fn from_json(body: &[u8]) -> Result<Self, Error> {
        serde_json::from_slice(body).map_err(decode_error)
    }

    pub fn from_value(value: Value) -> Result<Self, Error> {
        serde_json::from_value(value).map_err(decode_error)
    }
}

fn decode_error(e: serde_json::Error) -> Error {
    Error::new(ErrorKind::Decode, format!("list: {e}"))
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ListResult<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ListVisitor(PhantomData))
    }
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = ListResult<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list: {\"items\": [...]}, an array, or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(ListResult::default())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(ListResult::from_items(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut list = ListResult::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "items" => list.items = map.next_value::<Option<Vec<T>>>()?.unwrap_or_default(),
                "totalItems" | "total_count" => {
                    list.total_items = map.next_value::<Option<i64>>()?.unwrap_or_default()
                }
                _ => {
                    let value = map.next_value()?;
                    list.extra.insert(key, value);
                }
            }
        }
        Ok(list)
    }
}
