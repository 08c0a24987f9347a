//! DevOps projects of a workspace: list, get, create, update (description, display name),
//! delete.

use crate::cli::{ProjectsArgs, ProjectsCommand, UpdateProjectArgs};
use crate::context::Context;
use crate::dry_run;
use crate::exit::{Failure, SUCCESS};
use crate::output::{cell, print_json, Table};
use futures_util::TryStreamExt;
use ksdevops::api::Page;
use ksdevops::client::PAGE_SIZE;
use ksdevops::model::{annotations, DevOpsProject};
use serde_json::json;

pub async fn run(ctx: &Context, args: ProjectsArgs) -> Result<i32, Failure> {
    let workspace = args
        .workspace
        .as_deref()
        .filter(|w| !w.trim().is_empty())
        .ok_or_else(|| {
            Failure::usage("no workspace: pass --workspace NAME (-w) or set KUBESPHERE_WORKSPACE")
        })?;
    match args.command {
        ProjectsCommand::List => list(ctx, workspace).await,
        ProjectsCommand::Get { name } => get(ctx, workspace, &name).await,
        ProjectsCommand::Create { name } => create(ctx, workspace, &name).await,
        ProjectsCommand::Update(args) => update(ctx, workspace, args).await,
        ProjectsCommand::Delete { name } => delete(ctx, workspace, &name).await,
    }
}

fn description(p: &DevOpsProject) -> Option<&str> {
    p.metadata.annotation(annotations::DESCRIPTION)
}

async fn list(ctx: &Context, workspace: &str) -> Result<i32, Failure> {
    if ctx.dry_run() {
        let request = ctx
            .offline_api()?
            .list_devops_projects(workspace, Page::new(1, PAGE_SIZE))?;
        return dry_run::show(ctx, &[request], Some("the next pages, until a short one"));
    }
    let client = ctx.workspace_client()?;
    let projects: Vec<DevOpsProject> = client.projects(workspace).try_collect().await?;
    if ctx.json() {
        print_json(&projects)?;
        return Ok(SUCCESS);
    }
    let mut table = Table::new(&["NAME", "DISPLAY NAME", "CREATOR", "DESCRIPTION"]);
    for p in &projects {
        table.row(vec![
            cell(p.name()),
            cell(p.metadata.annotation(annotations::ALIAS_NAME)),
            cell(p.creator()),
            cell(description(p)),
        ]);
    }
    table.print();
    Ok(SUCCESS)
}

fn show(ctx: &Context, project: &DevOpsProject) -> Result<i32, Failure> {
    if ctx.json() {
        print_json(project)?;
        return Ok(SUCCESS);
    }
    println!("Name:          {}", cell(project.name()));
    println!("Workspace:     {}", cell(project.workspace()));
    println!("Namespace:     {}", cell(project.admin_namespace()));
    println!("Creator:       {}", cell(project.creator()));
    if let Some(alias) = project.metadata.annotation(annotations::ALIAS_NAME) {
        println!("Display name:  {alias}");
    }
    if let Some(d) = description(project) {
        println!("Description:   {d}");
    }
    Ok(SUCCESS)
}

async fn get(ctx: &Context, workspace: &str, name: &str) -> Result<i32, Failure> {
    if ctx.dry_run() {
        let request = ctx.offline_api()?.get_devops_project(workspace, name)?;
        return dry_run::show(ctx, &[request], None);
    }
    let project = ctx.workspace_client()?.get_project(workspace, name).await?;
    show(ctx, &project)
}

async fn create(ctx: &Context, workspace: &str, name: &str) -> Result<i32, Failure> {
    if ctx.dry_run() {
        let creator = ctx.password_login().map(|(user, _)| user);
        let request =
            ctx.offline_api()?
                .create_devops_project(workspace, name, creator.as_deref())?;
        return dry_run::show(ctx, &[request], None);
    }
    let created = ctx
        .workspace_client()?
        .create_project(workspace, name)
        .await?;
    show(ctx, &created)
}

async fn update(ctx: &Context, workspace: &str, args: UpdateProjectArgs) -> Result<i32, Failure> {
    if args.description.is_none() && args.alias.is_none() {
        return Err(Failure::usage(
            "nothing to change: pass --description TEXT and/or --alias NAME",
        ));
    }
    if ctx.dry_run() {
        let request = ctx
            .offline_api()?
            .get_devops_project(workspace, &args.name)?;
        return dry_run::show(
            ctx,
            &[request],
            Some("the project is sent back whole with the new annotations (PUT)"),
        );
    }
    let client = ctx.workspace_client()?;
    let mut project = client.get_project(workspace, &args.name).await?;
    for (key, value) in [
        (annotations::DESCRIPTION, args.description),
        (annotations::ALIAS_NAME, args.alias),
    ] {
        if let Some(value) = value {
            project.metadata.annotations.insert(key.to_owned(), value);
        }
    }
    let updated = client.update_project(workspace, &project).await?;
    show(ctx, &updated)
}

async fn delete(ctx: &Context, workspace: &str, name: &str) -> Result<i32, Failure> {
    if ctx.dry_run() {
        let request = ctx.offline_api()?.delete_devops_project(workspace, name)?;
        return dry_run::show(ctx, &[request], None);
    }
    ctx.workspace_client()?
        .delete_project(workspace, name)
        .await?;
    if ctx.json() {
        print_json(&json!({"deleted": name}))?;
    } else {
        println!("DevOps project {name} deleted");
    }
    Ok(SUCCESS)
}
