//! KubeSphere's list query (`page`, `limit`, `name`, `sortBy`, `ascending`, `labelSelector`)
//! and the ListResult envelope.

use crate::store::meta;
use ksdevops::model::annotations;
use serde_json::{json, Value};
use std::collections::HashMap;

pub struct ListQuery {
    pub page: usize,
    pub limit: Option<usize>,
    pub name: Option<String>,
    pub sort_by: String,
    pub ascending: bool,
    pub label_selector: Vec<(String, String, bool)>,
}

impl ListQuery {
    pub fn parse(q: &HashMap<String, String>) -> Self {
        // `limit` absent or not a number ⇒ no pagination (reference §2.5).
        let limit = q.get("limit").and_then(|l| l.parse::<usize>().ok());
        let page = q
            .get("page")
            .and_then(|p| p.parse::<usize>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1);
        ListQuery {
            page,
            limit,
            name: q.get("name").filter(|n| !n.is_empty()).cloned(),
            sort_by: q
                .get("sortBy")
                .cloned()
                .unwrap_or_else(|| "creationTimestamp".into()),
            ascending: q.get("ascending").is_some_and(|a| a == "true"),
            label_selector: parse_selector(
                q.get("labelSelector").map(String::as_str).unwrap_or(""),
            ),
        }
    }

    /// `name` matches a substring of the name or of the `kubesphere.io/alias-name`.
    pub fn name_matches(&self, obj: &Value) -> bool {
        let Some(want) = &self.name else { return true };
        let name = meta(obj, "name").unwrap_or("");
        let alias = crate::store::annotation(obj, annotations::ALIAS_NAME).unwrap_or("");
        name.contains(want.as_str()) || alias.contains(want.as_str())
    }

    pub fn labels_match(&self, obj: &Value) -> bool {
        selector_matches(&self.label_selector, obj)
    }

    /// Sorts (by `sortBy`, default creationTimestamp, descending unless `ascending=true`)
    /// and pages; returns the page and the total.
    pub fn page_of(&self, mut items: Vec<(i64, Value)>) -> (Vec<Value>, usize) {
        let by_name = self.sort_by == "name";
        items.sort_by(|(ta, a), (tb, b)| {
            let na = meta(a, "name").unwrap_or("");
            let nb = meta(b, "name").unwrap_or("");
            if by_name {
                na.cmp(nb)
            } else {
                ta.cmp(tb).then_with(|| na.cmp(nb))
            }
        });
        if !self.ascending {
            items.reverse();
        }
        let total = items.len();
        (self.page(items.into_iter().map(|(_, v)| v)), total)
    }

    /// The `page`-th run of `limit` items, or all of them without `limit`.
    pub fn page(&self, items: impl IntoIterator<Item = Value>) -> Vec<Value> {
        let items = items.into_iter();
        match self.limit {
            None => items.collect(),
            Some(limit) => {
                let offset = (self.page - 1).saturating_mul(limit);
                items.skip(offset).take(limit).collect()
            }
        }
    }
}

/// `a=b,c!=d,e==f`.
pub fn parse_selector(s: &str) -> Vec<(String, String, bool)> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            if let Some((k, v)) = p.split_once("!=") {
                Some((k.trim().to_string(), v.trim().to_string(), false))
            } else if let Some((k, v)) = p.split_once("==") {
                Some((k.trim().to_string(), v.trim().to_string(), true))
            } else {
                p.split_once('=')
                    .map(|(k, v)| (k.trim().to_string(), v.trim().to_string(), true))
            }
        })
        .collect()
}

pub fn selector_matches(sel: &[(String, String, bool)], obj: &Value) -> bool {
    sel.iter().all(|(k, v, eq)| {
        let actual = crate::store::label(obj, k);
        (actual == Some(v.as_str())) == *eq
    })
}

/// `FromKSListResult`: `items` is `null` when nothing matched (reference §3.3).
pub fn ks_list_result(items: Vec<Value>, total: usize) -> Value {
    json!({
        "items": if items.is_empty() { Value::Null } else { Value::Array(items) },
        "totalItems": total,
    })
}

/// `NewListResult` / KS `DefaultList`: `items` is `[]` when empty.
pub fn list_result(items: Vec<Value>, total: usize) -> Value {
    json!({"items": items, "totalItems": total})
}
