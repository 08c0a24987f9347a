//! What a [`super::Client`] needs to know: where the DevOps project lives, how to log in, and
//! how long anything may take. Every duration has a finite default.

use super::retry::RetryPolicy;
use crate::api::{ApiLayout, OAuthClient};
use crate::error::{Error, Result};
use crate::Secret;
use std::time::Duration;

/// How requests are authenticated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Auth {
    /// No `Authorization` header (a server in front that authenticates otherwise).
    #[default]
    Anonymous,
    /// A bearer access token. It cannot be renewed: a 401 is final.
    Token(Secret),
    /// The OAuth password grant; on a 401 the client refreshes the token, or logs in again.
    Password {
        username: String,
        password: Secret,
        oauth_client: OAuthClient,
    },
}

impl Auth {
    pub fn token(token: impl Into<Secret>) -> Self {
        Auth::Token(token.into())
    }

    /// Password grant through KubeSphere's console OAuth client.
    pub fn password(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Auth::Password {
            username: username.into(),
            password: password.into(),
            oauth_client: OAuthClient::default(),
        }
    }

    /// The auth that optional settings mean: a (non-blank) token wins over a user name and
    /// password; a user name needs a password and the other way round; nothing is anonymous.
    pub fn from_options(
        token: Option<Secret>,
        username: Option<&str>,
        password: Option<Secret>,
    ) -> Result<Self> {
        if let Some(token) = token.filter(|t| !t.expose().trim().is_empty()) {
            return Ok(Auth::Token(Secret::new(token.expose().trim())));
        }
        let username = username.map(str::trim).filter(|u| !u.is_empty());
        match (username, password) {
            (Some(username), Some(password)) => Ok(Auth::password(username, password)),
            (Some(_), None) => Err(Error::invalid("password", "a user name needs a password")),
            (None, Some(_)) => Err(Error::invalid("username", "a password needs a user name")),
            (None, None) => Ok(Auth::Anonymous),
        }
    }
}

/// Polling intervals: capped exponential backoff with jitter between `initial` and `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollPolicy {
    pub initial: Duration,
    pub max: Duration,
}

impl PollPolicy {
    pub const fn new(initial: Duration, max: Duration) -> Self {
        PollPolicy { initial, max }
    }
}

/// Default time limits of the waiting workflows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Until the Jenkins build number of a new run is known.
    pub build_id: Duration,
    /// Until a run finishes or pauses ([`super::Client::wait`] without a timeout).
    pub run: Duration,
    /// Until a created or updated pipeline reaches Jenkins.
    pub sync: Duration,
    /// Until a repository scan finishes.
    pub scan: Duration,
    /// How long a followed log may go without any new byte before the follower gives up.
    pub log_idle: Duration,
    /// Run status polling.
    pub poll: PollPolicy,
    /// Log polling while the log grows.
    pub log_poll: PollPolicy,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            build_id: Duration::from_secs(5 * 60),
            run: Duration::from_secs(60 * 60),
            sync: Duration::from_secs(5 * 60),
            scan: Duration::from_secs(15 * 60),
            log_idle: Duration::from_secs(30 * 60),
            poll: PollPolicy::new(Duration::from_millis(500), Duration::from_secs(10)),
            log_poll: PollPolicy::new(Duration::from_millis(250), Duration::from_secs(5)),
        }
    }
}

impl Timeouts {
    /// The defaults, polling as a person who is watching (a terminal, a notebook) expects:
    /// never more than a few seconds apart.
    pub fn interactive() -> Self {
        Timeouts {
            poll: PollPolicy::new(Duration::from_millis(300), Duration::from_secs(3)),
            log_poll: PollPolicy::new(Duration::from_millis(200), Duration::from_secs(2)),
            ..Timeouts::default()
        }
    }
}

/// Everything a client is built from. `layout: None` detects the API generation on first use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// The DevOps project (a Kubernetes namespace) every workflow works in. Empty: none, for
    /// a client that only manages the projects of a workspace.
    pub devops: String,
    /// A member cluster to address, when not the host cluster.
    pub cluster: Option<String>,
    pub layout: Option<ApiLayout>,
    pub auth: Auth,
    pub retry: RetryPolicy,
    pub timeouts: Timeouts,
    /// [`super::Client::wait`] follows the PipelineRun watch stream between polls, so it
    /// learns of a change at once instead of at the next poll. On by default; a server
    /// that refuses the watch (no `watch` permission, no Kubernetes API) gets polls only.
    pub watch_runs: bool,
    /// Jenkins' own URL, `http(s)://host[:port][/prefix]`, for [`super::Client::jenkins_admin`]
    /// (administrators): Jenkins is not reachable through KubeSphere with its admin token.
    pub jenkins_url: Option<String>,
}

impl ClientConfig {
    pub fn new(devops: impl Into<String>, auth: Auth) -> Self {
        ClientConfig {
            devops: devops.into(),
            cluster: None,
            layout: None,
            auth,
            retry: RetryPolicy::default(),
            timeouts: Timeouts::default(),
            watch_runs: true,
            jenkins_url: None,
        }
    }

    /// Sets Jenkins' own URL (see [`ClientConfig::jenkins_url`]).
    pub fn with_jenkins_url(mut self, url: impl Into<String>) -> Self {
        self.jenkins_url = Some(url.into());
        self
    }

    pub fn with_cluster(mut self, cluster: impl Into<String>) -> Self {
        self.cluster = Some(cluster.into());
        self
    }

    pub fn with_layout(mut self, layout: ApiLayout) -> Self {
        self.layout = Some(layout);
        self
    }

    /// Checks names and limits before any request is made.
    pub(crate) fn validate(&self) -> Result<()> {
        if !self.devops.is_empty() {
            crate::api::Api::new(ApiLayout::V4).list_pipelines(&self.devops, Default::default())?;
        }
        if let Some(cluster) = &self.cluster {
            crate::api::Api::new(ApiLayout::V4).with_cluster(cluster)?;
        }
        if let Some(url) = &self.jenkins_url {
            crate::transport::base_url("jenkins_url", url)?;
        }
        if let Auth::Password { username, .. } = &self.auth {
            if username.trim().is_empty() {
                return Err(Error::invalid("username", "must not be empty"));
            }
        }
        let t = &self.timeouts;
        for (field, poll) in [("timeouts.poll", t.poll), ("timeouts.log_poll", t.log_poll)] {
            if poll.initial.is_zero() || poll.max < poll.initial {
                return Err(Error::invalid(
                    field,
                    format!(
                        "initial {:?} must be above zero and not above max {:?}",
                        poll.initial, poll.max
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_wins_and_half_a_login_is_an_error() {
        let token = Auth::from_options(Some(" t0k ".into()), Some("u"), Some("p".into()));
        assert_eq!(token.unwrap(), Auth::token("t0k"));
        let blank = Auth::from_options(Some(" ".into()), Some("u"), Some("p".into()));
        assert_eq!(blank.unwrap(), Auth::password("u", "p"));
        let err = Auth::from_options(None, Some("u"), None).unwrap_err();
        assert_eq!(err.field(), Some("password"));
        let err = Auth::from_options(None, None, Some("hunter2".into())).unwrap_err();
        assert_eq!(err.field(), Some("username"));
        assert!(!err.to_string().contains("hunter2"));
        assert_eq!(
            Auth::from_options(None, None, None).unwrap(),
            Auth::Anonymous
        );
    }
}
