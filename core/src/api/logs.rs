//! Logs: of a build, of one step, and of a multi-branch pipeline's last repository scan.

use super::builds::BuildRef;
use super::request::{Method, Request, ANY};
use super::scope::Api;
use crate::error::Result;

impl Api {
    /// The build's log from byte offset `start` (0 = the whole log; without `start` Jenkins
    /// would send only the last 150 KB).
    pub fn get_run_log(&self, build: &BuildRef<'_>, start: u64) -> Result<Request> {
        let path = format!("{}/log", self.build_path(build)?);
        Ok(Request::new(Method::Get, path)
            .query_param("start", start.to_string())
            .accept(ANY))
    }

    pub fn get_step_log(
        &self,
        build: &BuildRef<'_>,
        node: &str,
        step: &str,
        start: u64,
    ) -> Result<Request> {
        let path = format!("{}/log", self.step_path(build, node, step)?);
        Ok(Request::new(Method::Get, path)
            .query_param("start", start.to_string())
            .accept(ANY))
    }

    /// The log of the last repository scan (branch indexing), as text.
    pub fn get_scan_log(&self, devops: &str, pipeline: &str) -> Result<Request> {
        let path = format!("{}/consolelog", self.jenkins_pipeline(devops, pipeline)?);
        Ok(Request::new(Method::Get, path).accept(ANY))
    }
}
