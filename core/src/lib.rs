//! ksdevops: drive KubeSphere DevOps pipelines end to end.
//!
//! The crate is sans-I/O: [`api`] turns typed arguments into [`api::Request`] values and
//! [`decode`] turns (status, headers, body) into typed values or an [`Error`]. Nothing here
//! opens a socket unless a transport feature is enabled.

/// ks-devops' API group as a literal that `concat!` can join: [`api::GROUP`],
/// [`api::KAPIS_PREFIX`], [`api::APIS_PREFIX`] and [`model::API_VERSION`] are spelled from it.
macro_rules! api_group {
    () => {
        "devops.kubesphere.io"
    };
}

pub mod api;
pub mod client;
pub mod decode;
pub mod error;
pub mod jenkinsfile;
pub mod log;
pub mod model;
pub mod secret;
pub mod transport;

pub use error::{Error, ErrorKind};
pub use secret::Secret;
