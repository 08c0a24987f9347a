//! Pipelines: list, get, create, delete; their parameters, branches and repository scans.

use crate::cli::{
    BranchesArgs, CreatePipelineArgs, PipelineBranchArgs, PipelinesCommand, ScanArgs,
    UpdatePipelineArgs,
};
use crate::context::{seconds, Context};
use crate::dry_run;
use crate::exit::{Failure, RUN_FAILED, SUCCESS};
use crate::multibranch;
use crate::output::{cell, print_json, Table};
use crate::progress::Spinner;
use futures_util::TryStreamExt;
use ksdevops::api::{BranchFilter, Page};
use ksdevops::client::PAGE_SIZE;
use ksdevops::model::{Branch, ParameterDefinition, Pipeline};
use ksdevops::Secret;
use serde_json::{json, Value};

pub async fn run(ctx: &Context, command: PipelinesCommand) -> Result<i32, Failure> {
    match command {
        PipelinesCommand::List => list(ctx).await,
        PipelinesCommand::Get { pipeline } => get(ctx, &pipeline).await,
        PipelinesCommand::Create(args) => create(ctx, args).await,
        PipelinesCommand::Update(args) => update(ctx, args).await,
        PipelinesCommand::Delete { pipeline } => delete(ctx, &pipeline).await,
    }
}

async fn list(ctx: &Context) -> Result<i32, Failure> {
    if ctx.dry_run() {
        let api = ctx.offline_api()?;
        let request = api.list_pipelines(ctx.project()?, Page::new(1, PAGE_SIZE))?;
        return dry_run::show(ctx, &[request], Some("the next pages, until a short one"));
    }
    let client = ctx.client()?;
    let pipelines: Vec<Pipeline> = client.pipelines().try_collect().await?;
    if ctx.json() {
        print_json(&pipelines)?;
        return Ok(SUCCESS);
    }
    let mut table = Table::new(&["NAME", "TYPE", "SYNC", "CREATOR", "DESCRIPTION"]);
    for p in &pipelines {
        table.row(vec![
            cell(p.name()),
            p.spec.kind.to_string(),
            cell(p.sync_status()),
            cell(p.creator()),
            cell(description(p)),
        ]);
    }
    table.print();
    Ok(SUCCESS)
}

fn description(p: &Pipeline) -> Option<&str> {
    p.spec
        .pipeline
        .as_ref()
        .and_then(|s| s.description.as_deref())
        .or_else(|| {
            p.spec
                .multi_branch_pipeline
                .as_ref()
                .and_then(|s| s.description.as_deref())
        })
}

async fn get(ctx: &Context, name: &str) -> Result<i32, Failure> {
    if ctx.dry_run() {
        let request = ctx.offline_api()?.get_pipeline(ctx.project()?, name)?;
        return dry_run::show(ctx, &[request], None);
    }
    let pipeline = ctx.client()?.get_pipeline(name).await?;
    if ctx.json() {
        print_json(&pipeline)?;
        return Ok(SUCCESS);
    }
    outln!("Name:         {}", cell(pipeline.name()));
    outln!("Project:      {}", cell(pipeline.metadata.namespace()));
    outln!("Type:         {}", pipeline.spec.kind);
    outln!("Sync status:  {}", cell(pipeline.sync_status()));
    outln!("Creator:      {}", cell(pipeline.creator()));
    if let Some(d) = description(&pipeline) {
        outln!("Description:  {d}");
    }
    if let Some(mb) = &pipeline.spec.multi_branch_pipeline {
        outln!("Source:       {}", mb.source_type);
        outln!("Script path:  {}", mb.script_path);
    }
    if let Some(jenkinsfile) = pipeline.jenkinsfile() {
        outln!("Jenkinsfile:");
        for line in jenkinsfile.lines() {
            outln!("  {line}");
        }
    }
    Ok(SUCCESS)
}

fn read_file(flag: &str, path: &std::path::Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("{flag} {}: cannot read it: {e}", path.display())))
}

/// A Jenkinsfile from a file, or from standard input for `-`.
pub fn read_jenkinsfile(path: &std::path::Path) -> Result<String, Failure> {
    crate::jenkinsfile::read_input(path)
        .map_err(|message| Failure::usage(format!("--jenkinsfile: {message}")))
}

async fn create(ctx: &Context, args: CreatePipelineArgs) -> Result<i32, Failure> {
    let mut pipeline = match (&args.jenkinsfile, &args.from_json) {
        (Some(path), None) => {
            let name = args
                .name
                .clone()
                .expect("clap requires a name with --jenkinsfile");
            Pipeline::regular(name, read_jenkinsfile(path)?)
        }
        (None, None) if args.scm.git_url.is_some() => {
            let name = args.name.as_deref().expect("clap requires a name with --git-url");
            multibranch::pipeline(name, &args.scm)?
        }
        (None, Some(path)) => {
            let text = read_file("--from-json", path)?;
            let mut pipeline: Pipeline = serde_json::from_str(&text).map_err(|e| {
                Failure::usage(format!(
                    "--from-json {}: not a pipeline: {e}",
                    path.display()
                ))
            })?;
            if let Some(name) = &args.name {
                pipeline.metadata.name = Some(name.clone());
            }
            pipeline
        }
        _ => {
            return Err(Failure::usage(
                "pipelines create: give NAME --jenkinsfile FILE, NAME --git-url URL, or --from-json FILE",
            ))
        }
    };
    if let Some(description) = &args.description {
        set_description(&mut pipeline, description);
    }
    if ctx.dry_run() {
        let creator = ctx.password_login().map(|(user, _)| user);
        let request =
            ctx.offline_api()?
                .create_pipeline(ctx.project()?, &pipeline, creator.as_deref())?;
        let then =
            (!args.no_wait).then_some("poll the pipeline until its sync status is successful");
        return dry_run::show(ctx, &[request], then);
    }
    let client = ctx.client()?;
    let spinner =
        (!args.no_wait).then(|| Spinner::start("waiting for Jenkins to have the pipeline"));
    let result = client
        .create_pipeline(&pipeline, !args.no_wait, seconds(args.timeout))
        .await;
    if let Some(spinner) = spinner {
        spinner.finish();
    }
    let created = result?;
    if ctx.json() {
        print_json(&created)?;
    } else {
        outln!(
            "pipeline {} created (sync status: {})",
            cell(created.name()),
            cell(created.sync_status())
        );
    }
    Ok(SUCCESS)
}

fn set_description(pipeline: &mut Pipeline, description: &str) {
    if let Some(spec) = pipeline.spec.pipeline.as_mut() {
        spec.description = Some(description.to_owned());
    } else if let Some(spec) = pipeline.spec.multi_branch_pipeline.as_mut() {
        spec.description = Some(description.to_owned());
    }
}

async fn update(ctx: &Context, args: UpdatePipelineArgs) -> Result<i32, Failure> {
    if args.description.is_none() && args.jenkinsfile.is_none() {
        return Err(Failure::usage(
            "pipelines update: nothing to change; give --description TEXT or --jenkinsfile FILE",
        ));
    }
    let jenkinsfile = match &args.jenkinsfile {
        Some(path) => Some(read_jenkinsfile(path)?),
        None => None,
    };
    if ctx.dry_run() {
        return update_dry_run(ctx, &args, jenkinsfile.as_deref());
    }
    let client = ctx.client()?;
    let wait = !args.no_wait;
    let spinner = wait.then(|| Spinner::start("waiting for Jenkins to have the change"));
    let result = async {
        let mut updated = None;
        if let Some(description) = &args.description {
            let mut pipeline = client.get_pipeline(&args.pipeline).await?;
            set_description(&mut pipeline, description);
            updated = Some(
                client
                    .update_pipeline(&pipeline, wait, seconds(args.timeout))
                    .await?,
            );
        }
        if let Some(text) = &jenkinsfile {
            updated = Some(
                client
                    .update_jenkinsfile(&args.pipeline, text, wait, seconds(args.timeout))
                    .await?,
            );
        }
        Ok::<_, ksdevops::Error>(updated.expect("one change at least"))
    }
    .await;
    if let Some(spinner) = spinner {
        spinner.finish();
    }
    let updated = result?;
    if ctx.json() {
        print_json(&updated)?;
    } else {
        outln!(
            "pipeline {} updated (sync status: {})",
            args.pipeline,
            cell(updated.sync_status())
        );
    }
    Ok(SUCCESS)
}

fn update_dry_run(
    ctx: &Context,
    args: &UpdatePipelineArgs,
    jenkinsfile: Option<&str>,
) -> Result<i32, Failure> {
    let api = ctx.offline_api()?;
    let project = ctx.project()?;
    let mut requests = vec![api.get_pipeline(project, &args.pipeline)?];
    if let Some(text) = jenkinsfile {
        requests.push(api.update_jenkinsfile(
            project,
            &args.pipeline,
            text,
            ksdevops::api::JenkinsfileMode::Raw,
        )?);
    }
    let then = match (&args.description, args.no_wait) {
        (Some(_), false) => "PUT the pipeline read, with the new description; then poll it until Jenkins has the change",
        (Some(_), true) => "PUT the pipeline read, with the new description",
        (None, false) => "poll the pipeline until Jenkins has read the new Jenkinsfile",
        (None, true) => "nothing more",
    };
    dry_run::show(ctx, &requests, Some(then))
}

async fn delete(ctx: &Context, name: &str) -> Result<i32, Failure> {
    if ctx.dry_run() {
        let request = ctx.offline_api()?.delete_pipeline(ctx.project()?, name)?;
        return dry_run::show(ctx, &[request], None);
    }
    ctx.client()?.delete_pipeline(name).await?;
    if ctx.json() {
        print_json(&json!({"deleted": name}))?;
    } else {
        outln!("pipeline {name} deleted");
    }
    Ok(SUCCESS)
}

/// Whether a definition is a password parameter, whose default is never shown.
pub fn is_password(definition: &ParameterDefinition) -> bool {
    definition.is_password()
}

fn default_text(definition: &ParameterDefinition) -> Option<String> {
    let value = definition
        .default_parameter_value
        .as_ref()?
        .value
        .as_ref()?;
    if is_password(definition) {
        return Some(Secret::MASK.to_owned());
    }
    Some(match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// The definition as JSON, a password's default masked.
pub fn definition_json(definition: &ParameterDefinition) -> Result<Value, Failure> {
    let mut value = serde_json::to_value(definition)
        .map_err(|e| Failure::server(format!("cannot encode a parameter: {e}")))?;
    if is_password(definition) {
        if let Some(default) = value.pointer_mut("/defaultParameterValue/value") {
            *default = Value::from(Secret::MASK);
        }
    }
    Ok(value)
}

pub fn print_parameters(definitions: &[ParameterDefinition]) {
    let mut table = Table::new(&["NAME", "TYPE", "DEFAULT", "CHOICES", "DESCRIPTION"]);
    for d in definitions {
        table.row(vec![
            d.name.clone(),
            d.kind.clone(),
            cell(default_text(d)),
            cell(d.choices.as_ref().map(|c| c.join("|"))),
            cell(d.description.as_deref().filter(|s| !s.is_empty())),
        ]);
    }
    table.print();
}

pub async fn params(ctx: &Context, args: PipelineBranchArgs) -> Result<i32, Failure> {
    if ctx.dry_run() {
        let api = ctx.offline_api()?;
        let mut requests = vec![api.get_pipeline(ctx.project()?, &args.pipeline)?];
        if let Some(branch) = &args.branch {
            requests.push(api.get_branch(ctx.project()?, &args.pipeline, branch)?);
        }
        return dry_run::show(ctx, &requests, None);
    }
    let client = ctx.client()?;
    let parameters = client
        .parameters(&args.pipeline, args.branch.as_deref())
        .await?;
    if ctx.json() {
        let definitions: Vec<Value> = parameters
            .definitions
            .iter()
            .map(definition_json)
            .collect::<Result<_, _>>()?;
        print_json(&json!({
            "pipeline": args.pipeline,
            "branch": args.branch,
            "origin": parameters.origin.as_str(),
            "known": parameters.known,
            "parameters": definitions,
        }))?;
        return Ok(SUCCESS);
    }
    let origin = match parameters.origin {
        ksdevops::client::ParameterOrigin::Branch => "the branch's Jenkins job",
        ksdevops::client::ParameterOrigin::Metadata => "Jenkins' synced metadata",
        ksdevops::client::ParameterOrigin::Jenkinsfile => "its Jenkinsfile, read offline",
    };
    if !parameters.known {
        outln!(
            "Jenkins does not know the parameters of branch {} of {} yet: it reads them from the Jenkinsfile when a build of the branch starts, and none has.",
            args.branch.as_deref().unwrap_or_default(),
            args.pipeline
        );
    } else if parameters.definitions.is_empty() {
        outln!(
            "{} takes no parameters (according to {origin}).",
            args.pipeline
        );
    } else {
        outln!("Parameters of {} (from {origin}):", args.pipeline);
        print_parameters(&parameters.definitions);
    }
    Ok(SUCCESS)
}

pub async fn branches(ctx: &Context, args: BranchesArgs) -> Result<i32, Failure> {
    let filter: Option<BranchFilter> = match &args.filter {
        Some(f) => Some(f.parse()?),
        None => None,
    };
    if ctx.dry_run() {
        let request = ctx.offline_api()?.list_branches(
            ctx.project()?,
            &args.pipeline,
            filter,
            Page::new(1, PAGE_SIZE),
        )?;
        return dry_run::show(ctx, &[request], Some("the next pages, until a short one"));
    }
    let client = ctx.client()?;
    let branches: Vec<Branch> = client
        .branches(&args.pipeline, filter)
        .try_collect()
        .await?;
    if ctx.json() {
        print_json(&branches)?;
        return Ok(SUCCESS);
    }
    let mut table = Table::new(&[
        "BRANCH",
        "JENKINS NAME",
        "PULL REQUEST",
        "LATEST RUN",
        "RESULT",
    ]);
    for b in &branches {
        let latest = b.latest_run.as_ref();
        table.row(vec![
            cell(b.display()),
            cell(b.name.as_deref()),
            cell(
                b.pull_request
                    .as_ref()
                    .and_then(|pr| pr.title.clone().or(pr.id.clone())),
            ),
            cell(latest.and_then(|r| r.id.as_deref())),
            cell(latest.and_then(|r| r.result.as_ref())),
        ]);
    }
    table.print();
    Ok(SUCCESS)
}

pub async fn scan(ctx: &Context, args: ScanArgs) -> Result<i32, Failure> {
    if ctx.dry_run() {
        let request = ctx
            .offline_api()?
            .scan_repository(ctx.project()?, &args.pipeline)?;
        let then = args
            .wait
            .then_some("poll the scan log until it ends with `Finished:`");
        return dry_run::show(ctx, &[request], then);
    }
    let client = ctx.client()?;
    let spinner = args
        .wait
        .then(|| Spinner::start(format!("scanning the repository of {}", args.pipeline)));
    let result = client
        .scan(&args.pipeline, args.wait, seconds(args.timeout))
        .await;
    if let Some(spinner) = spinner {
        spinner.finish();
    }
    let scan = result?;
    if ctx.json() {
        print_json(&json!({
            "pipeline": args.pipeline,
            "finished": scan.finished,
            "succeeded": scan.succeeded,
            "log": scan.log,
        }))?;
    } else if args.wait {
        crate::output::write_raw(scan.log.as_bytes());
        if !scan.log.ends_with('\n') {
            outln!();
        }
    } else {
        outln!("scan of {} started", args.pipeline);
    }
    Ok(if args.wait && !scan.succeeded {
        RUN_FAILED
    } else {
        SUCCESS
    })
}
