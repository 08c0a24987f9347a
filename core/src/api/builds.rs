//! Jenkins builds as ks-devops' v1alpha2 routes address them: a pipeline's job, one build of
//! it (of a branch, for multi-branch pipelines), and a step of that build.

use super::branches::branch_segment;
use super::encode::encode_segment;
use super::scope::{Api, V1ALPHA2};
use super::validate;
use crate::error::Result;

/// One Jenkins build: of a pipeline, or of one branch of a multi-branch pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildRef<'a> {
    pub devops: &'a str,
    pub pipeline: &'a str,
    /// Jenkins or display name of the branch, for multi-branch pipelines.
    pub branch: Option<&'a str>,
    /// The Jenkins build number (`devops.kubesphere.io/jenkins-pipelinerun-id`).
    pub run_id: &'a str,
}

impl Api {
    pub(super) fn jenkins_pipeline(&self, devops: &str, pipeline: &str) -> Result<String> {
        validate::dns_label("devops", devops)?;
        validate::dns_subdomain("pipeline", pipeline)?;
        Ok(format!(
            "{}/pipelines/{}",
            self.project(V1ALPHA2, devops),
            encode_segment(pipeline)
        ))
    }

    pub(super) fn build_path(&self, build: &BuildRef<'_>) -> Result<String> {
        let mut path = self.jenkins_pipeline(build.devops, build.pipeline)?;
        if let Some(branch) = build.branch {
            path.push_str("/branches/");
            path.push_str(&branch_segment(branch)?);
        }
        path.push_str("/runs/");
        path.push_str(validate::digits("run_id", build.run_id)?);
        Ok(path)
    }

    pub(super) fn step_path(&self, build: &BuildRef<'_>, node: &str, step: &str) -> Result<String> {
        Ok(format!(
            "{}/nodes/{}/steps/{}",
            self.build_path(build)?,
            validate::digits("node", node)?,
            validate::digits("step", step)?
        ))
    }
}
