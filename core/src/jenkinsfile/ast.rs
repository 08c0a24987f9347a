//! The Groovy syntax tree the parser builds: just enough structure for declarative pipelines,
//! parameter definitions and the steps a simulator runs. Spans are byte ranges of the
//! unicode-decoded source. The tree lives in an arena (`'s`) next to the source it borrows
//! identifiers and string values from: children are references and lists are slices, so
//! building it allocates no box per node and dropping it frees nothing node by node. Only a
//! string whose escapes must be decoded (or a negated decimal) has its text copied into the
//! arena.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A number literal's value: the lexer's [`Number`](super::lexer::Number) with its
/// decimal text in the arena.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number<'s> {
    Int(i64),
    /// An integer literal outside the `long` range (BigInteger).
    BigInt,
    /// A decimal literal (BigDecimal / double), as written without `_` and suffix.
    Decimal(&'s str),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Expr<'s> {
    pub kind: ExprKind<'s>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExprKind<'s> {
    /// A constant string (no interpolation).
    Str(&'s str),
    /// An interpolated string (`"${x}"`, `"$x"`, slashy with `$`).
    GString,
    Num(Number<'s>),
    Bool(bool),
    Null,
    Ident(&'s str),
    List(&'s [Expr<'s>]),
    Map(&'s [(Expr<'s>, Expr<'s>)]),
    Call(&'s Call<'s>),
    Property {
        target: &'s Expr<'s>,
        name: &'s str,
    },
    Index {
        target: &'s Expr<'s>,
        index: &'s Expr<'s>,
    },
    Binary {
        op: &'static str,
        lhs: &'s Expr<'s>,
        rhs: &'s Expr<'s>,
    },
    Unary {
        op: &'static str,
        operand: &'s Expr<'s>,
    },
    Ternary {
        cond: &'s Expr<'s>,
        then: &'s Expr<'s>,
        otherwise: &'s Expr<'s>,
    },
    Elvis {
        value: &'s Expr<'s>,
        fallback: &'s Expr<'s>,
    },
    Closure(&'s Closure<'s>),
    Assign {
        target: &'s Expr<'s>,
        value: &'s Expr<'s>,
    },
    /// Anything else the parser accepts but nothing downstream inspects (`new X()`, casts, …).
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Call<'s> {
    /// `None` for a call on the implicit `this` (`echo 'x'`); `Some` for `obj.m()`.
    pub receiver: Option<Expr<'s>>,
    pub name: &'s str,
    pub name_span: Span,
    pub args: &'s [Arg<'s>],
    /// A trailing closure (`stage('x') { … }`), kept apart from `args`.
    pub closure: Option<Closure<'s>>,
    /// Whether the arguments were written inside parentheses.
    pub parens: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'s> {
    Named { key: Expr<'s>, value: Expr<'s> },
    Positional(Expr<'s>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Closure<'s> {
    pub params: &'s [&'s str],
    pub body: &'s [Stmt<'s>],
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stmt<'s> {
    pub kind: StmtKind<'s>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq)]
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
        body: &'s [Stmt<'s>],
    },
    If {
        cond: Expr<'s>,
        then: &'s [Stmt<'s>],
        otherwise: &'s [Stmt<'s>],
    },
    /// `for`, `while`, `try`/`catch`/`finally`, bare `{ }` blocks: the nested statements.
    Block(&'s [Stmt<'s>]),
    Return(Option<Expr<'s>>),
    /// `import`, `package`, `class`, `switch`, `throw`, `break`, …: not inspected.
    Other,
}

// Nothing in the tree needs dropping: the arena frees it whole, and nothing leaks.
const _: () = assert!(!std::mem::needs_drop::<Stmt>() && !std::mem::needs_drop::<Call>());

impl<'s> Expr<'s> {
    pub fn as_str(&self) -> Option<&'s str> {
        match self.kind {
            ExprKind::Str(s) => Some(s),
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
