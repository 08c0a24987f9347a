//! `run --dry-run`: the PipelineRun create the real command sends, with the values checked
//! against the definitions and the defaults filled, password parameters masked because
//! their definitions say so. The definitions come from `--jenkinsfile FILE`, read offline
//! (nothing is sent), or from the server (reads only).

use crate::cli::RunArgs;
use crate::context::Context;
use crate::dry_run;
use crate::exit::Failure;
use ksdevops::api::{creator_from_token, Request};
use ksdevops::client::{Auth, RunPlan, RunTarget};
use ksdevops::jenkinsfile::parse_jenkinsfile;
use ksdevops::model::{ParameterDefinition, Pipeline};
use serde_json::Value;
use std::path::Path;

const THEN: &str = "the run is created under this name; a retried create finds it instead of starting a second run";

pub async fn show(
    ctx: &Context,
    args: &RunArgs,
    values: &[(String, Value)],
) -> Result<i32, Failure> {
    let (reads, plan) = match &args.jenkinsfile {
        Some(path) => (Vec::new(), offline(ctx, args, path, values)?),
        None => fetched(ctx, args, values).await?,
    };
    let mut requests = reads;
    requests.push(plan.request);
    dry_run::show(ctx, &requests, Some(THEN))
}

/// Checks against the Jenkinsfile's own definitions; sends nothing.
fn offline(
    ctx: &Context,
    args: &RunArgs,
    path: &Path,
    values: &[(String, Value)],
) -> Result<RunPlan, Failure> {
    if args.branch.is_some() || args.tag.is_some() {
        return Err(Failure::usage(
            "--jenkinsfile: previews a regular pipeline; a branch or tag reads its own Jenkinsfile from the repository (drop --jenkinsfile to read it from the server)",
        ));
    }
    let text = crate::pipelines::read_jenkinsfile(path)?;
    let definitions: Vec<ParameterDefinition> = parse_jenkinsfile(&text)
        .parameters()
        .into_iter()
        .cloned()
        .collect();
    let pipeline = Pipeline::regular(&args.pipeline, text);
    let creator = offline_creator(ctx)?;
    let target = RunTarget {
        pipeline: &pipeline,
        branch: None,
        tag: None,
        run_name: args.name.as_deref(),
        creator: creator.as_deref(),
    };
    Ok(RunPlan::build(
        &ctx.offline_api()?,
        ctx.project()?,
        &target,
        definitions,
        values,
    )?)
}

/// Reads the pipeline and its definitions from the server, as the real command does.
async fn fetched(
    ctx: &Context,
    args: &RunArgs,
    values: &[(String, Value)],
) -> Result<(Vec<Request>, RunPlan), Failure> {
    let client = ctx.client()?;
    let plan = client
        .plan_trigger(
            &args.pipeline,
            values,
            (args.branch.as_deref(), args.tag.as_deref()),
            args.name.as_deref(),
        )
        .await?;
    let api = client.api().await?;
    let project = ctx.project()?;
    let mut reads = vec![api.get_pipeline(project, &args.pipeline)?];
    if let Some(job) = args.branch.as_deref().or(args.tag.as_deref()) {
        reads.push(api.get_branch(project, &args.pipeline, job)?);
    }
    Ok((reads, plan))
}

/// The user the creator annotations would name, without asking the server.
fn offline_creator(ctx: &Context) -> Result<Option<String>, Failure> {
    Ok(match ctx.auth()? {
        Auth::Token(token) => creator_from_token(&token).ok(),
        Auth::Password { username, .. } => Some(username),
        Auth::Anonymous => None,
    })
}
