//! What every command needs: the server, the credentials, the project, and a client built
//! from them. Settings come from flags or the environment (see `cli::Global`).

use crate::cli::Global;
use crate::exit::Failure;
use crate::token_file;
use ksdevops::api::{Api, ApiLayout};
use ksdevops::client::{Auth, Client, ClientConfig, PollPolicy};
use ksdevops::model::Token;
use ksdevops::transport::reqwest::{ReqwestConfig, ReqwestTransport};
use ksdevops::Secret;
use std::path::PathBuf;
use std::time::Duration;

pub type KsClient = Client<ReqwestTransport>;

/// How often the CLI polls: a person is watching, so never more than a few seconds apart.
const RUN_POLL: PollPolicy = PollPolicy::new(Duration::from_millis(300), Duration::from_secs(3));
pub const LOG_POLL: PollPolicy =
    PollPolicy::new(Duration::from_millis(200), Duration::from_secs(2));

pub struct Context {
    pub global: Global,
}

impl Context {
    pub fn new(global: Global) -> Result<Self, Failure> {
        Ok(Context { global })
    }

    pub fn json(&self) -> bool {
        self.global.json
    }

    pub fn dry_run(&self) -> bool {
        self.global.dry_run
    }

    /// The server URL, checked (a URL with a user name or password in it is refused).
    pub fn server(&self) -> Result<&str, Failure> {
        let server = self
            .global
            .server
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| Failure::usage("no server: pass --server URL or set KUBESPHERE_API"))?;
        ksdevops::transport::server_url(server)?;
        Ok(server)
    }

    pub fn project(&self) -> Result<&str, Failure> {
        self.global
            .project
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| {
                Failure::usage("no DevOps project: pass --project NAME (-n) or set DEVOPS_PROJECT")
            })
    }

    pub fn layout(&self) -> Result<Option<ApiLayout>, Failure> {
        match &self.global.layout {
            Some(text) => Ok(Some(text.parse().map_err(Failure::from)?)),
            None => Ok(None),
        }
    }

    /// The token given by flag or environment, if any.
    fn flag_token(&self) -> Option<Secret> {
        self.global
            .token
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(Secret::new)
    }

    /// The token of the token file, when no token is given otherwise.
    fn saved_token(&self) -> Result<Option<Token>, Failure> {
        match (&self.global.token_file, self.flag_token()) {
            (Some(path), None) => Ok(Some(token_file::read(path)?)),
            _ => Ok(None),
        }
    }

    /// The token given by flag, environment or file, if any.
    pub fn token(&self) -> Result<Option<Secret>, Failure> {
        if let Some(token) = self.flag_token() {
            return Ok(Some(token));
        }
        Ok(self.saved_token()?.map(|t| t.access_token))
    }

    /// User name and password, when both are given.
    pub fn password_login(&self) -> Option<(String, Secret)> {
        let username = self.global.username.as_deref()?.trim();
        let password = self.global.password.as_deref()?;
        (!username.is_empty()).then(|| (username.to_owned(), Secret::new(password)))
    }

    /// A token wins over a user name and password; with neither, requests go unauthenticated.
    pub fn auth(&self) -> Result<Auth, Failure> {
        if let Some(token) = self.token()? {
            return Ok(Auth::Token(token));
        }
        if let Some((username, password)) = self.password_login() {
            return Ok(Auth::password(username, password));
        }
        if self.global.username.is_some() {
            return Err(Failure::usage(
                "username given without a password: set KUBESPHERE_PASSWORD (or pass --password)",
            ));
        }
        Ok(Auth::Anonymous)
    }

    pub fn transport(&self) -> Result<ReqwestTransport, Failure> {
        let mut config = ReqwestConfig::new(self.server()?);
        if let Some(path) = &self.global.ca_file {
            config = config.with_ca_file(path)?;
        }
        config.insecure = self.global.insecure;
        if let Some(seconds) = self.global.connect_timeout {
            config.connect_timeout = Duration::from_secs(seconds);
        }
        if let Some(seconds) = self.global.read_timeout {
            config.read_timeout = Duration::from_secs(seconds);
        }
        Ok(ReqwestTransport::new(config)?)
    }

    pub fn client(&self) -> Result<KsClient, Failure> {
        self.client_in(self.project()?)
    }

    /// A client for workspace-level commands: in the DevOps project when one is set, else
    /// in none (the layout is then found from the workspace).
    pub fn workspace_client(&self) -> Result<KsClient, Failure> {
        self.client_in(self.project().unwrap_or_default())
    }

    /// A workspace client that reaches Jenkins as an administrator at `jenkins_url`.
    pub fn jenkins_admin_client(&self, jenkins_url: &str) -> Result<KsClient, Failure> {
        let config = self
            .config_in(self.project().unwrap_or_default())?
            .with_jenkins_url(jenkins_url);
        self.client_of(config)
    }

    fn client_in(&self, devops: &str) -> Result<KsClient, Failure> {
        self.client_of(self.config_in(devops)?)
    }

    fn config_in(&self, devops: &str) -> Result<ClientConfig, Failure> {
        let mut config = ClientConfig::new(devops, self.auth()?);
        if let Some(cluster) = &self.global.cluster {
            config = config.with_cluster(cluster);
        }
        if let Some(layout) = self.layout()? {
            config = config.with_layout(layout);
        }
        config.timeouts.poll = RUN_POLL;
        config.timeouts.log_poll = LOG_POLL;
        Ok(config)
    }

    fn client_of(&self, config: ClientConfig) -> Result<KsClient, Failure> {
        let client = Client::new(self.transport()?, config)?;
        match (self.saved_token()?, &self.global.token_file) {
            (Some(saved), Some(path)) => Ok(renewing(client, saved, path.clone())),
            _ => Ok(client),
        }
    }

    /// Request builders without asking the server (for --dry-run): the layout given, else v4.
    pub fn offline_api(&self) -> Result<Api, Failure> {
        let api = Api::new(self.layout()?.unwrap_or_default());
        Ok(match &self.global.cluster {
            Some(cluster) => api.with_cluster(cluster)?,
            None => api,
        })
    }
}

/// A client that renews the token file's expired access token through its refresh token,
/// and rewrites the file with the new one.
fn renewing(client: KsClient, saved: Token, path: PathBuf) -> KsClient {
    client.with_token(saved).on_token_renewed(move |token| {
        if let Err(e) = ksdevops::client::write_token_file(&path, token) {
            errln!(
                "ksdevops: warning: the token was renewed but token file {} could not be rewritten: {e}",
                path.display()
            );
        }
    })
}

/// Seconds from a `--timeout` flag.
pub fn seconds(timeout: Option<u64>) -> Option<Duration> {
    timeout.map(Duration::from_secs)
}
