//! `ksdevops git-repos …`: the GitRepository resources of the project.

use crate::context::Context;
use crate::dry_run;
use crate::exit::{Failure, SUCCESS};
use crate::output::{cell, print_json, Table};
use clap::Subcommand;
use ksdevops::api::{Api, GitRepositoryInput, Page, Request};
use ksdevops::client::PAGE_SIZE;
use ksdevops::model::{annotations, GitRepository, SecretRef};

#[derive(Subcommand)]
pub enum GitReposCommand {
    /// List the GitRepository resources of the project
    List,
    /// Show one GitRepository
    Get { name: String },
    /// Create a GitRepository
    Create(CreateArgs),
    /// Change a GitRepository's URL, provider or credential (read, changed, written back)
    Update(UpdateArgs),
    /// Delete a GitRepository
    Delete { name: String },
}

#[derive(clap::Args)]
pub struct CreateArgs {
    pub name: String,
    /// Repository URL (https://, http://, ssh://, git:// or user@host:path)
    #[arg(long)]
    pub url: String,
    /// github, gitlab, bitbucket_server, git, …
    #[arg(long, default_value = "git")]
    pub provider: String,
    /// Credential of the project that reads the repository
    #[arg(long)]
    pub credential: Option<String>,
}

impl CreateArgs {
    /// What the dry run shows and the real create sends.
    fn input(&self) -> GitRepositoryInput<'_> {
        GitRepositoryInput {
            name: &self.name,
            provider: &self.provider,
            url: &self.url,
            secret: self.credential.as_deref(),
        }
    }
}

#[derive(clap::Args)]
pub struct UpdateArgs {
    pub name: String,
    /// New repository URL (https://, http://, ssh://, git:// or user@host:path)
    #[arg(long)]
    pub url: Option<String>,
    /// New provider: github, gitlab, bitbucket_server, git, …
    #[arg(long)]
    pub provider: Option<String>,
    /// New credential of the project that reads the repository
    #[arg(long, conflicts_with = "no_credential")]
    pub credential: Option<String>,
    /// Read the repository without a credential from now on
    #[arg(long)]
    pub no_credential: bool,
}

impl UpdateArgs {
    /// `repository` with the requested changes; a usage error when none is requested.
    fn apply(&self, mut repository: GitRepository, devops: &str) -> Result<GitRepository, Failure> {
        if self.url.is_none()
            && self.provider.is_none()
            && self.credential.is_none()
            && !self.no_credential
        {
            return Err(Failure::usage(
                "git-repos update: nothing to change: pass --url, --provider, --credential or --no-credential",
            ));
        }
        let spec = &mut repository.spec;
        if let Some(url) = &self.url {
            spec.url = Some(url.clone());
        }
        if let Some(provider) = &self.provider {
            spec.provider = Some(provider.clone());
        }
        if let Some(name) = &self.credential {
            spec.secret = Some(SecretRef {
                name: name.clone(),
                namespace: Some(devops.to_owned()),
            });
        }
        if self.no_credential {
            spec.secret = None;
        }
        Ok(repository)
    }

    /// The changes on a repository that has only this name: every value checked offline.
    fn offline(&self, devops: &str) -> Result<GitRepository, Failure> {
        let mut named = GitRepository::default();
        named.metadata.name = Some(self.name.clone());
        self.apply(named, devops)
    }
}

fn request(
    api: &Api,
    devops: &str,
    command: &GitReposCommand,
    creator: Option<&str>,
) -> Result<Request, Failure> {
    Ok(match command {
        GitReposCommand::List => api.list_git_repositories(devops, Page::new(1, PAGE_SIZE))?,
        GitReposCommand::Get { name } => api.get_git_repository(devops, name)?,
        GitReposCommand::Delete { name } => api.delete_git_repository(devops, name)?,
        GitReposCommand::Update(args) => {
            api.update_git_repository(devops, &args.offline(devops)?)?
        }
        GitReposCommand::Create(args) => {
            api.create_git_repository(devops, &args.input(), creator)?
        }
    })
}

/// Every name and value checked before anything is sent.
pub fn check(ctx: &Context, api: &Api, command: &GitReposCommand) -> Result<(), Failure> {
    request(api, ctx.project()?, command, None).map(drop)
}

pub async fn run(ctx: &Context, command: GitReposCommand) -> Result<i32, Failure> {
    if ctx.dry_run() {
        let creator = ctx.password_login().map(|(user, _)| user);
        let api = ctx.offline_api()?;
        let devops = ctx.project()?;
        let built = request(&api, devops, &command, creator.as_deref())?;
        if let GitReposCommand::Update(args) = &command {
            let read = api.get_git_repository(devops, &args.name)?;
            return dry_run::show(
                ctx,
                &[read],
                Some("PUT the GitRepository read, with the changes given, to the same path"),
            );
        }
        return dry_run::show(ctx, &[built], None);
    }
    let client = ctx.client()?;
    match command {
        GitReposCommand::List => {
            let repositories = client.git_repositories().await?;
            if ctx.json() {
                print_json(&repositories)?;
                return Ok(SUCCESS);
            }
            let mut table = Table::new(&["NAME", "PROVIDER", "URL", "CREDENTIAL"]);
            for r in &repositories {
                table.row(vec![
                    cell(r.name()),
                    cell(r.spec.provider.as_ref()),
                    cell(r.spec.url.as_ref()),
                    cell(r.spec.secret.as_ref().map(|s| &s.name)),
                ]);
            }
            table.print();
            Ok(SUCCESS)
        }
        GitReposCommand::Get { name } => show(ctx, &client.get_git_repository(&name).await?),
        GitReposCommand::Create(args) => {
            show(ctx, &client.create_git_repository(&args.input()).await?)
        }
        GitReposCommand::Update(args) => {
            let read = client.get_git_repository(&args.name).await?;
            let changed = args.apply(read, client.devops())?;
            show(ctx, &client.update_git_repository(&changed).await?)
        }
        GitReposCommand::Delete { name } => {
            client.delete_git_repository(&name).await?;
            outln!("deleted {name}");
            Ok(SUCCESS)
        }
    }
}

fn show(ctx: &Context, r: &GitRepository) -> Result<i32, Failure> {
    if ctx.json() {
        print_json(r)?;
        return Ok(SUCCESS);
    }
    outln!("Name:        {}", cell(r.name()));
    outln!("Provider:    {}", cell(r.spec.provider.as_ref()));
    outln!("URL:         {}", cell(r.spec.url.as_ref()));
    outln!(
        "Credential:  {}",
        cell(r.spec.secret.as_ref().map(|s| &s.name))
    );
    outln!(
        "Creator:     {}",
        cell(r.metadata.annotation(annotations::CREATOR))
    );
    Ok(SUCCESS)
}
