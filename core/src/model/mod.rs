//! serde models of the KubeSphere DevOps API.

mod parameter;

pub use parameter::{DefaultParameterValue, ParameterDefinition, ParameterValue};
