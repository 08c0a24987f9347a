//! The [`Client`] itself: authentication, API layout, retries, and turning answers into
//! values or errors. The workflows (one module each) are built on the helpers here.

use super::config::{Auth, ClientConfig};
pub(crate) use super::layout::Probe;
use super::retry::{send_per_table, BodyRetries, Jitter, Retried, SeededJitter};
use crate::api::{Api, ApiLayout, Operation, Request};
use crate::decode::{decode_as, error_from_response};
use crate::error::{Error, ErrorKind, Result};
use crate::model::Token;
use crate::transport::{Response, Transport};
use crate::Secret;
use serde::de::DeserializeOwned;
use std::sync::Mutex;

/// Largest JSON or text answer read into memory (logs and downloads are streamed instead).
pub(crate) const MAX_BODY: usize = 64 * 1024 * 1024;
/// Largest error body read to build an error message.
const MAX_ERROR_BODY: usize = 256 * 1024;

/// Which row of the [retry table](super::retry) a request is sent under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resend {
    /// Per its method: GET a read, PUT and DELETE idempotent, POST never.
    ByMethod,
    /// Never (a POST that may have created something).
    Never,
    /// A POST whose repeat does no harm (a login, a stop, a scan).
    Harmless,
}

impl Resend {
    pub(crate) fn row(self, method: crate::api::Method) -> Retried {
        match (self, method) {
            (Resend::Never, _) => Retried::Never,
            (Resend::Harmless, crate::api::Method::Post) => Retried::Harmless,
            (_, method) => Retried::for_method(method),
        }
    }
}

/// A KubeSphere DevOps client over transport `T`, working in one DevOps project.
///
/// Cheap to share by reference: every workflow takes `&self`, and on native targets the
/// client is `Send + Sync` and its futures are `Send`.
pub struct Client<T> {
    transport: T,
    config: ClientConfig,
    layout: Mutex<Option<ApiLayout>>,
    token: Mutex<Option<Token>>,
    seeds: Mutex<SeededJitter>,
    /// Why the server refused the PipelineRun watch, once it did: later waits poll only.
    watch_refusal: Mutex<Option<String>>,
    /// Told each token obtained after the server refused the one in use.
    on_renewed: Option<TokenSink>,
}

/// A callback that keeps renewed tokens, e.g. in a token file.
type TokenSink = Box<dyn Fn(&Token) + Send + Sync>;

impl<T> std::fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .field("layout", &*lock(&self.layout))
            .field("logged_in", &lock(&self.token).is_some())
            .finish_non_exhaustive()
    }
}

fn lock<V>(m: &Mutex<V>) -> std::sync::MutexGuard<'_, V> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl<T: Transport> Client<T> {
    /// Checks the configuration; sends nothing yet.
    pub fn new(transport: T, config: ClientConfig) -> Result<Self> {
        config.validate()?;
        Ok(Client {
            transport,
            layout: Mutex::new(config.layout),
            config,
            token: Mutex::new(None),
            seeds: Mutex::new(SeededJitter::from_entropy()),
            watch_refusal: Mutex::new(None),
            on_renewed: None,
        })
    }

    /// Starts with `token`, obtained earlier (e.g. saved by a login, see
    /// [`super::parse_token_file`]): it is sent until the server refuses it, then renewed
    /// through its refresh token (with password auth, by logging in when that fails).
    pub fn with_token(self, token: Token) -> Self {
        *lock(&self.token) = Some(token);
        self
    }

    /// Calls `keep` with each token the client obtains after the server refused the one in
    /// use, e.g. to rewrite a token file so that the next process starts with it.
    pub fn on_token_renewed(mut self, keep: impl Fn(&Token) + Send + Sync + 'static) -> Self {
        self.on_renewed = Some(Box::new(keep));
        self
    }

    /// The same client with a fixed jitter seed, for reproducible retry and poll timing.
    pub fn with_seed(self, seed: u64) -> Self {
        *lock(&self.seeds) = SeededJitter::new(seed);
        self
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    pub fn devops(&self) -> &str {
        &self.config.devops
    }

    /// Whether [`Client::wait`] may use the watch stream (configured, and not refused yet).
    pub(crate) fn may_watch(&self) -> bool {
        self.config.watch_runs && lock(&self.watch_refusal).is_none()
    }

    pub(crate) fn watch_refused(&self, why: &Error) {
        *lock(&self.watch_refusal) = Some(why.to_string());
    }

    /// Why [`Client::wait`] stopped following the PipelineRun watch stream and polls only
    /// (the server's refusal, e.g. a 403 for a user who may read runs but not watch them);
    /// `None` while the watch is in use or was never tried.
    pub fn watch_refusal(&self) -> Option<String> {
        lock(&self.watch_refusal).clone()
    }

    /// A fresh seed for one retry loop or poller.
    pub(crate) fn seed(&self) -> u64 {
        let mut seeds = lock(&self.seeds);
        (seeds.unit() * (1u64 << 53) as f64) as u64
    }

    /// The API generation: as configured, else detected once (one list request per layout
    /// at most) and remembered.
    pub async fn layout(&self) -> Result<ApiLayout> {
        self.layout_by(Probe::Pipelines).await
    }

    /// [`Client::layout`], detected with `probe` when not known yet.
    pub(crate) async fn layout_by(&self, probe: Probe<'_>) -> Result<ApiLayout> {
        if let Some(layout) = *lock(&self.layout) {
            return Ok(layout);
        }
        let detected = super::layout::detect(self, probe).await?;
        *lock(&self.layout) = Some(detected);
        Ok(detected)
    }

    /// The request builders for this client's layout and cluster.
    pub async fn api(&self) -> Result<Api> {
        let layout = self.layout().await?;
        self.api_for(layout)
    }

    /// [`Client::api`], with the layout detected by `probe` when not known yet.
    pub(crate) async fn api_by(&self, probe: Probe<'_>) -> Result<Api> {
        let layout = self.layout_by(probe).await?;
        self.api_for(layout)
    }

    pub(crate) fn api_for(&self, layout: ApiLayout) -> Result<Api> {
        let api = Api::new(layout);
        match &self.config.cluster {
            Some(cluster) => api.with_cluster(cluster),
            None => Ok(api),
        }
    }

    /// Logs in now (password auth) instead of on the first request. A no-op for other auth.
    pub async fn login(&self) -> Result<()> {
        if matches!(self.config.auth, Auth::Password { .. }) {
            let token = super::auth::obtain(self, None).await?;
            *lock(&self.token) = Some(token);
        }
        Ok(())
    }

    /// The token obtained by the password grant once logged in, or given to
    /// [`Client::with_token`] (and any renewal of either). `None` for token or anonymous
    /// auth otherwise, or before the first login.
    pub fn token(&self) -> Option<Token> {
        lock(&self.token).clone()
    }

    /// The access token in use, if any (e.g. to derive the creator annotation).
    pub(crate) async fn access_token(&self) -> Result<Option<Secret>> {
        if let Some(token) = lock(&self.token).as_ref() {
            return Ok(Some(token.access_token.clone()));
        }
        match &self.config.auth {
            Auth::Anonymous => Ok(None),
            Auth::Token(token) => Ok(Some(token.clone())),
            Auth::Password { .. } => {
                if let Some(token) = lock(&self.token).as_ref() {
                    return Ok(Some(token.access_token.clone()));
                }
                let token = super::auth::obtain(self, None).await?;
                let access = token.access_token.clone();
                *lock(&self.token) = Some(token);
                Ok(Some(access))
            }
        }
    }

    /// After a 401 with `stale`: gets a new token unless another call already did. False
    /// when the credentials cannot be renewed (a fixed token without a refresh token, or
    /// none).
    async fn renew(&self, stale: Option<&Secret>) -> Result<bool> {
        let current = lock(&self.token).clone();
        if let Some(current) = &current {
            if Some(&current.access_token) != stale {
                return Ok(true);
            }
        }
        let refresh = current.as_ref().and_then(|t| t.refresh_token.as_ref());
        let token = match (&self.config.auth, refresh) {
            (Auth::Password { .. }, _) => super::auth::obtain(self, current.as_ref()).await?,
            (_, Some(refresh)) => super::auth::refresh(self, refresh).await?,
            (_, None) => return Ok(false),
        };
        *lock(&self.token) = Some(token.clone());
        if let Some(keep) = &self.on_renewed {
            keep(&token);
        }
        Ok(true)
    }

    /// Sends `request` with credentials, resending per `resend` and the retry policy, and
    /// once more with renewed credentials after a 401. Returns the last answer, whatever its
    /// status.
    pub(crate) async fn exchange(&self, request: &Request, resend: Resend) -> Result<Response> {
        if request.base.is_some() {
            // Another server (Jenkins' own URL): the request carries its own credentials,
            // and the KubeSphere token never goes there.
            return self.send_retrying(request, resend).await;
        }
        let mut renewed = false;
        loop {
            let token = self.access_token().await?;
            let mut authed = request.clone();
            if let Some(token) = &token {
                authed
                    .headers
                    .push(("Authorization".into(), format!("Bearer {}", token.expose())));
            }
            let response = self.send_retrying(&authed, resend).await?;
            if response.status == 401 && !renewed && self.renew(token.as_ref()).await? {
                renewed = true;
                continue;
            }
            return Ok(response);
        }
    }

    /// Sends without credentials handling (the OAuth token endpoint), retrying per `resend`.
    pub(crate) async fn send_retrying(
        &self,
        request: &Request,
        resend: Resend,
    ) -> Result<Response> {
        let mut jitter = SeededJitter::new(self.seed());
        send_per_table(
            &self.transport,
            request,
            &self.config.retry,
            &mut jitter,
            resend.row(request.method),
        )
        .await
    }

    /// Sends and fails unless the answer is a success (2xx); the body is left unread.
    pub(crate) async fn send(
        &self,
        operation: Operation,
        request: &Request,
        resend: Resend,
    ) -> Result<Response> {
        let response = self.exchange(request, resend).await?;
        if (200..300).contains(&response.status) {
            Ok(response)
        } else {
            Err(into_error(operation, response).await)
        }
    }

    /// Sends a request and reads its whole body. An idempotent request whose body breaks
    /// off is sent again (within the retry policy).
    pub(crate) async fn fetch(
        &self,
        operation: Operation,
        request: &Request,
        resend: Resend,
    ) -> Result<(Vec<(String, String)>, Vec<u8>)> {
        self.read_whole(request, resend, || self.send(operation, request, resend))
            .await
    }

    /// As [`Client::fetch`], without credentials handling (the OAuth token endpoint).
    pub(crate) async fn fetch_unauthenticated(
        &self,
        operation: Operation,
        request: &Request,
        resend: Resend,
    ) -> Result<(Vec<(String, String)>, Vec<u8>)> {
        self.read_whole(request, resend, || async move {
            let response = self.send_retrying(request, resend).await?;
            if (200..300).contains(&response.status) {
                Ok(response)
            } else {
                Err(into_error(operation, response).await)
            }
        })
        .await
    }

    /// Reads the whole body of the successful answer `send` gives, sending again (as the
    /// retry table allows) when the body breaks off.
    async fn read_whole<F: std::future::Future<Output = Result<Response>>>(
        &self,
        request: &Request,
        resend: Resend,
        send: impl Fn() -> F,
    ) -> Result<(Vec<(String, String)>, Vec<u8>)> {
        let mut retries = BodyRetries::new(self.config.retry, self.seed());
        loop {
            let response = send().await?;
            let headers = response.headers.clone();
            let expected = response
                .header("content-length")
                .and_then(|length| length.trim().parse().ok());
            let error = match response.body.collect_sized(MAX_BODY, expected).await {
                Ok(body) => return Ok((headers, body)),
                Err(e) => e,
            };
            let resendable =
                error.kind() == ErrorKind::Transport && resend.row(request.method).lost_answer();
            match retries.after_break(error.kind()).filter(|_| resendable) {
                Some(delay) => self.transport.sleep(delay).await,
                None => return Err(error),
            }
        }
    }

    /// Sends a request and decodes its JSON answer into `D`.
    pub(crate) async fn json<D: DeserializeOwned>(
        &self,
        operation: Operation,
        request: &Request,
    ) -> Result<D> {
        let (headers, body) = self.fetch(operation, request, Resend::ByMethod).await?;
        decode_as(operation, 200, &headers, &body)
    }

    /// Sends a request and gives its answer as text.
    pub(crate) async fn text(&self, operation: Operation, request: &Request) -> Result<String> {
        let (headers, body) = self.fetch(operation, request, Resend::ByMethod).await?;
        crate::decode::decode_text(operation, 200, &headers, &body)
    }
}

/// An error a later poll may not meet: the server or the network may be back by then.
pub(crate) fn is_transient(error: &Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::Server | ErrorKind::Transport | ErrorKind::Timeout
    )
}

/// The error a non-2xx answer means, with the server's own message.
pub(crate) async fn into_error(operation: Operation, response: Response) -> Error {
    let status = response.status;
    let headers = response.headers;
    let body = response
        .body
        .collect_limited(MAX_ERROR_BODY)
        .await
        .unwrap_or_default();
    error_from_response(operation, status, &headers, &body)
}
