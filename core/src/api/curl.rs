//! Rendering a request as a curl command line.

use super::request::{is_credential_header, Request};
use crate::Secret;

pub(crate) fn render(request: &Request, base: &str, token: Option<&Secret>) -> String {
    let mut parts = vec![
        "curl".to_owned(),
        "-X".to_owned(),
        request.method.to_string(),
    ];
    // The KubeSphere token never goes to another server (Jenkins' own URL).
    if token.is_some() && request.base.is_none() {
        parts.push("-H".to_owned());
        parts.push(shell_quote(&format!(
            "Authorization: Bearer {}",
            Secret::MASK
        )));
    }
    for (name, value) in &request.headers {
        let shown = if is_credential_header(name) {
            Secret::MASK
        } else {
            value.as_str()
        };
        parts.push("-H".to_owned());
        parts.push(shell_quote(&format!("{name}: {shown}")));
    }
    if let Some(body) = request.masked_body() {
        let text = String::from_utf8_lossy(&body.to_bytes()).into_owned();
        parts.push("--data-raw".to_owned());
        parts.push(shell_quote(&text));
    }
    parts.push(shell_quote(&request.url(base)));
    parts.join(" ")
}

/// POSIX shell single-quoting: `'…'`, with each `'` written as `'\''`.
pub(crate) fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{build_request, ApiLayout};
    use serde_json::json;

    #[test]
    fn a_credential_header_already_on_the_request_is_masked() {
        let mut request =
            build_request("list_pipelines", &json!({"devops": "demo"}), ApiLayout::V4).unwrap();
        request
            .headers
            .push(("Authorization".into(), "Bearer planted-token".into()));
        let curl = request.to_curl("http://h", None);
        let debug = format!("{request:?}");
        for shown in [curl, debug] {
            assert!(!shown.contains("planted-token"), "{shown}");
            assert!(shown.contains("***"), "{shown}");
        }
    }

    #[test]
    fn quotes_single_quotes() {
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn login_curl_masks_password_client_secret_and_token() {
        let args = json!({"username": "admin", "password": "hunter2", "client_secret": "cs-value"});
        let request = build_request("login", &args, ApiLayout::V4).unwrap();
        let token = Secret::new("tok-value");
        let curl = request.to_curl("https://ks.example.com/", Some(&token));
        assert_eq!(
            curl,
            "curl -X POST -H 'Authorization: Bearer ***' -H 'Accept: application/json' \
             -H 'Content-Type: application/x-www-form-urlencoded' \
             --data-raw 'grant_type=password&username=admin&password=***&client_id=kubesphere&client_secret=***' \
             'https://ks.example.com/oauth/token'"
        );
        for secret in ["hunter2", "cs-value", "tok-value"] {
            assert!(!format!("{request:?}").contains(secret));
        }
        // The bytes to send still carry the real values.
        let sent = String::from_utf8(request.body_bytes().unwrap()).unwrap();
        assert!(sent.contains("password=hunter2"));
    }

    #[test]
    fn credential_curl_masks_every_string_data_value() {
        let args = json!({"devops": "demo", "credential": {
            "name": "c1", "kind": "ssh-auth", "username": "git", "private_key": "KEY'1", "passphrase": "pp"}});
        let request = build_request("create_credential", &args, ApiLayout::V3).unwrap();
        let curl = request.to_curl("http://127.0.0.1:9090", None);
        assert!(!curl.contains("KEY") && !curl.contains("\"pp\"") && !curl.contains("Bearer"));
        assert!(
            curl.contains(
                r#""stringData":{"username":"***","passphrase":"***","private_key":"***"}"#
            ),
            "{curl}"
        );
        assert!(curl.ends_with(
            "'http://127.0.0.1:9090/kapis/devops.kubesphere.io/v1alpha3/devops/demo/credentials'"
        ));
    }

    #[test]
    fn urls_encode_query_values_once() {
        let args = json!({"devops": "demo", "pipeline": "mb", "branch": "feat%2Fx"});
        let request = build_request("create_pipeline_run", &args, ApiLayout::V4).unwrap();
        assert_eq!(request.content_type(), Some("application/json"));
        assert_eq!(
            request.url("https://ks.example.com"),
            "https://ks.example.com/kapis/devops.kubesphere.io/v1alpha3/namespaces/demo/pipelines/mb/pipelineruns?branch=feat%252Fx"
        );
        let args = json!({"devops": "demo", "pipeline": "build"});
        let watch = build_request("watch_pipeline_runs", &args, ApiLayout::V4).unwrap();
        assert!(watch
            .url("")
            .ends_with("?watch=true&labelSelector=devops.kubesphere.io%2Fpipeline%3Dbuild"));
    }

    #[test]
    fn single_quotes_in_bodies_are_shell_escaped() {
        let args = json!({"devops": "demo", "pipeline": "build", "jenkinsfile": "echo 'hi'", "mode": "raw"});
        let request = build_request("update_jenkinsfile", &args, ApiLayout::V4).unwrap();
        let curl = request.to_curl("http://h", None);
        assert!(
            curl.contains(r#"--data-raw '{"data":"echo '\''hi'\''"}'"#),
            "{curl}"
        );
    }
}
