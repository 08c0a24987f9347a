//! Peak memory of decoding one big pipeline list, for `cargo xtask bench`.
//!
//! `list_memory FILE direct|value` reads FILE (a list body), decodes it into
//! `ListResult<Pipeline>` and prints `peak_rss_bytes=N body_bytes=M`. `direct` is the
//! client's own decoder; `value` is the way lists were decoded before (into a `Value`
//! first, then into an envelope with a flattened remainder), kept as the baseline.
//! Linux only: the peak comes from /proc/self/status (VmHWM).

use ksdevops::model::{ListResult, Pipeline};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The envelope as it was decoded before: `items` beside a flattened remainder.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct FlattenedEnvelope {
    #[serde(default)]
    items: Option<Vec<Pipeline>>,
    #[serde(default, alias = "total_count")]
    total_items: i64,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(file), Some(mode)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: list_memory FILE direct|value");
        std::process::exit(2);
    };
    let body = std::fs::read(file).unwrap_or_else(|e| {
        eprintln!("cannot read {file}: {e}");
        std::process::exit(2);
    });
    let items = match mode.as_str() {
        "direct" => ListResult::<Pipeline>::from_json(&body).map(|l| l.items.len()),
        "value" => serde_json::from_slice::<Value>(&body)
            .and_then(serde_json::from_value::<FlattenedEnvelope>)
            .map(|l| l.items.map_or(0, |i| i.len()))
            .map_err(|e| ksdevops::Error::new(ksdevops::ErrorKind::Decode, e.to_string())),
        other => {
            eprintln!("unknown mode {other:?}: direct or value");
            std::process::exit(2);
        }
    };
    match (items, peak_rss()) {
        (Ok(items), Some(peak)) => {
            println!(
                "peak_rss_bytes={peak} body_bytes={} items={items}",
                body.len()
            )
        }
        (Err(e), _) => {
            eprintln!("cannot decode: {e}");
            std::process::exit(1);
        }
        (_, None) => {
            eprintln!("no peak RSS: /proc/self/status is needed (Linux)");
            std::process::exit(1);
        }
    }
}
