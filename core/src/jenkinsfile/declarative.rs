//! The declarative pipeline as a tree a run executor can walk: agent, stages (sequential,
//! nested, parallel, matrix), each stage's steps as calls with their arguments, `input`,
//! `when`, `post`. Built from the same syntax tree as the parameters.

use serde::Serialize;

use super::ast::{Arg, Call, Closure, Expr, ExprKind, Number, Stmt, StmtKind};
use super::definitions::{self, Form};
use super::source::Source;
use crate::model::ParameterDefinition;

/// A value written in the Jenkinsfile.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "camelCase")]
pub enum Value {
    String(String),
    Integer(i64),
    /// A decimal literal, as written (`2.50`).
    Decimal(String),
    Bool(bool),
    Null,
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
    /// An interpolated string: the raw text between its delimiters (`echo ${params.X}`),
    /// escapes not processed.
    Template(String),
    /// A closure argument (`timeout(5) { … }` keeps it in [`StepCall::body`] instead).
    Closure(Vec<Step>),
    /// A nested call (`usernamePassword(credentialsId: 'x', …)`).
    Call(Box<StepCall>),
    /// Any other Groovy expression, as source text (`env.BRANCH ?: 'main'`).
    Expression(String),
    /// A password parameter's default, withheld (the report's `password_default` has it).
    Masked,
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The text a step would see when no interpolation is needed: strings, templates (raw),
    /// numbers and booleans.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::String(s) | Value::Template(s) | Value::Decimal(s) => Some(s.clone()),
            Value::Integer(i) => Some(i.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The text with `${expr}` and `$name.path` replaced by `lookup(expr)` (e.g. `params.TAG`,
    /// `env.BUILD_NUMBER`, `VERSION`); expressions `lookup` does not know stay as written.
    /// Escapes of a template (`\n`, `\$`, …) are decoded as Groovy does.
    pub fn render(&self, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        match self {
            Value::Template(t) => Some(render_template(t, lookup)),
            other => other.as_text(),
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Integer(i) => Some(*i),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

fn render_template(t: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(t.len());
    let mut chars = t.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, 'b')) => out.push('\u{8}'),
                Some((_, 'f')) => out.push('\u{C}'),
                Some((_, '\n')) => {}
                Some((_, other)) => out.push(other),
                None => out.push('\\'),
            },
            '$' if t[i + 1..].starts_with('{') => {
                // Find the matching brace (nested braces in closures are rare but possible).
                let body_start = i + 2;
                let mut depth = 1;
                let mut end = None;
                for (j, d) in t[body_start..].char_indices() {
                    match d {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some(body_start + j);
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let Some(end) = end else {
                    out.push_str(&t[i..]);
                    return out;
                };
                let expr = t[body_start..end].trim();
                match lookup(expr) {
                    Some(v) => out.push_str(&v),
                    None => out.push_str(&t[i..=end]),
                }
                while chars.peek().is_some_and(|(k, _)| *k <= end) {
                    chars.next();
                }
            }
            '$' if t[i + 1..]
                .starts_with(|c: char| super::lexer::is_ident_start(c) && c != '$') =>
            {
                let rest = &t[i + 1..];
                let mut len = 0;
                for part in rest.split('.') {
                    let ident = part
                        .find(|c: char| !super::lexer::is_ident_part(c))
                        .unwrap_or(part.len());
                    if ident == 0 || part[..ident].starts_with('$') {
                        break;
                    }
                    len += if len == 0 { ident } else { ident + 1 };
                    if ident < part.len() {
                        break;
                    }
                }
                let expr = &rest[..len];
                match lookup(expr) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('$');
                        out.push_str(expr);
                    }
                }
                while chars.peek().is_some_and(|(k, _)| *k <= i + len) {
                    chars.next();
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// One argument of a step: `key: value` or positional.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepArg {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub value: Value,
}

/// A step or directive call: `sh 'make'`, `timeout(time: 5, unit: 'MINUTES') { … }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepCall {
    pub name: String,
    /// The object a method is called on (`docker.image('x')`), as source text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receiver: Option<String>,
    pub args: Vec<StepArg>,
    /// The trailing closure's steps (`retry(3) { … }`, `script { … }`, `dir('x') { … }`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Vec<Step>>,
    pub line: u32,
    /// When the call is a parameter definition (`string(name: …)` in an `input` step).
    #[serde(skip)]
    parameter: Option<Box<ParameterDefinition>>,
}

impl StepCall {
    /// A named argument.
    pub fn arg(&self, key: &str) -> Option<&Value> {
        self.args
            .iter()
            .find(|a| a.key.as_deref() == Some(key))
            .map(|a| &a.value)
    }

    /// The n-th positional argument.
    pub fn positional(&self, n: usize) -> Option<&Value> {
        self.args
            .iter()
            .filter(|a| a.key.is_none())
            .nth(n)
            .map(|a| &a.value)
    }

    /// The step's main argument: the first positional one, else the named `key`
    /// (`sh 'x'` and `sh script: 'x'` both give `x` for `main_arg("script")`).
    pub fn main_arg(&self, key: &str) -> Option<&Value> {
        self.positional(0).or_else(|| self.arg(key))
    }

    /// The parameters of an `input` step (`input message: …, parameters: [string(…)]`).
    pub fn input_parameters(&self) -> Vec<ParameterDefinition> {
        let Some(Value::List(items)) = self.arg("parameters") else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|v| match v {
                Value::Call(c) => c.as_parameter(),
                _ => None,
            })
            .collect()
    }

    fn as_parameter(&self) -> Option<ParameterDefinition> {
        self.parameter.as_ref().map(|p| (**p).clone())
    }
}

/// A statement inside `steps { }` / `script { }` / a step's closure.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Step {
    Call(StepCall),
    /// `if (cond) { … } else { … }` in a `script` block.
    If {
        condition: String,
        then: Vec<Step>,
        otherwise: Vec<Step>,
        line: u32,
    },
    /// `def x = …` / `x = …`: the target and the assigned value (often a step call).
    Assign {
        target: String,
        value: Value,
        line: u32,
    },
    /// Any other Groovy statement, as source text.
    Groovy {
        source: String,
        line: u32,
    },
}

/// `agent any`, `agent none`, `agent { label 'x' }`, `agent { docker { image 'y' } }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agent {
    /// `any`, `none`, `label`, `docker`, `dockerfile`, `kubernetes`, `node`, …
    pub kind: String,
    /// The settings inside the agent's block (`image 'x'` → key `image`), or its argument.
    pub settings: Vec<StepArg>,
}

/// The `input` directive of a stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    pub message: Option<Value>,
    pub id: Option<Value>,
    pub ok: Option<Value>,
    pub submitter: Option<Value>,
    pub submitter_parameter: Option<Value>,
    pub parameters: Vec<ParameterDefinition>,
    pub line: u32,
}

/// `when { … }`: its conditions as calls (`branch 'main'`, `expression { … }`, `not { … }`).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct When {
    pub conditions: Vec<StepCall>,
    pub before_agent: bool,
    pub before_input: bool,
    pub before_options: bool,
}

/// One `post` condition block (`always`, `success`, `failure`, `unstable`, `aborted`,
/// `changed`, `fixed`, `regression`, `cleanup`, `unsuccessful`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostCondition {
    pub condition: String,
    pub steps: Vec<Step>,
}

/// A matrix axis: `axis { name 'OS'; values 'linux', 'mac' }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Axis {
    pub name: String,
    pub values: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum StageBody {
    Steps {
        steps: Vec<Step>,
    },
    /// Nested sequential `stages { }`.
    Stages {
        stages: Vec<Stage>,
    },
    Parallel {
        stages: Vec<Stage>,
    },
    Matrix {
        axes: Vec<Axis>,
        stages: Vec<Stage>,
    },
    /// A stage without steps, stages, parallel or matrix (Jenkins rejects it).
    Empty,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stage {
    /// The stage name; an interpolated name is given as its raw template.
    pub name: String,
    pub line: u32,
    pub agent: Option<Agent>,
    pub environment: Vec<(String, Value)>,
    pub options: Vec<StepCall>,
    pub when: Option<When>,
    pub input: Option<Input>,
    pub tools: Vec<StepCall>,
    pub fail_fast: bool,
    pub body: StageBody,
    pub post: Vec<PostCondition>,
}

/// The `pipeline { … }` block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pipeline {
    pub line: u32,
    pub agent: Option<Agent>,
    pub environment: Vec<(String, Value)>,
    pub options: Vec<StepCall>,
    /// The calls of the `parameters { }` directive (see the report for the definitions).
    pub parameters: Vec<StepCall>,
    pub triggers: Vec<StepCall>,
    pub tools: Vec<StepCall>,
    pub libraries: Vec<StepCall>,
    pub stages: Vec<Stage>,
    pub post: Vec<PostCondition>,
}

impl Pipeline {
    /// Every stage, depth first, with its path of enclosing stage names.
    pub fn walk_stages(&self) -> Vec<(Vec<String>, &Stage)> {
        let mut out = Vec::new();
        let mut todo: Vec<(Vec<String>, &Stage)> = self
            .stages
            .iter()
            .rev()
            .map(|s| (vec![s.name.to_string()], s))
            .collect();
        while let Some((path, stage)) = todo.pop() {
            let children: &[Stage] = match &stage.body {
                StageBody::Stages { stages }
                | StageBody::Parallel { stages }
                | StageBody::Matrix { stages, .. } => stages,
                _ => &[],
            };
            for child in children.iter().rev() {
                let mut p = path.clone();
                p.push(child.name.to_string());
                todo.push((p, child));
            }
            out.push((path, stage));
        }
        out
    }
}

/// Builds the model from a `pipeline { … }` call's closure.
pub(crate) fn build_pipeline(call: &Call, src: &Source) -> Pipeline {
    let b = Builder { src };
    let mut p = Pipeline {
        line: src.line_of(call.name_span.start),
        agent: None,
        environment: Vec::new(),
        options: Vec::new(),
        parameters: Vec::new(),
        triggers: Vec::new(),
        tools: Vec::new(),
        libraries: Vec::new(),
        stages: Vec::new(),
        post: Vec::new(),
    };
    let Some(body) = call.closure.as_ref() else {
        return p;
    };
    for stmt in body.body {
        let Some(section) = stmt.as_call() else {
            continue;
        };
        match section.name {
            "agent" => p.agent = Some(b.agent(section)),
            "environment" => p.environment = b.environment(section),
            "options" => p.options = b.calls(section),
            "parameters" => p.parameters = b.calls(section),
            "triggers" => p.triggers = b.calls(section),
            "tools" => p.tools = b.calls(section),
            "libraries" => p.libraries = b.calls(section),
            "stages" => p.stages = b.stages(section),
            "post" => p.post = b.post(section),
            _ => {}
        }
    }
    p
}

/// A scripted Jenkinsfile (no `pipeline { }`) as steps: `node { stage('x') { … } }` is a
/// `node` call whose body holds `stage` calls.
pub(crate) fn build_script(stmts: &[Stmt], src: &Source) -> Vec<Step> {
    Builder { src }.steps(stmts)
}

struct Builder<'s, 'a> {
    src: &'s Source<'a>,
}

fn closure_calls<'a, 's>(call: &'a Call<'s>) -> impl Iterator<Item = &'a Call<'s>> {
    call.closure
        .iter()
        .flat_map(|c| c.body.iter())
        .filter_map(|s| s.as_call())
}

impl Builder<'_, '_> {
    fn line(&self, offset: usize) -> u32 {
        self.src.line_of(offset)
    }

    fn agent(&self, call: &Call) -> Agent {
        if let Some(first) = call.positional().next() {
            let kind = match &first.kind {
                ExprKind::Ident(s) => s.to_string(),
                _ => self.src.text_of(first.span),
            };
            return Agent {
                kind,
                settings: Vec::new(),
            };
        }
        let mut inner = closure_calls(call);
        match inner.next() {
            Some(kind_call) => {
                let mut settings: Vec<StepArg> = self.step_call(kind_call, None).args;
                for setting in closure_calls(kind_call) {
                    let value = self
                        .step_call(setting, None)
                        .args
                        .into_iter()
                        .next()
                        .map_or(Value::Null, |a| a.value);
                    settings.push(StepArg {
                        key: Some(setting.name.to_string()),
                        value,
                    });
                }
                Agent {
                    kind: kind_call.name.to_string(),
                    settings,
                }
            }
            None => Agent {
                kind: "none".into(),
                settings: Vec::new(),
            },
        }
    }

    fn environment(&self, call: &Call) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        for stmt in call.closure.iter().flat_map(|c| c.body.iter()) {
            if let StmtKind::Expr(Expr {
                kind: ExprKind::Assign { target, value },
                ..
            }) = &stmt.kind
            {
                out.push((self.src.text_of(target.span), self.value(value)));
            }
        }
        out
    }

    fn calls(&self, call: &Call) -> Vec<StepCall> {
        closure_calls(call)
            .map(|c| self.step_call(c, None))
            .collect()
    }

    fn post(&self, call: &Call) -> Vec<PostCondition> {
        closure_calls(call)
            .map(|c| PostCondition {
                condition: c.name.to_string(),
                steps: c
                    .closure
                    .as_ref()
                    .map(|cl| self.steps(cl.body))
                    .unwrap_or_default(),
            })
            .collect()
    }

    fn stages(&self, call: &Call) -> Vec<Stage> {
        closure_calls(call)
            .filter(|c| c.name == "stage")
            .map(|c| self.stage(c))
            .collect()
    }

    fn stage(&self, call: &Call) -> Stage {
        let name = call
            .positional()
            .next()
            .or_else(|| call.named("name"))
            .map(|e| match &e.kind {
                ExprKind::Str(s) => s.to_string(),
                ExprKind::GString => self.src.string_body(e.span),
                _ => self.src.text_of(e.span),
            })
            .unwrap_or_default();
        let mut stage = Stage {
            name,
            line: self.line(call.name_span.start),
            agent: None,
            environment: Vec::new(),
            options: Vec::new(),
            when: None,
            input: None,
            tools: Vec::new(),
            fail_fast: false,
            body: StageBody::Empty,
            post: Vec::new(),
        };
        for section in closure_calls(call) {
            match section.name {
                "agent" => stage.agent = Some(self.agent(section)),
                "environment" => stage.environment = self.environment(section),
                "options" => stage.options = self.calls(section),
                "tools" => stage.tools = self.calls(section),
                "when" => stage.when = Some(self.when(section)),
                "input" => stage.input = Some(self.input(section)),
                "failFast" => {
                    stage.fail_fast = matches!(
                        section.positional().next().map(|e| &e.kind),
                        Some(ExprKind::Bool(true))
                    )
                }
                "steps" => {
                    stage.body = StageBody::Steps {
                        steps: section
                            .closure
                            .as_ref()
                            .map(|c| self.steps(c.body))
                            .unwrap_or_default(),
                    }
                }
                "stages" => {
                    stage.body = StageBody::Stages {
                        stages: self.stages(section),
                    }
                }
                "parallel" => {
                    stage.body = StageBody::Parallel {
                        stages: self.stages(section),
                    }
                }
                "matrix" => stage.body = self.matrix(section),
                "post" => stage.post = self.post(section),
                _ => {}
            }
        }
        stage
    }

    fn matrix(&self, call: &Call) -> StageBody {
        let mut axes = Vec::new();
        let mut stages = Vec::new();
        for section in closure_calls(call) {
            match section.name {
                "axes" => {
                    for axis in closure_calls(section).filter(|c| c.name == "axis") {
                        let mut a = Axis {
                            name: String::new(),
                            values: Vec::new(),
                        };
                        for item in closure_calls(axis) {
                            let args = self.step_call(item, None).args;
                            match item.name {
                                "name" => {
                                    a.name = args
                                        .first()
                                        .and_then(|v| v.value.as_text())
                                        .unwrap_or_default()
                                }
                                "values" => a.values = args.into_iter().map(|v| v.value).collect(),
                                _ => {}
                            }
                        }
                        axes.push(a);
                    }
                }
                "stages" => stages = self.stages(section),
                _ => {}
            }
        }
        StageBody::Matrix { axes, stages }
    }

    fn when(&self, call: &Call) -> When {
        let mut w = When::default();
        for c in closure_calls(call) {
            let flag = matches!(
                c.positional().next().map(|e| &e.kind),
                Some(ExprKind::Bool(true))
            );
            match c.name {
                "beforeAgent" => w.before_agent = flag,
                "beforeInput" => w.before_input = flag,
                "beforeOptions" => w.before_options = flag,
                _ => w.conditions.push(self.step_call(c, None)),
            }
        }
        w
    }

    fn input(&self, call: &Call) -> Input {
        let mut input = Input {
            message: None,
            id: None,
            ok: None,
            submitter: None,
            submitter_parameter: None,
            parameters: Vec::new(),
            line: self.line(call.name_span.start),
        };
        for c in closure_calls(call) {
            let first = || c.positional().next().map(|e| self.value(e));
            match c.name {
                "message" => input.message = first(),
                "id" => input.id = first(),
                "ok" => input.ok = first(),
                "submitter" => input.submitter = first(),
                "submitterParameter" => input.submitter_parameter = first(),
                "parameters" => {
                    input.parameters = closure_calls(c)
                        .filter_map(|p| {
                            definitions::extract(p, self.src, Form::Declarative).definition
                        })
                        .collect()
                }
                _ => {}
            }
        }
        input
    }

    pub(crate) fn steps(&self, body: &[Stmt]) -> Vec<Step> {
        body.iter().filter_map(|s| self.step(s)).collect()
    }

    fn step(&self, stmt: &Stmt) -> Option<Step> {
        let line = self.line(stmt.span.start);
        Some(match &stmt.kind {
            StmtKind::Expr(e) => match &e.kind {
                ExprKind::Call(c) => Step::Call(self.step_call(c, Some(e))),
                ExprKind::Assign { target, value } => Step::Assign {
                    target: self.src.text_of(target.span),
                    value: self.value(value),
                    line,
                },
                _ => Step::Groovy {
                    source: self.src.text_of(stmt.span),
                    line,
                },
            },
            StmtKind::Decl {
                name,
                value: Some(value),
            } => Step::Assign {
                target: name.to_string(),
                value: self.value(value),
                line,
            },
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => Step::If {
                condition: self.src.text_of(cond.span),
                then: self.steps(then),
                otherwise: self.steps(otherwise),
                line,
            },
            _ => Step::Groovy {
                source: self.src.text_of(stmt.span),
                line,
            },
        })
    }

    fn step_call(&self, call: &Call, _expr: Option<&Expr>) -> StepCall {
        let mut args = Vec::new();
        for a in call.args {
            match a {
                Arg::Named { key, value } => {
                    let key = key
                        .as_str()
                        .map_or_else(|| self.src.text_of(key.span), str::to_owned);
                    let secret = call.name == "password"
                        && matches!(key.as_str(), "defaultValue" | "defaultValueAsSecret");
                    args.push(StepArg {
                        value: if secret {
                            Value::Masked
                        } else {
                            self.value(value)
                        },
                        key: Some(key),
                    })
                }
                Arg::Positional(value) => args.push(StepArg {
                    key: None,
                    value: self.value(value),
                }),
            }
        }
        let parameter = definitions::type_name_for_symbol(call.name)
            .filter(|_| call.receiver.is_none())
            .and_then(|_| definitions::extract(call, self.src, Form::Scripted).definition)
            .map(Box::new);
        StepCall {
            name: call.name.to_string(),
            receiver: call.receiver.as_ref().map(|r| self.src.text_of(r.span)),
            args,
            body: call.closure.as_ref().map(|c: &Closure| self.steps(c.body)),
            line: self.line(call.name_span.start),
            parameter,
        }
    }

    fn value(&self, e: &Expr) -> Value {
        match &e.kind {
            ExprKind::Str(s) => Value::String(s.to_string()),
            ExprKind::GString => Value::Template(self.src.string_body(e.span)),
            ExprKind::Num(Number::Int(i)) => Value::Integer(*i),
            ExprKind::Num(Number::Decimal(d)) => Value::Decimal(d.to_string()),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Null => Value::Null,
            ExprKind::List(items) => Value::List(items.iter().map(|i| self.value(i)).collect()),
            ExprKind::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.as_str()
                                .map_or_else(|| self.src.text_of(k.span), str::to_owned),
                            self.value(v),
                        )
                    })
                    .collect(),
            ),
            ExprKind::Closure(c) => Value::Closure(self.steps(c.body)),
            ExprKind::Call(c) => Value::Call(Box::new(self.step_call(c, Some(e)))),
            _ => Value::Expression(self.src.text_of(e.span)),
        }
    }
}
