//! The client: workflows over a [`crate::transport::Transport`].

pub mod retry;

mod artifacts;
mod auth;
mod clock;
mod config;
mod connection;
mod diagnose;
mod inputs;
mod layout;
mod logs;
mod paging;
mod parameters;
mod pipelines;
mod runs;
mod scan;
mod trigger;
mod wait;

#[cfg(not(target_arch = "wasm32"))]
pub use artifacts::Download;
pub use config::{Auth, ClientConfig, PollPolicy, Timeouts};
pub use connection::Client;
pub use diagnose::{Cause, Diagnosis};
pub use inputs::PendingInput;
pub use paging::PAGE_SIZE;
pub use parameters::{ParameterOrigin, Parameters};
pub use runs::RunHandle;
pub use scan::Scan;
pub use wait::{RunEnd, RunStatus, WaitUntil};
