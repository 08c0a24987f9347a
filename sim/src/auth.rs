//! Authentication and authorization as KubeSphere core does them before a request reaches
//! ks-devops: a bearer token names a user; the path's DevOps project or workspace must be one
//! the user may use (403 Status JSON otherwise).

use crate::http::k8s_status;
use crate::shared::Shared;
use crate::store::User;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::response::Response;
use ksdevops::api::GROUP;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

/// The authenticated user of a request, checked against the project or workspace in its
/// path. Put it first among a handler's extractors.
pub struct Caller {
    pub user: User,
}

pub fn unauthorized() -> Response {
    k8s_status(401, "Unauthorized", "Unauthorized", None)
}

fn verb(method: &Method, path: &str) -> &'static str {
    match *method {
        Method::GET if path.contains("watch=true") => "watch",
        Method::GET => "get",
        Method::POST => "create",
        Method::PUT => "update",
        Method::DELETE => "delete",
        _ => "get",
    }
}

/// `pipelines`, `pipelines/branches`, `pipelineruns/nodedetails`: the resource the path
/// names after the project segment (KubeSphere's RBAC vocabulary).
fn resource_of(path: &str, ns: &str) -> String {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some(pos) = segs.iter().position(|s| *s == ns) else {
        return "devopsprojects".into();
    };
    let rest = &segs[pos + 1..];
    match rest.len() {
        0 => "devopsprojects".into(),
        1 | 2 => rest[0].to_string(),
        _ => format!("{}/{}", rest[0], rest[2]),
    }
}

impl FromRequestParts<Arc<Shared>> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, shared: &Arc<Shared>) -> Result<Self, Response> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(unauthorized)?
            .to_string();
        let params: HashMap<String, String> =
            Path::<HashMap<String, String>>::from_request_parts(parts, shared)
                .await
                .map(|Path(p)| p)
                .unwrap_or_default();
        let now = shared.now_ms();
        let w = shared.world();
        let user = w
            .user_for_token(&token, now)
            .ok_or_else(unauthorized)?
            .clone();
        let path = parts.uri.path();
        let query = parts.uri.query().unwrap_or("");
        let v = verb(&parts.method, query);
        if let Some(ns) = params.get("ns") {
            if !w.can_access_project(&user, ns) {
                let resource = resource_of(path, ns);
                let message = format!(
                    "{resource}.{GROUP} is forbidden: User \"{}\" cannot {v} resource \"{resource}\" in API group \"{GROUP}\" in the namespace \"{ns}\"",
                    user.name
                );
                return Err(k8s_status(
                    403,
                    "Forbidden",
                    &message,
                    Some(json!({"group": GROUP, "kind": resource})),
                ));
            }
        }
        if let Some(ws) = params.get("ws") {
            let member_ok = params
                .get("member")
                .is_none_or(|m| m == &user.name || user.admin);
            if !w.can_access_workspace(&user, ws) || !member_ok {
                let message = format!(
                    "workspaces.tenant.kubesphere.io \"{ws}\" is forbidden: User \"{}\" cannot {v} resource \"devopsprojects\" in API group \"{GROUP}\" in the workspace \"{ws}\"",
                    user.name
                );
                return Err(k8s_status(
                    403,
                    "Forbidden",
                    &message,
                    Some(
                        json!({"name": ws, "group": "tenant.kubesphere.io", "kind": "workspaces"}),
                    ),
                ));
            }
        }
        Ok(Caller { user })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ksdevops::api::KAPIS_PREFIX;

    #[test]
    fn resources_follow_kubesphere_rbac_names() {
        assert_eq!(
            resource_of(
                &format!("{KAPIS_PREFIX}/v1alpha3/namespaces/p/pipelines"),
                "p"
            ),
            "pipelines"
        );
        assert_eq!(
            resource_of(
                &format!("{KAPIS_PREFIX}/v1alpha3/namespaces/p/pipelines/x/branches"),
                "p"
            ),
            "pipelines/branches"
        );
        assert_eq!(
            resource_of(
                &format!("{KAPIS_PREFIX}/v1alpha3/namespaces/p/pipelineruns/r/nodedetails"),
                "p"
            ),
            "pipelineruns/nodedetails"
        );
    }
}
