//! Runs, the PipelineRun resource, logs, artifacts and input answers.

use super::{build_args_and, build_ref, creator, not_routed, page, BUILD_ARGS, CLUSTER};
use crate::api::args::Args;
use crate::api::{Api, InputAnswer, Operation, Request, RunResourceInput};
use crate::error::{Error, Result};

pub(super) fn runs(api: &Api, operation: Operation, a: &Args<'_>) -> Result<Request> {
    use Operation::*;
    match operation {
        ListPipelineRuns => {
            a.only(&[CLUSTER, "devops", "pipeline", "branch", "page", "limit"])?;
            let branch = a.opt_str("branch")?;
            api.list_pipeline_runs(a.str("devops")?, a.str("pipeline")?, branch, page(a)?)
        }
        CreatePipelineRun => {
            a.only(&[CLUSTER, "devops", "pipeline", "branch", "parameters"])?;
            let parameters = a.parameters("parameters")?;
            let branch = a.opt_str("branch")?;
            let (devops, pipeline) = (a.str("devops")?, a.str("pipeline")?);
            api.create_pipeline_run(devops, pipeline, branch, &parameters.values)
                .map(|r| r.mask_parameters(&parameters.secret_names))
        }
        GetPipelineRun | GetNodeDetails => {
            a.only(&[CLUSTER, "devops", "run"])?;
            let (devops, run) = (a.str("devops")?, a.str("run")?);
            if operation == GetPipelineRun {
                api.get_pipeline_run(devops, run)
            } else {
                api.get_node_details(devops, run)
            }
        }
        DeletePipelineRun => {
            a.only(&[CLUSTER, "devops", "run", "keep_jenkins_record"])?;
            let keep = a.bool("keep_jenkins_record")?;
            api.delete_pipeline_run(a.str("devops")?, a.str("run")?, keep)
        }
        GetRunNodesDetail | StopRun | ReplayRun => {
            a.only(&BUILD_ARGS)?;
            let build = build_ref(a)?;
            match operation {
                GetRunNodesDetail => api.get_run_nodes_detail(&build),
                StopRun => api.stop_run(&build),
                _ => api.replay_run(&build),
            }
        }
        _ => Err(not_routed(operation)),
    }
}

pub(super) fn run_resources(api: &Api, operation: Operation, a: &Args<'_>) -> Result<Request> {
    match operation {
        Operation::CreatePipelineRunResource => create_run_resource(api, a),
        Operation::GetPipelineRunResource => {
            a.only(&[CLUSTER, "devops", "run"])?;
            api.get_pipeline_run_resource(a.str("devops")?, a.str("run")?)
        }
        Operation::WatchPipelineRuns => {
            a.only(&[CLUSTER, "devops", "pipeline", "resource_version"])?;
            api.watch_pipeline_runs(
                a.str("devops")?,
                a.opt_str("pipeline")?,
                a.opt_str("resource_version")?,
            )
        }
        _ => Err(not_routed(operation)),
    }
}

fn create_run_resource(api: &Api, a: &Args<'_>) -> Result<Request> {
    a.only(&[
        CLUSTER,
        "devops",
        "pipeline",
        "run",
        "branch",
        "tag",
        "parameters",
        "creator",
        "token",
    ])?;
    let parameters = a.parameters("parameters")?;
    let creator = creator(a)?;
    let input = RunResourceInput {
        run: a.opt_str("run")?,
        branch: a.opt_str("branch")?,
        tag: a.opt_str("tag")?,
        parameters: &parameters.values,
        creator: creator.as_deref(),
    };
    api.create_pipeline_run_resource(a.str("devops")?, a.value("pipeline")?, &input)
        .map(|r| r.mask_parameters(&parameters.secret_names))
}

pub(super) fn logs(api: &Api, operation: Operation, a: &Args<'_>) -> Result<Request> {
    match operation {
        Operation::GetRunLog => {
            a.only(&build_args_and(&["start"]))?;
            api.get_run_log(&build_ref(a)?, a.opt_u64("start")?.unwrap_or(0))
        }
        Operation::GetStepLog => {
            a.only(&build_args_and(&["node", "step", "start"]))?;
            let start = a.opt_u64("start")?.unwrap_or(0);
            api.get_step_log(&build_ref(a)?, a.str("node")?, a.str("step")?, start)
        }
        Operation::GetScanLog => {
            a.only(&[CLUSTER, "devops", "pipeline"])?;
            api.get_scan_log(a.str("devops")?, a.str("pipeline")?)
        }
        _ => Err(not_routed(operation)),
    }
}

pub(super) fn artifacts(api: &Api, operation: Operation, a: &Args<'_>) -> Result<Request> {
    match operation {
        Operation::ListArtifacts => {
            a.only(&build_args_and(&["start", "limit"]))?;
            api.list_artifacts(&build_ref(a)?, a.opt_u64("start")?, a.opt_u64("limit")?)
        }
        Operation::DownloadArtifact => {
            a.only(&[CLUSTER, "devops", "run", "filename"])?;
            api.download_artifact(a.str("devops")?, a.str("run")?, a.str("filename")?)
        }
        _ => Err(not_routed(operation)),
    }
}

pub(super) fn submit_input(api: &Api, a: &Args<'_>) -> Result<Request> {
    a.only(&build_args_and(&[
        "node",
        "step",
        "input_id",
        "abort",
        "parameters",
    ]))?;
    let parameters = a.parameters("parameters")?;
    let answer = if a.bool("abort")? {
        if !parameters.values.is_empty() {
            return Err(Error::invalid(
                "parameters",
                "cannot be given with abort: an aborted input takes no values",
            ));
        }
        InputAnswer::Abort
    } else {
        InputAnswer::Proceed(&parameters.values)
    };
    let (node, step) = (a.str("node")?, a.str("step")?);
    api.submit_input(&build_ref(a)?, node, step, a.str("input_id")?, &answer)
        .map(|r| r.mask_parameters(&parameters.secret_names))
}
