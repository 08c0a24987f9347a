//! Building the core client from the constructor's arguments or from the environment
//! variables the command-line tool reads.

use crate::errors::to_py_err;
use ksdevops::api::ApiLayout;
use ksdevops::client::{Auth, ClientConfig, Timeouts};
use ksdevops::model::Token;
use ksdevops::transport::reqwest::{ReqwestConfig, ReqwestTransport};
use ksdevops::{Error, Secret};
use pyo3::prelude::*;
use std::path::PathBuf;

pub type Core = ksdevops::client::Client<ReqwestTransport>;

/// Everything the constructor takes. Debug never shows the token or password.
#[derive(Debug, Default)]
pub struct Settings {
    pub url: String,
    pub project: Option<String>,
    pub token: Option<Secret>,
    /// The whole token of a token file (`from_env`): renewed through its refresh token.
    pub saved_token: Option<Token>,
    /// Where `saved_token` came from: a renewed token is written back there.
    pub token_file: Option<PathBuf>,
    pub username: Option<String>,
    pub password: Option<Secret>,
    pub cluster: Option<String>,
    pub layout: String,
    pub ca_file: Option<PathBuf>,
    pub insecure: bool,
    pub timeout: Option<f64>,
    /// Jenkins' own URL, for `jenkins_admin()`.
    pub jenkins_url: Option<String>,
}

impl Settings {
    /// The core client (nothing is sent yet).
    pub fn build(self) -> PyResult<Core> {
        self.build_core().map_err(to_py_err)
    }

    fn build_core(self) -> ksdevops::error::Result<Core> {
        let project = self
            .project
            .filter(|p| !p.trim().is_empty())
            .ok_or_else(|| {
                Error::invalid(
                    "project",
                    "is required (or set DEVOPS_PROJECT for from_env)",
                )
            })?;
        let auth = Auth::from_options(self.token, self.username.as_deref(), self.password)?;
        let mut config = ClientConfig::new(project, auth);
        config.timeouts = Timeouts::interactive();
        if let Some(cluster) = self.cluster {
            config = config.with_cluster(cluster);
        }
        if let Some(url) = self.jenkins_url {
            config = config.with_jenkins_url(url);
        }
        if self.layout != "auto" {
            let layout: ApiLayout = self.layout.parse().map_err(|_| {
                Error::invalid(
                    "layout",
                    format!("{:?} is not \"auto\", \"v4\" or \"v3\"", self.layout),
                )
            })?;
            config = config.with_layout(layout);
        }
        let mut transport = ReqwestConfig::new(self.url);
        if let Some(path) = &self.ca_file {
            transport = transport
                .with_ca_file(path)
                .map_err(|e| Error::invalid("ca_file", e.message().to_owned()))?;
        }
        transport.insecure = self.insecure;
        if let Some(timeout) = self.timeout {
            if !(timeout.is_finite() && timeout > 0.0 && timeout < 1e9) {
                return Err(Error::invalid(
                    "timeout",
                    format!("{timeout} is not a number of seconds above zero"),
                ));
            }
            let timeout = std::time::Duration::from_secs_f64(timeout);
            transport.read_timeout = timeout;
            transport.connect_timeout = transport.connect_timeout.min(timeout);
        }
        let client = ksdevops::client::Client::new(ReqwestTransport::new(transport)?, config)?;
        Ok(match (self.saved_token, self.token_file) {
            (Some(saved), Some(path)) => client
                .with_token(saved)
                .on_token_renewed(move |token| save_renewed(&path, token)),
            (Some(saved), None) => client.with_token(saved),
            (None, _) => client,
        })
    }

    /// The settings of the command-line tool's environment variables.
    pub fn from_env() -> PyResult<Settings> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let url = var("KUBESPHERE_API")
            .ok_or_else(|| to_py_err(Error::invalid("KUBESPHERE_API", "is not set")))?;
        let token_file = match (var("KUBESPHERE_TOKEN"), var("KUBESPHERE_TOKEN_FILE")) {
            (None, Some(path)) => Some(path),
            _ => None,
        };
        let saved_token = token_file.as_deref().map(read_token_file).transpose()?;
        let token = var("KUBESPHERE_TOKEN")
            .map(Secret::new)
            .or_else(|| saved_token.as_ref().map(|t| t.access_token.clone()));
        Ok(Settings {
            url,
            project: var("DEVOPS_PROJECT"),
            token,
            saved_token,
            token_file: token_file.map(PathBuf::from),
            username: var("KUBESPHERE_USERNAME"),
            password: std::env::var("KUBESPHERE_PASSWORD").ok().map(Secret::new),
            cluster: var("KUBESPHERE_CLUSTER"),
            layout: var("KUBESPHERE_LAYOUT").unwrap_or_else(|| "auto".into()),
            ca_file: var("KUBESPHERE_CA_FILE").map(PathBuf::from),
            insecure: false,
            timeout: None,
            jenkins_url: var("KSDEVOPS_JENKINS_URL"),
        })
    }
}

/// The token of the file at `path`, as `ksdevops login --save-token` writes it (the core's
/// token-file format): its refresh token, when it has one, renews an expired access token.
fn read_token_file(path: &str) -> PyResult<Token> {
    const FIELD: &str = "KUBESPHERE_TOKEN_FILE";
    let text = std::fs::read_to_string(path)
        .map_err(|e| to_py_err(Error::invalid(FIELD, format!("cannot read {path}: {e}"))))?;
    ksdevops::client::parse_token_file(&text)
        .map_err(|e| to_py_err(Error::invalid(FIELD, format!("{path}: {}", e.message()))))
}

/// Writes a renewed token back to its token file, so that the next process starts with it; a
/// file that cannot be written is a Python warning (the renewed token still serves this
/// client), which names the file and never the token.
fn save_renewed(path: &std::path::Path, token: &Token) {
    if let Err(e) = ksdevops::client::write_token_file(path, token) {
        Python::attach(|py| {
            let message = format!(
                "the token was renewed but token file {} could not be rewritten: {e}",
                path.display()
            );
            let category = py.get_type::<pyo3::exceptions::PyRuntimeWarning>();
            if let Ok(message) = std::ffi::CString::new(message) {
                let _ = PyErr::warn(py, &category, &message, 1);
            }
        });
    }
}
