//! Where requests go: the API layout and the optional cluster prefix.

use super::encode::encode_segment;
use super::validate;
use super::ApiLayout;
use crate::error::Result;

/// The API group of ks-devops' resources and of its own routes.
pub const GROUP: &str = api_group!();
/// ks-devops' older API version (BlueOcean-backed run, log, input and artifact routes).
pub const V1ALPHA2: &str = "v1alpha2";
/// ks-devops' API version of its resources (pipelines, runs, credentials, projects).
pub const V1ALPHA3: &str = "v1alpha3";
/// Where ks-devops' own routes start, on a server without a cluster prefix.
pub const KAPIS_PREFIX: &str = concat!("/kapis/", api_group!());
/// Where the Kubernetes API serves ks-devops' resources (PipelineRuns), without a cluster
/// prefix.
pub const APIS_PREFIX: &str = concat!("/apis/", api_group!());

/// The request builders, for one server generation and, optionally, one member cluster.
///
/// ```
/// use ksdevops::api::{Api, ApiLayout};
/// let api = Api::new(ApiLayout::V4).with_cluster("host").unwrap();
/// let request = api.get_pipeline("demo", "build").unwrap();
/// assert_eq!(
///     request.path,
///     "/clusters/host/kapis/devops.kubesphere.io/v1alpha3/namespaces/demo/pipelines/build"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Api {
    layout: ApiLayout,
    cluster: Option<String>,
}

impl Api {
    pub fn new(layout: ApiLayout) -> Self {
        Api {
            layout,
            cluster: None,
        }
    }

    /// Sends every request (except the OAuth token endpoint) to member cluster `cluster`.
    pub fn with_cluster(mut self, cluster: &str) -> Result<Self> {
        self.cluster = Some(validate::dns_subdomain("cluster", cluster)?.to_owned());
        Ok(self)
    }

    pub fn layout(&self) -> ApiLayout {
        self.layout
    }

    pub fn cluster(&self) -> Option<&str> {
        self.cluster.as_deref()
    }

    /// `/{root}/{rest}` with the cluster prefix where the layout's KubeSphere reads it.
    ///
    /// KubeSphere 4.x strips a leading `/clusters/{c}` before anything else. KubeSphere 3.x
    /// reads the API root (`kapis`, `apis`, `api`) first and only then `clusters/{c}`; it does
    /// not recognise `/clusters/{c}/…` at all. (4.x still accepts the 3.x form.)
    fn rooted(&self, root: &str, rest: &str) -> String {
        match (&self.cluster, self.layout) {
            (None, _) => format!("/{root}/{rest}"),
            (Some(c), ApiLayout::V4) => format!("/clusters/{c}/{root}/{rest}"),
            (Some(c), ApiLayout::V3) => format!("/{root}/clusters/{c}/{rest}"),
        }
    }

    /// `…/kapis/devops.kubesphere.io/{version}`: the ks-devops API.
    pub(crate) fn kapis(&self, version: &str) -> String {
        self.rooted("kapis", &format!("{GROUP}/{version}"))
    }

    /// `…/apis/devops.kubesphere.io/v1alpha3`: the Kubernetes API of the DevOps group,
    /// proxied by KubeSphere.
    pub(crate) fn kube(&self) -> String {
        self.rooted("apis", &format!("{GROUP}/{V1ALPHA3}"))
    }

    /// `…/api/v1`: the Kubernetes core API, proxied by KubeSphere.
    pub(crate) fn kube_core(&self) -> String {
        self.rooted("api", "v1")
    }

    /// Routes that moved from `/devops/{devops}` (3.x) to `/namespaces/{devops}` (4.x): all of
    /// v1alpha2 and the v1alpha3 pipeline and credential routes.
    pub(crate) fn project(&self, version: &str, devops: &str) -> String {
        let word = match self.layout {
            ApiLayout::V4 => "namespaces",
            ApiLayout::V3 => "devops",
        };
        format!("{}/{word}/{}", self.kapis(version), encode_segment(devops))
    }

    /// v1alpha3 routes that always used `/namespaces/{namespace}` (pipelineruns, branches).
    pub(crate) fn namespace(&self, devops: &str) -> String {
        format!(
            "{}/namespaces/{}",
            self.kapis(V1ALPHA3),
            encode_segment(devops)
        )
    }
}
