//! Tokens of the Groovy 2.4 that Jenkinsfiles use. Works on the unicode-decoded text; offsets
//! are byte offsets into it. Streaming: the parser pulls tokens, so memory stays proportional
//! to the lookahead, not to the file.

/// Deepest `${ … "${ … }" … }` nesting inside strings before the lexer gives up.
const MAX_STRING_NESTING: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Number {
    Int(i64),
    /// An integer literal outside the `long` range (BigInteger).
    BigInt,
    /// A decimal literal (BigDecimal / double), as written without `_` and suffix.
    Decimal(String),
}

/// Token text, cheap to clone (the parser looks ahead by cloning tokens).
pub type Text = std::rc::Rc<str>;

#[derive(Debug, Clone, PartialEq)]
pub enum TokKind {
    Ident(Text),
    Num(Number),
    /// A string literal: `Some(value)` when constant, `None` when it interpolates (GString).
    Str(Option<Text>),
    Punct(&'static str),
    Newline,
    Eof,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: TokKind,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub offset: usize,
    pub message: String,
    /// The input is beyond what this lexer analyses (string nesting), not invalid Groovy.
    pub beyond_limit: bool,
}

// Longest first, so that greedy matching picks `?.` over `?`.
const PUNCTS: &[&str] = &[
    ">>>=", "<<=", ">>=", "**=", "..<", "<=>", "==~", "===", "!==", "?.", "*.", ".&", "..", "::",
    "->", "=~", "==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "**",
    "<<", "?:", "&=", "|=", "^=", "(", ")", "[", "]", "{", "}", ",", ";", ":", ".", "?", "=", "+",
    "-", "*", "/", "%", "<", ">", "!", "~", "&", "|", "^", "@",
];

pub fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$' || c == '\u{FEFF}'
}

pub fn is_ident_part(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || c == '\u{FEFF}'
}

pub struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    /// Whether a `/` here starts a slashy string rather than a division.
    regex_allowed: bool,
    nesting: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Self {
        let mut lx = Lexer {
            src,
            pos: 0,
            regex_allowed: true,
            nesting: 0,
        };
        if src.starts_with("#!") {
            lx.pos = src.find('\n').unwrap_or(src.len());
        }
        lx
    }

    fn peek_char(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.src[self.pos..].chars().nth(n)
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn err<T>(&self, offset: usize, message: impl Into<String>) -> Result<T, LexError> {
        Err(LexError {
            offset,
            message: message.into(),
            beyond_limit: false,
        })
    }

    /// The next token; consecutive line breaks (and comments between them) come as one Newline.
    pub fn next_token(&mut self) -> Result<Token, LexError> {
        let mut newline_at = None;
        loop {
            let rest = self.rest();
            let Some(c) = rest.chars().next() else { break };
            if c == '\n' || c == '\r' {
                newline_at.get_or_insert(self.pos);
                self.pos += 1;
            } else if c == ' ' || c == '\t' || c == '\u{000C}' {
                self.pos += 1;
            } else if c == '\\' && rest[1..].starts_with(['\n', '\r']) {
                // Line continuation outside strings.
                self.pos += 1;
                self.line_break(&mut String::new());
            } else if rest.starts_with("//") {
                self.pos += rest.find(['\n', '\r']).unwrap_or(rest.len());
            } else if let Some(body) = rest.strip_prefix("/*") {
                match body.find("*/") {
                    Some(end) => self.pos += 2 + end + 2,
                    None => return self.err(self.pos, "unterminated block comment"),
                }
            } else {
                break;
            }
        }
        if let Some(start) = newline_at {
            self.regex_allowed = true;
            return Ok(Token {
                kind: TokKind::Newline,
                start,
                end: start + 1,
            });
        }
        let start = self.pos;
        let Some(c) = self.peek_char() else {
            return Ok(Token {
                kind: TokKind::Eof,
                start,
                end: start,
            });
        };
        let kind = if c == '$' && self.rest().starts_with("$/") {
            self.pos += 2;
            self.dollar_slashy(start)?
        } else if is_ident_start(c) {
            self.ident()
        } else if c.is_ascii_digit()
            || (c == '.' && self.peek_at(1).is_some_and(|d| d.is_ascii_digit()))
        {
            self.number(start)?
        } else if c == '\'' || c == '"' {
            self.quoted(start, c)?
        } else if c == '/' && self.regex_allowed {
            self.pos += 1;
            self.slashy(start)?
        } else {
            let rest = self.rest();
            let first = rest.as_bytes()[0];
            match PUNCTS
                .iter()
                .find(|p| p.as_bytes()[0] == first && rest.starts_with(**p))
            {
                Some(p) => {
                    self.pos += p.len();
                    TokKind::Punct(p)
                }
                None => return self.err(start, format!("unexpected char: '{c}'")),
            }
        };
        self.regex_allowed = match &kind {
            TokKind::Ident(name) => matches!(
                &**name,
                "return" | "in" | "case" | "assert" | "throw" | "instanceof" | "else"
            ),
            TokKind::Num(_) | TokKind::Str(_) => false,
            TokKind::Punct(p) => !matches!(*p, ")" | "]" | "}" | "++" | "--"),
            _ => true,
        };
        Ok(Token {
            kind,
            start,
            end: self.pos,
        })
    }

    fn ident(&mut self) -> TokKind {
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|(_, c)| !is_ident_part(*c))
            .map_or(rest.len(), |(i, _)| i);
        self.pos += len;
        TokKind::Ident(rest[..len].into())
    }

    fn number(&mut self, start: usize) -> Result<TokKind, LexError> {
        let rest = self.rest();
        let b = rest.as_bytes();
        let mut i = 0;
        if rest.starts_with("0x")
            || rest.starts_with("0X")
            || rest.starts_with("0b")
            || rest.starts_with("0B")
        {
            let radix = if b[1] == b'x' || b[1] == b'X' { 16 } else { 2 };
            i = 2;
            while i < b.len() && (b[i].is_ascii_hexdigit() || b[i] == b'_') {
                i += 1;
            }
            let digits: String = rest[2..i].chars().filter(|c| *c != '_').collect();
            if i < b.len() && matches!(b[i], b'l' | b'L' | b'g' | b'G' | b'i' | b'I') {
                i += 1;
            }
            self.pos += i;
            return Ok(match i64::from_str_radix(&digits, radix) {
                Ok(v) => TokKind::Num(Number::Int(v)),
                Err(_) if digits.is_empty() => return self.err(start, "malformed number"),
                Err(_) => TokKind::Num(Number::BigInt),
            });
        }
        let digits = |i: &mut usize| {
            while *i < b.len() && (b[*i].is_ascii_digit() || b[*i] == b'_') {
                *i += 1;
            }
        };
        digits(&mut i);
        let mut decimal = false;
        if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            decimal = true;
            i += 1;
            digits(&mut i);
        }
        if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
            let mut j = i + 1;
            if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
                j += 1;
            }
            if j < b.len() && b[j].is_ascii_digit() {
                decimal = true;
                i = j;
                digits(&mut i);
            }
        }
        let text: String = rest[..i].chars().filter(|c| *c != '_').collect();
        if i < b.len() && matches!(b[i], b'd' | b'D' | b'f' | b'F') {
            decimal = true;
            i += 1;
        } else if i < b.len() && matches!(b[i], b'g' | b'G' | b'l' | b'L' | b'i' | b'I') {
            i += 1;
        }
        self.pos += i;
        if decimal {
            return Ok(TokKind::Num(Number::Decimal(text)));
        }
        // Groovy reads a leading 0 as octal.
        let parsed = if text.len() > 1 && text.starts_with('0') {
            i64::from_str_radix(&text[1..], 8)
        } else {
            text.parse::<i64>()
        };
        Ok(TokKind::Num(match parsed {
            Ok(v) => Number::Int(v),
            Err(_) => Number::BigInt,
        }))
    }

    fn quoted(&mut self, start: usize, quote: char) -> Result<TokKind, LexError> {
        let triple = if quote == '\'' { "'''" } else { "\"\"\"" };
        let is_triple = self.rest().starts_with(triple);
        self.pos += if is_triple { 3 } else { 1 };
        if is_triple && (self.rest().starts_with("\\\n") || self.rest().starts_with("\\\r")) {
            // `'''\<newline>` drops the first line break.
            self.pos += 1;
            self.line_break(&mut String::new());
        }
        let interpolating = quote == '"';
        let mut value = String::new();
        let mut gstring = false;
        loop {
            let rest = self.rest();
            let Some(c) = rest.chars().next() else {
                return self.err(start, "unterminated string literal");
            };
            if is_triple && rest.starts_with(triple) {
                // `''''` ends with the last three quotes.
                let mut n = 3;
                while rest[n..].starts_with(quote) {
                    n += 1;
                }
                for _ in 3..n {
                    value.push(quote);
                }
                self.pos += n;
                break;
            }
            if !is_triple && c == quote {
                self.pos += 1;
                break;
            }
            if !is_triple && (c == '\n' || c == '\r') {
                return self.err(self.pos, "expecting anything but ''\\n''; got it anyway");
            }
            if c == '\\' {
                self.escape(&mut value)?;
                continue;
            }
            if c == '\r' {
                self.line_break(&mut value);
                continue;
            }
            if c == '$' && interpolating {
                if self.interpolation()? {
                    gstring = true;
                    continue;
                }
                return self.err(
                    self.pos,
                    "illegal string body character after dollar sign; either escape a literal dollar sign \"\\$5\" or bracket the value expression \"${5}\"",
                );
            }
            self.pos += c.len_utf8();
            value.push(c);
        }
        Ok(TokKind::Str(if gstring {
            None
        } else {
            Some(value.into())
        }))
    }

    /// Reads an escape sequence of a quoted string into `value`.
    fn escape(&mut self, value: &mut String) -> Result<(), LexError> {
        let at = self.pos;
        self.pos += 1;
        let Some(c) = self.peek_char() else {
            return self.err(at, "unterminated string literal");
        };
        self.pos += c.len_utf8();
        let decoded = match c {
            'b' => '\u{8}',
            't' => '\t',
            'n' => '\n',
            'f' => '\u{C}',
            'r' => '\r',
            '\\' | '\'' | '"' | '$' => c,
            '\n' => return Ok(()),
            '\r' => {
                if self.rest().starts_with('\n') {
                    self.pos += 1;
                }
                return Ok(());
            }
            '0'..='7' => {
                // Java octal escape: up to three digits, at most \377.
                let mut code = c.to_digit(8).unwrap_or(0);
                let max_digits = if c <= '3' { 2 } else { 1 };
                for _ in 0..max_digits {
                    match self.peek_char().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            code = code * 8 + d;
                            self.pos += 1;
                        }
                        None => break,
                    }
                }
                char::from_u32(code).unwrap_or('\u{FFFD}')
            }
            other => {
                return self.err(
                    at,
                    format!("unexpected char: '\\{other}' is not a valid escape"),
                )
            }
        };
        value.push(decoded);
        Ok(())
    }

    /// At a `$` inside an interpolating string: consumes `$name(.name)*` or `${…}` and returns
    /// true, or returns false (consuming nothing) when no interpolation starts here.
    fn interpolation(&mut self) -> Result<bool, LexError> {
        let at = self.pos;
        let after = &self.src[self.pos + 1..];
        if after.starts_with('{') {
            self.pos += 2;
            self.skip_embedded_expression(at)?;
            return Ok(true);
        }
        let Some(first) = after.chars().next() else {
            return Ok(false);
        };
        if !is_ident_start(first) || first == '$' {
            return Ok(false);
        }
        self.pos += 1;
        self.ident();
        loop {
            let rest = self.rest();
            match rest.strip_prefix('.').and_then(|r| r.chars().next()) {
                Some(c) if is_ident_start(c) && c != '$' => {
                    self.pos += 1;
                    self.ident();
                }
                _ => break,
            }
        }
        Ok(true)
    }

    /// Skips the tokens of a `${ … }` body up to its closing brace.
    fn skip_embedded_expression(&mut self, at: usize) -> Result<(), LexError> {
        if self.nesting >= MAX_STRING_NESTING {
            return Err(LexError {
                offset: at,
                message: format!("strings nested more than {MAX_STRING_NESTING} levels deep"),
                beyond_limit: true,
            });
        }
        self.nesting += 1;
        let saved_regex = self.regex_allowed;
        self.regex_allowed = true;
        let mut depth = 0usize;
        let result = loop {
            let tok = match self.next_token() {
                Ok(t) => t,
                Err(e) => break Err(e),
            };
            match tok.kind {
                TokKind::Eof => break self.err(at, "unterminated ${ expression in a string"),
                TokKind::Punct("{") => depth += 1,
                TokKind::Punct("}") if depth == 0 => break Ok(()),
                TokKind::Punct("}") => depth -= 1,
                _ => {}
            }
        };
        self.nesting -= 1;
        self.regex_allowed = saved_regex;
        result
    }

    fn slashy(&mut self, start: usize) -> Result<TokKind, LexError> {
        let mut value = String::new();
        let mut gstring = false;
        loop {
            let rest = self.rest();
            let Some(c) = rest.chars().next() else {
                return self.err(start, "unterminated slashy string");
            };
            if c == '/' {
                self.pos += 1;
                break;
            }
            if rest.starts_with("\\/") {
                self.pos += 2;
                value.push('/');
                continue;
            }
            if rest.starts_with("\\\n") || rest.starts_with("\\\r") {
                // Line continuation.
                self.pos += 1;
                self.line_break(&mut String::new());
                continue;
            }
            if c == '\r' {
                self.line_break(&mut value);
                continue;
            }
            if c == '$' && self.interpolation()? {
                gstring = true;
                continue;
            }
            self.pos += c.len_utf8();
            value.push(c);
        }
        Ok(TokKind::Str(if gstring {
            None
        } else {
            Some(value.into())
        }))
    }

    /// At a line break inside a multi-line string: CRLF, CR and LF all read as one `\n`, as
    /// Groovy's lexer (`STRING_NL`) reads them.
    fn line_break(&mut self, value: &mut String) {
        let crlf = self.rest().starts_with("\r\n");
        self.pos += if crlf { 2 } else { 1 };
        value.push('\n');
    }

    fn dollar_slashy(&mut self, start: usize) -> Result<TokKind, LexError> {
        let mut value = String::new();
        let mut gstring = false;
        loop {
            let rest = self.rest();
            let Some(c) = rest.chars().next() else {
                return self.err(start, "unterminated dollar-slashy string");
            };
            if rest.starts_with("/$") {
                self.pos += 2;
                break;
            }
            if rest.starts_with("$$") || rest.starts_with("$/") {
                value.push(rest[1..].chars().next().unwrap_or('$'));
                self.pos += 2;
                continue;
            }
            if c == '\r' {
                self.line_break(&mut value);
                continue;
            }
            if c == '$' && self.interpolation()? {
                gstring = true;
                continue;
            }
            self.pos += c.len_utf8();
            value.push(c);
        }
        Ok(TokKind::Str(if gstring {
            None
        } else {
            Some(value.into())
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokKind> {
        let mut lx = Lexer::new(src);
        let mut out = Vec::new();
        loop {
            let t = lx.next_token().expect("lexes");
            if t.kind == TokKind::Eof {
                return out;
            }
            out.push(t.kind);
        }
    }

    fn string_value(src: &str) -> Option<String> {
        match kinds(src).into_iter().next() {
            Some(TokKind::Str(v)) => v.map(|v| v.to_string()),
            other => panic!("not a string: {other:?}"),
        }
    }

    #[test]
    fn string_forms() {
        assert_eq!(
            string_value(r"'it\'s \\ \t\101\0'").unwrap(),
            "it's \\ \tA\0"
        );
        assert_eq!(string_value(r#""cost: \$5""#).unwrap(), "cost: $5");
        assert_eq!(string_value(r#""${x}""#), None);
        assert_eq!(string_value(r#""$x.y""#), None);
        assert_eq!(string_value("'''\nline'''").unwrap(), "\nline");
        assert_eq!(string_value("'''\\\nline'''").unwrap(), "line");
        assert_eq!(string_value("'abc\\\ndef'").unwrap(), "abcdef");
        assert_eq!(string_value(r"/C:\path\/x/").unwrap(), r"C:\path/x");
        assert_eq!(
            string_value(r#"$/it's "raw" $$ and $/slash /$"#).unwrap(),
            r#"it's "raw" $ and /slash "#
        );
        assert_eq!(string_value(r#""${ "${'in'}" }""#), None);
    }

    #[test]
    fn comments_and_newlines_collapse() {
        let k = kinds("a // c\n\n/* b\n */ b");
        assert_eq!(
            k,
            vec![
                TokKind::Ident("a".into()),
                TokKind::Newline,
                TokKind::Ident("b".into())
            ]
        );
    }

    #[test]
    fn division_versus_slashy() {
        let k = kinds("a / b");
        assert_eq!(k[1], TokKind::Punct("/"));
        let k = kinds("x = /re/");
        assert_eq!(k[2], TokKind::Str(Some("re".into())));
    }

    #[test]
    fn numbers() {
        assert_eq!(kinds("1_000")[0], TokKind::Num(Number::Int(1000)));
        assert_eq!(
            kinds("3.10")[0],
            TokKind::Num(Number::Decimal("3.10".into()))
        );
        assert_eq!(
            kinds("99999999999999999999")[0],
            TokKind::Num(Number::BigInt)
        );
    }

    #[test]
    fn errors() {
        assert!(Lexer::new("'unterminated").next_token().is_err());
        assert!(Lexer::new("\"a $1\"").next_token().is_err());
        assert!(Lexer::new("'a\nb'").next_token().is_err());
        assert!(Lexer::new("\"${ x").next_token().is_err());
    }
}
