//! The Groovy syntax tree the parser builds: just enough structure for declarative pipelines,
//! parameter definitions and the steps a simulator runs. Spans are byte ranges of the
//! unicode-decoded source.

use super::lexer::Number;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A constant string (no interpolation).
    Str(String),
    /// An interpolated string (`"${x}"`, `"$x"`, slashy with `$`).
    GString,
    Num(Number),
    Bool(bool),
    Null,
    Ident(String),
    List(Vec<Expr>),
    Map(Vec<(Expr, Expr)>),
    Call(Box<Call>),
    Property {
        target: Box<Expr>,
        name: String,
    },
    Index {
        target: Box<Expr>,
        index: Box<Expr>,
    },
    Binary {
        op: &'static str,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Unary {
        op: &'static str,
        operand: Box<Expr>,
    },
    Ternary {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    Elvis {
        value: Box<Expr>,
        fallback: Box<Expr>,
    },
    Closure(Box<Closure>),
    Assign {
        target: Box<Expr>,
        value: Box<Expr>,
    },
    /// Anything else the parser accepts but nothing downstream inspects (`new X()`, casts, …).
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// `None` for a call on the implicit `this` (`echo 'x'`); `Some` for `obj.m()`.
    pub receiver: Option<Expr>,
    pub name: String,
    pub name_span: Span,
    pub args: Vec<Arg>,
    /// A trailing closure (`stage('x') { … }`), kept apart from `args`.
    pub closure: Option<Closure>,
    /// Whether the arguments were written inside parentheses.
    pub parens: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Named { key: Expr, value: Expr },
    Positional(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Closure {
    pub params: Vec<String>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    Expr(Expr),
    /// `def x = …`, `String x = …`.
    Decl {
        name: String,
        value: Option<Expr>,
    },
    /// `def name(params) { body }`.
    Method {
        name: String,
        body: Vec<Stmt>,
    },
    If {
        cond: Expr,
        then: Vec<Stmt>,
        otherwise: Vec<Stmt>,
    },
    /// `for`, `while`, `try`/`catch`/`finally`, bare `{ }` blocks: the nested statements.
    Block(Vec<Stmt>),
    Return(Option<Expr>),
    /// `import`, `package`, `class`, `switch`, `throw`, `break`, …: not inspected.
    Other,
}

impl Expr {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_call(&self) -> Option<&Call> {
        match &self.kind {
            ExprKind::Call(c) => Some(c),
            _ => None,
        }
    }
}

impl Stmt {
    /// The call on implicit `this` this statement consists of, if any.
    pub fn as_call(&self) -> Option<&Call> {
        match &self.kind {
            StmtKind::Expr(e) => e.as_call().filter(|c| c.receiver.is_none()),
            _ => None,
        }
    }
}

impl Call {
    pub fn named(&self, key: &str) -> Option<&Expr> {
        self.args.iter().find_map(|a| match a {
            Arg::Named { key: k, value }
                if k.as_str() == Some(key) || ident_name(k) == Some(key) =>
            {
                Some(value)
            }
            _ => None,
        })
    }

    pub fn positional(&self) -> impl Iterator<Item = &Expr> {
        self.args.iter().filter_map(|a| match a {
            Arg::Positional(e) => Some(e),
            _ => None,
        })
    }
}

pub fn ident_name(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Ident(s) => Some(s),
        _ => None,
    }
}
