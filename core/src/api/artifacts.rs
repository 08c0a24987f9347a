//! Artifacts of a build: the list (v1alpha2) and one file's bytes (v1alpha3).

use super::builds::BuildRef;
use super::encode::artifact_filename_query;
use super::request::{Method, Request, ANY, JSON};
use super::scope::Api;
use super::validate;
use crate::error::Result;

impl Api {
    pub fn list_artifacts(
        &self,
        build: &BuildRef<'_>,
        start: Option<u64>,
        limit: Option<u64>,
    ) -> Result<Request> {
        let path = format!("{}/artifacts", self.build_path(build)?);
        let mut request = Request::new(Method::Get, path).accept(JSON);
        if let Some(start) = start {
            request = request.query_param("start", start.to_string());
        }
        if let Some(limit) = limit {
            request = request.query_param("limit", validate::positive("limit", limit)?.to_string());
        }
        Ok(request)
    }

    /// Downloads the artifact at `filename`, the artifact's relative `path` as listed.
    pub fn download_artifact(&self, devops: &str, run: &str, filename: &str) -> Result<Request> {
        let path = format!("{}/artifacts/download", self.run_path(devops, run)?);
        validate::non_empty("filename", filename)?;
        Ok(Request::new(Method::Get, path)
            .query_param("filename", artifact_filename_query(filename))
            .accept(ANY))
    }
}
