//! Printing results: pretty JSON with `--json`, aligned columns otherwise.
//!
//! Everything goes through [`outln!`] and [`errln!`]: control characters a server or a
//! user slipped into a name, a description or an error (ESC, OSC, CR, C1) are shown
//! escaped instead of reaching the terminal, and a closed stdout (`| head`) ends the
//! command quietly instead of in a panic. Logs are the exception: [`write_raw`] hands
//! their bytes on exactly, colour codes included.

use crate::exit::{Failure, SERVER, SUCCESS};
use serde::Serialize;
use std::borrow::Cow;
use std::io::Write;

/// `println!` with control characters escaped and a closed stdout handled.
macro_rules! outln {
    () => {
        $crate::output::write_line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::output::write_line(format_args!($($arg)*))
    };
}

/// `eprintln!` with control characters escaped; a closed stderr is ignored.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::output::write_error_line(format_args!($($arg)*))
    };
}

pub fn write_line(args: std::fmt::Arguments) {
    let text = args.to_string();
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{}", escape_controls(&text, true)) {
        stdout_failed(e);
    }
}

pub fn write_error_line(args: std::fmt::Arguments) {
    let text = args.to_string();
    let _ = writeln!(std::io::stderr().lock(), "{}", escape_controls(&text, true));
}

/// Bytes that are the user's own data (a log), exactly as they are.
pub fn write_raw(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(bytes).and_then(|_| out.flush()) {
        stdout_failed(e);
    }
}

/// Stdout is gone. A reader that closed it (`| head`) took what it wanted: end quietly.
fn stdout_failed(error: std::io::Error) -> ! {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(SUCCESS);
    }
    write_error_line(format_args!("ksdevops: cannot write to stdout: {error}"));
    std::process::exit(SERVER);
}

/// Control characters shown as Rust escapes (`\u{1b}`), except newlines and tabs when
/// `keep_lines` (a multi-line text).
pub fn escape_controls(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let escaped = |c: char| c.is_control() && !(keep_lines && (c == '\n' || c == '\t'));
    if !text.chars().any(escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

pub fn print_json(value: &impl Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::server(format!("cannot encode the answer as JSON: {e}")))?;
    write_raw(json_escape_c1(&text).as_bytes());
    write_raw(b"\n");
    Ok(())
}

/// serde_json leaves DEL and the C1 controls (U+0080–U+009F, CSI among them) raw in
/// strings; JSON's own `\u` escape says the same value without a terminal acting on it.
fn json_escape_c1(json: &str) -> Cow<'_, str> {
    if !json.chars().any(char::is_control) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        match c {
            '\n' => out.push(c),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Rows under a header, each column as wide as its widest cell.
pub struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&'static str]) -> Self {
        Table {
            header: header.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(
            cells
                .into_iter()
                .map(|c| escape_controls(&c, false).into_owned())
                .collect(),
        );
    }

    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let line = |cells: Vec<&str>| {
            let mut text = String::new();
            for (i, cell) in cells.iter().enumerate() {
                if i + 1 == cells.len() {
                    text.push_str(cell);
                } else {
                    let pad = widths[i] - cell.chars().count();
                    text.push_str(cell);
                    text.push_str(&" ".repeat(pad + 2));
                }
            }
            text.trim_end().to_owned()
        };
        let mut out = line(self.header.clone());
        for row in &self.rows {
            out.push('\n');
            out.push_str(&line(row.iter().map(String::as_str).collect()));
        }
        out
    }

    pub fn print(&self) {
        outln!("{}", self.render());
    }
}

/// A cell for an optional value.
pub fn cell(value: Option<impl ToString>) -> String {
    value
        .map(|v| v.to_string())
        .unwrap_or_else(|| "-".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_json_stays_json() {
        assert_eq!(
            escape_controls("a\x1b[2Jb\rc\u{9b}d", true),
            "a\\u{1b}[2Jb\\rc\\u{9b}d"
        );
        assert_eq!(escape_controls("one\ntwo\t", true), "one\ntwo\t");
        assert_eq!(escape_controls("one\ntwo", false), "one\\ntwo");
        let json = serde_json::to_string_pretty(&serde_json::json!({"d": "x\u{1b}y\u{9b}z\u{7f}"}))
            .unwrap();
        let shown = json_escape_c1(&json);
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown}"
        );
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back["d"], "x\u{1b}y\u{9b}z\u{7f}");
    }

    #[test]
    fn columns_align_to_the_widest_cell() {
        let mut t = Table::new(&["NAME", "STATUS"]);
        t.row(vec!["params-demo".into(), "successful".into()]);
        t.row(vec!["go".into(), cell(None::<&str>)]);
        assert_eq!(
            t.render(),
            "NAME         STATUS\nparams-demo  successful\ngo           -"
        );
    }
}
