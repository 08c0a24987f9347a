//! `build_request` for the direct Jenkins operations: `jenkins_url` selects Jenkins' own URL
//! (administrators), otherwise `devops` names the project whose ks-devops proxy is used.

use crate::api::args::Args;
use crate::api::{Api, JenkinsRoute, Operation, Request};
use crate::error::{Error, Result};

const ROUTE_ARGS: [&str; 3] = ["cluster", "devops", "jenkins_url"];

pub(super) fn build(api: &Api, operation: Operation, a: &Args<'_>) -> Result<Request> {
    use Operation::*;
    let only = |extra: &[&str]| {
        let allowed: Vec<&str> = ROUTE_ARGS.iter().chain(extra).copied().collect();
        a.only(&allowed)
    };
    if operation == GetJenkinsSecret {
        a.only(&["cluster"])?;
        return api.get_jenkins_secret();
    }
    let route = route(a)?;
    match operation {
        JenkinsJobs => {
            only(&["folder"])?;
            api.jenkins_jobs(&route, a.opt_str("folder")?)
        }
        JenkinsBuild => {
            only(&["job", "parameters"])?;
            let parameters = a.parameters("parameters")?;
            api.jenkins_build(
                &route,
                a.str("job")?,
                &parameters.values,
                &parameters.secret_names,
            )
        }
        JenkinsQueueItem => {
            only(&["queue_id"])?;
            api.jenkins_queue_item(&route, required_u64(a, "queue_id")?)
        }
        JenkinsBuildStatus => {
            only(&["job", "number"])?;
            api.jenkins_build_status(&route, a.str("job")?, required_u64(a, "number")?)
        }
        JenkinsConsoleText => {
            only(&["job", "number"])?;
            api.jenkins_console_text(&route, a.str("job")?, required_u64(a, "number")?)
        }
        JenkinsArtifact => {
            only(&["job", "number", "artifact"])?;
            api.jenkins_artifact(
                &route,
                a.str("job")?,
                required_u64(a, "number")?,
                a.str("artifact")?,
            )
        }
        JenkinsLabels => {
            only(&[])?;
            api.jenkins_labels(&route)
        }
        other => Err(Error::invalid(
            "operation",
            format!("{other} is not a Jenkins operation"),
        )),
    }
}

fn route<'a>(a: &Args<'a>) -> Result<JenkinsRoute<'a>> {
    match a.opt_str("jenkins_url")? {
        Some(url) => Ok(JenkinsRoute::Direct { url }),
        None => Ok(JenkinsRoute::Proxy {
            devops: a.str("devops")?,
        }),
    }
}

fn required_u64(a: &Args<'_>, name: &str) -> Result<u64> {
    a.opt_u64(name)?
        .ok_or_else(|| Error::invalid(name, "is required"))
}
