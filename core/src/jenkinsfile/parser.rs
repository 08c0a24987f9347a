//! A recursive-descent parser for the Groovy 2.4 subset Jenkinsfiles use. It stops at the first
//! syntax error, as Groovy's compiler does, and limits nesting so no input can exhaust the stack.

use std::borrow::Cow;

use bumpalo::Bump;

use super::ast::{Arg, Call, Closure, Expr, ExprKind, Number, Span, Stmt, StmtKind};
use super::lexer::{self, number_value, string_value, LexError, Lexer, Punct as P, TokKind, Token};

/// Deepest expression/block nesting accepted before giving up with an error. One level of
/// `{ }` in a pipeline costs about three (statement, expression, closure), so an optimized
/// build reads about 40 nested blocks. The bound keeps the recursion within a 1 MiB stack
/// (wasm's default; measured: an optimized build needs under 4 KiB a level, and 128 levels
/// parse in Node). Unoptimized frames need over 30 KiB a level: a debug build stops at 56 to
/// stay within a 2 MiB test thread (about 17 nested blocks).
const MAX_DEPTH: usize = if cfg!(debug_assertions) { 56 } else { 128 };
/// Longest operator or member chain (`a + b + …`, `a.b.c…`) in one expression: the tree is
/// left-nested, so this bounds the recursion of everything that walks or drops it.
const MAX_CHAIN: usize = 1000;
/// Most statements plus expression leaves in one file. Real Jenkinsfiles have a few thousand;
/// the cap keeps the syntax tree (a few hundred bytes per node) in proportion to any input.
const MAX_NODES: usize = 200_000;
/// Precedence of `<`, `in`, `instanceof`, `as`.
const RELATIONAL: u8 = 7;
/// Precedence of `**` (right-associative).
const POWER: u8 = 11;
/// How far the parser looks ahead to tell declarations and closure parameters apart.
const MAX_LOOKAHEAD: usize = 64;
/// Tokens lexed in one go past the one asked for (a batch keeps the lexer's loop hot).
const LEX_AHEAD: usize = 32;
/// Consumed tokens kept before the buffer drops them: memory stays proportional to the
/// lookahead, never to the file.
const KEEP_CONSUMED: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
    /// The input is beyond what this parser analyses (nesting, size), not invalid Groovy.
    pub beyond_limit: bool,
}

impl From<LexError> for Box<ParseError> {
    fn from(e: LexError) -> Self {
        Box::new(ParseError {
            offset: e.offset,
            message: e.message,
            beyond_limit: e.beyond_limit,
        })
    }
}

/// Boxed, the error keeps every `Result` the parser passes up small.
type PResult<T> = Result<T, Box<ParseError>>;

/// Parses `src` into statements whose nodes live in `arena`.
pub fn parse_program<'a>(src: &'a str, arena: &'a Bump) -> PResult<&'a [Stmt<'a>]> {
    let mut p = Parser {
        src,
        arena,
        lexer: Lexer::new(src),
        tokens: Vec::with_capacity(4 * LEX_AHEAD),
        pos: 0,
        lexed_all: false,
        lex_error: None,
        skip_newlines: false,
        scratch: Vec::new(),
        args: Vec::new(),
        items: Vec::new(),
        entries: Vec::new(),
        depth: 0,
        last_end: 0,
        nodes: 0,
    };
    let stmts = p.statements()?;
    let t = p.peek(0)?;
    if t.kind != TokKind::Eof {
        return Err(p.unexpected(&t));
    }
    Ok(stmts)
}

fn is_modifier(word: &str) -> bool {
    matches!(
        word,
        "def"
            | "final"
            | "static"
            | "private"
            | "public"
            | "protected"
            | "abstract"
            | "synchronized"
            | "transient"
            | "volatile"
    )
}

fn is_primitive(word: &str) -> bool {
    matches!(
        word,
        "void" | "boolean" | "byte" | "char" | "short" | "int" | "long" | "float" | "double"
    )
}

fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "assert"
            | "break"
            | "case"
            | "catch"
            | "class"
            | "continue"
            | "default"
            | "do"
            | "else"
            | "enum"
            | "extends"
            | "finally"
            | "for"
            | "if"
            | "implements"
            | "import"
            | "in"
            | "instanceof"
            | "interface"
            | "package"
            | "return"
            | "switch"
            | "throw"
            | "throws"
            | "try"
            | "while"
    )
}

struct Parser<'a> {
    src: &'a str,
    /// Where the syntax tree is built.
    arena: &'a Bump,
    lexer: Lexer<'a>,
    /// Lexed tokens; `tokens[pos]` is the next one (line breaks included).
    tokens: Vec<Token>,
    pos: usize,
    /// Whether the lexer has given its EOF or an error: nothing more to lex.
    lexed_all: bool,
    /// The lexer's error, reported when the parser reaches the place it is at.
    lex_error: Option<LexError>,
    /// Whether line breaks are insignificant here (inside `(…)` and `[…]`).
    skip_newlines: bool,
    /// Statements of the blocks being read, innermost last: each block's list is moved out
    /// in one allocation of its final size when the block ends.
    scratch: Vec<Stmt<'a>>,
    /// The same for the arguments of the calls being read, the items of the lists and the
    /// entries of the maps.
    args: Vec<Arg<'a>>,
    items: Vec<Expr<'a>>,
    entries: Vec<(Expr<'a>, Expr<'a>)>,
    depth: usize,
    last_end: usize,
    nodes: usize,
}

fn is_upper_ident(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_uppercase())
}

fn describe(src: &str, t: &Token) -> String {
    match t.kind {
        TokKind::Ident => src[t.start..t.end].to_owned(),
        TokKind::Num => "number".into(),
        TokKind::Str(_) | TokKind::GString => "string literal".into(),
        TokKind::Punct(p) => p.as_str().into(),
        TokKind::Newline => "\\n".into(),
        TokKind::Eof => "EOF".into(),
    }
}

impl<'a> Parser<'a> {
    /// The source text of a token.
    fn text(&self, t: &Token) -> &'a str {
        &self.src[t.start..t.end]
    }

    /// Whether `t` is the identifier `word`.
    fn is_word(&self, t: &Token, word: &str) -> bool {
        t.kind == TokKind::Ident && self.text(t) == word
    }

    fn ignoring_newlines(&self) -> bool {
        self.skip_newlines
    }

    /// The n-th upcoming token (newlines skipped where they are insignificant).
    #[inline]
    fn peek(&mut self, n: usize) -> PResult<Token> {
        if let (0, Some(&t)) = (n, self.tokens.get(self.pos)) {
            if !(self.skip_newlines && t.kind == TokKind::Newline) {
                return Ok(t);
            }
        }
        let k = self.upcoming(n)?;
        Ok(self.tokens[self.pos + k])
    }

    /// Where (after the cursor) the n-th upcoming token is: newlines skipped where they are
    /// insignificant, EOF's place for any `n` past it.
    fn upcoming(&mut self, n: usize) -> PResult<usize> {
        let skip = self.ignoring_newlines();
        let mut seen = 0;
        let mut k = 0;
        loop {
            let t = self.peek_raw(k)?;
            if t.kind == TokKind::Eof {
                // EOF's own place (`k` may be past it).
                return Ok(k.min(self.tokens.len().saturating_sub(self.pos + 1)));
            }
            if !(skip && t.kind == TokKind::Newline) {
                if seen == n {
                    return Ok(k);
                }
                seen += 1;
            }
            k += 1;
        }
    }

    /// The n-th upcoming token counting line breaks as tokens (EOF for any `n` past it).
    #[inline]
    fn peek_raw(&mut self, n: usize) -> PResult<Token> {
        if let Some(&t) = self.tokens.get(self.pos + n) {
            return Ok(t);
        }
        self.lex_until(n)
    }

    /// Lexes up to the n-th upcoming token and a batch beyond it.
    #[inline(never)]
    fn lex_until(&mut self, n: usize) -> PResult<Token> {
        if self.pos >= KEEP_CONSUMED {
            self.tokens.drain(..self.pos);
            self.pos = 0;
        }
        while !self.lexed_all && self.tokens.len() <= self.pos + n + LEX_AHEAD {
            match self.lexer.next_token() {
                Ok(t) => {
                    self.lexed_all = t.kind == TokKind::Eof;
                    self.tokens.push(t);
                }
                Err(e) => {
                    self.lexed_all = true;
                    self.lex_error = Some(e);
                }
            }
        }
        if let Some(&t) = self.tokens.get(self.pos + n) {
            return Ok(t);
        }
        match &self.lex_error {
            Some(e) => Err(e.clone().into()),
            None => Ok(self.tokens.last().copied().unwrap_or(Token {
                kind: TokKind::Eof,
                start: self.src.len(),
                end: self.src.len(),
            })),
        }
    }

    /// Steps past the next raw token (one already peeked), never past EOF.
    fn skip_raw(&mut self) {
        if self
            .tokens
            .get(self.pos)
            .is_some_and(|t| t.kind != TokKind::Eof)
        {
            self.pos += 1;
        }
    }

    fn bump(&mut self) -> PResult<Token> {
        let k = match self.tokens.get(self.pos) {
            Some(t) if !(self.skip_newlines && t.kind == TokKind::Newline) => 0,
            _ => self.upcoming(0)?,
        };
        let t = self.tokens[self.pos + k];
        if t.kind != TokKind::Eof {
            self.pos += k + 1;
            self.last_end = t.end;
        }
        Ok(t)
    }

    fn skip_nls(&mut self) -> PResult<()> {
        while self.peek_raw(0)?.kind == TokKind::Newline {
            self.skip_raw();
        }
        Ok(())
    }

    fn at_punct(&mut self, p: P) -> PResult<bool> {
        Ok(self.peek(0)?.is(p))
    }

    fn at_ident(&mut self, name: &str) -> PResult<bool> {
        let t = self.peek(0)?;
        Ok(self.is_word(&t, name))
    }

    fn eat_punct(&mut self, p: P) -> PResult<bool> {
        if self.at_punct(p)? {
            self.bump()?;
            return Ok(true);
        }
        Ok(false)
    }

    fn expect_punct(&mut self, p: P) -> PResult<Token> {
        let t = self.peek(0)?;
        if t.is(p) {
            return self.bump();
        }
        Err(Box::new(ParseError {
            offset: t.start,
            beyond_limit: false,
            message: format!(
                "expecting '{}', found '{}'",
                p.as_str(),
                describe(self.src, &t)
            ),
        }))
    }

    fn unexpected(&self, t: &Token) -> Box<ParseError> {
        Box::new(ParseError {
            offset: t.start,
            beyond_limit: false,
            message: format!("unexpected token: {}", describe(self.src, t)),
        })
    }

    fn enter(&mut self, at: usize) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Box::new(ParseError {
                offset: at,
                beyond_limit: true,
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
            }));
        }
        Ok(())
    }

    fn count_node(&mut self, at: usize) -> PResult<()> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(Box::new(ParseError {
                offset: at,
                beyond_limit: true,
                message: format!(
                    "the file has more than {MAX_NODES} syntax elements; too large to analyse"
                ),
            }));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        let at = self.last_end;
        self.enter(at)?;
        let r = f(self);
        self.leave();
        r
    }

    fn with_newlines<T>(
        &mut self,
        skip: bool,
        f: impl FnOnce(&mut Self) -> PResult<T>,
    ) -> PResult<T> {
        let outer = std::mem::replace(&mut self.skip_newlines, skip);
        let r = f(self);
        self.skip_newlines = outer;
        r
    }

    // ---- statements ----

    /// Statements up to (not including) a closing `}` or the end of input.
    fn statements(&mut self) -> PResult<&'a [Stmt<'a>]> {
        let mark = self.scratch.len();
        let r = self.statements_onto_scratch();
        let out = self.arena.alloc_slice_copy(&self.scratch[mark..]);
        self.scratch.truncate(mark);
        r.map(|()| &*out)
    }

    /// A node in the arena.
    fn alloc<T: Copy>(&self, value: T) -> &'a T {
        self.arena.alloc(value)
    }

    /// A string literal's value: borrowed from the source, or decoded into the arena.
    fn string_value(&self, t: &Token) -> &'a str {
        match string_value(self.src, t) {
            Cow::Borrowed(s) => s,
            Cow::Owned(s) => self.arena.alloc_str(&s),
        }
    }

    /// A number literal's value, its decimal text in the arena.
    fn number_value(&self, t: &Token) -> Number<'a> {
        self.number(number_value(self.text(t)))
    }

    fn number(&self, n: lexer::Number) -> Number<'a> {
        match n {
            lexer::Number::Int(v) => Number::Int(v),
            lexer::Number::BigInt => Number::BigInt,
            lexer::Number::Decimal(d) => Number::Decimal(self.arena.alloc_str(&d)),
        }
    }

    fn statements_onto_scratch(&mut self) -> PResult<()> {
        loop {
            while matches!(
                self.peek_raw(0)?.kind,
                TokKind::Newline | TokKind::Punct(P::Semi)
            ) {
                self.skip_raw();
            }
            let t = self.peek(0)?;
            if matches!(t.kind, TokKind::Eof | TokKind::Punct(P::RBrace)) {
                return Ok(());
            }
            let stmt = self.statement()?;
            self.scratch.push(stmt);
            let t = self.peek_raw(0)?;
            match t.kind {
                TokKind::Newline
                | TokKind::Punct(P::Semi)
                | TokKind::Punct(P::RBrace)
                | TokKind::Eof => {}
                _ => return Err(self.unexpected(&t)),
            }
        }
    }

    fn block(&mut self) -> PResult<&'a [Stmt<'a>]> {
        let open = self.expect_punct(P::LBrace)?;
        self.enter(open.start)?;
        let body = self.with_newlines(false, |p| p.statements())?;
        self.expect_punct(P::RBrace)?;
        self.leave();
        Ok(body)
    }

    /// A `{ block }` or a single statement (bodies of `if`/`for`/`while`).
    fn body(&mut self) -> PResult<&'a [Stmt<'a>]> {
        self.skip_nls()?;
        if self.at_punct(P::LBrace)? {
            return self.block();
        }
        let stmt = self.statement()?;
        Ok(std::slice::from_ref(self.alloc(stmt)))
    }

    fn statement(&mut self) -> PResult<Stmt<'a>> {
        let t = self.peek(0)?;
        let start = t.start;
        self.count_node(start)?;
        self.enter(start)?;
        let kind = self.statement_kind(&t)?;
        self.leave();
        Ok(Stmt {
            kind,
            span: Span {
                start,
                end: self.last_end.max(start),
            },
        })
    }

    fn statement_kind(&mut self, t: &Token) -> PResult<StmtKind<'a>> {
        match t.kind {
            TokKind::Punct(P::At) => return self.annotated_statement(),
            TokKind::Punct(P::LBrace) => return Ok(StmtKind::Block(self.block()?)),
            TokKind::Ident => {}
            _ => return self.expression_statement(),
        }
        if self.at_label()? {
            return self.labelled_statement();
        }
        match self.text(t) {
            "import" | "package" => {
                while !matches!(
                    self.peek_raw(0)?.kind,
                    TokKind::Newline | TokKind::Punct(P::Semi) | TokKind::Eof
                ) {
                    self.skip_raw();
                }
                Ok(StmtKind::Other)
            }
            "class" | "interface" | "enum" | "trait" => self.type_definition(),
            "if" => self.if_statement(),
            "while" => {
                self.bump()?;
                self.paren_expression()?;
                Ok(StmtKind::Block(self.body()?))
            }
            "synchronized" if matches!(self.peek_raw(1)?.kind, TokKind::Punct(P::LParen)) => {
                self.bump()?;
                self.paren_expression()?;
                self.skip_nls()?;
                Ok(StmtKind::Block(self.block()?))
            }
            "for" => {
                self.bump()?;
                self.skip_balanced(P::LParen, P::RParen)?;
                Ok(StmtKind::Block(self.body()?))
            }
            "switch" => {
                self.bump()?;
                self.paren_expression()?;
                self.skip_nls()?;
                self.skip_balanced_braces()?;
                Ok(StmtKind::Other)
            }
            "try" => self.try_statement(),
            "return" => {
                self.bump()?;
                if self.at_statement_end()? {
                    return Ok(StmtKind::Return(None));
                }
                Ok(StmtKind::Return(Some(self.expression_or_command()?)))
            }
            "throw" => {
                self.bump()?;
                self.expression()?;
                Ok(StmtKind::Other)
            }
            "break" | "continue" => {
                self.bump()?;
                if self.peek_raw(0)?.kind == TokKind::Ident {
                    self.bump()?;
                }
                Ok(StmtKind::Other)
            }
            "assert" => {
                self.bump()?;
                self.expression()?;
                if self.eat_punct(P::Colon)? || self.eat_punct(P::Comma)? {
                    self.expression()?;
                }
                Ok(StmtKind::Other)
            }
            _ => match self.declaration()? {
                Some(kind) => Ok(kind),
                None => self.expression_statement(),
            },
        }
    }

    /// `@Annotation(…) statement`: the annotations are skipped.
    fn annotated_statement(&mut self) -> PResult<StmtKind<'a>> {
        while self.at_punct(P::At)? {
            self.annotation()?;
            self.skip_nls()?;
        }
        if self.at_statement_end()? {
            return Ok(StmtKind::Other);
        }
        let next = self.peek(0)?;
        if next.kind == TokKind::Punct(P::At) {
            return Err(self.unexpected(&next));
        }
        self.statement_kind(&next)
    }

    /// `outer: for (…)`: a label prefixes the statement (loops use it in break/continue).
    fn labelled_statement(&mut self) -> PResult<StmtKind<'a>> {
        while self.at_label()? {
            self.bump()?;
            self.bump()?;
            self.skip_nls()?;
        }
        let next = self.peek(0)?;
        self.statement_kind(&next)
    }

    /// `if (cond) body [else body]`, the `else` also after line breaks or a `;`.
    fn if_statement(&mut self) -> PResult<StmtKind<'a>> {
        self.bump()?;
        let cond = self.paren_expression()?;
        let then = self.body()?;
        let mut otherwise: &[Stmt] = &[];
        let mut n = 0;
        while matches!(
            self.peek_raw(n)?.kind,
            TokKind::Newline | TokKind::Punct(P::Semi)
        ) {
            n += 1;
        }
        let next = self.peek_raw(n)?;
        if self.is_word(&next, "else") {
            self.skip_nls()?;
            self.eat_punct(P::Semi)?;
            self.skip_nls()?;
            self.bump()?;
            otherwise = self.body()?;
        }
        Ok(StmtKind::If {
            cond,
            then,
            otherwise,
        })
    }

    /// `try { } catch (…) { } finally { }`: the statements of all the blocks, in order.
    fn try_statement(&mut self) -> PResult<StmtKind<'a>> {
        self.bump()?;
        self.skip_nls()?;
        let mut all = self.block()?.to_vec();
        loop {
            let mut n = 0;
            while self.peek_raw(n)?.kind == TokKind::Newline {
                n += 1;
            }
            let next = self.peek_raw(n)?;
            if self.is_word(&next, "catch") {
                self.skip_nls()?;
                self.bump()?;
                self.skip_balanced(P::LParen, P::RParen)?;
            } else if self.is_word(&next, "finally") {
                self.skip_nls()?;
                self.bump()?;
            } else {
                break;
            }
            self.skip_nls()?;
            all.extend_from_slice(self.block()?);
        }
        Ok(StmtKind::Block(self.arena.alloc_slice_copy(&all)))
    }

    fn type_definition(&mut self) -> PResult<StmtKind<'a>> {
        while !self.at_punct(P::LBrace)? {
            let t = self.bump()?;
            if t.kind == TokKind::Eof {
                return Err(self.unexpected(&t));
            }
        }
        self.skip_balanced_braces()?;
        Ok(StmtKind::Other)
    }

    /// An identifier (not a keyword) directly followed by `:` starts a statement label.
    fn at_label(&mut self) -> PResult<bool> {
        let t = self.peek_raw(0)?;
        if t.kind != TokKind::Ident || !self.peek_raw(1)?.is(P::Colon) {
            return Ok(false);
        }
        let word = self.text(&t);
        Ok(!is_keyword(word) && !is_modifier(word) && !is_primitive(word))
    }

    fn at_statement_end(&mut self) -> PResult<bool> {
        Ok(matches!(
            self.peek_raw(0)?.kind,
            TokKind::Newline | TokKind::Punct(P::Semi) | TokKind::Punct(P::RBrace) | TokKind::Eof
        ))
    }

    fn annotation(&mut self) -> PResult<()> {
        self.expect_punct(P::At)?;
        self.qualified_name()?;
        if matches!(self.peek_raw(0)?.kind, TokKind::Punct(P::LParen)) {
            self.skip_balanced(P::LParen, P::RParen)?;
        }
        Ok(())
    }

    /// Skips a dotted name (`a.b.C`).
    fn qualified_name(&mut self) -> PResult<()> {
        let t = self.bump()?;
        if t.kind != TokKind::Ident {
            return Err(self.unexpected(&t));
        }
        while self.peek_raw(0)?.is(P::Dot) {
            self.bump()?;
            let t = self.bump()?;
            if t.kind != TokKind::Ident {
                return Err(self.unexpected(&t));
            }
        }
        Ok(())
    }

    /// Skips a balanced `open … close` group, strings and comments handled by the lexer.
    fn skip_balanced(&mut self, open: P, close: P) -> PResult<()> {
        self.expect_punct(open)?;
        let mut depth = 1usize;
        while depth > 0 {
            let t = self.bump()?;
            match t.kind {
                TokKind::Eof => {
                    return Err(Box::new(ParseError {
                        offset: t.start,
                        beyond_limit: false,
                        message: format!("expecting '{}', found 'EOF'", close.as_str()),
                    }))
                }
                TokKind::Punct(p) if p == open => depth += 1,
                TokKind::Punct(p) if p == close => depth -= 1,
                _ => {}
            }
        }
        Ok(())
    }

    fn skip_balanced_braces(&mut self) -> PResult<()> {
        self.with_newlines(true, |p| p.skip_balanced(P::LBrace, P::RBrace))
    }

    fn paren_expression(&mut self) -> PResult<Expr<'a>> {
        self.skip_nls()?;
        self.expect_punct(P::LParen)?;
        let e = self.with_newlines(true, |p| p.expression())?;
        self.with_newlines(true, |p| p.expect_punct(P::RParen))?;
        Ok(e)
    }

    /// Skips a type (`String`, `List<Map<String, X>>`, `int[]`, `a.b.C`) starting at lookahead
    /// `n`; returns the index after it.
    fn type_at(&mut self, mut n: usize) -> PResult<Option<usize>> {
        let first = self.peek_raw(n)?;
        if first.kind != TokKind::Ident || is_keyword(self.text(&first)) {
            return Ok(None);
        }
        n += 1;
        while matches!(self.peek_raw(n)?.kind, TokKind::Punct(P::Dot))
            && self.peek_raw(n + 1)?.kind == TokKind::Ident
        {
            n += 2;
        }
        if matches!(self.peek_raw(n)?.kind, TokKind::Punct(P::Lt)) {
            let mut depth = 0i32;
            loop {
                if n > MAX_LOOKAHEAD {
                    return Ok(None);
                }
                match self.peek_raw(n)?.kind {
                    TokKind::Punct(P::Lt) => depth += 1,
                    TokKind::Punct(P::Gt) => depth -= 1,
                    TokKind::Ident
                    | TokKind::Punct(P::Comma)
                    | TokKind::Punct(P::Dot)
                    | TokKind::Punct(P::Question) => {}
                    TokKind::Punct(P::LBracket) | TokKind::Punct(P::RBracket) => {}
                    _ => return Ok(None),
                }
                n += 1;
                if depth <= 0 {
                    break;
                }
            }
        }
        while matches!(self.peek_raw(n)?.kind, TokKind::Punct(P::LBracket))
            && matches!(self.peek_raw(n + 1)?.kind, TokKind::Punct(P::RBracket))
        {
            n += 2;
        }
        Ok(Some(n))
    }

    /// `def x = …`, `final String x`, `def f(…) { … }`, `String x = …`, `def (a, b) = …`.
    fn declaration(&mut self) -> PResult<Option<StmtKind<'a>>> {
        let mut n = 0;
        let mut modifiers = 0;
        loop {
            let t = self.peek_raw(n)?;
            if t.kind != TokKind::Ident || !is_modifier(self.text(&t)) {
                break;
            }
            n += 1;
            modifiers += 1;
        }
        let after_modifiers = self.peek_raw(n)?;
        if modifiers > 0
            && after_modifiers.kind == TokKind::Ident
            && matches!(
                self.text(&after_modifiers),
                "class" | "interface" | "enum" | "trait"
            )
        {
            return self.type_definition().map(Some);
        }
        if modifiers > 0 && matches!(self.peek_raw(n)?.kind, TokKind::Punct(P::LParen)) {
            // def (a, b) = [1, 2]
            for _ in 0..n {
                self.bump()?;
            }
            self.skip_balanced(P::LParen, P::RParen)?;
            self.expect_punct(P::Assign)?;
            let value = self.expression_or_command()?;
            return Ok(Some(StmtKind::Decl {
                name: "",
                value: Some(value),
            }));
        }
        let name_at = match after_modifiers.kind {
            TokKind::Ident => {
                let w = self.text(&after_modifiers);
                let typed = is_primitive(w) || is_upper_ident(w) || (modifiers > 0);
                let after_type = if typed { self.type_at(n)? } else { None };
                match after_type {
                    Some(m) if self.peek_raw(m)?.kind == TokKind::Ident => m,
                    // `def x` — the identifier after the modifiers is the name.
                    _ if modifiers > 0 => n,
                    _ => return Ok(None),
                }
            }
            _ if modifiers > 0 => {
                let t = self.peek_raw(n)?;
                return Err(self.unexpected(&t));
            }
            _ => return Ok(None),
        };
        let name_tok = self.peek_raw(name_at)?;
        if name_tok.kind != TokKind::Ident {
            return Err(self.unexpected(&name_tok));
        }
        let name = self.text(&name_tok);
        let after = self.peek_raw(name_at + 1)?;
        let is_decl = matches!(
            after.kind,
            TokKind::Punct(P::Assign)
                | TokKind::Punct(P::LParen)
                | TokKind::Punct(P::Semi)
                | TokKind::Punct(P::Comma)
                | TokKind::Punct(P::RBrace)
                | TokKind::Newline
                | TokKind::Eof
        );
        if !is_decl {
            if modifiers > 0 {
                return Err(self.unexpected(&after));
            }
            return Ok(None);
        }
        for _ in 0..=name_at {
            self.skip_raw();
        }
        self.last_end = self.tokens.get(self.pos).map_or(self.last_end, |t| t.start);
        if matches!(after.kind, TokKind::Punct(P::LParen)) {
            self.with_newlines(true, |p| p.skip_balanced(P::LParen, P::RParen))?;
            if self.at_ident("throws")? {
                self.bump()?;
                self.qualified_name()?;
                while self.eat_punct(P::Comma)? {
                    self.qualified_name()?;
                }
            }
            self.skip_nls()?;
            let body = self.block()?;
            return Ok(Some(StmtKind::Method { name, body }));
        }
        let mut value = None;
        if self.eat_punct(P::Assign)? {
            self.skip_nls()?;
            value = Some(self.expression_or_command()?);
        }
        // `def a = 1, b = 2`
        while self.eat_punct(P::Comma)? {
            self.skip_nls()?;
            self.bump()?;
            if self.eat_punct(P::Assign)? {
                self.skip_nls()?;
                self.expression()?;
            }
        }
        Ok(Some(StmtKind::Decl { name, value }))
    }

    fn expression_statement(&mut self) -> PResult<StmtKind<'a>> {
        Ok(StmtKind::Expr(self.expression_or_command()?))
    }

    // ---- expressions ----

    /// An expression, or a parentheses-less command call (`sh 'make'`, `string name: 'X'`).
    fn expression_or_command(&mut self) -> PResult<Expr<'a>> {
        let e = self.expression()?;
        let path = matches!(e.kind, ExprKind::Ident(_) | ExprKind::Property { .. });
        if path && self.starts_command_argument()? {
            return self.command_call(e);
        }
        Ok(e)
    }

    fn starts_command_argument(&mut self) -> PResult<bool> {
        let t = self.peek_raw(0)?;
        Ok(match t.kind {
            TokKind::Ident => !matches!(self.text(&t), "in" | "instanceof" | "as"),
            TokKind::Str(_) | TokKind::GString | TokKind::Num => true,
            TokKind::Punct(p) => matches!(p, P::Bang | P::Tilde | P::At),
            _ => false,
        })
    }

    fn command_call(&mut self, callee: Expr<'a>) -> PResult<Expr<'a>> {
        let start = callee.span.start;
        let (receiver, name, name_span) = match callee.kind {
            ExprKind::Ident(name) => (None, name, callee.span),
            ExprKind::Property { target, name } => (Some(*target), name, callee.span),
            _ => unreachable!("command callee is a path"),
        };
        let args = self.command_arguments()?;
        let mut call = Call {
            receiver,
            name,
            name_span,
            args,
            closure: None,
            parens: false,
        };
        if self.at_punct(P::LBrace)? {
            call.closure = Some(self.closure()?);
        }
        let mut e = Expr {
            kind: ExprKind::Call(self.alloc(call)),
            span: Span {
                start,
                end: self.last_end,
            },
        };
        // Command chains: `a b c d` is `a(b).c(d)`; a keyword (`else`) ends the command.
        let mut chain = 0;
        loop {
            let next = self.peek_raw(0)?;
            if next.kind != TokKind::Ident || is_keyword(self.text(&next)) {
                break;
            }
            chain += 1;
            if chain > MAX_CHAIN {
                return Err(self.unexpected(&next));
            }
            let t = self.bump()?;
            let name = self.text(&t);
            let name_span = Span {
                start: t.start,
                end: t.end,
            };
            if !self.starts_command_argument()? {
                e = Expr {
                    kind: ExprKind::Property {
                        target: self.alloc(e),
                        name,
                    },
                    span: Span { start, end: t.end },
                };
                continue;
            }
            let args = self.command_arguments()?;
            e = Expr {
                kind: ExprKind::Call(self.alloc(Call {
                    receiver: Some(e),
                    name,
                    name_span,
                    args,
                    closure: None,
                    parens: false,
                })),
                span: Span {
                    start,
                    end: self.last_end,
                },
            };
        }
        Ok(e)
    }

    /// The arguments of a command call (`sh 'make'`, `a b, c`): comma-separated, no parentheses.
    fn command_arguments(&mut self) -> PResult<&'a [Arg<'a>]> {
        let mark = self.args.len();
        loop {
            let arg = self.argument()?;
            self.args.push(arg);
            if !self.eat_punct(P::Comma)? {
                break;
            }
            self.skip_nls()?;
        }
        Ok(self.take_args(mark))
    }

    /// The arguments pushed since `mark`, moved into the arena.
    fn take_args(&mut self, mark: usize) -> &'a [Arg<'a>] {
        let args = self.arena.alloc_slice_copy(&self.args[mark..]);
        self.args.truncate(mark);
        args
    }

    /// `*: map` (spread map entry) or `*list` (spread items). Kept out of [`Self::argument`]
    /// so the frame of that recursive function stays small.
    #[inline(never)]
    fn spread_argument(&mut self, t0: &Token, t1: &Token) -> PResult<Arg<'a>> {
        self.bump()?;
        let map = t1.is(P::Colon);
        if map {
            self.bump()?;
        }
        self.skip_nls()?;
        let value = self.expression()?;
        let mark = Expr {
            kind: ExprKind::Other,
            span: Span {
                start: t0.start,
                end: if map { t0.end } else { value.span.end },
            },
        };
        Ok(if map {
            Arg::Named { key: mark, value }
        } else {
            Arg::Positional(mark)
        })
    }

    /// One argument of a call: `key: value` or a positional expression.
    fn argument(&mut self) -> PResult<Arg<'a>> {
        let t0 = self.peek(0)?;
        let t1 = self.peek(1)?;
        if matches!(t1.kind, TokKind::Punct(P::Colon)) {
            let key = match t0.kind {
                TokKind::Ident => Some(ExprKind::Str(self.text(&t0))),
                TokKind::Str(_) => Some(ExprKind::Str(self.string_value(&t0))),
                TokKind::GString => Some(ExprKind::GString),
                TokKind::Num => Some(ExprKind::Num(self.number_value(&t0))),
                _ => None,
            };
            if let Some(kind) = key {
                self.bump()?;
                self.bump()?;
                self.skip_nls()?;
                let value = self.expression()?;
                return Ok(Arg::Named {
                    key: Expr {
                        kind,
                        span: Span {
                            start: t0.start,
                            end: t0.end,
                        },
                    },
                    value,
                });
            }
        }
        if t0.is(P::Star) {
            return self.spread_argument(&t0, &t1);
        }
        if matches!(t0.kind, TokKind::Punct(P::LParen)) {
            // `(expr): value` map-style key, or a parenthesized positional argument.
            let e = self.expression()?;
            if self.eat_punct(P::Colon)? {
                self.skip_nls()?;
                let value = self.expression()?;
                return Ok(Arg::Named { key: e, value });
            }
            return Ok(Arg::Positional(e));
        }
        Ok(Arg::Positional(self.expression()?))
    }

    pub fn expression(&mut self) -> PResult<Expr<'a>> {
        let t = self.peek(0)?;
        self.enter(t.start)?;
        let r = self.assignment();
        self.leave();
        r
    }

    fn assignment(&mut self) -> PResult<Expr<'a>> {
        let lhs = self.ternary()?;
        let t = self.peek(0)?;
        if let TokKind::Punct(op) = t.kind {
            if matches!(
                op,
                P::Assign
                    | P::PlusAssign
                    | P::MinusAssign
                    | P::StarAssign
                    | P::SlashAssign
                    | P::PercentAssign
                    | P::PowAssign
                    | P::ShlAssign
                    | P::ShrAssign
                    | P::UShrAssign
                    | P::AndAssign
                    | P::OrAssign
                    | P::XorAssign
            ) {
                self.bump()?;
                self.skip_nls()?;
                let value = self.expression_or_command_inner()?;
                let span = Span {
                    start: lhs.span.start,
                    end: value.span.end,
                };
                return Ok(Expr {
                    kind: ExprKind::Assign {
                        target: self.alloc(lhs),
                        value: self.alloc(value),
                    },
                    span,
                });
            }
        }
        Ok(lhs)
    }

    fn expression_or_command_inner(&mut self) -> PResult<Expr<'a>> {
        let e = self.expression()?;
        let path = matches!(e.kind, ExprKind::Ident(_) | ExprKind::Property { .. });
        if path && !self.ignoring_newlines() && self.starts_command_argument()? {
            return self.command_call(e);
        }
        Ok(e)
    }

    fn ternary(&mut self) -> PResult<Expr<'a>> {
        let cond = self.binary(0)?;
        let t = self.peek_continuation()?;
        match t.kind {
            TokKind::Punct(P::Elvis) => {
                self.skip_nls()?;
                self.bump()?;
                self.skip_nls()?;
                let fallback = self.nested(|p| p.ternary())?;
                let span = Span {
                    start: cond.span.start,
                    end: fallback.span.end,
                };
                Ok(Expr {
                    kind: ExprKind::Elvis {
                        value: self.alloc(cond),
                        fallback: self.alloc(fallback),
                    },
                    span,
                })
            }
            TokKind::Punct(P::Question) => {
                self.skip_nls()?;
                self.bump()?;
                self.skip_nls()?;
                let then = self.nested(|p| p.ternary())?;
                self.skip_nls()?;
                self.expect_punct(P::Colon)?;
                self.skip_nls()?;
                let otherwise = self.nested(|p| p.ternary())?;
                let span = Span {
                    start: cond.span.start,
                    end: otherwise.span.end,
                };
                Ok(Expr {
                    kind: ExprKind::Ternary {
                        cond: self.alloc(cond),
                        then: self.alloc(then),
                        otherwise: self.alloc(otherwise),
                    },
                    span,
                })
            }
            _ => Ok(cond),
        }
    }

    /// The next token, looking past line breaks only when it continues an expression
    /// (`?`, `?:`, `.`, `?.`, `*.`).
    #[inline]
    fn peek_continuation(&mut self) -> PResult<Token> {
        match self.tokens.get(self.pos) {
            Some(&t) if !matches!(t.kind, TokKind::Newline) => Ok(t),
            _ => self.peek_continuation_past_newlines(),
        }
    }

    /// [`Self::peek_continuation`] at a line break (or at the end of the lexed tokens).
    #[inline(never)]
    fn peek_continuation_past_newlines(&mut self) -> PResult<Token> {
        let t = self.peek(0)?;
        if t.kind != TokKind::Newline {
            return Ok(t);
        }
        let mut n = 0;
        while self.peek_raw(n)?.kind == TokKind::Newline {
            n += 1;
        }
        let next = self.peek_raw(n)?;
        if matches!(
            next.kind,
            TokKind::Punct(P::Question | P::Elvis | P::Dot | P::SafeDot | P::SpreadDot)
        ) {
            return Ok(next);
        }
        Ok(t)
    }

    fn binary_precedence(op: P) -> Option<u8> {
        Some(match op {
            P::OrOr => 1,
            P::AndAnd => 2,
            P::Or => 3,
            P::Caret => 4,
            P::And => 5,
            P::Eq
            | P::NotEq
            | P::Spaceship
            | P::RegexFind
            | P::RegexMatch
            | P::Identical
            | P::NotIdentical => 6,
            P::Lt | P::Gt | P::LtEq | P::GtEq => RELATIONAL,
            P::Shl | P::Range | P::RangeExclusive => 8,
            P::Plus | P::Minus => 9,
            P::Star | P::Slash | P::Percent => 10,
            P::Pow => POWER,
            _ => return None,
        })
    }

    /// The binary operator at `t` (`in`, `instanceof` and `as` are words) and its precedence.
    fn binary_operator(&self, t: &Token) -> Option<(&'static str, u8)> {
        match t.kind {
            TokKind::Punct(p) => Self::binary_precedence(p).map(|prec| (p.as_str(), prec)),
            TokKind::Ident => match self.text(t) {
                "in" => Some(("in", RELATIONAL)),
                "instanceof" => Some(("instanceof", RELATIONAL)),
                "as" => Some(("as", RELATIONAL)),
                _ => None,
            },
            _ => None,
        }
    }

    fn binary(&mut self, min_prec: u8) -> PResult<Expr<'a>> {
        let mut lhs = self.unary()?;
        let mut chain = 0;
        loop {
            let t = self.peek(0)?;
            chain += 1;
            if chain > MAX_CHAIN {
                return Err(Box::new(ParseError {
                    offset: t.start,
                    beyond_limit: true,
                    message: format!("expression longer than {MAX_CHAIN} operators"),
                }));
            }
            let Some((op, prec)) = self.binary_operator(&t) else {
                break;
            };
            if prec < min_prec {
                break;
            }
            self.bump()?;
            self.skip_nls()?;
            let takes_type = t.kind == TokKind::Ident && op != "in";
            if takes_type {
                let Some(end) = self.type_at(0)? else {
                    let t = self.peek(0)?;
                    return Err(self.unexpected(&t));
                };
                for _ in 0..end {
                    self.bump()?;
                }
                lhs = Expr {
                    kind: ExprKind::Other,
                    span: Span {
                        start: lhs.span.start,
                        end: self.last_end,
                    },
                };
                continue;
            }
            let rhs = if prec == POWER {
                self.nested(|p| p.binary(prec))?
            } else {
                self.binary(prec + 1)?
            };
            let span = Span {
                start: lhs.span.start,
                end: rhs.span.end,
            };
            lhs = Expr {
                kind: ExprKind::Binary {
                    op,
                    lhs: self.alloc(lhs),
                    rhs: self.alloc(rhs),
                },
                span,
            };
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> PResult<Expr<'a>> {
        let t = self.peek(0)?;
        if let TokKind::Punct(
            op @ (P::Bang | P::Tilde | P::Minus | P::Plus | P::PlusPlus | P::MinusMinus),
        ) = t.kind
        {
            self.bump()?;
            self.enter(t.start)?;
            let operand = self.unary();
            self.leave();
            let operand = operand?;
            let span = Span {
                start: t.start,
                end: operand.span.end,
            };
            // Groovy folds a minus sign into a number literal: `-1` is a constant.
            if op == P::Minus {
                if let ExprKind::Num(n) = &operand.kind {
                    let folded = match n {
                        Number::Int(v) => {
                            v.checked_neg().map(Number::Int).unwrap_or(Number::BigInt)
                        }
                        Number::BigInt => Number::BigInt,
                        Number::Decimal(d) => {
                            Number::Decimal(self.arena.alloc_str(&format!("-{d}")))
                        }
                    };
                    return Ok(Expr {
                        kind: ExprKind::Num(folded),
                        span,
                    });
                }
            }
            return Ok(Expr {
                kind: ExprKind::Unary {
                    op: op.as_str(),
                    operand: self.alloc(operand),
                },
                span,
            });
        }
        if matches!(t.kind, TokKind::Punct(P::LParen)) {
            if let Some(end) = self.cast_at()? {
                for _ in 0..end {
                    self.bump()?;
                }
                let operand = self.unary()?;
                return Ok(Expr {
                    kind: ExprKind::Other,
                    span: Span {
                        start: t.start,
                        end: operand.span.end,
                    },
                });
            }
        }
        self.postfix()
    }

    /// `(Type) expr`: returns the index just after `)` when a cast starts here.
    fn cast_at(&mut self) -> PResult<Option<usize>> {
        let first = self.peek_raw(1)?;
        if first.kind != TokKind::Ident {
            return Ok(None);
        }
        let name = self.text(&first);
        if !(is_upper_ident(name) || is_primitive(name)) {
            return Ok(None);
        }
        let Some(end) = self.type_at(1)? else {
            return Ok(None);
        };
        if !matches!(self.peek_raw(end)?.kind, TokKind::Punct(P::RParen)) {
            return Ok(None);
        }
        let next = self.peek_raw(end + 1)?;
        let operand_starts = match next.kind {
            TokKind::Ident => !is_keyword(self.text(&next)),
            TokKind::Str(_) | TokKind::GString | TokKind::Num => true,
            TokKind::Punct(p) => matches!(p, P::LParen | P::LBracket | P::Bang),
            _ => false,
        };
        Ok(operand_starts.then_some(end + 1))
    }

    fn postfix(&mut self) -> PResult<Expr<'a>> {
        let mut e = self.primary()?;
        let mut chain = 0;
        loop {
            let t = self.peek_continuation()?;
            chain += 1;
            if chain > MAX_CHAIN {
                return Err(Box::new(ParseError {
                    offset: t.start,
                    beyond_limit: true,
                    message: format!("expression longer than {MAX_CHAIN} member accesses"),
                }));
            }
            e = match t.kind {
                TokKind::Punct(P::Dot | P::SafeDot | P::SpreadDot) => self.member(e)?,
                TokKind::Punct(P::MethodPointer) => self.method_pointer(e)?,
                TokKind::Punct(P::LParen) if self.adjacent(&t)? => self.call_on(e)?,
                TokKind::Punct(P::LBracket) if self.adjacent(&t)? => self.index(e)?,
                TokKind::Punct(P::PlusPlus | P::MinusMinus) if self.adjacent(&t)? => {
                    self.increment(e)?
                }
                _ if self.closure_can_follow(&e)? => self.appended_closure(e)?,
                _ => break,
            };
        }
        Ok(e)
    }

    /// Whether `t` (from [`Self::peek_continuation`]) is the next token, no line break before.
    fn adjacent(&mut self, t: &Token) -> PResult<bool> {
        Ok(t.start == self.peek_raw(0)?.start)
    }

    /// `.name`, `?.name`, `*.name`: a property, or a method call `.m(…)` / `.m { … }`.
    fn member(&mut self, target: Expr<'a>) -> PResult<Expr<'a>> {
        self.skip_nls()?;
        self.bump()?;
        self.skip_nls()?;
        let name_tok = self.bump()?;
        let name = self.member_name(&name_tok)?;
        let start = target.span.start;
        let name_span = Span {
            start: name_tok.start,
            end: name_tok.end,
        };
        match self.peek_raw(0)?.kind {
            TokKind::Punct(P::LParen) => self.paren_call(Some(target), name, name_span, start),
            TokKind::Punct(P::LBrace) => {
                let closure = self.closure()?;
                let call = Call {
                    receiver: Some(target),
                    name,
                    name_span,
                    args: &[],
                    closure: Some(closure),
                    parens: false,
                };
                Ok(self.call_expr(call, start))
            }
            _ => Ok(Expr {
                kind: ExprKind::Property {
                    target: self.alloc(target),
                    name,
                },
                span: Span {
                    start,
                    end: name_tok.end,
                },
            }),
        }
    }

    /// The name after `.`: a word, a string (`x.'a b'`), a GString, or `@field`.
    fn member_name(&mut self, t: &Token) -> PResult<&'a str> {
        Ok(match t.kind {
            TokKind::Ident => self.text(t),
            TokKind::Str(_) => self.string_value(t),
            TokKind::GString => "<gstring>",
            TokKind::Punct(P::At) => {
                let field = self.bump()?;
                self.arena.alloc_str(&describe(self.src, &field))
            }
            _ => return Err(self.unexpected(t)),
        })
    }

    /// A call expression from `start` to the last token read.
    fn call_expr(&self, call: Call<'a>, start: usize) -> Expr<'a> {
        Expr {
            kind: ExprKind::Call(self.alloc(call)),
            span: Span {
                start,
                end: self.last_end,
            },
        }
    }

    /// `x.&name`: kept as an opaque expression.
    fn method_pointer(&mut self, target: Expr<'a>) -> PResult<Expr<'a>> {
        self.bump()?;
        let name_tok = self.bump()?;
        Ok(Expr {
            kind: ExprKind::Other,
            span: Span {
                start: target.span.start,
                end: name_tok.end,
            },
        })
    }

    /// `f(…)`, or `expr(…)`: a call of `expr.call(…)`.
    fn call_on(&mut self, callee: Expr<'a>) -> PResult<Expr<'a>> {
        let start = callee.span.start;
        match callee.kind {
            ExprKind::Ident(name) => self.paren_call(None, name, callee.span, start),
            _ => self.paren_call(Some(callee), "call", Span::default(), start),
        }
    }

    /// `expr[i]` (of `expr[a, b]`, the last index is kept).
    fn index(&mut self, target: Expr<'a>) -> PResult<Expr<'a>> {
        self.bump()?;
        let index = self.with_newlines(true, |p| {
            let mut last = p.expression()?;
            while p.eat_punct(P::Comma)? {
                last = p.expression()?;
            }
            p.expect_punct(P::RBracket)?;
            Ok(last)
        })?;
        let span = Span {
            start: target.span.start,
            end: self.last_end,
        };
        Ok(Expr {
            kind: ExprKind::Index {
                target: self.alloc(target),
                index: self.alloc(index),
            },
            span,
        })
    }

    /// `x++`, `x--`: kept as an opaque expression.
    fn increment(&mut self, target: Expr<'a>) -> PResult<Expr<'a>> {
        self.bump()?;
        Ok(Expr {
            kind: ExprKind::Other,
            span: Span {
                start: target.span.start,
                end: self.last_end,
            },
        })
    }

    /// A closure appended to a name or a parenthesized call, also on the next line
    /// (`stage('x')\n{`).
    fn appended_closure(&mut self, callee: Expr<'a>) -> PResult<Expr<'a>> {
        self.skip_nls()?;
        let closure = Some(self.closure()?);
        let call = match callee.kind {
            ExprKind::Ident(name) => Call {
                receiver: None,
                name,
                name_span: callee.span,
                args: &[],
                closure,
                parens: false,
            },
            ExprKind::Call(call) => Call { closure, ..*call },
            _ => unreachable!("closure_can_follow checked the kind"),
        };
        Ok(self.call_expr(call, callee.span.start))
    }

    fn closure_can_follow(&mut self, e: &Expr<'a>) -> PResult<bool> {
        let callable = match &e.kind {
            ExprKind::Ident(name) => !is_keyword(name),
            ExprKind::Call(c) => c.closure.is_none() && c.parens,
            _ => false,
        };
        if !callable {
            return Ok(false);
        }
        if self.ignoring_newlines() {
            return self.at_punct(P::LBrace);
        }
        let mut n = 0;
        while self.peek_raw(n)?.kind == TokKind::Newline {
            n += 1;
        }
        Ok(matches!(self.peek_raw(n)?.kind, TokKind::Punct(P::LBrace)))
    }

    fn paren_call(
        &mut self,
        receiver: Option<Expr<'a>>,
        name: &'a str,
        name_span: Span,
        start: usize,
    ) -> PResult<Expr<'a>> {
        let args = self.with_newlines(true, |p| {
            p.expect_punct(P::LParen)?;
            let mark = p.args.len();
            while !p.at_punct(P::RParen)? {
                let arg = p.argument()?;
                p.args.push(arg);
                if !p.eat_punct(P::Comma)? {
                    break;
                }
            }
            p.expect_punct(P::RParen)?;
            Ok(p.take_args(mark))
        })?;
        Ok(Expr {
            kind: ExprKind::Call(self.alloc(Call {
                receiver,
                name,
                name_span,
                args,
                closure: None,
                parens: true,
            })),
            span: Span {
                start,
                end: self.last_end,
            },
        })
    }

    fn closure(&mut self) -> PResult<Closure<'a>> {
        let open = self.expect_punct(P::LBrace)?;
        self.enter(open.start)?;
        let r = self.with_newlines(false, |p| {
            let params = p.closure_params()?;
            let body = p.statements()?;
            p.expect_punct(P::RBrace)?;
            Ok((params, body))
        });
        self.leave();
        let (params, body) = r?;
        Ok(Closure {
            params,
            body,
            span: Span {
                start: open.start,
                end: self.last_end,
            },
        })
    }

    /// `a, b ->`, `String s ->` or `a, b = 1 ->` at the start of a closure.
    fn closure_params(&mut self) -> PResult<&'a [&'a str]> {
        let Some(arrow) = self.scan_closure_params(None)? else {
            return Ok(&[]);
        };
        let mut names = Vec::new();
        self.scan_closure_params(Some(&mut names))?;
        for _ in 0..=arrow {
            self.skip_raw();
        }
        Ok(self.arena.alloc_slice_copy(&names))
    }

    /// Where the `->` of closure parameters is in the lookahead, if the closure has them;
    /// the parameter names go to `names`.
    fn scan_closure_params(
        &mut self,
        mut names: Option<&mut Vec<&'a str>>,
    ) -> PResult<Option<usize>> {
        let mut n = 0;
        // Inside a default value (`= …` up to the next top-level `,` or `->`), and its nesting.
        let mut in_default = false;
        let mut depth = 0usize;
        loop {
            if n > MAX_LOOKAHEAD {
                return Ok(None);
            }
            let t = self.peek_raw(n)?;
            match t.kind {
                TokKind::Punct(P::Arrow) if depth == 0 => return Ok(Some(n)),
                TokKind::Punct(P::Comma) if depth == 0 => in_default = false,
                TokKind::Punct(P::Assign) if depth == 0 && !in_default => in_default = true,
                TokKind::Punct(P::LParen | P::LBracket) if in_default => depth += 1,
                TokKind::Punct(P::RParen | P::RBracket) if in_default && depth > 0 => depth -= 1,
                TokKind::Punct(P::LBrace | P::RBrace | P::Semi) | TokKind::Eof => return Ok(None),
                TokKind::Newline if in_default && depth > 0 => {}
                _ if in_default => {}
                TokKind::Ident => {
                    if let Some(names) = names.as_deref_mut() {
                        names.push(self.text(&t));
                    }
                }
                TokKind::Punct(P::Comma | P::Lt | P::Gt | P::Dot | P::LBracket | P::RBracket) => {}
                TokKind::Newline if n == 0 => {}
                _ => return Ok(None),
            }
            n += 1;
        }
    }

    fn primary(&mut self) -> PResult<Expr<'a>> {
        let t = self.bump()?;
        self.count_node(t.start)?;
        let span = Span {
            start: t.start,
            end: t.end,
        };
        let kind = match t.kind {
            TokKind::Str(_) => ExprKind::Str(self.string_value(&t)),
            TokKind::GString => ExprKind::GString,
            TokKind::Num => ExprKind::Num(self.number_value(&t)),
            TokKind::Ident => match self.text(&t) {
                "true" => ExprKind::Bool(true),
                "false" => ExprKind::Bool(false),
                "null" => ExprKind::Null,
                "new" => return self.new_expression(t.start),
                w if is_keyword(w) || is_modifier(w) => return Err(self.unexpected(&t)),
                w => ExprKind::Ident(w),
            },
            TokKind::Punct(P::LParen) => {
                let mut inner = self.with_newlines(true, |p| {
                    let e = p.expression_or_command_inner()?;
                    p.expect_punct(P::RParen)?;
                    Ok(e)
                })?;
                // Groovy positions a parenthesized expression from its opening parenthesis.
                inner.span = Span {
                    start: t.start,
                    end: self.last_end,
                };
                return Ok(inner);
            }
            TokKind::Punct(P::LBracket) => return self.list_or_map(t.start),
            TokKind::Punct(P::LBrace) => {
                // Back to the `{` just consumed: the closure reads it.
                self.pos -= 1;
                let c = self.closure()?;
                let span = c.span;
                return Ok(Expr {
                    kind: ExprKind::Closure(self.alloc(c)),
                    span,
                });
            }
            _ => return Err(self.unexpected(&t)),
        };
        Ok(Expr { kind, span })
    }

    fn new_expression(&mut self, start: usize) -> PResult<Expr<'a>> {
        let Some(end) = self.type_at(0)? else {
            let t = self.peek(0)?;
            return Err(self.unexpected(&t));
        };
        for _ in 0..end {
            self.bump()?;
        }
        if matches!(self.peek_raw(0)?.kind, TokKind::Punct(P::LParen)) {
            self.paren_call(None, "new", Span::default(), start)?;
        } else if matches!(self.peek_raw(0)?.kind, TokKind::Punct(P::LBracket)) {
            self.with_newlines(true, |p| p.skip_balanced(P::LBracket, P::RBracket))?;
        }
        if self.at_punct(P::LBrace)? {
            self.skip_balanced_braces()?;
        }
        Ok(Expr {
            kind: ExprKind::Other,
            span: Span {
                start,
                end: self.last_end,
            },
        })
    }

    fn list_or_map(&mut self, start: usize) -> PResult<Expr<'a>> {
        self.with_newlines(true, |p| {
            if p.eat_punct(P::Colon)? {
                p.expect_punct(P::RBracket)?;
                return Ok(Expr {
                    kind: ExprKind::Map(&[]),
                    span: Span {
                        start,
                        end: p.last_end,
                    },
                });
            }
            let items = p.items.len();
            let entries = p.entries.len();
            let mut is_map = None;
            while !p.at_punct(P::RBracket)? {
                if p.at_punct(P::Star)? && p.peek(1)?.is(P::Colon) {
                    // spread map entry `*: other`
                    p.bump()?;
                    p.bump()?;
                    p.expression()?;
                } else {
                    match p.argument()? {
                        Arg::Named { key, value } => {
                            if is_map == Some(false) {
                                let t = p.peek(0)?;
                                return Err(p.unexpected(&t));
                            }
                            is_map = Some(true);
                            p.entries.push((key, value));
                        }
                        Arg::Positional(e) => {
                            if is_map == Some(true) {
                                return Err(Box::new(ParseError {
                                    offset: e.span.start,
                                    message: "expecting a map entry".into(),
                                    beyond_limit: false,
                                }));
                            }
                            is_map = Some(false);
                            p.items.push(e);
                        }
                    }
                }
                if !p.eat_punct(P::Comma)? {
                    break;
                }
            }
            p.expect_punct(P::RBracket)?;
            let span = Span {
                start,
                end: p.last_end,
            };
            let kind = if is_map == Some(true) {
                ExprKind::Map(p.arena.alloc_slice_copy(&p.entries[entries..]))
            } else {
                ExprKind::List(p.arena.alloc_slice_copy(&p.items[items..]))
            };
            p.items.truncate(items);
            p.entries.truncate(entries);
            Ok(Expr { kind, span })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses into an arena that lives as long as the test.
    fn parse_program(src: &str) -> PResult<&[Stmt<'_>]> {
        super::parse_program(src, Box::leak(Box::new(Bump::new())))
    }

    fn parse(src: &str) -> &[Stmt<'_>] {
        parse_program(src).unwrap_or_else(|e| panic!("{src:?}: {e:?}"))
    }

    #[test]
    fn parses_declarative_shapes() {
        let stmts = parse(
            "@Library('x') _\ndef v = 'a'\npipeline {\n agent any\n parameters {\n string(name: 'A', defaultValue: 'x',)\n booleanParam name: 'B',\n   defaultValue: true\n }\n stages { stage('s')\n { steps { sh \"echo ${v}\"; echo 'b' } } }\n}\n",
        );
        let pipeline = stmts
            .iter()
            .find_map(|s| s.as_call().filter(|c| c.name == "pipeline"))
            .unwrap();
        let body = &pipeline.closure.as_ref().unwrap().body;
        let names: Vec<_> = body
            .iter()
            .filter_map(|s| s.as_call())
            .map(|c| c.name)
            .collect();
        assert_eq!(names, ["agent", "parameters", "stages"]);
        let params = body[1].as_call().unwrap().closure.as_ref().unwrap();
        assert_eq!(params.body.len(), 2);
        assert_eq!(params.body[1].as_call().unwrap().args.len(), 2);
    }

    #[test]
    fn groovy_constructs() {
        parse("import groovy.transform.Field\n@Field def String X = 'a'\nclass A { def f() { } }\ndef f(String a, b = 1) {\n return a ? b : null\n}\nfor (x in [1,2]) { println x }\ntry { a() } catch (Exception e) { b() } finally { c() }\nif (a) b() else { c() }\nif (x)\n{\n y()\n}\nelse\n{\n z()\n}\nswitch (x) { case 1: break; default: y() }\ndef m = [a: 1, 'b': [1, 2], (k): 3]\nList<String> l = []\nx = (String) y\nz = list.collect { it -> it * 2 }.join(',')\nfoo.bar().baz\n  .qux()\nw = a ?: b\nv = !x && y || -1 > 2\nn = new Date().time\n");
    }

    #[test]
    fn rejects_what_groovy_rejects() {
        for src in [
            // YAML: `parameters:` is a Groovy statement label, `- name: x` is not Groovy
            "parameters:\n  - name: x",
            "string(name: 'a' description: 'b')",
            "foo(\n a\n b)",
            "pipeline { parameters { a(), b() } }",
            "foo(",
            "[1, 2",
        ] {
            assert!(parse_program(src).is_err(), "{src:?} should fail");
        }
    }

    #[test]
    fn files_longer_than_the_token_buffer_parse_whole() {
        let src = "echo 'x'\n".repeat(3 * KEEP_CONSUMED);
        assert_eq!(parse(&src).len(), 3 * KEEP_CONSUMED);
    }

    #[test]
    fn the_first_error_in_reading_order_is_the_one_reported() {
        // The lexer reads ahead past the syntax error to the unterminated string.
        let syntax = parse_program("foo(\n)) 'unterminated").unwrap_err();
        assert_eq!(syntax.message, "unexpected token: )");
        let lexing = parse_program("x = 1\ny = 'unterminated").unwrap_err();
        assert_eq!(lexing.message, "unterminated string literal");
        assert_eq!(lexing.offset, 10);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = "(".repeat(100_000);
        assert!(parse_program(&src).is_err());
        let src = "a {".repeat(10_000);
        assert!(parse_program(&src).is_err());
    }
}
