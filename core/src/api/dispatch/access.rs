//! DevOps projects, the Kubernetes service proxy, and OAuth tokens.

use super::{creator, not_routed, page, CLUSTER};
use crate::api::args::Args;
use crate::api::{Api, Method, OAuthClient, Operation, Request, ServiceRef};
use crate::error::{Error, Result};

pub(super) fn projects(api: &Api, operation: Operation, a: &Args<'_>) -> Result<Request> {
    use Operation::*;
    match operation {
        ListDevopsProjects => {
            a.only(&[CLUSTER, "workspace", "page", "limit"])?;
            api.list_devops_projects(a.str("workspace")?, page(a)?)
        }
        GetDevopsProject | DeleteDevopsProject => {
            a.only(&[CLUSTER, "workspace", "devops"])?;
            let (workspace, devops) = (a.str("workspace")?, a.str("devops")?);
            if operation == GetDevopsProject {
                api.get_devops_project(workspace, devops)
            } else {
                api.delete_devops_project(workspace, devops)
            }
        }
        CreateDevopsProject => {
            a.only(&[CLUSTER, "workspace", "devops", "creator", "token"])?;
            let creator = creator(a)?;
            api.create_devops_project(a.str("workspace")?, a.str("devops")?, creator.as_deref())
        }
        UpdateDevopsProject => {
            a.only(&[CLUSTER, "workspace", "project"])?;
            api.update_devops_project(a.str("workspace")?, a.value("project")?)
        }
        _ => Err(not_routed(operation)),
    }
}

pub(super) fn service_proxy(api: &Api, a: &Args<'_>) -> Result<Request> {
    a.only(&[CLUSTER, "namespace", "service", "port", "path", "method"])?;
    let service = ServiceRef {
        namespace: a.str("namespace")?,
        name: a.str("service")?,
        port: a.str("port")?,
    };
    api.service_proxy(method(a)?, &service, a.opt_str("path")?.unwrap_or(""))
}

pub(super) fn auth(api: &Api, operation: Operation, a: &Args<'_>) -> Result<Request> {
    match operation {
        Operation::Login => {
            a.only(&[
                CLUSTER,
                "username",
                "password",
                "client_id",
                "client_secret",
            ])?;
            let password = a.secret("password")?;
            api.login(a.str("username")?, &password, &oauth_client(a)?)
        }
        Operation::RefreshToken => {
            a.only(&[CLUSTER, "refresh_token", "client_id", "client_secret"])?;
            api.refresh_token(&a.secret("refresh_token")?, &oauth_client(a)?)
        }
        _ => Err(not_routed(operation)),
    }
}

/// `GET` unless the `method` argument says otherwise.
fn method(args: &Args<'_>) -> Result<Method> {
    match args.opt_str("method")? {
        None | Some("GET") => Ok(Method::Get),
        Some("POST") => Ok(Method::Post),
        Some("PUT") => Ok(Method::Put),
        Some("DELETE") => Ok(Method::Delete),
        Some(other) => Err(Error::invalid(
            "method",
            format!("{other:?} is not a method; expected GET, POST, PUT or DELETE"),
        )),
    }
}

fn oauth_client(args: &Args<'_>) -> Result<OAuthClient> {
    let default = OAuthClient::default();
    Ok(OAuthClient {
        client_id: args
            .opt_str("client_id")?
            .map_or(default.client_id, str::to_owned),
        client_secret: args
            .opt_secret("client_secret")?
            .unwrap_or(default.client_secret),
    })
}
