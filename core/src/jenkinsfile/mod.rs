//! Jenkinsfile parameters, read with Jenkins' own rules, offline.
//!
//! [`parse_jenkinsfile`] lexes and parses the Groovy (2.4, as Jenkins runs it), finds the
//! declarative `pipeline { }` (also inside a shared library's `def call()`), and reports:
//! the job parameters (the `parameters { }` directive, or in a scripted pipeline its
//! `properties([parameters([…])])`) as the definitions Jenkins' REST API shows, the parameters
//! of `input` directives and steps, diagnostics with line and column, and whether Jenkins
//! would accept the file. The same parse gives the [`declarative`] model a run executor walks.

mod ast;
mod check;
mod converter;
pub mod declarative;
mod definitions;
mod lexer;
mod parser;
#[cfg(feature = "bench-phases")]
#[doc(hidden)]
pub mod phases;
mod report;
mod scripted;
mod source;
mod unicode;

pub use check::{check_parameters, ParameterKind};
pub use definitions::{split_choices, type_name_for_symbol};
pub use report::{
    parse_jenkinsfile, InputParameters, InputSource, JenkinsfileReport, JobParameter,
    ParameterSource,
};
pub use scripted::{ScriptedForm, ScriptedItem, ScriptedParameters};
pub use source::{Diagnostic, Severity};
