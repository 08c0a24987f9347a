//! The Groovy syntax tree the parser builds: just enough structure for declarative pipelines,
//! parameter definitions and the steps a simulator runs. Spans are byte ranges of the
//! unicode-decoded source. The tree borrows identifiers and string values from that source
//! (`'s`); only a string literal whose escapes must be decoded owns its value.

use std::borrow::Cow;

use super::lexer::Number;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr<'s> {
    pub kind: ExprKind<'s>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind<'s> {
    /// A constant string (no interpolation).
    Str(Cow<'s, str>),
    /// An interpolated string (`"${x}"`, `"$x"`, slashy with `$`).
    GString,
    Num(Number),
    Bool(bool),
    Null,
    Ident(&'s str),
    List(Vec<Expr<'s>>),
    Map(Vec<(Expr<'s>, Expr<'s>)>),
    Call(Box<Call<'s>>),
    Property {
        target: Box<Expr<'s>>,
        name: Cow<'s, str>,
    },
    Index {
        target: Box<Expr<'s>>,
        index: Box<Expr<'s>>,
    },
    Binary {
        op: &'static str,
        lhs: Box<Expr<'s>>,
        rhs: Box<Expr<'s>>,
    },
    Unary {
        op: &'static str,
        operand: Box<Expr<'s>>,
    },
    Ternary {
        cond: Box<Expr<'s>>,
        then: Box<Expr<'s>>,
        otherwise: Box<Expr<'s>>,
    },
    Elvis {
        value: Box<Expr<'s>>,
        fallback: Box<Expr<'s>>,
    },
    Closure(Box<Closure<'s>>),
    Assign {
        target: Box<Expr<'s>>,
        value: Box<Expr<'s>>,
    },
    /// Anything else the parser accepts but nothing downstream inspects (`new X()`, casts, …).
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call<'s> {
    /// `None` for a call on the implicit `this` (`echo 'x'`); `Some` for `obj.m()`.
    pub receiver: Option<Expr<'s>>,
    pub name: Cow<'s, str>,
    pub name_span: Span,
    pub args: Vec<Arg<'s>>,
    /// A trailing closure (`stage('x') { … }`), kept apart from `args`.
    pub closure: Option<Closure<'s>>,
    /// Whether the arguments were written inside parentheses.
    pub parens: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Arg<'s> {
    Named { key: Expr<'s>, value: Expr<'s> },
    Positional(Expr<'s>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Closure<'s> {
    pub params: Vec<&'s str>,
    pub body: Vec<Stmt<'s>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt<'s> {
    pub kind: StmtKind<'s>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind<'s> {
    Expr(Expr<'s>),
    /// `def x = …`, `String x = …`.
    Decl {
        name: &'s str,
        value: Option<Expr<'s>>,
    },
    /// `def name(params) { body }`.
    Method {
        name: &'s str,
        body: Vec<Stmt<'s>>,
    },
    If {
        cond: Expr<'s>,
        then: Vec<Stmt<'s>>,
        otherwise: Vec<Stmt<'s>>,
    },
    /// `for`, `while`, `try`/`catch`/`finally`, bare `{ }` blocks: the nested statements.
    Block(Vec<Stmt<'s>>),
    Return(Option<Expr<'s>>),
    /// `import`, `package`, `class`, `switch`, `throw`, `break`, …: not inspected.
    Other,
}

impl<'s> Expr<'s> {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Str(s) => Some(s.as_ref()),
            _ => None,
        }
    }

    pub fn as_call(&self) -> Option<&Call<'s>> {
        match &self.kind {
            ExprKind::Call(c) => Some(c),
            _ => None,
        }
    }
}

impl<'s> Stmt<'s> {
    /// The call on implicit `this` this statement consists of, if any.
    pub fn as_call(&self) -> Option<&Call<'s>> {
        match &self.kind {
            StmtKind::Expr(e) => e.as_call().filter(|c| c.receiver.is_none()),
            _ => None,
        }
    }
}

impl<'s> Call<'s> {
    pub fn named(&self, key: &str) -> Option<&Expr<'s>> {
        self.args.iter().find_map(|a| match a {
            Arg::Named { key: k, value }
                if k.as_str() == Some(key) || ident_name(k) == Some(key) =>
            {
                Some(value)
            }
            _ => None,
        })
    }

    pub fn positional(&self) -> impl Iterator<Item = &Expr<'s>> {
        self.args.iter().filter_map(|a| match a {
            Arg::Positional(e) => Some(e),
            _ => None,
        })
    }
}

pub fn ident_name<'s>(e: &Expr<'s>) -> Option<&'s str> {
    match &e.kind {
        ExprKind::Ident(s) => Some(*s),
        _ => None,
    }
}
