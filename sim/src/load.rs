//! From Jenkinsfile text to what the executor runs: the core's Groovy parser gives the syntax
//! tree; this module reads the declarative `pipeline {}` (or a scripted `node { stage … }`)
//! out of it as a [`Plan`], plus the job parameters the file declares.

use crate::executor::Loaded;
use crate::params::ParamDef;
use crate::plan::{Condition, InputSpec, Plan, PostBlock, Stage, StageBody, Step, Text};
use ksdevops::jenkinsfile::ast::{ident_name, Call, Closure, Expr, ExprKind, Stmt, StmtKind};
use ksdevops::jenkinsfile::lexer::Number;
use ksdevops::jenkinsfile::parser::parse_program;
use ksdevops::jenkinsfile::unicode::decode_unicode_escapes;
use serde_json::{json, Value};
use std::fmt;

/// A Jenkinsfile that does not compile, with Groovy's line and column (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} @ line {}, column {}.", self.line, self.message, self.line, self.column)
    }
}

fn position(src: &str, offset: usize) -> (usize, usize) {
    let before = &src[..offset.min(src.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, column)
}

pub fn load(source: &str) -> Result<Loaded, LoadError> {
    if source.trim().is_empty() {
        return Err(LoadError {
            line: 1,
            column: 1,
            message: "the pipeline has no Jenkinsfile".into(),
        });
    }
    let decoded = decode_unicode_escapes(source).map_err(|e| {
        let (line, column) = position(source, e.offset);
        LoadError {
            line,
            column,
            message: "Did not find four digit hex character code".into(),
        }
    })?;
    let src: &str = &decoded.text;
    let stmts = parse_program(src).map_err(|e| {
        let (line, column) = position(src, e.offset);
        LoadError {
            line,
            column,
            message: e.message,
        }
    })?;
    let reader = Reader { src };
    Ok(reader.program(&stmts))
}

struct Reader<'a> {
    src: &'a str,
}

fn calls(stmts: &[Stmt]) -> impl Iterator<Item = &Call> {
    stmts.iter().filter_map(Stmt::as_call)
}

fn find_call<'s>(stmts: &'s [Stmt], name: &str) -> Option<&'s Call> {
    calls(stmts).find(|c| c.name == name)
}

fn body(c: &Call) -> &[Stmt] {
    c.closure.as_ref().map(|cl| cl.body.as_slice()).unwrap_or(&[])
}

/// A closure passed as the last argument (`timeout(5) { … }` parsed either way).
fn closure_of(c: &Call) -> Option<&Closure> {
    c.closure.as_ref().or_else(|| {
        c.positional().find_map(|e| match &e.kind {
            ExprKind::Closure(cl) => Some(cl.as_ref()),
            _ => None,
        })
    })
}

impl Reader<'_> {
    fn program(&self, stmts: &[Stmt]) -> Loaded {
        if let Some(pipeline) = find_call(stmts, "pipeline") {
            return self.declarative(body(pipeline));
        }
        // Scripted: `properties([parameters([...])])`, `node { stage('x') { … } }`.
        let mut params = Vec::new();
        for c in calls(stmts) {
            if c.name == "properties" {
                self.scripted_properties(c, &mut params);
            }
        }
        let mut stages = Vec::new();
        self.scripted_stages(stmts, &mut stages);
        Loaded {
            plan: Plan {
                stages,
                post: Vec::new(),
            },
            params,
        }
    }

    fn scripted_properties(&self, c: &Call, params: &mut Vec<ParamDef>) {
        for arg in c.positional() {
            if let ExprKind::List(items) = &arg.kind {
                for item in items {
                    if let Some(pc) = item.as_call().filter(|pc| pc.name == "parameters") {
                        for list in pc.positional() {
                            if let ExprKind::List(defs) = &list.kind {
                                for d in defs {
                                    if let Some(dc) = d.as_call() {
                                        if let Some(p) = self.param_def(dc) {
                                            params.push(p);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    fn scripted_stages(&self, stmts: &[Stmt], out: &mut Vec<Stage>) {
        for s in stmts {
            match &s.kind {
                StmtKind::Expr(e) => {
                    if let Some(c) = e.as_call().filter(|c| c.receiver.is_none()) {
                        if c.name == "stage" {
                            out.push(Stage {
                                name: self.first_string(c).unwrap_or_default(),
                                body: StageBody::Steps(self.steps(body(c))),
                                when: None,
                            });
                        } else if let Some(cl) = closure_of(c) {
                            self.scripted_stages(&cl.body, out);
                        }
                    }
                }
                StmtKind::Block(inner) => self.scripted_stages(inner, out),
                StmtKind::If { then, .. } => self.scripted_stages(then, out),
                _ => {}
            }
        }
    }

    fn declarative(&self, stmts: &[Stmt]) -> Loaded {
        let mut params = Vec::new();
        if let Some(p) = find_call(stmts, "parameters") {
            for c in calls(body(p)) {
                if let Some(def) = self.param_def(c) {
                    params.push(def);
                }
            }
        }
        let stages = find_call(stmts, "stages")
            .map(|s| self.stages(body(s)))
            .unwrap_or_default();
        let post = find_call(stmts, "post").map(|p| self.post(body(p))).unwrap_or_default();
        Loaded {
            plan: Plan { stages, post },
            params,
        }
    }

    fn stages(&self, stmts: &[Stmt]) -> Vec<Stage> {
        calls(stmts)
            .filter(|c| c.name == "stage")
            .map(|c| self.stage(c))
            .collect()
    }

    fn stage(&self, c: &Call) -> Stage {
        let name = self.first_string(c).unwrap_or_default();
        let b = body(c);
        let when = find_call(b, "when").and_then(|w| self.when(body(w)));
        let stage_body = if let Some(par) = find_call(b, "parallel") {
            StageBody::Parallel(self.stages(body(par)))
        } else if let Some(inner) = find_call(b, "stages") {
            StageBody::Stages(self.stages(body(inner)))
        } else {
            let mut steps = Vec::new();
            // A stage-level `input { … }` directive pauses before the steps.
            if let Some(input) = find_call(b, "input") {
                steps.push(Step::Input(self.input_directive(body(input))));
            }
            if let Some(s) = find_call(b, "steps") {
                steps.extend(self.steps(body(s)));
            }
            if let Some(p) = find_call(b, "post") {
                // Stage post blocks: `always` and `success` are the common ones.
                for block in self.post(body(p)) {
                    if block.condition == "always" || block.condition == "success" {
                        steps.extend(block.steps);
                    }
                }
            }
            StageBody::Steps(steps)
        };
        Stage {
            name,
            body: stage_body,
            when,
        }
    }

    fn post(&self, stmts: &[Stmt]) -> Vec<PostBlock> {
        calls(stmts)
            .map(|c| PostBlock {
                condition: c.name.clone(),
                steps: self.steps(body(c)),
            })
            .collect()
    }

    fn when(&self, stmts: &[Stmt]) -> Option<Condition> {
        let c = calls(stmts).next()?;
        self.condition_call(c)
    }

    fn condition_call(&self, c: &Call) -> Option<Condition> {
        match c.name.as_str() {
            "branch" => Some(Condition::Branch {
                pattern: self.first_string(c)?,
            }),
            "equals" => {
                let actual = c.named("actual")?;
                let name = param_ref(actual)?;
                let expected = self.literal(c.named("expected")?)?;
                Some(Condition::ParamEquals { name, value: expected })
            }
            "not" => Some(Condition::Not(Box::new(self.when(body(c))?))),
            "expression" => {
                let stmts = body(c);
                let last = stmts.last()?;
                let e = match &last.kind {
                    StmtKind::Expr(e) => e,
                    StmtKind::Return(Some(e)) => e,
                    _ => return None,
                };
                self.condition_expr(e)
            }
            _ => None,
        }
    }

    fn condition_expr(&self, e: &Expr) -> Option<Condition> {
        match &e.kind {
            ExprKind::Binary { op, lhs, rhs } if *op == "==" || *op == "!=" => {
                let (name, value) = match (param_ref(lhs), param_ref(rhs)) {
                    (Some(n), _) => (n, self.literal(rhs)?),
                    (None, Some(n)) => (n, self.literal(lhs)?),
                    _ => return None,
                };
                let c = Condition::ParamEquals { name, value };
                Some(if *op == "!=" { Condition::Not(Box::new(c)) } else { c })
            }
            ExprKind::Unary { op, operand } if *op == "!" => {
                Some(Condition::Not(Box::new(self.condition_expr(operand)?)))
            }
            _ => param_ref(e).map(|name| Condition::ParamTrue { name }),
        }
    }

    fn steps(&self, stmts: &[Stmt]) -> Vec<Step> {
        let mut out = Vec::new();
        for s in stmts {
            match &s.kind {
                StmtKind::Expr(e) => self.expr_step(e, &mut out),
                StmtKind::Decl { value: Some(e), .. } => self.expr_step(e, &mut out),
                StmtKind::Block(inner) => out.extend(self.steps(inner)),
                StmtKind::If {
                    cond,
                    then,
                    otherwise,
                } => out.push(Step::If {
                    condition: self.condition_expr(cond),
                    then: self.steps(then),
                    otherwise: self.steps(otherwise),
                }),
                _ => {}
            }
        }
        out
    }

    fn expr_step(&self, e: &Expr, out: &mut Vec<Step>) {
        match &e.kind {
            ExprKind::Call(c) if c.receiver.is_none() => out.push(self.step(c)),
            ExprKind::Assign { value, .. } => self.expr_step(value, out),
            _ => {}
        }
    }

    fn step(&self, c: &Call) -> Step {
        let text_arg = |key: &str| {
            c.named(key)
                .or_else(|| c.positional().next())
                .map(|e| self.text(e))
                .unwrap_or_else(|| Text::plain(""))
        };
        match c.name.as_str() {
            "echo" => Step::Echo {
                message: text_arg("message"),
            },
            "sh" | "bat" | "powershell" | "pwsh" => Step::Sh {
                script: text_arg("script"),
            },
            "error" => Step::Error {
                message: text_arg("message"),
            },
            "sleep" => {
                let amount = c
                    .named("time")
                    .or_else(|| c.positional().next())
                    .and_then(number)
                    .unwrap_or(1.0);
                let unit = c.named("unit").map(|u| self.plain(u)).unwrap_or_default();
                Step::Sleep {
                    millis: (amount * unit_ms(&unit, 1000.0)) as u64,
                }
            }
            "input" => Step::Input(self.input_call(c)),
            "archiveArtifacts" | "archive" => {
                let pattern = c
                    .named("artifacts")
                    .or_else(|| c.positional().next())
                    .map(|e| self.plain(e))
                    .unwrap_or_default();
                Step::ArchiveArtifacts {
                    patterns: vec![pattern],
                }
            }
            "timeout" => {
                let amount = c
                    .named("time")
                    .or_else(|| c.positional().find(|e| number(e).is_some()))
                    .and_then(number)
                    .unwrap_or(1.0);
                let unit = c.named("unit").map(|u| self.plain(u)).unwrap_or_default();
                Step::Timeout {
                    millis: (amount * unit_ms(&unit, 60_000.0)) as u64,
                    body: closure_of(c).map(|cl| self.steps(&cl.body)).unwrap_or_default(),
                }
            }
            "retry" => Step::Retry {
                count: c
                    .named("count")
                    .or_else(|| c.positional().find(|e| number(e).is_some()))
                    .and_then(number)
                    .unwrap_or(1.0) as u32,
                body: closure_of(c).map(|cl| self.steps(&cl.body)).unwrap_or_default(),
            },
            name => match closure_of(c) {
                Some(cl) => Step::Block {
                    name: name.to_string(),
                    body: self.steps(&cl.body),
                },
                None => Step::Other {
                    name: name.to_string(),
                    description: self.first_string(c).unwrap_or_default(),
                },
            },
        }
    }

    fn input_call(&self, c: &Call) -> InputSpec {
        let parameters = c
            .named("parameters")
            .map(|p| match &p.kind {
                ExprKind::List(items) => items
                    .iter()
                    .filter_map(Expr::as_call)
                    .filter_map(|pc| self.param_def(pc))
                    .map(|d| d.to_jenkins_json())
                    .collect(),
                _ => Vec::new(),
            })
            .unwrap_or_default();
        InputSpec {
            message: c
                .named("message")
                .or_else(|| c.positional().next())
                .map(|e| self.plain(e))
                .unwrap_or_default(),
            id: c.named("id").map(|e| self.plain(e)),
            ok: c.named("ok").map(|e| self.plain(e)),
            submitter: c.named("submitter").map(|e| self.plain(e)),
            parameters,
        }
    }

    fn input_directive(&self, stmts: &[Stmt]) -> InputSpec {
        let arg = |name: &str| find_call(stmts, name).and_then(|c| self.first_string(c));
        let parameters: Vec<Value> = find_call(stmts, "parameters")
            .map(|p| {
                calls(body(p))
                    .filter_map(|c| self.param_def(c))
                    .map(|d| d.to_jenkins_json())
                    .collect()
            })
            .unwrap_or_default();
        InputSpec {
            message: arg("message").unwrap_or_default(),
            id: arg("id"),
            ok: arg("ok"),
            submitter: arg("submitter"),
            parameters,
        }
    }

    /// `string(name: 'X', defaultValue: 'd', description: '…')` and its siblings.
    fn param_def(&self, c: &Call) -> Option<ParamDef> {
        let kind = match c.name.as_str() {
            "string" => "string",
            "text" => "text",
            "booleanParam" => "boolean",
            "choice" => "choice",
            "password" => "password",
            "file" => "file",
            _ => return None,
        };
        let name = self.plain(c.named("name")?);
        let default = c.named("defaultValue").and_then(|e| match &e.kind {
            ExprKind::Bool(b) => Some(json!(b)),
            _ => self.literal(e).map(|s| json!(s)),
        });
        let choices = c.named("choices").map(|e| match &e.kind {
            ExprKind::List(items) => items.iter().filter_map(|i| self.literal(i)).collect(),
            _ => self
                .literal(e)
                .map(|s| s.lines().map(str::to_string).collect())
                .unwrap_or_default(),
        });
        Some(ParamDef {
            name,
            kind: kind.into(),
            default,
            description: c.named("description").map(|e| self.plain(e)).unwrap_or_default(),
            choices,
        })
    }

    fn first_string(&self, c: &Call) -> Option<String> {
        c.positional().next().and_then(|e| self.literal(e))
    }

    /// A constant's text (strings, numbers, booleans); a GString's source text.
    fn literal(&self, e: &Expr) -> Option<String> {
        match &e.kind {
            ExprKind::Str(s) => Some(s.clone()),
            ExprKind::GString => Some(self.gstring_source(e)),
            ExprKind::Num(Number::Int(i)) => Some(i.to_string()),
            ExprKind::Num(Number::Decimal(d)) => Some(d.clone()),
            ExprKind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    fn plain(&self, e: &Expr) -> String {
        self.literal(e)
            .or_else(|| ident_name(e).map(str::to_string))
            .unwrap_or_default()
    }

    fn text(&self, e: &Expr) -> Text {
        match &e.kind {
            ExprKind::Str(s) => Text::plain(s.clone()),
            ExprKind::GString => Text::gstring(self.gstring_source(e)),
            ExprKind::Binary { op: "+", lhs, rhs } => {
                let l = self.text(lhs);
                let r = self.text(rhs);
                // Concatenations like `"x " + params.NAME` become one interpolated string.
                Text::gstring(format!("{}{}", l.as_template(), r.as_template()))
            }
            ExprKind::Property { .. } | ExprKind::Ident(_) => match param_ref(e) {
                Some(name) => Text::gstring(format!("${{{name}}}")),
                None => Text::plain(self.src_of(e)),
            },
            _ => Text::plain(self.src_of(e)),
        }
    }

    fn src_of(&self, e: &Expr) -> String {
        self.src
            .get(e.span.start..e.span.end)
            .unwrap_or_default()
            .to_string()
    }

    /// The text inside a GString's delimiters, with Groovy's simple escapes resolved.
    fn gstring_source(&self, e: &Expr) -> String {
        let raw = self.src_of(e);
        let inner = ["\"\"\"", "\"", "$/", "/"]
            .iter()
            .find_map(|open| {
                let close = if *open == "$/" { "/$" } else { open };
                raw.strip_prefix(open)?.strip_suffix(close)
            })
            .unwrap_or(&raw);
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        }
        out
    }
}

impl Text {
    /// This text as a template where `${…}` is expanded.
    fn as_template(&self) -> String {
        if self.interpolate {
            self.value.clone()
        } else {
            self.value.replace('$', "\\$")
        }
    }
}

/// `params.NAME` / `env.NAME` / a bare identifier ⇒ the name looked up at run time.
fn param_ref(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Property { target, name } => match ident_name(target) {
            Some("params") => Some(format!("params.{name}")),
            Some("env") => Some(format!("env.{name}")),
            _ => None,
        },
        ExprKind::Ident(name) if name.chars().all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()) => {
            Some(name.clone())
        }
        _ => None,
    }
}

fn number(e: &Expr) -> Option<f64> {
    match &e.kind {
        ExprKind::Num(Number::Int(i)) => Some(*i as f64),
        ExprKind::Num(Number::Decimal(d)) => d.parse().ok(),
        ExprKind::Str(s) => s.parse().ok(),
        _ => None,
    }
}

fn unit_ms(unit: &str, default: f64) -> f64 {
    match unit.trim_start_matches("TimeUnit.") {
        "MILLISECONDS" => 1.0,
        "SECONDS" => 1000.0,
        "MINUTES" => 60_000.0,
        "HOURS" => 3_600_000.0,
        "DAYS" => 86_400_000.0,
        _ => default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEMO: &str = r#"
pipeline {
  agent any
  parameters {
    string(name: 'PERSON', defaultValue: 'stone', description: 'who')
    booleanParam(name: 'DEBUG', defaultValue: true, description: '')
    choice(name: 'ENV', choices: ['dev', 'prod'], description: '')
  }
  stages {
    stage('Build') {
      steps {
        echo "Hello ${params.PERSON}"
        sh '''
          echo building
          make
        '''
      }
    }
    stage('Tests') {
      parallel {
        stage('unit') { steps { sleep 2 } }
        stage('lint') { steps { echo 'lint' } }
      }
    }
    stage('Approve') {
      when { expression { return params.DEBUG } }
      steps {
        input(id: 'go', message: 'Deploy?', ok: 'Yes', submitter: 'admin',
              parameters: [string(name: 'TARGET', defaultValue: 'prod', description: '')])
        timeout(time: 1, unit: 'MINUTES') { retry(2) { archiveArtifacts 'bin/*' } }
      }
    }
  }
  post { always { echo 'done' } }
}
"#;

    #[test]
    fn reads_a_declarative_pipeline() {
        let l = load(DEMO).unwrap();
        let names: Vec<_> = l.params.iter().map(|p| (p.name.as_str(), p.kind.as_str())).collect();
        assert_eq!(names, [("PERSON", "string"), ("DEBUG", "boolean"), ("ENV", "choice")]);
        assert_eq!(l.params[2].choices.as_deref().unwrap(), ["dev", "prod"]);
        assert_eq!(l.plan.stages.len(), 3);
        match &l.plan.stages[0].body {
            StageBody::Steps(steps) => {
                assert_eq!(steps[0], Step::Echo { message: Text::gstring("Hello ${params.PERSON}") });
                assert!(matches!(&steps[1], Step::Sh { script } if script.value.contains("make")));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&l.plan.stages[1].body, StageBody::Parallel(b) if b.len() == 2));
        assert_eq!(l.plan.stages[2].when, Some(Condition::ParamTrue { name: "params.DEBUG".into() }));
        match &l.plan.stages[2].body {
            StageBody::Steps(steps) => {
                let Step::Input(input) = &steps[0] else { panic!("{steps:?}") };
                assert_eq!(input.id.as_deref(), Some("go"));
                assert_eq!(input.submitter.as_deref(), Some("admin"));
                assert_eq!(input.parameters[0]["name"], "TARGET");
                assert!(matches!(&steps[1], Step::Timeout { millis: 60_000, body } if matches!(&body[0], Step::Retry { count: 2, .. })));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(l.plan.post[0].condition, "always");
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = load("pipeline {\n  stages {\n    stage('x' {\n").unwrap_err();
        assert!(err.line >= 3, "{err:?}");
    }
}
