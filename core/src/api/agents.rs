//! Jenkins agents: the labels `agent { label … }` can name.

use super::request::{Method, Request, JSON};
use super::scope::{Api, V1ALPHA3};
use crate::error::Result;

impl Api {
    /// Labels of the Jenkins agents, for `agent { label … }` choices.
    pub fn list_agent_labels(&self) -> Result<Request> {
        let path = format!("{}/ci/nodelabels", self.kapis(V1ALPHA3));
        Ok(Request::new(Method::Get, path).accept(JSON))
    }
}
