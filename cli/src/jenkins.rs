//! `ksdevops jenkins …`: Jenkins itself, for debugging and workarounds. By default through
//! ks-devops' Jenkins proxy of the project (your token); with `--admin` at Jenkins' own URL
//! (`--jenkins-url`) with Jenkins' admin token, read from the `devops-jenkins` Secret and never
//! printed.

use crate::context::Context;
use crate::dry_run;
use crate::exit::{Failure, SUCCESS};
use crate::output::{cell, print_json, write_raw, Table};
use crate::values;
use clap::{Args, Subcommand};
use ksdevops::api::{Api, JenkinsRoute, Request};
use ksdevops::client::Jenkins;
use ksdevops::model::ParameterValue;
use ksdevops::transport::reqwest::ReqwestTransport;
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(Args)]
pub struct JenkinsArgs {
    /// As an administrator: at Jenkins' own URL (--jenkins-url) with Jenkins' admin token from
    /// the devops-jenkins Secret (default: ks-devops' Jenkins proxy of the project, your token)
    #[arg(long, global = true)]
    pub admin: bool,
    /// Jenkins' own URL for --admin, http(s)://host[:port][/prefix]
    #[arg(long, env = "KSDEVOPS_JENKINS_URL", global = true, value_name = "URL")]
    pub jenkins_url: Option<String>,
    #[command(subcommand)]
    pub command: JenkinsCommand,
}

#[derive(Subcommand)]
pub enum JenkinsCommand {
    /// List the jobs of FOLDER (PROJECT or PROJECT/MULTI-BRANCH-PIPELINE), or the top level
    Jobs { folder: Option<String> },
    /// Start a build of JOB (PROJECT/PIPELINE[/BRANCH]) and print its number
    Build(BuildArgs),
    /// Show build NUMBER of JOB as Jenkins reports it
    Status { job: String, number: u64 },
    /// Print the whole console log of build NUMBER of JOB
    Console { job: String, number: u64 },
    /// Download an archived file (its relative path) of build NUMBER of JOB
    Artifact {
        job: String,
        number: u64,
        artifact: String,
        /// Where to write it: a file, or a directory (default: the current directory)
        #[arg(short = 'o', long, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Show the agent-labels dashboard
    Labels,
}

#[derive(Args)]
pub struct BuildArgs {
    pub job: String,
    /// A parameter value, NAME=VALUE (repeat for several)
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// A password parameter, NAME=VALUE: sent as given, shown as *** (repeat for several)
    #[arg(long = "secret-param", value_name = "NAME=VALUE")]
    pub secret_params: Vec<String>,
    /// Print the queue item without waiting for Jenkins to start the build
    #[arg(long)]
    pub no_wait: bool,
}

pub async fn run(ctx: &Context, args: JenkinsArgs) -> Result<i32, Failure> {
    if ctx.dry_run() {
        return dry(ctx, &args);
    }
    let client = match admin_url(&args)? {
        Some(url) => ctx.jenkins_admin_client(url)?,
        None => ctx.client()?,
    };
    let jenkins = if args.admin {
        client.jenkins_admin().await?
    } else {
        client.jenkins()
    };
    match args.command {
        JenkinsCommand::Jobs { folder } => jobs(ctx, &jenkins, folder.as_deref()).await,
        JenkinsCommand::Build(build) => start(ctx, &jenkins, build).await,
        JenkinsCommand::Status { job, number } => status(ctx, &jenkins, &job, number).await,
        JenkinsCommand::Console { job, number } => {
            write_raw(jenkins.console(&job, number).await?.as_bytes());
            Ok(SUCCESS)
        }
        JenkinsCommand::Artifact {
            job,
            number,
            artifact,
            output,
        } => {
            let dest = output.unwrap_or_else(|| PathBuf::from("."));
            let done = jenkins.download(&job, number, &artifact, &dest).await?;
            if ctx.json() {
                print_json(&json!({"path": done.path.display().to_string(), "size": done.size}))?;
            } else {
                outln!("saved {} ({} bytes)", done.path.display(), done.size);
            }
            Ok(SUCCESS)
        }
        JenkinsCommand::Labels => labels(ctx, &jenkins).await,
    }
}

type Direct<'c> = Jenkins<'c, ReqwestTransport>;

async fn jobs(ctx: &Context, jenkins: &Direct<'_>, folder: Option<&str>) -> Result<i32, Failure> {
    let jobs = jenkins.jobs(folder).await?;
    if ctx.json() {
        print_json(&jobs)?;
        return Ok(SUCCESS);
    }
    let mut table = Table::new(&["NAME", "KIND", "STATUS"]);
    for job in &jobs {
        let kind = if job.is_folder() { "folder" } else { "job" };
        table.row(vec![
            job.name.clone(),
            kind.into(),
            cell(job.color.as_ref()),
        ]);
    }
    table.print();
    Ok(SUCCESS)
}

/// The values, and the names of the password parameters among them.
fn build_values(args: &BuildArgs) -> Result<(Vec<ParameterValue>, Vec<String>), Failure> {
    let plain = values::parse(&args.params)?;
    let secret = values::parse(&args.secret_params)
        .map_err(|_| Failure::usage("--secret-param: expected NAME=VALUE"))?;
    let names = secret.iter().map(|(name, _)| name.clone()).collect();
    let text = |v: Value| v.as_str().map(str::to_owned).unwrap_or_default();
    let values = plain
        .into_iter()
        .chain(secret)
        .map(|(name, value)| ParameterValue {
            name,
            value: text(value),
        })
        .collect();
    Ok((values, names))
}

async fn start(ctx: &Context, jenkins: &Direct<'_>, args: BuildArgs) -> Result<i32, Failure> {
    let (values, secret_names) = build_values(&args)?;
    let queued = jenkins.build(&args.job, &values, &secret_names).await?;
    let number = if args.no_wait {
        None
    } else {
        Some(jenkins.build_number(queued).await?)
    };
    if ctx.json() {
        print_json(&json!({"job": args.job, "queue_id": queued.queue_id, "number": number}))?;
    } else {
        match number {
            Some(n) => outln!("started {} #{n}", args.job),
            None => outln!("queued {} as queue item {}", args.job, queued.queue_id),
        }
    }
    Ok(SUCCESS)
}

async fn status(
    ctx: &Context,
    jenkins: &Direct<'_>,
    job: &str,
    number: u64,
) -> Result<i32, Failure> {
    let build = jenkins.status(job, number).await?;
    if ctx.json() {
        print_json(&build)?;
        return Ok(SUCCESS);
    }
    let state = match (&build.result, build.building) {
        (_, true) => "BUILDING".to_owned(),
        (Some(result), false) => result.clone(),
        (None, false) => "UNKNOWN".to_owned(),
    };
    outln!("Build:       {job} #{}", build.number);
    outln!("Status:      {state}");
    outln!("Duration:    {} ms", build.duration);
    for (name, value) in build.parameters() {
        let shown = match value {
            Some(Value::String(s)) => s,
            Some(other) => other.to_string(),
            None => "***".into(),
        };
        outln!("Parameter:   {name}={shown}");
    }
    for artifact in &build.artifacts {
        outln!("Artifact:    {}", artifact.relative_path);
    }
    Ok(SUCCESS)
}

async fn labels(ctx: &Context, jenkins: &Direct<'_>) -> Result<i32, Failure> {
    let labels = jenkins.labels().await?;
    if ctx.json() {
        print_json(&labels)?;
        return Ok(SUCCESS);
    }
    let mut table = Table::new(&["LABEL"]);
    for label in &labels {
        table.row(vec![label.label.clone()]);
    }
    table.print();
    Ok(SUCCESS)
}

/// The Jenkins request of `command` by `route`: the checks of every name, offline.
fn request(
    api: &Api,
    route: &JenkinsRoute<'_>,
    command: &JenkinsCommand,
) -> Result<Request, Failure> {
    Ok(match command {
        JenkinsCommand::Jobs { folder } => api.jenkins_jobs(route, folder.as_deref())?,
        JenkinsCommand::Build(args) => {
            let (values, secret_names) = build_values(args)?;
            api.jenkins_build(route, &args.job, &values, &secret_names)?
        }
        JenkinsCommand::Status { job, number } => api.jenkins_build_status(route, job, *number)?,
        JenkinsCommand::Console { job, number } => api.jenkins_console_text(route, job, *number)?,
        JenkinsCommand::Artifact {
            job,
            number,
            artifact,
            ..
        } => api.jenkins_artifact(route, job, *number, artifact)?,
        JenkinsCommand::Labels => api.jenkins_labels(route)?,
    })
}

/// Jenkins' own URL when `--admin` is given (then it is required), checked.
fn admin_url(args: &JenkinsArgs) -> Result<Option<&str>, Failure> {
    if !args.admin {
        return Ok(None);
    }
    let url = args
        .jenkins_url
        .as_deref()
        .map(str::trim)
        .filter(|url| !url.is_empty())
        .ok_or_else(|| {
            Failure::usage(
                "--admin reaches Jenkins at its own URL: pass --jenkins-url URL or set KSDEVOPS_JENKINS_URL",
            )
        })?;
    ksdevops::transport::base_url("--jenkins-url", url)?;
    Ok(Some(url))
}

fn route<'a>(ctx: &'a Context, args: &'a JenkinsArgs) -> Result<JenkinsRoute<'a>, Failure> {
    Ok(match admin_url(args)? {
        Some(url) => JenkinsRoute::Direct { url },
        None => JenkinsRoute::Proxy {
            devops: ctx.project()?,
        },
    })
}

/// Every name and value checked before anything is sent.
pub fn check(ctx: &Context, api: &Api, args: &JenkinsArgs) -> Result<(), Failure> {
    request(api, &route(ctx, args)?, &args.command).map(drop)
}

fn dry(ctx: &Context, args: &JenkinsArgs) -> Result<i32, Failure> {
    let api = ctx.offline_api()?;
    let mut jenkins = request(&api, &route(ctx, args)?, &args.command)?;
    if args.admin {
        // Shown as `***` in every rendering: the real value comes from the Secret.
        jenkins
            .headers
            .push(("Authorization".into(), "Basic (from the Secret)".into()));
        let secret = api.get_jenkins_secret()?;
        return dry_run::show(
            ctx,
            &[secret, jenkins],
            Some("the second request carries Jenkins' admin user and token from the Secret as basic auth"),
        );
    }
    dry_run::show(ctx, &[jenkins], None)
}
