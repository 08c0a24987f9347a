//! The client: workflows over a [`crate::transport::Transport`].
//!
//! [`Client`] works in one DevOps project. It logs in (bearer token, or the OAuth password
//! grant with one renewal after a 401), detects the API layout once when not told, sends
//! idempotent requests through the [`retry`] policy (never a POST that may start something),
//! and bounds every wait with a finite default ([`Timeouts`]).
//!
//! Workflows, one module each: [`Client::parameters`]; [`Client::trigger`],
//! [`Client::trigger_resource`] (a client-chosen run name makes a retried create safe) and
//! [`Client::trigger_tag`], previewed by [`Client::plan_trigger`] ([`RunPlan`]);
//! [`Client::build_id`], [`Client::wait`] (polls, and follows the watch stream between
//! polls when the server offers it); [`Client::follow_log`] and step logs;
//! [`Client::pending_inputs`], [`Client::approve`], [`Client::abort`]; [`Client::artifacts`]
//! and `Client::download` (native); [`Client::stop`], [`Client::replay`]; [`Client::scan`];
//! lists as lazy paged streams ([`Client::pipelines`], [`Client::branches`],
//! [`Client::runs`]); changes as they happen ([`Client::watch_runs`]);
//! [`Client::create_pipeline`], [`Client::update_pipeline`] and [`Client::update_jenkinsfile`]
//! waiting for the Jenkins sync; a saved login resumed and
//! renewed ([`Client::with_token`], [`parse_token_file`]); and
//! [`Client::diagnose`]; a workspace's DevOps projects ([`Client::projects`] and the calls
//! beside it), which a client without a project can manage.

pub mod retry;

mod artifact_bytes;
mod artifacts;
mod auth;
mod clock;
mod config;
mod connection;
mod creator;
mod credentials;
mod diagnose;
mod git_repositories;
mod inputs;
mod jenkins;
mod layout;
mod logs;
mod paging;
mod parameters;
mod pipelines;
mod polling;
mod projects;
mod reads;
mod run_events;
mod run_plan;
mod runs;
mod scan;
mod token_file;
mod trigger;
mod wait;
mod watch;

pub use artifact_bytes::ArtifactBody;
#[cfg(not(target_arch = "wasm32"))]
pub use artifacts::Download;
pub use config::{Auth, ClientConfig, PollPolicy, Timeouts};
pub use connection::Client;
pub use diagnose::{Cause, Diagnosis};
pub use inputs::PendingInput;
pub use jenkins::{jenkins_parameter_values, Jenkins, JenkinsAdmin, QueuedBuild};
pub use paging::PAGE_SIZE;
pub use parameters::{ParameterOrigin, Parameters};
pub use run_events::{RunChange, RunEvent};
pub use run_plan::{RunPlan, RunTarget};
pub use runs::RunHandle;
pub use scan::Scan;
#[cfg(not(target_arch = "wasm32"))]
pub use token_file::write_token_file;
pub use token_file::{parse_token_file, render_token_file};
pub use wait::{result_of, RunEnd, RunStatus, WaitUntil};
