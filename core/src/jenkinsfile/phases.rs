//! The phases of [`parse_jenkinsfile`](super::parse_jenkinsfile) one by one, for the criterion
//! bench that shows where the time goes (feature `bench-phases`; not a stable API). Each
//! function runs its phase and the ones before it, so the bench's differences are the cost
//! of each phase.

use super::lexer::{Lexer, TokKind};
use super::report::{self, JenkinsfileReport};
use super::source::Source;

/// Phase 1: decodes `\uXXXX` escapes and lexes; returns the number of tokens.
pub fn lex(text: &str) -> usize {
    let mut report = JenkinsfileReport::empty();
    let Some(decoded) = report::decode(text, &mut report) else {
        return 0;
    };
    let mut lexer = Lexer::new(&decoded.text);
    let mut tokens = 0;
    while let Ok(t) = lexer.next_token() {
        if t.kind == TokKind::Eof {
            break;
        }
        tokens += 1;
    }
    tokens
}

/// Phases 1–2: decodes, lexes and parses; returns the number of top-level statements.
pub fn parse(text: &str) -> usize {
    let mut report = JenkinsfileReport::empty();
    let Some(decoded) = report::decode(text, &mut report) else {
        return 0;
    };
    let src = Source::new(&decoded.text);
    let arena = report::arena_for(src.text);
    report::parse(&src, &arena, &mut report).map_or(0, |s| s.len())
}

/// Phases 1–3: as [`parse`], then reads parameters, inputs and the pipeline model out of
/// the statements; returns the report without the validation's diagnostics and verdict.
pub fn extract(text: &str) -> JenkinsfileReport {
    let mut report = JenkinsfileReport::empty();
    let Some(decoded) = report::decode(text, &mut report) else {
        return report;
    };
    let src = Source::new(&decoded.text);
    let arena = report::arena_for(src.text);
    if let Some(stmts) = report::parse(&src, &arena, &mut report) {
        report::extract(text, &decoded, stmts, &src, &mut report);
    }
    report
}
