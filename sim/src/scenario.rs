//! The world a simulator starts with: users, OAuth clients, workspaces, DevOps projects,
//! pipelines, credentials and (for non-`file://` multi-branch sources) branches. Read from a
//! JSON file or built in code (`demo`).

use ksdevops::{Error, Secret};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default)]
    pub workspaces: Vec<String>,
    #[serde(default)]
    pub users: Vec<ScenarioUser>,
    #[serde(default)]
    pub oauth_clients: Vec<OAuthClient>,
    /// Access token lifetime in simulated seconds (KubeSphere's default is 7200).
    #[serde(default = "default_token_ttl")]
    pub token_ttl_seconds: u64,
    #[serde(default)]
    pub projects: Vec<ScenarioProject>,
    #[serde(default)]
    pub pipelines: Vec<ScenarioPipeline>,
    /// core/v1 Secret objects (`data` base64 or `stringData`), with `metadata.namespace`.
    #[serde(default)]
    pub credentials: Vec<Value>,
}

fn default_token_ttl() -> u64 {
    7200
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioUser {
    pub name: String,
    pub password: Secret,
    /// A platform administrator sees every workspace and project.
    #[serde(default)]
    pub admin: bool,
    /// DevOps projects a tenant may use.
    #[serde(default)]
    pub projects: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthClient {
    pub id: String,
    pub secret: Secret,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioProject {
    pub name: String,
    pub workspace: String,
    #[serde(default)]
    pub creator: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioPipeline {
    /// A Pipeline object as POSTed to the API, with `metadata.namespace`.
    pub resource: Value,
    /// Branches of a multi-branch pipeline whose source is not a `file://` repository.
    #[serde(default)]
    pub branches: Vec<ScenarioBranch>,
    /// Makes the Jenkins job creation fail: the controller sets `syncstatus=failed` and
    /// `syncmsg` to this message, and no job (hence no run) ever exists.
    #[serde(default)]
    pub sync_error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioBranch {
    /// The branch name as in git (`feature/login`); Jenkins' job name is derived from it.
    pub name: String,
    /// The Jenkinsfile at `script_path` (absent ⇒ the branch does not meet criteria).
    #[serde(default)]
    pub jenkinsfile: Option<String>,
    #[serde(default)]
    pub tag: bool,
    /// `{id, title, author, url}` makes this a pull request.
    #[serde(default)]
    pub pull_request: Option<Value>,
    #[serde(default)]
    pub commit: Option<String>,
}

impl Scenario {
    pub fn from_json(text: &str) -> Result<Self, Error> {
        serde_json::from_str(text).map_err(|e| Error::invalid("scenario", e.to_string()))
    }

    pub fn from_file(path: &std::path::Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::invalid("scenario", format!("cannot read {}: {e}", path.display()))
        })?;
        Self::from_json(&text)
    }
}
