//! Member-cluster prefixes, read the way each KubeSphere generation's request router reads them.
//!
//! KubeSphere 3.x reads the API root first and only then `clusters/{c}`: it serves
//! `/kapis/clusters/{c}/…`, `/apis/clusters/{c}/…` and `/api/clusters/{c}/…`, and a path that
//! starts with `/clusters/{c}/` is no API path to it (a 404). KubeSphere 4.x strips a leading
//! `/clusters/{c}` first, and still reads the 3.x forms when there is none.

use ksdevops::api::ApiLayout;

/// The API roots a cluster prefix goes with.
const ROOTS: [&str; 3] = ["kapis", "apis", "api"];

/// The cluster a request addresses (`None`: the host cluster) and its path without the prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressed<'a> {
    pub cluster: Option<&'a str>,
    pub path: String,
}

/// Reads the cluster prefix of `path` as the `layout`'s KubeSphere does.
pub fn addressed(path: &str, layout: ApiLayout) -> Addressed<'_> {
    let found = match layout {
        ApiLayout::V4 => leading(path).or_else(|| after_root(path)),
        ApiLayout::V3 => after_root(path),
    };
    match found {
        Some((cluster, path)) => Addressed {
            cluster: Some(cluster),
            path,
        },
        None => Addressed {
            cluster: None,
            path: path.to_owned(),
        },
    }
}

/// `/clusters/{c}/{root}/…` → (`c`, `/{root}/…`).
fn leading(path: &str) -> Option<(&str, String)> {
    let (cluster, rest) = name_then_rest(path.strip_prefix("/clusters/")?)?;
    let root = rest.split('/').nth(1)?;
    ROOTS.contains(&root).then(|| (cluster, rest.to_owned()))
}

/// `/{root}/clusters/{c}/…` → (`c`, `/{root}/…`).
fn after_root(path: &str) -> Option<(&str, String)> {
    ROOTS.iter().find_map(|root| {
        let tail = path.strip_prefix('/')?.strip_prefix(root)?;
        let (cluster, rest) = name_then_rest(tail.strip_prefix("/clusters/")?)?;
        Some((cluster, format!("/{root}{rest}")))
    })
}

/// `{c}/…` → (`c`, `/…`), for a non-empty `c` followed by more path.
fn name_then_rest(s: &str) -> Option<(&str, &str)> {
    let slash = s.find('/')?;
    (slash > 0).then(|| (&s[..slash], &s[slash..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIPELINES: &str = "/kapis/devops.kubesphere.io/v1alpha3/namespaces/p/pipelines";
    const RUNS: &str = "/apis/devops.kubesphere.io/v1alpha3/namespaces/p/pipelineruns";
    const SERVICE: &str = "/api/v1/namespaces/s/services/jenkins:80/proxy/";

    fn read(path: &str, layout: ApiLayout) -> (Option<&str>, String) {
        let a = addressed(path, layout);
        (a.cluster, a.path)
    }

    #[test]
    fn the_3x_forms_are_read_by_both_generations() {
        for layout in [ApiLayout::V3, ApiLayout::V4] {
            for (prefixed, plain) in [
                (
                    "/kapis/clusters/m1/devops.kubesphere.io/v1alpha3/namespaces/p/pipelines",
                    PIPELINES,
                ),
                (
                    "/apis/clusters/m1/devops.kubesphere.io/v1alpha3/namespaces/p/pipelineruns",
                    RUNS,
                ),
                (
                    "/api/clusters/m1/v1/namespaces/s/services/jenkins:80/proxy/",
                    SERVICE,
                ),
            ] {
                assert_eq!(read(prefixed, layout), (Some("m1"), plain.to_owned()));
            }
        }
    }

    #[test]
    fn a_leading_cluster_is_read_by_4x_only() {
        for plain in [PIPELINES, RUNS, SERVICE] {
            let prefixed = format!("/clusters/m1{plain}");
            assert_eq!(
                read(&prefixed, ApiLayout::V4),
                (Some("m1"), plain.to_owned())
            );
            assert_eq!(read(&prefixed, ApiLayout::V3), (None, prefixed.clone()));
        }
    }

    #[test]
    fn other_paths_are_left_alone() {
        for layout in [ApiLayout::V3, ApiLayout::V4] {
            for path in [
                "/",
                PIPELINES,
                "/clusters/x/index.html",
                "/clusters//kapis/x",
                "/kapis/clusters/",
                "/kapis/clusters/m1",
                "/oauth/token",
                "/apisx/clusters/m1/y",
            ] {
                assert_eq!(read(path, layout), (None, path.to_owned()), "{path}");
            }
        }
    }
}
