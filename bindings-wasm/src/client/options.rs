//! `connect(options)`: the options object read into the core's transport and configuration.
//! Values are read one by one, so an error names the option and never echoes a secret.

use super::args::opt_string;
use crate::errors::to_js_error;
use ksdevops::client::{Auth, ClientConfig};
use ksdevops::transport::gloo::{GlooTransport, RequestCredentials};
use ksdevops::Error;
use wasm_bindgen::JsValue;

const KNOWN: &[&str] = &[
    "url",
    "project",
    "token",
    "username",
    "password",
    "cluster",
    "layout",
    "credentials",
    "jenkinsUrl",
];

fn required(object: &JsValue, name: &str, what: &str) -> Result<String, JsValue> {
    opt_string(object, name)?.ok_or_else(|| to_js_error(Error::invalid(name, what)))
}

fn auth(options: &JsValue) -> Result<Auth, JsValue> {
    let token = opt_string(options, "token")?;
    let username = opt_string(options, "username")?;
    let password = opt_string(options, "password")?;
    match (token, username, password) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(to_js_error(Error::invalid(
            "token",
            "give either a token or a username and password, not both",
        ))),
        (Some(token), None, None) => Ok(Auth::token(token)),
        (None, Some(username), Some(password)) => Ok(Auth::password(username, password)),
        (None, Some(_), None) => Err(to_js_error(Error::invalid(
            "password",
            "is needed with a username",
        ))),
        (None, None, Some(_)) => Err(to_js_error(Error::invalid(
            "username",
            "is needed with a password",
        ))),
        (None, None, None) => Ok(Auth::Anonymous),
    }
}

fn credentials(options: &JsValue) -> Result<Option<RequestCredentials>, JsValue> {
    match opt_string(options, "credentials")?.as_deref() {
        None => Ok(None),
        Some("omit") => Ok(Some(RequestCredentials::Omit)),
        Some("include") => Ok(Some(RequestCredentials::Include)),
        Some(other) => Err(to_js_error(Error::invalid(
            "credentials",
            format!("{other:?} is neither \"omit\" nor \"include\""),
        ))),
    }
}

/// The transport and configuration that `options` describe.
pub(crate) fn read(options: &JsValue) -> Result<(GlooTransport, ClientConfig), JsValue> {
    if !options.is_object() {
        return Err(to_js_error(Error::invalid(
            "options",
            "must be an object like { url, project, token }",
        )));
    }
    let options = &super::args::options(options.clone(), KNOWN)?;
    let url = required(options, "url", "is needed: the KubeSphere API server's URL")?;
    let project = required(
        options,
        "project",
        "is needed: the DevOps project to work in",
    )?;
    // The URL is not echoed: it may carry a user and password.
    let mut transport = GlooTransport::new(url).map_err(|_| {
        to_js_error(Error::invalid(
            "url",
            "is not the URL of a KubeSphere API server (http(s)://host[:port][/prefix])",
        ))
    })?;
    if let Some(credentials) = credentials(options)? {
        transport = transport.with_credentials(credentials);
    }
    let mut config = ClientConfig::new(project, auth(options)?);
    if let Some(cluster) = opt_string(options, "cluster")? {
        config = config.with_cluster(cluster);
    }
    match opt_string(options, "layout")?.as_deref() {
        None | Some("auto") => {}
        Some(layout) => config = config.with_layout(layout.parse().map_err(to_js_error)?),
    }
    if let Some(url) = opt_string(options, "jenkinsUrl")? {
        config = config.with_jenkins_url(url);
    }
    Ok((transport, config))
}
