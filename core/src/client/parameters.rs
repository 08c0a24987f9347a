//! Where a pipeline's parameter definitions come from, and reading them.

use super::connection::Client;
use crate::api::Operation;
use crate::error::{Error, Result};
use crate::jenkinsfile::parse_jenkinsfile;
use crate::model::{Branch, ParameterDefinition, Pipeline};
use crate::transport::Transport;
use serde_json::Value;

/// Which source gave the definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterOrigin {
    /// The branch endpoint of a multi-branch pipeline (Jenkins' own definitions).
    Branch,
    /// The `jenkins-metadata` annotation a regular pipeline gets once Jenkins has run it.
    Metadata,
    /// The pipeline's Jenkinsfile, read offline (Jenkins has not run it yet).
    Jenkinsfile,
}

impl ParameterOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterOrigin::Branch => "branch",
            ParameterOrigin::Metadata => "metadata",
            ParameterOrigin::Jenkinsfile => "jenkinsfile",
        }
    }
}

/// A pipeline's parameter definitions and where they were read.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameters {
    pub definitions: Vec<ParameterDefinition>,
    pub origin: ParameterOrigin,
    /// `false` for a branch Jenkins has not started a build of: it reads a branch's
    /// parameters from the Jenkinsfile when a build starts, so until then it knows none (and
    /// `definitions` is empty whether or not the Jenkinsfile declares any).
    pub known: bool,
}

impl Parameters {
    /// Refuses `values` that Jenkins could not take: any value for a branch whose parameters
    /// it does not know yet would be dropped, not passed to the run.
    pub(crate) fn check_takes_values(&self, job: &str, values: &[(String, Value)]) -> Result<()> {
        if self.known || values.is_empty() {
            return Ok(());
        }
        let names: Vec<&str> = values.iter().map(|(name, _)| name.as_str()).collect();
        Err(Error::invalid(
            "parameters",
            format!(
                "{} given, but Jenkins has not started a build of {job:?} yet, so it does not \
                 know its parameters and would drop the values; its first build (branch \
                 indexing queues one) reads them from the Jenkinsfile: trigger without values, \
                 or once that build has started",
                names.join(", ")
            ),
        ))
    }
}

impl<T: Transport> Client<T> {
    /// The parameters a run of `pipeline` takes. A multi-branch pipeline needs `branch`
    /// (display or Jenkins name); a regular one refuses it.
    pub async fn parameters(&self, pipeline: &str, branch: Option<&str>) -> Result<Parameters> {
        self.check_pipeline_name(pipeline, branch)?;
        let definition = self.get_pipeline(pipeline).await?;
        self.parameters_of(&definition, branch).await
    }

    /// Checks a pipeline and branch name with the request builders' own rules, before the
    /// first request (and a login) goes out.
    pub(crate) fn check_pipeline_name(&self, pipeline: &str, branch: Option<&str>) -> Result<()> {
        let offline = self.api_for(crate::api::ApiLayout::V4)?;
        match branch {
            Some(branch) => offline.get_branch(self.devops(), pipeline, branch)?,
            None => offline.get_pipeline(self.devops(), pipeline)?,
        };
        Ok(())
    }

    /// [`Client::parameters`] for a pipeline already read.
    pub async fn parameters_of(
        &self,
        pipeline: &Pipeline,
        branch: Option<&str>,
    ) -> Result<Parameters> {
        let name = pipeline.name().unwrap_or_default();
        match (pipeline.is_multi_branch(), branch) {
            (true, Some(branch)) => {
                let request = self.api().await?.get_branch(self.devops(), name, branch)?;
                let branch: Branch = self.json(Operation::GetBranch, &request).await?;
                Ok(Parameters {
                    definitions: branch.parameters().to_vec(),
                    origin: ParameterOrigin::Branch,
                    known: branch.parameters_known(),
                })
            }
            (true, None) => Err(Error::invalid(
                "branch",
                format!("is required: {name:?} is a multi-branch pipeline"),
            )),
            (false, Some(branch)) => Err(Error::invalid(
                "branch",
                format!("{branch:?} given, but {name:?} is not a multi-branch pipeline"),
            )),
            (false, None) => regular_parameters(pipeline),
        }
    }
}

/// Jenkins' synced definitions when it has any, else the Jenkinsfile's.
fn regular_parameters(pipeline: &Pipeline) -> Result<Parameters> {
    let synced = pipeline
        .jenkins_metadata()?
        .map(|m| m.parameters().to_vec())
        .unwrap_or_default();
    if !synced.is_empty() {
        return Ok(Parameters {
            definitions: synced,
            origin: ParameterOrigin::Metadata,
            known: true,
        });
    }
    match pipeline.jenkinsfile().filter(|j| !j.trim().is_empty()) {
        Some(jenkinsfile) => Ok(Parameters {
            definitions: parse_jenkinsfile(jenkinsfile)
                .parameters()
                .into_iter()
                .cloned()
                .collect(),
            origin: ParameterOrigin::Jenkinsfile,
            known: true,
        }),
        None => Ok(Parameters {
            definitions: Vec::new(),
            origin: ParameterOrigin::Metadata,
            known: true,
        }),
    }
}
