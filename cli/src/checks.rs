//! Every name a command was given is checked before anything is sent: a usage error (exit
//! 2) never follows a login, a layout probe or a read. The checks are the core's own, run
//! through the request builders without a server.

use crate::cli::{Command, CredentialsCommand, PipelinesCommand, ProjectsCommand, RunsCommand};
use crate::context::Context;
use crate::exit::Failure;
use crate::values;
use ksdevops::api::{Api, Page};

pub fn arguments(ctx: &Context, command: &Command) -> Result<(), Failure> {
    let api = ctx.offline_api()?;
    if let Ok(project) = ctx.project() {
        api.list_pipelines(project, Page::new(1, 1))
            .map_err(|e| Failure::usage(format!("--project: {}", Failure::from(e).message)))?;
    }
    let check = Checks { ctx, api: &api };
    match command {
        Command::Login(_)
        | Command::Jenkinsfile(_)
        | Command::Pipelines(PipelinesCommand::List)
        | Command::Credentials(CredentialsCommand::List) => Ok(()),
        Command::Pipelines(PipelinesCommand::Update(args)) => check.pipeline(&args.pipeline, None),
        Command::Pipelines(PipelinesCommand::Get { pipeline })
        | Command::Pipelines(PipelinesCommand::Delete { pipeline }) => {
            check.pipeline(pipeline, None)
        }
        Command::Pipelines(PipelinesCommand::Create(args)) => {
            if let Some(name) = &args.name {
                check.pipeline(name, None)?;
            }
            match &args.scm.credential {
                Some(credential) => check
                    .credential(credential)
                    .map_err(|f| Failure::usage(format!("--credential: {}", f.message))),
                None => Ok(()),
            }
        }
        Command::Credentials(CredentialsCommand::Create(args)) => check.credential(&args.name),
        Command::Credentials(CredentialsCommand::Delete { credential }) => {
            check.credential(credential)
        }
        Command::Params(args) | Command::Runs(RunsCommand::List(args)) => {
            check.pipeline(&args.pipeline, args.branch.as_deref())
        }
        Command::Branches(args) => check.pipeline(&args.pipeline, None),
        Command::Scan(args) => check.pipeline(&args.pipeline, None),
        Command::Projects(args) => check.project(args.workspace.as_deref(), &args.command),
        Command::Watch(args) => match &args.pipeline {
            Some(pipeline) => check.pipeline(pipeline, None),
            None => Ok(()),
        },
        Command::Run(args) => {
            check.pipeline(&args.pipeline, args.branch.as_deref())?;
            if let Some(tag) = &args.tag {
                // Tags are checked by the branch rules; the refusal names the tag.
                check
                    .pipeline(&args.pipeline, Some(tag))
                    .map_err(|f| Failure {
                        message: f.message.replacen("branch: ", "tag: ", 1),
                        ..f
                    })?;
            }
            if let Some(name) = &args.name {
                check.run(name)?;
            }
            if args.jenkinsfile.is_some() && !ctx.dry_run() {
                return Err(Failure::usage(
                    "--jenkinsfile: only with --dry-run (a run uses the pipeline's stored Jenkinsfile)",
                ));
            }
            values::parse(&args.params).map(drop)
        }
        Command::Runs(RunsCommand::Get(arg))
        | Command::Runs(RunsCommand::Stop(arg))
        | Command::Runs(RunsCommand::Replay(arg))
        | Command::Inputs(arg)
        | Command::Artifacts(arg)
        | Command::Why(arg) => check.run(&arg.run),
        Command::Wait(args) => check.run(&args.run),
        Command::Logs(args) => check.run(&args.run),
        Command::Approve(args) => {
            check.run(&args.run)?;
            values::parse(&args.params).map(drop)
        }
        Command::Abort(args) => check.run(&args.run),
        Command::Download(args) => {
            let project = ctx.project()?;
            api.download_artifact(project, &args.run, &args.artifact)?;
            Ok(())
        }
        Command::Jenkins(args) => crate::jenkins::check(ctx, &api, args),
        Command::GitRepos(command) => crate::git_repos::check(ctx, &api, command),
    }
}

struct Checks<'a> {
    ctx: &'a Context,
    api: &'a Api,
}

impl Checks<'_> {
    fn pipeline(&self, pipeline: &str, branch: Option<&str>) -> Result<(), Failure> {
        let project = self.ctx.project()?;
        match branch {
            Some(branch) => self.api.get_branch(project, pipeline, branch)?,
            None => self.api.get_pipeline(project, pipeline)?,
        };
        Ok(())
    }

    /// A project name, in its workspace (a missing workspace is the command's own error).
    fn project(&self, workspace: Option<&str>, command: &ProjectsCommand) -> Result<(), Failure> {
        let name = match command {
            ProjectsCommand::List => return Ok(()),
            ProjectsCommand::Get { name }
            | ProjectsCommand::Create { name }
            | ProjectsCommand::Delete { name } => name,
            ProjectsCommand::Update(args) => &args.name,
        };
        match workspace.filter(|w| !w.trim().is_empty()) {
            Some(workspace) => {
                self.api.get_devops_project(workspace, name)?;
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn run(&self, run: &str) -> Result<(), Failure> {
        self.api
            .get_pipeline_run_resource(self.ctx.project()?, run)?;
        Ok(())
    }

    fn credential(&self, credential: &str) -> Result<(), Failure> {
        self.api.get_credential(self.ctx.project()?, credential)?;
        Ok(())
    }
}
