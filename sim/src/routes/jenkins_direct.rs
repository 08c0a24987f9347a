//! The two ways into Jenkins itself, both ending in [`crate::jenkins_api`]:
//! - ks-devops' proxy `…/v1alpha2/{namespaces|devops}/{ns}/jenkins/{path}` (GET and POST): the
//!   caller's KubeSphere token, checked against the project like every ks-devops route; ks-devops
//!   adds its own Jenkins credentials.
//! - Jenkins' own URL, served under [`JENKINS_PREFIX`] (a Jenkins started with
//!   `--prefix=/jenkins`), GET and POST: Jenkins checks the request's basic credentials against
//!   its admin API token (403 without credentials, 401 with wrong ones) and knows nothing of
//!   KubeSphere tokens.
//!
//! Also the `devops-jenkins` Secret with that token, through the Kubernetes API (administrators).

use super::extract::ApiCall;
use crate::auth::unauthorized;
use crate::http::k8s_status;
use crate::jenkins_api::{serve, JenkinsCall};
use crate::shared::Shared;
use crate::store::User;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

pub const NAMESPACE: &str = ksdevops::api::JENKINS_NAMESPACE;
pub const SERVICE: &str = ksdevops::api::JENKINS_SECRET;
/// Where the simulated Jenkins' own URL starts, on the simulator's listener.
pub const JENKINS_PREFIX: &str = "/jenkins";
const ADMIN_USER: &str = "admin";

/// The simulated Jenkins' admin API token: random per process, readable only through the
/// Secret.
fn admin_token() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut out = String::new();
        for i in 0..2u8 {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u8(i);
            out.push_str(&format!("{:016x}", h.finish()));
        }
        format!("11{out}")
    })
}

fn form_pairs(uri: &Uri, body: &[u8]) -> Vec<(String, String)> {
    let query = uri.query().unwrap_or("").as_bytes();
    form_urlencoded::parse(query)
        .chain(form_urlencoded::parse(body))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// ks-devops' proxy (#49): no project check of its own beyond KubeSphere's, which the
/// caller extractor does.
pub async fn via_devops(call: ApiCall, method: Method, uri: Uri, body: Bytes) -> Response {
    let path = call.path.optional("path").unwrap_or("").to_owned();
    let user = call.user().to_owned();
    serve(
        &call.sim,
        JenkinsCall {
            post: method == Method::POST,
            path: &path,
            params: form_pairs(&uri, &body),
            user: &user,
            administer: false,
        },
    )
}

/// The KubeSphere user behind a request to a Kubernetes route, who must be an administrator.
/// KubeSphere reads its token from `Authorization`, and from `X-KubeSphere-Authorization`
/// only when there is no `Authorization` at all.
fn administrator(sim: &Shared, headers: &HeaderMap) -> Result<User, Response> {
    let carrier = match headers.contains_key(header::AUTHORIZATION) {
        true => header::AUTHORIZATION,
        false => header::HeaderName::from_static("x-kubesphere-authorization"),
    };
    let token = headers
        .get(carrier)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(unauthorized)?;
    let w = sim.world();
    let user = w
        .user_for_token(token, sim.now_ms())
        .ok_or_else(unauthorized)?
        .clone();
    if !user.admin {
        return Err(k8s_status(
            403,
            "Forbidden",
            &format!(
                "secrets \"{SERVICE}\" is forbidden: User \"{}\" cannot get resource \"secrets\" in API group \"\" in the namespace \"{NAMESPACE}\"",
                user.name
            ),
            Some(json!({"name": SERVICE, "kind": "secrets"})),
        ));
    }
    Ok(user)
}

/// Jenkins' own check of the basic credentials the request carries.
fn jenkins_login(headers: &HeaderMap) -> Result<(), Response> {
    let Some(basic) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    else {
        return Err((
            StatusCode::FORBIDDEN,
            [("X-You-Are-Authenticated-As", "anonymous")],
            "Authentication required",
        )
            .into_response());
    };
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(basic.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default();
    let (user, token) = decoded.split_once(':').unwrap_or((&decoded, ""));
    if user == ADMIN_USER && token == admin_token() {
        Ok(())
    } else {
        Err((
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Basic realm=\"Jenkins\"")],
            format!("Invalid password/token for user: {user}"),
        )
            .into_response())
    }
}

/// Jenkins' own URL: `{JENKINS_PREFIX}/{path}`, the admin's basic credentials only.
pub async fn direct(
    State(sim): State<Arc<Shared>>,
    path: Option<Path<HashMap<String, String>>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    if let Err(refused) = jenkins_login(&headers) {
        return refused;
    }
    let path = path
        .and_then(|Path(params)| params.get("path").cloned())
        .unwrap_or_default();
    serve(
        &sim,
        JenkinsCall {
            post: method == Method::POST,
            path: &path,
            params: form_pairs(&uri, &body),
            user: ADMIN_USER,
            administer: true,
        },
    )
}

/// `GET …/namespaces/kubesphere-devops-system/secrets/devops-jenkins`.
pub async fn secret(
    State(sim): State<Arc<Shared>>,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(refused) = administrator(&sim, &headers) {
        return refused;
    }
    if params.get("secret").map(String::as_str) != Some(SERVICE) {
        return k8s_status(404, "NotFound", "secrets not found", None);
    }
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let body = json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": SERVICE, "namespace": NAMESPACE},
        "type": "Opaque",
        "data": {
            "jenkins-admin-user": b64(ADMIN_USER),
            "jenkins-admin-token": b64(admin_token()),
        },
    });
    crate::http::ok_json(&body)
}
