//! PipelineRun objects through the Kubernetes API (`/apis/devops.kubesphere.io/v1alpha3`).

use crate::api::encode::{encode_segment, jenkins_branch_name};
use crate::api::object::{fill_type_meta, prepare};
use crate::api::request::{Method, Request, JSON};
use crate::api::scope::Api;
use crate::api::validate;
use crate::error::{Error, Result};
use crate::model::{annotations, ParameterValue, API_VERSION};
use serde::Serialize;
use serde_json::{json, Map, Value};

const PIPELINE_LABEL: &str = "devops.kubesphere.io/pipeline";
const MULTI_BRANCH: &str = "multi-branch-pipeline";

/// What a PipelineRun object should run.
#[derive(Debug, Clone, Default)]
pub struct RunResourceInput<'a> {
    /// The PipelineRun's name, chosen by the caller so that a retried create cannot start two
    /// runs. `None`: the server generates one (`<pipeline>-` and a random suffix, through
    /// `generateName`), and a create whose answer is lost cannot be told from one never made.
    pub run: Option<&'a str>,
    /// Jenkins or display name; a multi-branch pipeline needs this or `tag`, any other
    /// pipeline neither.
    pub branch: Option<&'a str>,
    /// A tag of a multi-branch pipeline that discovers tags (`refType: tag`).
    pub tag: Option<&'a str>,
    pub parameters: &'a [ParameterValue],
    /// The user starting the run, for the `kubesphere.io/creator` annotation (and
    /// `devops.kubesphere.io/creator`, which ks-devops writes on the runs it creates itself).
    pub creator: Option<&'a str>,
}

/// The `spec.scm` of a run of `pipeline`: which branch or tag of a multi-branch pipeline it
/// builds (Jenkins names a tag's job like a branch's); `None` for any other pipeline.
pub(crate) fn run_scm(
    multi_branch: bool,
    pipeline: &str,
    branch: Option<&str>,
    tag: Option<&str>,
) -> Result<Option<Value>> {
    let (field, ref_type, name) = match (branch, tag) {
        (Some(_), Some(_)) => {
            return Err(Error::invalid(
                "tag",
                "cannot be given with branch: a run builds one or the other",
            ))
        }
        (Some(branch), None) => ("branch", "branch", branch),
        (None, Some(tag)) => ("tag", "tag", tag),
        (None, None) if multi_branch => {
            return Err(Error::invalid(
                "branch",
                format!("is required: {pipeline:?} is a multi-branch pipeline"),
            ))
        }
        (None, None) => return Ok(None),
    };
    if !multi_branch {
        return Err(Error::invalid(
            field,
            format!("{name:?} given, but {pipeline:?} is not a multi-branch pipeline"),
        ));
    }
    validate::path_text(field, name)?;
    Ok(Some(
        json!({ "refType": ref_type, "refName": jenkins_branch_name(name) }),
    ))
}

impl Api {
    fn run_resources(&self, devops: &str) -> Result<String> {
        validate::dns_label("devops", devops)?;
        Ok(format!(
            "{}/namespaces/{}/pipelineruns",
            self.kube(),
            encode_segment(devops)
        ))
    }

    /// Creates a PipelineRun object for `pipeline` (a `model::Pipeline` or its JSON, as read
    /// from the server). Its spec is copied into `spec.pipelineSpec`: the controller crashes
    /// on a run without it (reference §5.1).
    pub fn create_pipeline_run_resource(
        &self,
        devops: &str,
        pipeline: &impl Serialize,
        input: &RunResourceInput<'_>,
    ) -> Result<Request> {
        let path = self.run_resources(devops)?;
        let (pipeline, pipeline_name) =
            prepare("pipeline", pipeline, API_VERSION, "Pipeline", Some(devops))?;
        let spec = match pipeline.get("spec") {
            Some(Value::Object(spec)) if spec.get("type").is_some_and(Value::is_string) => spec,
            _ => {
                return Err(Error::invalid(
                    "pipeline.spec.type",
                    "is required: the pipeline's spec is copied into the run",
                ))
            }
        };
        let multi_branch = spec.get("type").and_then(Value::as_str) == Some(MULTI_BRANCH);

        let mut run_spec = Map::new();
        run_spec.insert(
            "pipelineRef".into(),
            json!({ "kind": "Pipeline", "name": pipeline_name, "namespace": devops }),
        );
        run_spec.insert("pipelineSpec".into(), Value::Object(spec.clone()));
        if !input.parameters.is_empty() {
            let parameters = crate::api::parameters::checked(input.parameters)?;
            run_spec.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(scm) = run_scm(multi_branch, &pipeline_name, input.branch, input.tag)? {
            run_spec.insert("scm".into(), scm);
        }

        let mut metadata = match input.run {
            Some(run) => json!({ "name": validate::dns_subdomain("run", run)? }),
            None => json!({ "generateName": format!("{pipeline_name}-") }),
        };
        metadata["namespace"] = json!(devops);
        metadata["labels"] = json!({ PIPELINE_LABEL: pipeline_name });
        if let Some(creator) = input.creator {
            let creator = validate::non_empty("creator", creator)?;
            metadata["annotations"] = json!({
                annotations::CREATOR: creator,
                annotations::PIPELINERUN_CREATOR: creator,
            });
        }
        if let Some(uid) = pipeline
            .get("metadata")
            .and_then(|m| m.get("uid"))
            .and_then(Value::as_str)
        {
            metadata["ownerReferences"] = json!([{
                "apiVersion": API_VERSION,
                "kind": "Pipeline",
                "name": pipeline_name,
                "uid": uid,
                "controller": true,
                "blockOwnerDeletion": true,
            }]);
        }
        let mut body = Map::new();
        body.insert("metadata".into(), metadata);
        body.insert("spec".into(), Value::Object(run_spec));
        fill_type_meta(&mut body, API_VERSION, "PipelineRun");
        Ok(Request::new(Method::Post, path)
            .accept(JSON)
            .json_body(Value::Object(body))
            .parameters_at("/spec/parameters"))
    }

    pub fn get_pipeline_run_resource(&self, devops: &str, run: &str) -> Result<Request> {
        let path = format!(
            "{}/{}",
            self.run_resources(devops)?,
            encode_segment(validate::dns_subdomain("run", run)?)
        );
        Ok(Request::new(Method::Get, path).accept(JSON))
    }

    /// A watch stream of the PipelineRuns in `devops` (of one pipeline, when given), from
    /// `resource_version` on when given.
    pub fn watch_pipeline_runs(
        &self,
        devops: &str,
        pipeline: Option<&str>,
        resource_version: Option<&str>,
    ) -> Result<Request> {
        let mut request = Request::new(Method::Get, self.run_resources(devops)?)
            .query_param("watch", "true")
            .accept(JSON);
        if let Some(version) = resource_version {
            request = request.query_param(
                "resourceVersion",
                validate::non_empty("resource_version", version)?,
            );
        }
        if let Some(pipeline) = pipeline {
            validate::dns_subdomain("pipeline", pipeline)?;
            request = request.query_param("labelSelector", format!("{PIPELINE_LABEL}={pipeline}"));
        }
        Ok(request)
    }

    /// A watch stream of the PipelineRun `run` alone (a `fieldSelector` on its name, which
    /// the Kubernetes API offers for every resource), from `resource_version` on when given:
    /// one run's changes, however many runs its pipeline has.
    pub fn watch_pipeline_run(
        &self,
        devops: &str,
        run: &str,
        resource_version: Option<&str>,
    ) -> Result<Request> {
        let run = validate::dns_subdomain("run", run)?;
        Ok(self
            .watch_pipeline_runs(devops, None, resource_version)?
            .query_param("fieldSelector", format!("metadata.name={run}")))
    }
}

#[cfg(test)]
mod tests {
    use crate::api::{Api, ApiLayout};

    #[test]
    fn a_watch_of_one_run_selects_it_by_name() {
        let api = Api::new(ApiLayout::V4);
        let watch = api
            .watch_pipeline_run("demo", "build-x7k2p", Some("42"))
            .unwrap();
        assert_eq!(
            watch.url(""),
            "/apis/devops.kubesphere.io/v1alpha3/namespaces/demo/pipelineruns?watch=true&resourceVersion=42&fieldSelector=metadata.name%3Dbuild-x7k2p"
        );
        let error = api
            .watch_pipeline_run("demo", "Not A Name", None)
            .unwrap_err();
        assert_eq!(error.field(), Some("run"));
    }
}
