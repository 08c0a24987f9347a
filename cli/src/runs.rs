//! Runs: start one, list, show, wait for, stop, replay, and explain a failure.

use crate::cli::{PipelineBranchArgs, RunArg, RunArgs, RunsCommand, WaitArgs};
use crate::context::{seconds, Context, KsClient};
use crate::dry_run;
use crate::exit::{Failure, RUN_FAILED, SUCCESS};
use crate::follow;
use crate::output::{cell, print_json, Table};
use crate::pipelines::is_password;
use crate::progress::Spinner;
use crate::run_preview;
use crate::values;
use futures_util::TryStreamExt;
use ksdevops::api::Page;
use ksdevops::client::{RunEnd, RunStatus, WaitUntil, PAGE_SIZE};
use ksdevops::model::{NodeDetail, PipelineRun, Run};
use ksdevops::Secret;
use serde_json::{json, Value};
use std::collections::HashSet;

pub async fn run(ctx: &Context, command: RunsCommand) -> Result<i32, Failure> {
    match command {
        RunsCommand::List(args) => list(ctx, args).await,
        RunsCommand::Get(args) => get(ctx, &args.run).await,
        RunsCommand::Stop(args) => stop(ctx, &args.run).await,
        RunsCommand::Replay(args) => replay(ctx, &args.run).await,
    }
}

/// Names of the pipeline's password parameters, by their definitions: their values are
/// masked wherever a run is shown.
async fn secret_names(client: &KsClient, run: &PipelineRun) -> HashSet<String> {
    let mut names = HashSet::new();
    if let Some(pipeline) = run.pipeline_name() {
        let branch = run.is_multi_branch().then(|| run.branch()).flatten();
        if let Ok(parameters) = client.parameters(pipeline, branch).await {
            names.extend(
                parameters
                    .definitions
                    .iter()
                    .filter(|d| is_password(d))
                    .map(|d| d.name.clone()),
            );
        }
    }
    names
}

/// The run as JSON with the values of `secret` parameters masked.
fn run_json(run: &PipelineRun, secret: &HashSet<String>) -> Result<Value, Failure> {
    let mut value = serde_json::to_value(run)
        .map_err(|e| Failure::server(format!("cannot encode the run: {e}")))?;
    if let Some(Value::Array(parameters)) = value.pointer_mut("/spec/parameters") {
        for p in parameters {
            let hide = p
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| secret.contains(n));
            if hide {
                p["value"] = Value::from(Secret::MASK);
            }
        }
    }
    Ok(value)
}

fn print_stages(stages: &[NodeDetail]) {
    if stages.is_empty() {
        return;
    }
    let mut table = Table::new(&["STAGE", "STATE", "RESULT", "DURATION"]);
    for s in stages {
        table.row(vec![
            cell(s.display_name.as_deref()),
            cell(s.state.as_ref()),
            cell(s.result.as_ref()),
            cell(
                s.duration_in_millis
                    .map(|ms| format!("{:.1}s", ms as f64 / 1000.0)),
            ),
        ]);
    }
    table.print();
}

fn print_run(run: &PipelineRun) {
    outln!("Run:       {}", cell(run.name()));
    outln!("Pipeline:  {}", cell(run.pipeline_name()));
    if let Some(branch) = run.branch() {
        outln!("Branch:    {branch}");
    }
    outln!(
        "Build:     {}",
        cell(run.build_id().map(|id| format!("#{id}")))
    );
    outln!("Phase:     {}", cell(run.phase()));
    outln!("State:     {}", run.state());
    if let Some(start) = run.status.as_ref().and_then(|s| s.start_time.as_ref()) {
        outln!("Started:   {start}");
    }
    print_stages(&run.stages().unwrap_or_default());
}

async fn list(ctx: &Context, args: PipelineBranchArgs) -> Result<i32, Failure> {
    if ctx.dry_run() {
        let request = ctx.offline_api()?.list_pipeline_runs(
            ctx.project()?,
            &args.pipeline,
            args.branch.as_deref(),
            Page::new(1, PAGE_SIZE),
        )?;
        return dry_run::show(ctx, &[request], Some("the next pages, until a short one"));
    }
    let client = ctx.client()?;
    let runs: Vec<PipelineRun> = client
        .runs(&args.pipeline, args.branch.as_deref())
        .try_collect()
        .await?;
    if ctx.json() {
        let secret = match runs.first() {
            Some(run) => secret_names(&client, run).await,
            None => HashSet::new(),
        };
        let shown: Vec<Value> = runs
            .iter()
            .map(|r| run_json(r, &secret))
            .collect::<Result<_, _>>()?;
        print_json(&shown)?;
        return Ok(SUCCESS);
    }
    let mut table = Table::new(&["RUN", "BUILD", "BRANCH", "PHASE", "STATE", "STARTED"]);
    for r in &runs {
        table.row(vec![
            cell(r.name()),
            cell(r.build_id().map(|id| format!("#{id}"))),
            cell(r.branch()),
            cell(r.phase()),
            r.state().word(),
            cell(r.status.as_ref().and_then(|s| s.start_time.as_ref())),
        ]);
    }
    table.print();
    Ok(SUCCESS)
}

async fn get(ctx: &Context, name: &str) -> Result<i32, Failure> {
    if ctx.dry_run() {
        return dry_run::show_run_lookup(ctx, name, None);
    }
    let client = ctx.client()?;
    let run = client.get_run(name).await?;
    if ctx.json() {
        print_json(&run_json(&run, &secret_names(&client, &run).await)?)?;
    } else {
        print_run(&run);
    }
    Ok(SUCCESS)
}

fn jenkins_run_line(verb: &str, run: &Run) -> String {
    format!(
        "{verb} build #{}: state {}, result {}",
        cell(run.id.as_deref()),
        cell(run.state.as_ref()),
        cell(run.result.as_ref())
    )
}

async fn stop(ctx: &Context, name: &str) -> Result<i32, Failure> {
    if ctx.dry_run() {
        return dry_run::show_run_lookup(
            ctx,
            name,
            Some("POST …/runs/{build}/stop/ for the run's Jenkins build"),
        );
    }
    let stopped = ctx.client()?.stop(name).await?;
    if ctx.json() {
        print_json(&stopped)?;
    } else {
        outln!(
            "{}",
            jenkins_run_line(&format!("run {name}: stopped"), &stopped)
        );
    }
    Ok(SUCCESS)
}

async fn replay(ctx: &Context, name: &str) -> Result<i32, Failure> {
    if ctx.dry_run() {
        return dry_run::show_run_lookup(
            ctx,
            name,
            Some("POST …/runs/{build}/replay/ for the run's Jenkins build"),
        );
    }
    let replayed = ctx.client()?.replay(name).await?;
    if ctx.json() {
        print_json(&replayed)?;
    } else {
        outln!(
            "{}",
            jenkins_run_line(&format!("run {name} replayed as"), &replayed)
        );
    }
    Ok(SUCCESS)
}

pub async fn trigger(ctx: &Context, args: RunArgs) -> Result<i32, Failure> {
    let given = values::parse(&args.params)?;
    if ctx.dry_run() {
        return run_preview::show(ctx, &args, &given).await;
    }
    let client = ctx.client()?;
    let created = match &args.tag {
        Some(tag) => {
            client
                .trigger_tag(&args.pipeline, &given, tag, args.name.as_deref())
                .await?
        }
        None => {
            client
                .trigger_resource(
                    &args.pipeline,
                    &given,
                    args.branch.as_deref(),
                    args.name.as_deref(),
                )
                .await?
        }
    };
    let name = created
        .name()
        .ok_or_else(|| Failure::server("the server created a run without a name"))?
        .to_owned();
    if !args.follow && !args.wait {
        if ctx.json() {
            print_json(&run_json(&created, &secret_names(&client, &created).await)?)?;
        } else {
            outln!("{name}");
        }
        return Ok(SUCCESS);
    }
    if args.follow {
        errln!("ksdevops: run {name} started");
        let end = follow::follow(&client, &name, !args.wait).await?;
        if end == RunEnd::Paused {
            return Ok(SUCCESS);
        }
    } else if !ctx.json() {
        outln!("{name}");
    }
    let status =
        wait_with_spinner(&client, &name, seconds(args.timeout), WaitUntil::Finished).await?;
    report_status(ctx, &client, &name, &status).await
}

async fn wait_with_spinner(
    client: &KsClient,
    name: &str,
    timeout: Option<std::time::Duration>,
    until: WaitUntil,
) -> Result<RunStatus, Failure> {
    let spinner = Spinner::start(format!("waiting for run {name}"));
    let result = client.wait(name, timeout, until).await;
    spinner.finish();
    if let Some(why) = client.watch_refusal() {
        errln!("ksdevops: waited by polling: the server refused the run watch ({why})");
    }
    Ok(result?)
}

/// Prints where the run ended; the exit code says whether it succeeded.
async fn report_status(
    ctx: &Context,
    client: &KsClient,
    name: &str,
    status: &RunStatus,
) -> Result<i32, Failure> {
    let code = match status.end {
        RunEnd::Paused => SUCCESS,
        RunEnd::Finished if status.succeeded() => SUCCESS,
        RunEnd::Finished => RUN_FAILED,
    };
    if ctx.json() {
        print_json(&json!({
            "run": name,
            "end": match status.end { RunEnd::Finished => "finished", RunEnd::Paused => "paused" },
            "result": status.result,
            "phase": status.phase,
            "state": status.state,
            "succeeded": status.succeeded(),
            "stages": status.stages,
            "pipelinerun": run_json(&status.run, &secret_names(client, &status.run).await)?,
        }))?;
        return Ok(code);
    }
    match status.end {
        RunEnd::Paused => {
            outln!("run {name} is waiting for input (see `ksdevops inputs {name}`)")
        }
        RunEnd::Finished => outln!("run {name} finished: {}", status.state),
    }
    print_stages(&status.stages);
    if code == RUN_FAILED {
        errln!("ksdevops: run {name} did not succeed; `ksdevops why {name}` tells why");
    }
    Ok(code)
}

pub async fn wait(ctx: &Context, args: WaitArgs) -> Result<i32, Failure> {
    if ctx.dry_run() {
        return dry_run::show_run_lookup(
            ctx,
            &args.run,
            Some("the same, with backoff, until the run ends"),
        );
    }
    let until = match args.until.as_str() {
        "paused" => WaitUntil::Paused,
        _ => WaitUntil::Finished,
    };
    let client = ctx.client()?;
    let status = wait_with_spinner(&client, &args.run, seconds(args.timeout), until).await?;
    report_status(ctx, &client, &args.run, &status).await
}

pub async fn why(ctx: &Context, args: RunArg) -> Result<i32, Failure> {
    if ctx.dry_run() {
        return dry_run::show_run_lookup(
            ctx,
            &args.run,
            Some("the failing step's log and, for a missing agent label, GET …/ci/nodelabels"),
        );
    }
    let d = ctx.client()?.diagnose(&args.run).await?;
    if ctx.json() {
        print_json(&d)?;
        return Ok(SUCCESS);
    }
    outln!(
        "Run {}: phase {}, state {}, result {}",
        d.run,
        cell(d.phase.as_ref()),
        cell(d.state.as_ref()),
        cell(d.result.as_ref())
    );
    if let Some(stage) = &d.stage {
        outln!("Stage: {stage}");
    }
    if let Some(step) = &d.step {
        outln!("Step:  {step}");
    }
    if let Some(cause) = &d.cause {
        outln!("Cause: {}", cause.kind().replace('_', " "));
    }
    if !d.hint.is_empty() {
        outln!("Hint:  {}", d.hint);
    }
    if !d.log_tail.trim().is_empty() {
        outln!("Log (last lines):");
        for line in d.log_tail.lines() {
            outln!("  {line}");
        }
    }
    Ok(SUCCESS)
}
