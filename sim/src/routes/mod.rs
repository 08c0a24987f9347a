//! The HTTP surface: every route under the chosen layout, the cluster-prefix and
//! trailing-slash handling KubeSphere does in front of ks-devops, CORS and static files.

mod admin;
pub mod cluster;
mod devops;
mod extract;
mod git_repositories;
mod jenkins_direct;
mod k8s;
mod oauth;
pub mod query;
pub mod runs;
mod statics;
mod v1alpha2;

pub use jenkins_direct::JENKINS_PREFIX;
pub use v1alpha2::webhook_run;

use crate::http::text_error;
use crate::shared::Shared;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use ksdevops::api::{ApiLayout, APIS_PREFIX, KAPIS_PREFIX as KAPIS, V1ALPHA3};
use std::path::PathBuf;
use std::sync::Arc;

const JENKINS_NS: &str = "/api/v1/namespaces/kubesphere-devops-system";

#[derive(Debug, Clone, Default)]
pub struct HttpOptions {
    pub cors: bool,
    pub serve_dir: Option<PathBuf>,
    /// Member clusters a cluster prefix may name, besides `host` (see [`SimConfig::clusters`]).
    ///
    /// [`SimConfig::clusters`]: crate::SimConfig::clusters
    pub clusters: Vec<String>,
}

/// The name KubeSphere gives the cluster it runs in.
pub const HOST_CLUSTER: &str = "host";

/// Every ks-devops, OAuth and Kubernetes route of `layout`, as (method list, path) pairs;
/// the test suite and the closing report list them from here.
pub fn api_router(layout: ApiLayout) -> Router<Arc<Shared>> {
    let proj = match layout {
        ApiLayout::V4 => "namespaces",
        ApiLayout::V3 => "devops",
    };
    let p3 = format!("{KAPIS}/v1alpha3/{proj}/{{ns}}");
    let n3 = format!("{KAPIS}/v1alpha3/namespaces/{{ns}}");
    let ws = format!("{KAPIS}/v1alpha3/workspaces/{{ws}}");
    let p2 = format!("{KAPIS}/v1alpha2/{proj}/{{ns}}/pipelines/{{pipeline}}");

    let mut r = Router::new()
        .route("/oauth/token", post(oauth::token))
        // v1alpha3 projects
        .route(
            &format!("{ws}/{proj}"),
            get(devops::list_projects).post(devops::create_project),
        )
        .route(
            &format!("{ws}/{proj}/{{ns}}"),
            get(devops::get_project)
                .put(devops::update_project)
                .delete(devops::delete_project),
        )
        .route(
            &format!("{ws}/workspacemembers/{{member}}/{proj}"),
            get(devops::list_projects),
        )
        // v1alpha3 pipelines and credentials
        .route(
            &format!("{p3}/pipelines"),
            get(devops::list_pipelines).post(devops::create_pipeline),
        )
        .route(
            &format!("{p3}/pipelines/{{pipeline}}"),
            get(devops::get_pipeline)
                .put(devops::update_pipeline)
                .delete(devops::delete_pipeline),
        )
        .route(
            &format!("{p3}/pipelines/{{pipeline}}/jenkinsfile"),
            put(devops::update_jenkinsfile),
        )
        .route(
            &format!("{p3}/credentials"),
            get(devops::list_credentials).post(devops::create_credential),
        )
        .route(
            &format!("{p3}/credentials/{{credential}}"),
            get(devops::get_credential)
                .put(devops::update_credential)
                .delete(devops::delete_credential),
        )
        .route(
            &format!("{KAPIS}/v1alpha3/ci/nodelabels"),
            get(devops::node_labels),
        )
        // v1alpha3 branches and pipelineruns
        .route(
            &format!("{n3}/pipelines/{{pipeline}}/branches"),
            get(runs::list_branches),
        )
        .route(
            &format!("{n3}/pipelines/{{pipeline}}/branches/{{branch}}"),
            get(runs::get_branch),
        )
        .route(
            &format!("{n3}/pipelines/{{pipeline}}/pipelineruns"),
            get(runs::list_runs).post(runs::create_run),
        )
        .route(
            &format!("{n3}/pipelineruns/{{run}}"),
            get(runs::get_run).delete(runs::delete_run),
        )
        .route(
            &format!("{n3}/pipelineruns/{{run}}/nodedetails"),
            get(runs::node_details),
        )
        .route(
            &format!("{n3}/pipelineruns/{{run}}/artifacts/download"),
            get(runs::download_artifact),
        )
        // v1alpha2
        .route(&p2, get(v1alpha2::get_pipeline))
        .route(&format!("{p2}/scan"), post(v1alpha2::scan))
        .route(&format!("{p2}/consolelog"), get(v1alpha2::console_log))
        .route(&format!("{p2}/branches"), get(v1alpha2::list_branches))
        .route(
            &format!("{p2}/branches/{{branch}}"),
            get(v1alpha2::get_branch),
        )
        .route(
            &format!("{p2}/runs"),
            get(v1alpha2::list_runs).post(v1alpha2::trigger),
        )
        .route(
            &format!("{p2}/branches/{{branch}}/runs"),
            post(v1alpha2::trigger),
        )
        // v1alpha3 GitRepository resources
        .route(
            &format!("{n3}/gitrepositories"),
            get(git_repositories::list).post(git_repositories::create),
        )
        .route(
            &format!("{n3}/gitrepositories/{{repository}}"),
            get(git_repositories::get)
                .put(git_repositories::update)
                .delete(git_repositories::delete),
        )
        // Jenkins itself: ks-devops' proxy, Jenkins' own URL, its admin Secret
        .route(
            &format!("{KAPIS}/v1alpha2/{proj}/{{ns}}/jenkins/{{*path}}"),
            get(jenkins_direct::via_devops).post(jenkins_direct::via_devops),
        )
        .route(
            jenkins_direct::JENKINS_PREFIX,
            get(jenkins_direct::direct).post(jenkins_direct::direct),
        )
        .route(
            &format!("{}/{{*path}}", jenkins_direct::JENKINS_PREFIX),
            get(jenkins_direct::direct).post(jenkins_direct::direct),
        )
        .route(
            &format!("{JENKINS_NS}/secrets/{{secret}}"),
            get(jenkins_direct::secret),
        )
        // Kubernetes PipelineRun resource
        .route(
            &format!("{APIS_PREFIX}/{V1ALPHA3}/namespaces/{{ns}}/pipelineruns"),
            get(k8s::list).post(k8s::create),
        )
        .route(
            &format!("{APIS_PREFIX}/{V1ALPHA3}/namespaces/{{ns}}/pipelineruns/{{name}}"),
            get(k8s::get).delete(k8s::delete),
        )
        // simulator admin
        .route("/_sim/health", get(admin::health))
        .route("/_sim/clock", get(admin::clock))
        .route(
            "/_sim/faults",
            get(admin::get_faults)
                .post(admin::set_faults)
                .delete(admin::clear_faults),
        )
        .route("/_sim/stats", get(admin::stats).delete(admin::reset_stats));
    for run in [
        format!("{p2}/runs/{{run}}"),
        format!("{p2}/branches/{{branch}}/runs/{{run}}"),
    ] {
        r = r
            .route(&run, get(v1alpha2::get_run))
            .route(&format!("{run}/stop"), post(v1alpha2::stop))
            .route(&format!("{run}/replay"), post(v1alpha2::replay))
            .route(&format!("{run}/artifacts"), get(v1alpha2::artifacts))
            .route(&format!("{run}/log"), get(v1alpha2::run_log))
            .route(&format!("{run}/nodes"), get(v1alpha2::nodes))
            .route(&format!("{run}/nodesdetail"), get(v1alpha2::nodes_detail))
            .route(&format!("{run}/nodes/{{node}}/steps"), get(v1alpha2::steps))
            .route(
                &format!("{run}/nodes/{{node}}/steps/{{step}}"),
                post(v1alpha2::submit_input),
            )
            .route(
                &format!("{run}/nodes/{{node}}/steps/{{step}}/log"),
                get(v1alpha2::step_log),
            );
    }
    r
}

/// Removes trailing slashes, as go-restful does before matching.
fn trim_trailing_slashes(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        "/"
    } else {
        trimmed
    }
}

/// How requests reach the routes: the cluster prefix of the layout's KubeSphere, then the
/// path without trailing slashes. A prefix naming an unknown cluster is a 404, as KubeSphere
/// answers it.
struct Routing {
    layout: ApiLayout,
    clusters: Vec<String>,
}

impl Routing {
    fn knows(&self, cluster: &str) -> bool {
        cluster == HOST_CLUSTER || self.clusters.iter().any(|c| c == cluster)
    }
}

async fn rewrite(State(routing): State<Arc<Routing>>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let addressed = cluster::addressed(path, routing.layout);
    if let Some(cluster) = addressed.cluster {
        if !routing.knows(cluster) {
            return text_error(404, &format!("cluster {cluster} not found"));
        }
    }
    let normalized = trim_trailing_slashes(&addressed.path);
    if normalized != path {
        let pq = match req.uri().query() {
            Some(q) => format!("{normalized}?{q}"),
            None => normalized.to_owned(),
        };
        let mut parts = req.uri().clone().into_parts();
        parts.path_and_query = pq.parse().ok();
        if let Ok(uri) = Uri::from_parts(parts) {
            *req.uri_mut() = uri;
        }
    }
    next.run(req).await
}

async fn cors(req: Request, next: Next) -> Response {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .cloned()
        .unwrap_or(HeaderValue::from_static("*"));
    let mut resp = if req.method() == Method::OPTIONS {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    let h = resp.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, PUT, DELETE, OPTIONS"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("Authorization, Content-Type, Accept"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("X-Text-Size, X-More-Data, Content-Disposition, Retry-After"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    resp
}

async fn not_found(State(opts): State<Arc<HttpOptions>>, method: Method, uri: Uri) -> Response {
    if let (Some(dir), true) = (
        &opts.serve_dir,
        method == Method::GET || method == Method::HEAD,
    ) {
        if let Some(resp) = statics::serve(dir, uri.path()).await {
            return resp;
        }
    }
    text_error(404, "404: Page Not Found")
}

pub fn app(shared: Arc<Shared>, opts: HttpOptions) -> Router {
    let shared_for_stats = shared.clone();
    let routing = Arc::new(Routing {
        layout: shared.layout,
        clusters: opts.clusters.clone(),
    });
    let api = api_router(shared.layout)
        .route_layer(middleware::from_fn(crate::stats::tag_route))
        .fallback_service(
            Router::new()
                .fallback(not_found)
                .with_state(Arc::new(opts.clone())),
        )
        .with_state(shared.clone());
    let mut outer = Router::new()
        .fallback_service(api)
        .layer(middleware::from_fn_with_state(
            shared,
            crate::faults::inject,
        ))
        .layer(middleware::from_fn_with_state(routing, rewrite));
    if opts.serve_dir.is_some() {
        outer = outer.layer(middleware::from_fn(console_cookie));
    }
    if opts.cors {
        outer = outer.layer(middleware::from_fn(cors));
    }
    // Outermost: every answer is counted, faults and refusals included.
    outer.layer(middleware::from_fn_with_state(
        shared_for_stats,
        crate::stats::count,
    ))
}

/// The KubeSphere console serves its pages and proxies the API on one origin, turning the
/// session cookie `token` into `Authorization: Bearer …`. With `--serve-dir` the simulator
/// plays that part, so pages it serves can call the API with the browser's cookies.
async fn console_cookie(mut req: Request, next: Next) -> Response {
    if !req.headers().contains_key(header::AUTHORIZATION) {
        let token = req
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|pair| pair.trim().strip_prefix("token="))
            .filter(|t| !t.is_empty())
            .and_then(|t| HeaderValue::from_str(&format!("Bearer {t}")).ok());
        if let Some(value) = token {
            req.headers_mut().insert(header::AUTHORIZATION, value);
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_slashes_are_removed() {
        assert_eq!(trim_trailing_slashes("/kapis/x/"), "/kapis/x");
        assert_eq!(trim_trailing_slashes("/kapis/x//"), "/kapis/x");
        assert_eq!(trim_trailing_slashes("/"), "/");
        assert_eq!(trim_trailing_slashes("/a"), "/a");
    }
}
