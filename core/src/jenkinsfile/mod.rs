//! Jenkinsfile lexing, parsing and parameter extraction.
