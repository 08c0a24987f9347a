//! Pipelines and their branches.

use super::{creator, not_routed, page, CLUSTER};
use crate::api::args::Args;
use crate::api::{Api, Operation, Request};
use crate::error::Result;

pub(super) fn pipelines(api: &Api, operation: Operation, a: &Args<'_>) -> Result<Request> {
    use Operation::*;
    match operation {
        ListPipelines => {
            a.only(&[CLUSTER, "devops", "page", "limit"])?;
            api.list_pipelines(a.str("devops")?, page(a)?)
        }
        GetPipeline | DeletePipeline | ScanRepository => {
            a.only(&[CLUSTER, "devops", "pipeline"])?;
            let (devops, pipeline) = (a.str("devops")?, a.str("pipeline")?);
            match operation {
                GetPipeline => api.get_pipeline(devops, pipeline),
                DeletePipeline => api.delete_pipeline(devops, pipeline),
                _ => api.scan_repository(devops, pipeline),
            }
        }
        CreatePipeline => {
            a.only(&[CLUSTER, "devops", "pipeline", "creator", "token"])?;
            let creator = creator(a)?;
            api.create_pipeline(a.str("devops")?, a.value("pipeline")?, creator.as_deref())
        }
        UpdatePipeline => {
            a.only(&[CLUSTER, "devops", "pipeline"])?;
            api.update_pipeline(a.str("devops")?, a.value("pipeline")?)
        }
        UpdateJenkinsfile => {
            a.only(&[CLUSTER, "devops", "pipeline", "jenkinsfile", "mode"])?;
            let mode = a.opt_str("mode")?.unwrap_or("raw").parse()?;
            let (devops, pipeline) = (a.str("devops")?, a.str("pipeline")?);
            api.update_jenkinsfile(devops, pipeline, a.str("jenkinsfile")?, mode)
        }
        _ => Err(not_routed(operation)),
    }
}

pub(super) fn branches(api: &Api, operation: Operation, a: &Args<'_>) -> Result<Request> {
    match operation {
        Operation::ListBranches => {
            a.only(&[CLUSTER, "devops", "pipeline", "filter", "page", "limit"])?;
            let filter = a.opt_str("filter")?.map(str::parse).transpose()?;
            api.list_branches(a.str("devops")?, a.str("pipeline")?, filter, page(a)?)
        }
        Operation::GetBranch => {
            a.only(&[CLUSTER, "devops", "pipeline", "branch"])?;
            api.get_branch(a.str("devops")?, a.str("pipeline")?, a.str("branch")?)
        }
        _ => Err(not_routed(operation)),
    }
}
