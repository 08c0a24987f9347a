//! Jenkins' own REST API, reached one of two ways ([`JenkinsRoute`]): through ks-devops' proxy
//! (`…/v1alpha2/namespaces/{devops}/jenkins/{path}`, the user's token; ks-devops adds its
//! Jenkins credentials and the crumb), or as an administrator at Jenkins' own URL, with the
//! admin API token from the `devops-jenkins` Secret as basic auth. Jobs are named by their
//! folder path, `project/pipeline[/branch]`.
//!
//! There is no way through KubeSphere's Kubernetes service proxy: KubeSphere reads the
//! `Authorization` header as its own credentials (a basic one as a KubeSphere login), so
//! Jenkins' basic auth cannot travel there; see docs/server-behaviour.md.

use super::mask::SecretField;
use super::request::{Method, Request, ANY, JSON};
use super::scope::{Api, V1ALPHA2};
use super::service_proxy::proxied_path;
use super::validate;
use crate::error::{Error, Result};
use crate::model::ParameterValue;

/// Where KubeSphere installs Jenkins and the Secret with its admin token.
pub const JENKINS_NAMESPACE: &str = "kubesphere-devops-system";
pub const JENKINS_SECRET: &str = "devops-jenkins";
/// The Secret's keys: the admin API token, and the admin user name (`admin` when absent).
pub const JENKINS_TOKEN_KEY: &str = "jenkins-admin-token";
pub const JENKINS_USER_KEY: &str = "jenkins-admin-user";
pub const JENKINS_DEFAULT_USER: &str = "admin";

/// Which way a request reaches Jenkins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JenkinsRoute<'a> {
    /// ks-devops' proxy, authorized by KubeSphere for DevOps project `devops`.
    Proxy { devops: &'a str },
    /// Jenkins' own URL, `http(s)://host[:port][/prefix]` (administrators; the requests carry
    /// [`Request::base`], and the client adds Jenkins' basic credentials from
    /// [`Api::get_jenkins_secret`]).
    Direct { url: &'a str },
}

impl Api {
    /// `method` on Jenkins' `path` (plain text, relative to Jenkins' root) by `route`.
    pub fn jenkins(&self, route: &JenkinsRoute<'_>, method: Method, path: &str) -> Result<Request> {
        check_path("path", path)?;
        match route {
            JenkinsRoute::Direct { url } => {
                let base = crate::transport::base_url("jenkins_url", url)?;
                Ok(Request::new(method, format!("/{}", proxied_path(path)?))
                    .accept(ANY)
                    .at_base(base))
            }
            JenkinsRoute::Proxy { devops } => {
                validate::dns_label("devops", devops)?;
                let prefix = format!("{}/jenkins/", self.project(V1ALPHA2, devops));
                Ok(Request::new(method, prefix + &proxied_path(path)?).accept(ANY))
            }
        }
    }

    /// The jobs of `folder` (a DevOps project, a multi-branch pipeline), or Jenkins' top
    /// level (one folder per DevOps project) without one.
    pub fn jenkins_jobs(&self, route: &JenkinsRoute<'_>, folder: Option<&str>) -> Result<Request> {
        let path = match folder {
            Some(folder) => format!("{}/api/json", job_path("folder", folder)?),
            None => "api/json".to_owned(),
        };
        Ok(self
            .jenkins(route, Method::Get, &path)?
            .query_param("tree", "jobs[name,url,color,_class]")
            .accept(JSON))
    }

    /// Starts a build of `job`: `buildWithParameters` with the values as form fields, or
    /// `build` without values. Jenkins answers 201 with the queue item in `Location`.
    /// `secret_names` are password parameters, masked wherever the request is shown.
    pub fn jenkins_build(
        &self,
        route: &JenkinsRoute<'_>,
        job: &str,
        parameters: &[ParameterValue],
        secret_names: &[String],
    ) -> Result<Request> {
        let job = job_path("job", job)?;
        if parameters.is_empty() {
            return self.jenkins(route, Method::Post, &format!("{job}/build"));
        }
        let pairs = super::parameters::checked(parameters)?
            .into_iter()
            .zip(parameters)
            .map(|(_, p)| (p.name.clone(), p.value.clone()))
            .collect();
        let mut request = self
            .jenkins(route, Method::Post, &format!("{job}/buildWithParameters"))?
            .form_body(pairs);
        for name in secret_names {
            request = request.secret(SecretField::FormParameter(name.clone()));
        }
        Ok(request)
    }

    /// The queue item a build request created: `executable.number` once the build started.
    pub fn jenkins_queue_item(&self, route: &JenkinsRoute<'_>, queue_id: u64) -> Result<Request> {
        let path = format!("queue/item/{queue_id}/api/json");
        Ok(self.jenkins(route, Method::Get, &path)?.accept(JSON))
    }

    /// Build `number` of `job`: `building`, `result`, `duration`, parameters, artifacts.
    pub fn jenkins_build_status(
        &self,
        route: &JenkinsRoute<'_>,
        job: &str,
        number: u64,
    ) -> Result<Request> {
        let path = format!("{}/api/json", build_path(job, number)?);
        Ok(self.jenkins(route, Method::Get, &path)?.accept(JSON))
    }

    /// The whole log of build `number` of `job`, as text.
    pub fn jenkins_console_text(
        &self,
        route: &JenkinsRoute<'_>,
        job: &str,
        number: u64,
    ) -> Result<Request> {
        let path = format!("{}/consoleText", build_path(job, number)?);
        self.jenkins(route, Method::Get, &path)
    }

    /// The archived file `artifact` (its relative path) of build `number` of `job`.
    pub fn jenkins_artifact(
        &self,
        route: &JenkinsRoute<'_>,
        job: &str,
        number: u64,
        artifact: &str,
    ) -> Result<Request> {
        check_path("artifact", artifact)?;
        if artifact.ends_with('/') || artifact.starts_with('/') {
            return Err(Error::invalid(
                "artifact",
                format!("{artifact:?} is not a file path: no leading or trailing '/'"),
            ));
        }
        let path = format!("{}/artifact/{artifact}", build_path(job, number)?);
        self.jenkins(route, Method::Get, &path)
    }

    /// The agent-labels dashboard: every label with the agents and clouds that offer it.
    pub fn jenkins_labels(&self, route: &JenkinsRoute<'_>) -> Result<Request> {
        Ok(self
            .jenkins(route, Method::Get, "labelsdashboard/labelsData")?
            .accept(JSON))
    }

    /// The `devops-jenkins` Secret, through KubeSphere's Kubernetes API (administrators).
    pub fn get_jenkins_secret(&self) -> Result<Request> {
        let path = format!(
            "{}/namespaces/{JENKINS_NAMESPACE}/secrets/{JENKINS_SECRET}",
            self.kube_core()
        );
        Ok(Request::new(Method::Get, path).accept(JSON))
    }
}

/// `job/a/job/b` for the job `a/b`, every name checked.
fn job_path(field: &str, job: &str) -> Result<String> {
    check_path(field, job)?;
    let names: Vec<&str> = job.split('/').collect();
    if names.iter().any(|name| name.is_empty()) {
        return Err(Error::invalid(
            field,
            format!("{job:?} is not a job: names separated by single '/', none empty"),
        ));
    }
    Ok(names
        .iter()
        .map(|name| format!("job/{name}"))
        .collect::<Vec<_>>()
        .join("/"))
}

fn build_path(job: &str, number: u64) -> Result<String> {
    let number = super::validate::positive("number", number)?;
    Ok(format!("{}/{number}", job_path("job", job)?))
}

/// A plain-text path for Jenkins: every `/`-separated part printable and no `.` or `..`
/// step (also percent-encoded), and no encoded `/` or `\`: ks-devops' proxy decodes the
/// path before it forwards it, so Jenkins would read those as separators.
fn check_path(field: &str, path: &str) -> Result<()> {
    for part in path.split('/').filter(|part| !part.is_empty()) {
        validate::path_text(field, part)
            .map_err(|_| refused(field, path, "has a '.' or '..' step or a control character"))?;
    }
    if path.chars().any(char::is_control) {
        return Err(refused(field, path, "has a control character"));
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") {
        return Err(refused(
            field,
            path,
            "has an encoded '/' or '\\' (%2F, %5C)",
        ));
    }
    if path.contains(['?', '#']) {
        return Err(refused(
            field,
            path,
            "has '?' or '#': the query is not part of a path",
        ));
    }
    Ok(())
}

fn refused(field: &str, value: &str, why: &str) -> Error {
    Error::invalid(field, format!("{value:?} {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiLayout;

    const PROXY: JenkinsRoute<'static> = JenkinsRoute::Proxy { devops: "demo" };

    #[test]
    fn both_routes_reach_the_same_jenkins_path() {
        let api = Api::new(ApiLayout::V4);
        let proxy = api.jenkins_build_status(&PROXY, "demo/build", 3).unwrap();
        assert_eq!(
            proxy.path,
            "/kapis/devops.kubesphere.io/v1alpha2/namespaces/demo/jenkins/job/demo/job/build/3/api/json"
        );
        let direct = JenkinsRoute::Direct {
            url: "https://ci.example.com/jenkins/",
        };
        let admin = api.jenkins_build_status(&direct, "demo/build", 3).unwrap();
        assert_eq!(admin.path, "/job/demo/job/build/3/api/json");
        assert_eq!(
            admin.url("https://ks.example.com"),
            "https://ci.example.com/jenkins/job/demo/job/build/3/api/json"
        );
        let curl = admin.to_curl("https://ks.example.com", Some(&crate::Secret::new("t")));
        assert!(!curl.contains("Bearer"), "{curl}");
    }

    #[test]
    fn a_bad_jenkins_url_is_refused_naming_it() {
        let api = Api::new(ApiLayout::V4);
        for bad in [
            "ci.example.com",
            "ftp://ci",
            "https://admin:tok3n@ci.example.com",
        ] {
            let err = api
                .jenkins_labels(&JenkinsRoute::Direct { url: bad })
                .unwrap_err();
            assert_eq!(err.field(), Some("jenkins_url"), "{bad:?}");
            assert!(!err.message().contains("tok3n"), "{err}");
        }
    }

    #[test]
    fn bad_names_are_refused_naming_the_field() {
        let api = Api::new(ApiLayout::V4);
        for bad in ["../x", "a/%2e%2e", "a/b%2Fc", "a\nb", "a//b", "a?x", "%5c"] {
            let err = api.jenkins_console_text(&PROXY, bad, 1).unwrap_err();
            assert_eq!(err.field(), Some("job"), "{bad:?}");
        }
        let err = api
            .jenkins_artifact(&PROXY, "demo/build", 1, "../../secret")
            .unwrap_err();
        assert_eq!(err.field(), Some("artifact"));
        let err = api.jenkins_console_text(&PROXY, "demo/b", 0).unwrap_err();
        assert_eq!(err.field(), Some("number"));
    }

    #[test]
    fn password_parameters_are_masked_in_renderings() {
        let values = [
            ParameterValue {
                name: "USER".into(),
                value: "ann".into(),
            },
            ParameterValue {
                name: "PASS".into(),
                value: "hunter2".into(),
            },
        ];
        let request = Api::new(ApiLayout::V4)
            .jenkins_build(&PROXY, "demo/build", &values, &["PASS".into()])
            .unwrap();
        assert!(request
            .path
            .ends_with("/job/demo/job/build/buildWithParameters"));
        assert!(!format!("{request:?}").contains("hunter2"));
        let sent = String::from_utf8(request.body_bytes().unwrap()).unwrap();
        assert_eq!(sent, "USER=ann&PASS=hunter2");
    }
}
