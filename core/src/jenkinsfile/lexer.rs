//! Tokens of the Groovy 2.4 that Jenkinsfiles use, in the manner of `rustc_lexer`: a token is a
//! `Copy` kind and a byte span of the unicode-decoded text; nothing is allocated per token.
//! A string literal's value ([`string_value`]) and a number's ([`number_value`]) are decoded
//! from the span only when a value is needed. Streaming: the parser pulls tokens, so memory
//! stays proportional to the lookahead, not to the file.

use std::borrow::Cow;

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

/// Punctuation and operators. `>>` and `>>>` are two or three `>` tokens (generics close
/// with them), as in Groovy's grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Punct {
    UShrAssign,
    ShlAssign,
    ShrAssign,
    PowAssign,
    RangeExclusive,
    Spaceship,
    RegexMatch,
    Identical,
    NotIdentical,
    SafeDot,
    SpreadDot,
    MethodPointer,
    Range,
    ColonColon,
    Arrow,
    RegexFind,
    Eq,
    NotEq,
    LtEq,
    GtEq,
    AndAnd,
    OrOr,
    PlusPlus,
    MinusMinus,
    PlusAssign,
    MinusAssign,
    StarAssign,
    SlashAssign,
    PercentAssign,
    Pow,
    Shl,
    Elvis,
    AndAssign,
    OrAssign,
    XorAssign,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Semi,
    Colon,
    Dot,
    Question,
    Assign,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Lt,
    Gt,
    Bang,
    Tilde,
    And,
    Or,
    Caret,
    At,
}

impl Punct {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        use Punct::*;
        match self {
            UShrAssign => ">>>=",
            ShlAssign => "<<=",
            ShrAssign => ">>=",
            PowAssign => "**=",
            RangeExclusive => "..<",
            Spaceship => "<=>",
            RegexMatch => "==~",
            Identical => "===",
            NotIdentical => "!==",
            SafeDot => "?.",
            SpreadDot => "*.",
            MethodPointer => ".&",
            Range => "..",
            ColonColon => "::",
            Arrow => "->",
            RegexFind => "=~",
            Eq => "==",
            NotEq => "!=",
            LtEq => "<=",
            GtEq => ">=",
            AndAnd => "&&",
            OrOr => "||",
            PlusPlus => "++",
            MinusMinus => "--",
            PlusAssign => "+=",
            MinusAssign => "-=",
            StarAssign => "*=",
            SlashAssign => "/=",
            PercentAssign => "%=",
            Pow => "**",
            Shl => "<<",
            Elvis => "?:",
            AndAssign => "&=",
            OrAssign => "|=",
            XorAssign => "^=",
            LParen => "(",
            RParen => ")",
            LBracket => "[",
            RBracket => "]",
            LBrace => "{",
            RBrace => "}",
            Comma => ",",
            Semi => ";",
            Colon => ":",
            Dot => ".",
            Question => "?",
            Assign => "=",
            Plus => "+",
            Minus => "-",
            Star => "*",
            Slash => "/",
            Percent => "%",
            Lt => "<",
            Gt => ">",
            Bang => "!",
            Tilde => "~",
            And => "&",
            Or => "|",
            Caret => "^",
            At => "@",
        }
    }

    /// The longest operator at the start of `b`, and its length.
    fn at(b: &[u8]) -> Option<(Punct, usize)> {
        use Punct::*;
        let at = |i: usize| b.get(i).copied().unwrap_or(0);
        let (p, len) = match (at(0), at(1), at(2)) {
            (b'>', b'>', b'>') if at(3) == b'=' => (UShrAssign, 4),
            (b'>', b'>', b'=') => (ShrAssign, 3),
            (b'>', b'=', _) => (GtEq, 2),
            (b'>', _, _) => (Gt, 1),
            (b'<', b'<', b'=') => (ShlAssign, 3),
            (b'<', b'=', b'>') => (Spaceship, 3),
            (b'<', b'<', _) => (Shl, 2),
            (b'<', b'=', _) => (LtEq, 2),
            (b'<', _, _) => (Lt, 1),
            (b'*', b'*', b'=') => (PowAssign, 3),
            (b'*', b'*', _) => (Pow, 2),
            (b'*', b'.', _) => (SpreadDot, 2),
            (b'*', b'=', _) => (StarAssign, 2),
            (b'*', _, _) => (Star, 1),
            (b'.', b'.', b'<') => (RangeExclusive, 3),
            (b'.', b'.', _) => (Range, 2),
            (b'.', b'&', _) => (MethodPointer, 2),
            (b'.', _, _) => (Dot, 1),
            (b'=', b'=', b'~') => (RegexMatch, 3),
            (b'=', b'=', b'=') => (Identical, 3),
            (b'=', b'=', _) => (Eq, 2),
            (b'=', b'~', _) => (RegexFind, 2),
            (b'=', _, _) => (Assign, 1),
            (b'!', b'=', b'=') => (NotIdentical, 3),
            (b'!', b'=', _) => (NotEq, 2),
            (b'!', _, _) => (Bang, 1),
            (b'?', b'.', _) => (SafeDot, 2),
            (b'?', b':', _) => (Elvis, 2),
            (b'?', _, _) => (Question, 1),
            (b':', b':', _) => (ColonColon, 2),
            (b':', _, _) => (Colon, 1),
            (b'-', b'>', _) => (Arrow, 2),
            (b'-', b'-', _) => (MinusMinus, 2),
            (b'-', b'=', _) => (MinusAssign, 2),
            (b'-', _, _) => (Minus, 1),
            (b'+', b'+', _) => (PlusPlus, 2),
            (b'+', b'=', _) => (PlusAssign, 2),
            (b'+', _, _) => (Plus, 1),
            (b'&', b'&', _) => (AndAnd, 2),
            (b'&', b'=', _) => (AndAssign, 2),
            (b'&', _, _) => (And, 1),
            (b'|', b'|', _) => (OrOr, 2),
            (b'|', b'=', _) => (OrAssign, 2),
            (b'|', _, _) => (Or, 1),
            (b'^', b'=', _) => (XorAssign, 2),
            (b'^', _, _) => (Caret, 1),
            (b'/', b'=', _) => (SlashAssign, 2),
            (b'/', _, _) => (Slash, 1),
            (b'%', b'=', _) => (PercentAssign, 2),
            (b'%', _, _) => (Percent, 1),
            (b'(', _, _) => (LParen, 1),
            (b')', _, _) => (RParen, 1),
            (b'[', _, _) => (LBracket, 1),
            (b']', _, _) => (RBracket, 1),
            (b'{', _, _) => (LBrace, 1),
            (b'}', _, _) => (RBrace, 1),
            (b',', _, _) => (Comma, 1),
            (b';', _, _) => (Semi, 1),
            (b'~', _, _) => (Tilde, 1),
            (b'@', _, _) => (At, 1),
            _ => return None,
        };
        Some((p, len))
    }
}

/// How a string literal is delimited: it decides which escapes its value decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrForm {
    Single,
    Double,
    TripleSingle,
    TripleDouble,
    Slashy,
    DollarSlashy,
}

impl StrForm {
    fn delimiters(self) -> (usize, usize) {
        match self {
            StrForm::Single | StrForm::Double | StrForm::Slashy => (1, 1),
            StrForm::TripleSingle | StrForm::TripleDouble => (3, 3),
            StrForm::DollarSlashy => (2, 2),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    Ident,
    Num,
    /// A constant string literal (no interpolation); its value: [`string_value`].
    Str(StrForm),
    /// An interpolating string literal (`"${x}"`, `"$x"`, slashy with `$x`).
    GString,
    Punct(Punct),
    Newline,
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn is(&self, p: Punct) -> bool {
        self.kind == TokKind::Punct(p)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub offset: usize,
    pub message: String,
    /// The input is beyond what this lexer analyses (string nesting), not invalid Groovy.
    pub beyond_limit: bool,
}

pub fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$' || c == '\u{FEFF}'
}

pub fn is_ident_part(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || c == '\u{FEFF}'
}

/// Where decoded string characters go: nowhere while lexing, into a `String` when a value is
/// needed. One scanner serves both, so the value always matches what the lexer accepted.
trait Sink {
    fn push_str(&mut self, s: &str);
    fn push(&mut self, c: char);
}

impl Sink for () {
    #[inline(always)]
    fn push_str(&mut self, _: &str) {}
    #[inline(always)]
    fn push(&mut self, _: char) {}
}

impl Sink for String {
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s)
    }
    fn push(&mut self, c: char) {
        String::push(self, c)
    }
}

/// The value of a constant string literal token (`text` is the decoded source, `token` a
/// [`TokKind::Str`]). Borrows the text between the delimiters when nothing needs decoding.
pub fn string_value<'a>(text: &'a str, token: &Token) -> Cow<'a, str> {
    let TokKind::Str(form) = token.kind else {
        return Cow::Borrowed("");
    };
    let (open, close) = form.delimiters();
    let body = text
        .get(token.start + open..token.end - close)
        .unwrap_or("");
    let escape = match form {
        StrForm::DollarSlashy => b'$',
        _ => b'\\',
    };
    let needs_decoding = memchr::memchr2(escape, b'\r', body.as_bytes()).is_some();
    if !needs_decoding {
        return Cow::Borrowed(body);
    }
    let mut lexer = Lexer {
        src: text,
        pos: token.start,
        regex_allowed: false,
        nesting: 0,
    };
    let mut value = String::with_capacity(body.len());
    match lexer.string(form, &mut value) {
        Ok(_) => Cow::Owned(value),
        Err(_) => Cow::Borrowed(body),
    }
}

/// The value of a number token's text (`1_000`, `0x1F`, `3.10`, `2e3`, `10L`).
pub fn number_value(text: &str) -> Number {
    let b = text.as_bytes();
    let radix = match b {
        [b'0', b'x' | b'X', ..] => Some(16),
        [b'0', b'b' | b'B', ..] => Some(2),
        _ => None,
    };
    if let Some(radix) = radix {
        let digits = text[2..].trim_end_matches(['l', 'L', 'g', 'G', 'i', 'I']);
        return match i64::from_str_radix(&without_underscores(digits), radix) {
            Ok(v) => Number::Int(v),
            Err(_) => Number::BigInt,
        };
    }
    let (body, decimal_suffix) = match b.last() {
        Some(b'd' | b'D' | b'f' | b'F') => (&text[..text.len() - 1], true),
        Some(b'g' | b'G' | b'l' | b'L' | b'i' | b'I') => (&text[..text.len() - 1], false),
        _ => (text, false),
    };
    let body = without_underscores(body);
    if decimal_suffix || body.contains(['.', 'e', 'E']) {
        return Number::Decimal(body.into_owned());
    }
    // Groovy reads a leading 0 as octal.
    let parsed = if body.len() > 1 && body.starts_with('0') {
        i64::from_str_radix(&body[1..], 8)
    } else {
        body.parse::<i64>()
    };
    match parsed {
        Ok(v) => Number::Int(v),
        Err(_) => Number::BigInt,
    }
}

fn without_underscores(text: &str) -> Cow<'_, str> {
    if text.contains('_') {
        Cow::Owned(text.replace('_', ""))
    } else {
        Cow::Borrowed(text)
    }
}

/// Where the `*/` that closes a block comment starts in `body` (the text after `/*`).
fn block_comment_end(body: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'*', body).find(|&i| body.get(i + 1) == Some(&b'/'))
}

/// Length of the UTF-8 sequence that starts with `lead` (1 for a stray continuation byte).
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
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

    #[inline]
    fn byte(&self, at: usize) -> u8 {
        self.src.as_bytes().get(at).copied().unwrap_or(0)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    fn char_at(&self, at: usize) -> Option<char> {
        self.src.get(at..).and_then(|s| s.chars().next())
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
        if let Some(start) = self.skip_trivia()? {
            self.regex_allowed = true;
            return Ok(Token {
                kind: TokKind::Newline,
                start,
                end: start + 1,
            });
        }
        let start = self.pos;
        if self.at_end() {
            return Ok(Token {
                kind: TokKind::Eof,
                start,
                end: start,
            });
        }
        let kind = match self.byte(start) {
            b'$' if self.byte(start + 1) == b'/' => self.string(StrForm::DollarSlashy, &mut ())?,
            b'\'' | b'"' => self.string(self.quoted_form(), &mut ())?,
            b'/' if self.regex_allowed => self.string(StrForm::Slashy, &mut ())?,
            b'0'..=b'9' => self.number(start)?,
            b'.' if self.byte(start + 1).is_ascii_digit() => self.number(start)?,
            _ if self.ident_starts_here() => {
                self.ident();
                TokKind::Ident
            }
            _ => match Punct::at(&self.src.as_bytes()[start..]) {
                Some((p, len)) => {
                    self.pos += len;
                    TokKind::Punct(p)
                }
                None => {
                    let c = self.char_at(start).unwrap_or('\u{FFFD}');
                    return self.err(start, format!("unexpected char: '{c}'"));
                }
            },
        };
        self.regex_allowed = match kind {
            TokKind::Ident => matches!(
                &self.src[start..self.pos],
                "return" | "in" | "case" | "assert" | "throw" | "instanceof" | "else"
            ),
            TokKind::Num | TokKind::Str(_) | TokKind::GString => false,
            TokKind::Punct(p) => !matches!(
                p,
                Punct::RParen
                    | Punct::RBracket
                    | Punct::RBrace
                    | Punct::PlusPlus
                    | Punct::MinusMinus
            ),
            TokKind::Newline | TokKind::Eof => true,
        };
        Ok(Token {
            kind,
            start,
            end: self.pos,
        })
    }

    /// Skips blanks, comments and line continuations; returns where the first line break was.
    fn skip_trivia(&mut self) -> Result<Option<usize>, LexError> {
        let bytes = self.src.as_bytes();
        let mut newline_at = None;
        while let Some(&b) = bytes.get(self.pos) {
            match b {
                b'\n' | b'\r' => {
                    newline_at.get_or_insert(self.pos);
                    self.pos += 1;
                }
                b' ' | b'\t' | b'\x0C' => self.pos += 1,
                b'\\' if matches!(self.byte(self.pos + 1), b'\n' | b'\r') => {
                    // Line continuation outside strings.
                    self.pos += 1;
                    self.line_break(&mut ());
                }
                b'/' if self.byte(self.pos + 1) == b'/' => {
                    self.pos += memchr::memchr2(b'\n', b'\r', &bytes[self.pos..])
                        .unwrap_or(bytes.len() - self.pos);
                }
                b'/' if self.byte(self.pos + 1) == b'*' => {
                    match block_comment_end(&bytes[self.pos + 2..]) {
                        Some(end) => self.pos += 2 + end + 2,
                        None => return self.err(self.pos, "unterminated block comment"),
                    }
                }
                _ => break,
            }
        }
        Ok(newline_at)
    }

    fn ident_starts_here(&self) -> bool {
        match self.byte(self.pos) {
            b if b.is_ascii_alphabetic() || b == b'_' || b == b'$' => true,
            b if b < 0x80 => false,
            _ => self.char_at(self.pos).is_some_and(is_ident_start),
        }
    }

    fn ident(&mut self) {
        let bytes = self.src.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' {
                self.pos += 1;
            } else if b < 0x80 {
                return;
            } else {
                match self.char_at(self.pos) {
                    Some(c) if is_ident_part(c) => self.pos += c.len_utf8(),
                    _ => return,
                }
            }
        }
    }

    /// Scans a number literal; its value is [`number_value`] of the token's text.
    fn number(&mut self, start: usize) -> Result<TokKind, LexError> {
        let b = &self.src.as_bytes()[start..];
        let at = |i: usize| b.get(i).copied().unwrap_or(0);
        let mut i = 0;
        if at(0) == b'0' && matches!(at(1), b'x' | b'X' | b'b' | b'B') {
            i = 2;
            while at(i).is_ascii_hexdigit() || at(i) == b'_' {
                i += 1;
            }
            if b[2..i].iter().all(|&d| d == b'_') {
                self.pos += i;
                return self.err(start, "malformed number");
            }
            if matches!(at(i), b'l' | b'L' | b'g' | b'G' | b'i' | b'I') {
                i += 1;
            }
            self.pos += i;
            return Ok(TokKind::Num);
        }
        let digits = |i: &mut usize| {
            while at(*i).is_ascii_digit() || at(*i) == b'_' {
                *i += 1;
            }
        };
        digits(&mut i);
        if at(i) == b'.' && at(i + 1).is_ascii_digit() {
            i += 1;
            digits(&mut i);
        }
        if matches!(at(i), b'e' | b'E') {
            let mut j = i + 1;
            if matches!(at(j), b'+' | b'-') {
                j += 1;
            }
            if at(j).is_ascii_digit() {
                i = j;
                digits(&mut i);
            }
        }
        if matches!(
            at(i),
            b'd' | b'D' | b'f' | b'F' | b'g' | b'G' | b'l' | b'L' | b'i' | b'I'
        ) {
            i += 1;
        }
        self.pos += i;
        Ok(TokKind::Num)
    }

    /// The form of the quoted string at the current position.
    fn quoted_form(&self) -> StrForm {
        let q = self.byte(self.pos);
        let triple = self.byte(self.pos + 1) == q && self.byte(self.pos + 2) == q;
        match (q, triple) {
            (b'\'', false) => StrForm::Single,
            (b'\'', true) => StrForm::TripleSingle,
            (_, false) => StrForm::Double,
            (_, true) => StrForm::TripleDouble,
        }
    }

    /// Scans the string literal of `form` that starts at the current position, decoded
    /// characters going to `sink`: `Str(form)` when constant, `GString` when it interpolates.
    fn string<S: Sink>(&mut self, form: StrForm, sink: &mut S) -> Result<TokKind, LexError> {
        let start = self.pos;
        let interpolates = match form {
            StrForm::Slashy => {
                self.pos += 1;
                self.slashy(start, sink)?
            }
            StrForm::DollarSlashy => {
                self.pos += 2;
                self.dollar_slashy(start, sink)?
            }
            _ => self.quoted(start, form, sink)?,
        };
        Ok(if interpolates {
            TokKind::GString
        } else {
            TokKind::Str(form)
        })
    }

    /// A quoted string; returns whether it interpolates.
    fn quoted<S: Sink>(
        &mut self,
        start: usize,
        form: StrForm,
        sink: &mut S,
    ) -> Result<bool, LexError> {
        let quote = self.byte(start);
        let is_triple = matches!(form, StrForm::TripleSingle | StrForm::TripleDouble);
        let interpolating = quote == b'"';
        self.pos += if is_triple { 3 } else { 1 };
        let mut gstring = false;
        loop {
            let Some(&b) = self.src.as_bytes().get(self.pos) else {
                return self.err(start, "unterminated string literal");
            };
            if b == quote {
                if !is_triple {
                    self.pos += 1;
                    return Ok(gstring);
                }
                if self.byte(self.pos + 1) == quote && self.byte(self.pos + 2) == quote {
                    // `''''` ends with the last three quotes.
                    while self.byte(self.pos + 3) == quote {
                        sink.push(quote as char);
                        self.pos += 1;
                    }
                    self.pos += 3;
                    return Ok(gstring);
                }
            }
            match b {
                b'\n' | b'\r' if !is_triple => {
                    return self.err(self.pos, "expecting anything but ''\\n''; got it anyway");
                }
                b'\r' => self.line_break(sink),
                b'\\' => self.escape(sink)?,
                b'$' if interpolating => {
                    if !self.interpolation()? {
                        return self.err(
                            self.pos,
                            "illegal string body character after dollar sign; either escape a literal dollar sign \"\\$5\" or bracket the value expression \"${5}\"",
                        );
                    }
                    gstring = true;
                }
                _ => self.literal_run(sink, |c| {
                    c == quote
                        || c == b'\\'
                        || c == b'\n'
                        || c == b'\r'
                        || (interpolating && c == b'$')
                }),
            }
        }
    }

    /// Copies the character at the current position and the run of characters after it up
    /// to the next byte that `special` picks (always ASCII, so the run ends on a boundary).
    #[inline]
    fn literal_run<S: Sink>(&mut self, sink: &mut S, special: impl Fn(u8) -> bool) {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        let mut end = (start + utf8_len(bytes[start])).min(bytes.len());
        while end < bytes.len() && !special(bytes[end]) {
            end += 1;
        }
        // A multi-byte character cut by the end of the text is replaced, never split.
        sink.push_str(self.src.get(start..end).unwrap_or("\u{FFFD}"));
        self.pos = end;
    }

    /// At a line break inside a multi-line string: CRLF, CR and LF all read as one `\n`, as
    /// Groovy's lexer (`STRING_NL`) reads them.
    fn line_break<S: Sink>(&mut self, sink: &mut S) {
        let crlf = self.byte(self.pos) == b'\r' && self.byte(self.pos + 1) == b'\n';
        self.pos += if crlf { 2 } else { 1 };
        sink.push('\n');
    }

    /// Reads an escape sequence of a quoted string.
    fn escape<S: Sink>(&mut self, sink: &mut S) -> Result<(), LexError> {
        let at = self.pos;
        self.pos += 1;
        let Some(c) = self.char_at(self.pos) else {
            return self.err(at, "unterminated string literal");
        };
        let decoded = match c {
            'b' => '\u{8}',
            't' => '\t',
            'n' => '\n',
            'f' => '\u{C}',
            'r' => '\r',
            '\\' | '\'' | '"' | '$' => c,
            '\n' | '\r' => {
                // A line continuation: the line break is dropped.
                self.line_break(&mut ());
                return Ok(());
            }
            '0'..='7' => {
                self.pos += 1;
                // Java octal escape: up to three digits, at most \377.
                let mut code = c.to_digit(8).unwrap_or(0);
                let max_digits = if c <= '3' { 2 } else { 1 };
                for _ in 0..max_digits {
                    match (self.byte(self.pos) as char).to_digit(8) {
                        Some(d) => {
                            code = code * 8 + d;
                            self.pos += 1;
                        }
                        None => break,
                    }
                }
                sink.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                return Ok(());
            }
            other => {
                return self.err(
                    at,
                    format!("unexpected char: '\\{other}' is not a valid escape"),
                )
            }
        };
        self.pos += c.len_utf8();
        sink.push(decoded);
        Ok(())
    }

    /// At a `$` inside an interpolating string: consumes `$name(.name)*` or `${…}` and returns
    /// true, or returns false (consuming nothing) when no interpolation starts here.
    fn interpolation(&mut self) -> Result<bool, LexError> {
        let at = self.pos;
        if self.byte(at + 1) == b'{' {
            self.pos += 2;
            self.skip_embedded_expression(at)?;
            return Ok(true);
        }
        let Some(first) = self.char_at(at + 1) else {
            return Ok(false);
        };
        if !is_ident_start(first) || first == '$' {
            return Ok(false);
        }
        self.pos += 1;
        self.ident();
        while self.byte(self.pos) == b'.' {
            match self.char_at(self.pos + 1) {
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
                TokKind::Punct(Punct::LBrace) => depth += 1,
                TokKind::Punct(Punct::RBrace) if depth == 0 => break Ok(()),
                TokKind::Punct(Punct::RBrace) => depth -= 1,
                _ => {}
            }
        };
        self.nesting -= 1;
        self.regex_allowed = saved_regex;
        result
    }

    /// A slashy string after its opening `/`; returns whether it interpolates.
    fn slashy<S: Sink>(&mut self, start: usize, sink: &mut S) -> Result<bool, LexError> {
        let mut gstring = false;
        loop {
            let Some(&b) = self.src.as_bytes().get(self.pos) else {
                return self.err(start, "unterminated slashy string");
            };
            match b {
                b'/' => {
                    self.pos += 1;
                    return Ok(gstring);
                }
                b'\\' if self.byte(self.pos + 1) == b'/' => {
                    self.pos += 2;
                    sink.push('/');
                }
                b'\\' if matches!(self.byte(self.pos + 1), b'\n' | b'\r') => {
                    // Line continuation.
                    self.pos += 1;
                    self.line_break(&mut ());
                }
                b'\r' => self.line_break(sink),
                b'$' if self.interpolation()? => gstring = true,
                _ => self.literal_run(sink, |c| c == b'/' || c == b'\\' || c == b'\r' || c == b'$'),
            }
        }
    }

    /// A dollar-slashy string after its opening `$/`; returns whether it interpolates.
    fn dollar_slashy<S: Sink>(&mut self, start: usize, sink: &mut S) -> Result<bool, LexError> {
        let mut gstring = false;
        loop {
            let Some(&b) = self.src.as_bytes().get(self.pos) else {
                return self.err(start, "unterminated dollar-slashy string");
            };
            let next = self.byte(self.pos + 1);
            match b {
                b'/' if next == b'$' => {
                    self.pos += 2;
                    return Ok(gstring);
                }
                b'$' if next == b'$' || next == b'/' => {
                    sink.push(next as char);
                    self.pos += 2;
                }
                b'\r' => self.line_break(sink),
                b'$' if self.interpolation()? => gstring = true,
                _ => self.literal_run(sink, |c| c == b'/' || c == b'$' || c == b'\r'),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(src: &str) -> Vec<Token> {
        let mut lx = Lexer::new(src);
        let mut out = Vec::new();
        loop {
            let t = lx.next_token().expect("lexes");
            if t.kind == TokKind::Eof {
                return out;
            }
            out.push(t);
        }
    }

    fn kinds(src: &str) -> Vec<TokKind> {
        tokens(src).into_iter().map(|t| t.kind).collect()
    }

    fn string_value_of(src: &str) -> Option<String> {
        let t = tokens(src)[0];
        match t.kind {
            TokKind::Str(_) => Some(string_value(src, &t).into_owned()),
            TokKind::GString => None,
            other => panic!("not a string: {other:?}"),
        }
    }

    #[test]
    fn tokens_are_small_and_copy() {
        fn is_copy<T: Copy>() {}
        is_copy::<Token>();
        assert!(std::mem::size_of::<Token>() <= 24);
    }

    #[test]
    fn string_forms() {
        assert_eq!(
            string_value_of(r"'it\'s \\ \t\101\0'").unwrap(),
            "it's \\ \tA\0"
        );
        assert_eq!(string_value_of(r#""cost: \$5""#).unwrap(), "cost: $5");
        assert_eq!(string_value_of(r#""${x}""#), None);
        assert_eq!(string_value_of(r#""$x.y""#), None);
        assert_eq!(string_value_of("'''\nline'''").unwrap(), "\nline");
        assert_eq!(string_value_of("'''\\\nline'''").unwrap(), "line");
        assert_eq!(string_value_of("'''a''''").unwrap(), "a'");
        assert_eq!(string_value_of("'abc\\\ndef'").unwrap(), "abcdef");
        assert_eq!(string_value_of(r"/C:\path\/x/").unwrap(), r"C:\path/x");
        assert_eq!(string_value_of("/a$ b/").unwrap(), "a$ b");
        assert_eq!(
            string_value_of(r#"$/it's "raw" $$ and $/slash /$"#).unwrap(),
            r#"it's "raw" $ and /slash "#
        );
        assert_eq!(string_value_of(r#""${ "${'in'}" }""#), None);
        assert_eq!(string_value_of("'héllo wörld'").unwrap(), "héllo wörld");
    }

    #[test]
    fn plain_string_values_borrow_the_source() {
        let src = "'plain'";
        let t = tokens(src)[0];
        assert!(matches!(string_value(src, &t), Cow::Borrowed("plain")));
    }

    #[test]
    fn line_breaks_in_multi_line_strings_read_as_lf() {
        for (src, value) in [
            ("'''a\r\nb\rc'''", "a\nb\nc"),
            ("\"\"\"a\r\nb\"\"\"", "a\nb"),
            ("x = /a\r\nb/", "a\nb"),
            ("$/a\r\nb\rc/$", "a\nb\nc"),
            ("'''\\\r\nline'''", "line"),
            ("'''\\\rline'''", "line"),
            ("'a\\\r\nb'", "ab"),
        ] {
            let t = *tokens(src)
                .iter()
                .find(|t| matches!(t.kind, TokKind::Str(_)))
                .expect("a string");
            assert_eq!(string_value(src, &t), value, "{src:?}");
        }
    }

    #[test]
    fn comments_and_newlines_collapse() {
        assert_eq!(
            kinds("a // c\n\n/* b\n */ b"),
            vec![TokKind::Ident, TokKind::Newline, TokKind::Ident]
        );
        assert_eq!(
            kinds("a // c\rb"),
            vec![TokKind::Ident, TokKind::Newline, TokKind::Ident]
        );
    }

    #[test]
    fn division_versus_slashy() {
        assert_eq!(kinds("a / b")[1], TokKind::Punct(Punct::Slash));
        assert_eq!(kinds("x = /re/")[2], TokKind::Str(StrForm::Slashy));
    }

    #[test]
    fn operators_take_the_longest_match() {
        let ops: Vec<&str> = tokens("a ?. b ?: c >>>= d ..< e <=> f == g = h")
            .into_iter()
            .filter_map(|t| match t.kind {
                TokKind::Punct(p) => Some(p.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(ops, ["?.", "?:", ">>>=", "..<", "<=>", "==", "="]);
        assert_eq!(
            kinds(">>"),
            vec![TokKind::Punct(Punct::Gt), TokKind::Punct(Punct::Gt)]
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(number_value("1_000"), Number::Int(1000));
        assert_eq!(number_value("3.10"), Number::Decimal("3.10".into()));
        assert_eq!(number_value("2e3"), Number::Decimal("2e3".into()));
        assert_eq!(number_value("10L"), Number::Int(10));
        assert_eq!(number_value("1.5d"), Number::Decimal("1.5".into()));
        assert_eq!(number_value("0x1F"), Number::Int(31));
        assert_eq!(number_value("017"), Number::Int(15));
        assert_eq!(number_value("99999999999999999999"), Number::BigInt);
        assert_eq!(kinds("1e"), vec![TokKind::Num, TokKind::Ident]);
    }

    #[test]
    fn errors() {
        assert!(Lexer::new("'unterminated").next_token().is_err());
        assert!(Lexer::new("\"a $1\"").next_token().is_err());
        assert!(Lexer::new("'a\nb'").next_token().is_err());
        assert!(Lexer::new("\"${ x").next_token().is_err());
        assert!(Lexer::new("0x_").next_token().is_err());
        assert!(Lexer::new("'\\q'").next_token().is_err());
    }
}
