//! Source text with line/column lookup and Groovy's `getSourceTextForASTNode` slicing.

use super::ast::Span;
use serde::Serialize;

/// How serious a [`Diagnostic`] is. Any `Error` means Jenkins would not accept the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A message about the Jenkinsfile at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    pub message: String,
}

pub struct Source<'a> {
    pub text: &'a str,
    /// Byte offsets of line starts (u32: 4 bytes per line keeps the index small).
    line_starts: Vec<u32>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.match_indices('\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        Source { text, line_starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s as usize <= offset) - 1;
        let start = (self.line_starts[line] as usize).min(offset);
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line as u32 + 1, column as u32 + 1)
    }

    pub fn line_of(&self, offset: usize) -> u32 {
        self.position(offset).0
    }

    pub fn diagnostic(
        &self,
        offset: usize,
        severity: Severity,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = self.position(offset);
        Diagnostic {
            line,
            column,
            severity,
            message: message.into(),
        }
    }

    /// The node's text as Jenkins' converter reports it: its lines joined with `\n`, trimmed.
    pub fn text_of(&self, span: Span) -> String {
        let raw = self.text.get(span.start..span.end).unwrap_or("");
        let joined = if raw.contains('\r') {
            raw.replace("\r\n", "\n")
        } else {
            raw.to_owned()
        };
        joined.trim().to_owned()
    }

    /// The raw text between a string literal's delimiters (for interpolated strings).
    pub fn string_body(&self, span: Span) -> String {
        let raw = self.text.get(span.start..span.end).unwrap_or("");
        for (open, close) in [
            ("\"\"\"", "\"\"\""),
            ("'''", "'''"),
            ("$/", "/$"),
            ("\"", "\""),
            ("'", "'"),
            ("/", "/"),
        ] {
            if raw.len() >= open.len() + close.len()
                && raw.starts_with(open)
                && raw.ends_with(close)
            {
                return raw[open.len()..raw.len() - close.len()].to_owned();
            }
        }
        raw.to_owned()
    }
}
