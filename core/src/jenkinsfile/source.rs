//! Source text with line/column lookup and Groovy's `getSourceTextForASTNode` slicing.

use super::ast::Span;
use serde::Serialize;
use std::cell::OnceCell;

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
    /// Byte offsets of line starts (u32: 4 bytes per line keeps the index small), indexed on
    /// the first position asked for.
    line_starts: OnceCell<Vec<u32>>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str) -> Self {
        Source {
            text,
            line_starts: OnceCell::new(),
        }
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            // LF, CRLF and a lone CR each end a line, as in Groovy's reader.
            let mut starts = vec![0];
            starts.extend(
                line_ends(self.text.as_bytes()).map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
            );
            starts
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts();
        let line = line_starts.partition_point(|&s| s as usize <= offset) - 1;
        let start = (line_starts[line] as usize).min(offset);
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
        normalize_line_breaks(raw.trim())
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
                return normalize_line_breaks(&raw[open.len()..raw.len() - close.len()]);
            }
        }
        normalize_line_breaks(raw)
    }
}

/// Offsets of the last byte of every line break (`\n`, or a `\r` not followed by `\n`).
fn line_ends(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
}

/// CRLF and CR become LF, as Groovy reads line breaks inside strings and source text.
pub fn normalize_line_breaks(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}
