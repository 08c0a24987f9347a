//! The request value every builder returns.

use super::encode::{encode_form, encode_query_value};
use super::mask::{mask_body, SecretField};
use crate::model::ParameterDefinition;
use crate::secret::Secret;
use serde_json::Value;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request body.
#[derive(Clone, PartialEq)]
pub enum Body {
    Json(Value),
    /// `application/x-www-form-urlencoded` pairs (the OAuth token endpoint).
    Form(Vec<(String, String)>),
}

impl Body {
    /// The bytes to send: JSON text, or the form-urlencoded pairs.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Body::Json(value) => value.to_string().into_bytes(),
            Body::Form(pairs) => encode_form(pairs).into_bytes(),
        }
    }
}

/// Never prints the content: bodies carry passwords and credential data.
impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Json(_) => f.write_str("Json(…)"),
            Body::Form(pairs) => write!(f, "Form({} fields)", pairs.len()),
        }
    }
}

pub const CONTENT_TYPE: &str = "Content-Type";
pub const ACCEPT: &str = "Accept";
pub const JSON: &str = "application/json";
pub const FORM: &str = "application/x-www-form-urlencoded";
/// Text routes (logs, scan, input submit, artifact download) reject anything narrower.
pub const ANY: &str = "*/*";

/// An HTTP request to send to the KubeSphere API server, relative to its base URL, or to the
/// server [`Request::base`] names.
///
/// `path` is already percent-encoded; `query` values are not (they are encoded when the URL
/// is rendered). Body fields that hold secrets are masked in Debug output and in curl renderings.
/// The `Authorization` header is not part of the request: the transport adds it.
#[derive(Clone, PartialEq)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Option<Body>,
    /// The base URL of another server this request goes to instead of the KubeSphere API
    /// server (Jenkins' own URL, `https://host[/prefix]`, checked); `path` is relative to it.
    /// A client never sends its KubeSphere credentials there.
    pub base: Option<String>,
    pub(crate) secret_fields: Vec<SecretField>,
    /// The JSON pointer of the body's `[{name, value}]` parameter list, when it has one.
    pub(crate) parameter_list: Option<&'static str>,
}

impl Request {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            base: None,
            secret_fields: Vec::new(),
            parameter_list: None,
        }
    }

    /// The same request, sent to the server at `base` (already checked).
    pub(crate) fn at_base(mut self, base: String) -> Self {
        self.base = Some(base);
        self
    }

    pub(crate) fn query_param(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.push((name.to_owned(), value.into()));
        self
    }

    pub(crate) fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub(crate) fn accept(self, media: &str) -> Self {
        self.header(ACCEPT, media)
    }

    pub(crate) fn json_body(self, body: Value) -> Self {
        let mut request = self.header(CONTENT_TYPE, JSON);
        request.body = Some(Body::Json(body));
        request
    }

    pub(crate) fn form_body(self, pairs: Vec<(String, String)>) -> Self {
        let mut request = self.header(CONTENT_TYPE, FORM);
        request.body = Some(Body::Form(pairs));
        request
    }

    pub(crate) fn secret(mut self, field: SecretField) -> Self {
        self.secret_fields.push(field);
        self
    }

    /// Records where the body's run or input parameters are, for [`Request::mask_parameters`].
    pub(crate) fn parameters_at(mut self, pointer: &'static str) -> Self {
        self.parameter_list = Some(pointer);
        self
    }

    /// Shows the values of the run or input parameters called `names` as `***` in every
    /// rendering (Debug, [`Request::masked_body`], [`Request::to_curl`]); the body sent keeps
    /// them. For a request without parameters (or without these names) nothing changes.
    ///
    /// ```
    /// use ksdevops::api::{Api, ApiLayout};
    /// use ksdevops::model::ParameterValue;
    /// let values = [ParameterValue { name: "PASS".into(), value: "hunter2".into() }];
    /// let request = Api::new(ApiLayout::V4)
    ///     .create_pipeline_run("demo", "build", None, &values)
    ///     .unwrap()
    ///     .mask_parameters(["PASS"]);
    /// assert!(!format!("{request:?}").contains("hunter2"));
    /// assert!(String::from_utf8(request.body_bytes().unwrap()).unwrap().contains("hunter2"));
    /// ```
    pub fn mask_parameters<I>(mut self, names: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        if let Some(list) = self.parameter_list {
            for name in names {
                let field = SecretField::ParameterValue {
                    list,
                    name: name.as_ref().to_owned(),
                };
                if !self.secret_fields.contains(&field) {
                    self.secret_fields.push(field);
                }
            }
        }
        self
    }

    /// [`Request::mask_parameters`] for every password parameter among `definitions` (the
    /// pipeline's, a branch's or an input's).
    pub fn mask_password_parameters(self, definitions: &[ParameterDefinition]) -> Self {
        let names = definitions
            .iter()
            .filter(|d| d.is_password())
            .map(|d| d.name.clone())
            .collect::<Vec<_>>();
        self.mask_parameters(names)
    }

    /// The value of header `name` (case-insensitive), if set.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The media type of the body, for a transport that sets it apart from other headers.
    pub fn content_type(&self) -> Option<&str> {
        self.header_value(CONTENT_TYPE)
    }

    /// The body as the bytes to send (secrets included), or `None` for a request without body.
    pub fn body_bytes(&self) -> Option<Vec<u8>> {
        self.body.as_ref().map(Body::to_bytes)
    }

    /// The body with every secret value replaced by `***`, for logs and diagnostics.
    pub fn masked_body(&self) -> Option<Body> {
        self.body
            .as_ref()
            .map(|body| mask_body(body, &self.secret_fields))
    }

    /// Path and encoded query, e.g. `/kapis/…/pipelineruns?backward=false`.
    pub fn path_and_query(&self) -> String {
        let mut out = self.path.clone();
        for (i, (name, value)) in self.query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(&encode_query_value(name));
            out.push('=');
            out.push_str(&encode_query_value(value));
        }
        out
    }

    /// The absolute URL under `base` (scheme, host and any path prefix, e.g.
    /// `https://ks.example.com` or `http://127.0.0.1:9090/`), query encoded; under the
    /// request's own [`Request::base`] instead when it has one.
    pub fn url(&self, base: &str) -> String {
        let base = self.base.as_deref().unwrap_or(base);
        format!("{}{}", base.trim_end_matches('/'), self.path_and_query())
    }

    /// A curl command line for this request against `base`, every part shell-quoted. The
    /// bearer token, when given, and every secret in the body are shown as `***`: the output is
    /// safe to log, and runs once the masked values are filled back in.
    pub fn to_curl(&self, base: &str, token: Option<&crate::Secret>) -> String {
        super::curl::render(self, base, token)
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = self.masked_body().map(|body| match body {
            Body::Json(value) => value.to_string(),
            Body::Form(pairs) => encode_form(&pairs),
        });
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if is_credential_header(name) {
                    Secret::MASK
                } else {
                    value.as_str()
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("base", &self.base)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body", &body)
            .finish()
    }
}

/// Headers whose values carry credentials and are never shown.
pub(crate) fn is_credential_header(name: &str) -> bool {
    ["authorization", "cookie", "proxy-authorization"]
        .iter()
        .any(|h| name.eq_ignore_ascii_case(h))
}

#[cfg(test)]
mod tests {
    use crate::api::{
        parameters_argument, Api, ApiLayout, BuildRef, InputAnswer, RunResourceInput,
    };
    use crate::model::{ParameterDefinition, ParameterValue};
    use serde_json::json;

    const PASSWORD: &str = "hunter2-value";

    fn values() -> Vec<ParameterValue> {
        [("USER", "ann"), ("PASS", PASSWORD)]
            .iter()
            .map(|(name, value)| ParameterValue {
                name: (*name).into(),
                value: (*value).into(),
            })
            .collect()
    }

    fn definitions(password_type: &str) -> Vec<ParameterDefinition> {
        serde_json::from_value(json!([
            {"name": "USER", "type": "StringParameterDefinition"},
            {"name": "PASS", "type": password_type},
        ]))
        .unwrap()
    }

    /// Every rendering hides the password and keeps the other value; the bytes sent keep both.
    fn assert_masked(request: &super::Request) {
        let debug = format!("{request:?}");
        assert!(
            !debug.contains(PASSWORD) && debug.contains("***"),
            "{debug}"
        );
        let curl = request.to_curl("https://ks.example.com", None);
        let masked = request.masked_body().map(|b| b.to_bytes()).unwrap();
        for shown in [curl, String::from_utf8(masked).unwrap()] {
            assert!(!shown.contains(PASSWORD), "{shown}");
            assert!(
                shown.contains(r#"{"name":"PASS","value":"***"}"#),
                "{shown}"
            );
            assert!(
                shown.contains(r#"{"name":"USER","value":"ann"}"#),
                "{shown}"
            );
        }
        let sent = String::from_utf8(request.body_bytes().unwrap()).unwrap();
        assert!(sent.contains(PASSWORD), "{sent}");
    }

    #[test]
    fn password_parameters_are_masked_in_every_builder_that_sends_parameters() {
        let api = Api::new(ApiLayout::V4);
        let values = values();
        for kind in [
            "PasswordParameterDefinition",
            "hudson.model.PasswordParameterDefinition",
            "password",
        ] {
            let defs = definitions(kind);
            let run = api
                .create_pipeline_run("demo", "build", None, &values)
                .unwrap();
            assert_masked(&run.mask_password_parameters(&defs));

            let pipeline = json!({"metadata": {"name": "build"}, "spec": {"type": "pipeline"}});
            let input = RunResourceInput {
                run: Some("build-1"),
                parameters: &values,
                ..Default::default()
            };
            let resource = api
                .create_pipeline_run_resource("demo", &pipeline, &input)
                .unwrap();
            assert_masked(&resource.mask_password_parameters(&defs));

            let build = BuildRef {
                devops: "demo",
                pipeline: "build",
                branch: Some("feat/x"),
                run_id: "3",
            };
            let answer = InputAnswer::Proceed(&values);
            let submit = api.submit_input(&build, "7", "15", "ok", &answer).unwrap();
            assert_masked(&submit.mask_password_parameters(&defs));
        }
    }

    #[test]
    fn without_marking_nothing_else_is_masked_and_marking_is_idempotent() {
        let api = Api::new(ApiLayout::V3);
        let request = api
            .create_pipeline_run("demo", "build", None, &values())
            .unwrap();
        // Values are not secret unless marked (a run parameter is usually a plain string).
        assert!(request.to_curl("http://h", None).contains(PASSWORD));
        let twice = request
            .clone()
            .mask_parameters(["PASS"])
            .mask_parameters(["PASS", "NOT-THERE"]);
        assert_masked(&twice);
        assert_eq!(twice.body, request.body);
        // A request without a parameter list is unchanged.
        let get = api.get_pipeline("demo", "build").unwrap();
        assert_eq!(get.clone().mask_parameters(["PASS"]), get);
    }

    #[test]
    fn parameters_argument_marks_password_entries_for_build_request() {
        let argument = parameters_argument(&values(), &definitions("password"));
        assert_eq!(
            argument,
            json!([
                {"name": "USER", "value": "ann"},
                {"name": "PASS", "value": PASSWORD, "secret": true},
            ])
        );
        let args = json!({"devops": "demo", "pipeline": "build", "parameters": argument});
        let request =
            crate::api::build_request("create_pipeline_run", &args, ApiLayout::V4).unwrap();
        assert_masked(&request);
    }
}
