//! Request builders: typed arguments in, [`Request`] values out. No I/O.

mod request;

pub use request::{Body, Method, Request};

use crate::error::{Error, Result};
use serde_json::Value;

/// Which generation of the KubeSphere API the server speaks (see the reference §1.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ApiLayout {
    /// KubeSphere 4.x: `/namespaces/{devops}/…`, `/clusters/{c}/kapis/…`.
    #[default]
    V4,
    /// KubeSphere 3.x: `/devops/{devops}/…`, `/kapis/clusters/{c}/…`.
    V3,
}

impl ApiLayout {
    pub fn as_str(self) -> &'static str {
        match self {
            ApiLayout::V4 => "v4",
            ApiLayout::V3 => "v3",
        }
    }
}

impl std::str::FromStr for ApiLayout {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "v4" => Ok(ApiLayout::V4),
            "v3" => Ok(ApiLayout::V3),
            other => Err(Error::invalid(
                "layout",
                format!("{other:?} is not a layout; expected \"v4\" or \"v3\""),
            )),
        }
    }
}

/// Builds the request for `operation` from JSON arguments named as in the vector format.
/// This is the entry point the bindings and the vectors use.
pub fn build_request(operation: &str, _args: &Value, _layout: ApiLayout) -> Result<Request> {
    Err(Error::invalid(
        "operation",
        format!("{operation:?} is not a known operation"),
    ))
}
