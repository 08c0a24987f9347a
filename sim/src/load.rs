//! From Jenkinsfile text to what the executor runs. The core's `parse_jenkinsfile` reads the
//! file once, with Jenkins' rules: its declarative model becomes the [`Plan`], its job
//! parameters the job's [`ParamDef`]s, and its verdict decides whether the build can start.
//! Scripted pipelines (`node('x') { stage('y') { … } }`) come as the report's script steps;
//! their `stage` calls become the plan's stages, run on the enclosing `node`'s label.

use crate::executor::Loaded;
use crate::params::{metadata_type, ParamDef};
use crate::plan::{Agent, Condition, InputSpec, Plan, PostBlock, Stage, StageBody, Step, Text};
use ksdevops::jenkinsfile::declarative::{self as decl, StepCall, Value as DValue};
use ksdevops::jenkinsfile::{parse_jenkinsfile, Severity};
use ksdevops::model::ParameterDefinition;
use serde_json::{json, Value};
use std::fmt;

/// A Jenkinsfile Jenkins would not run, with Groovy's line and column (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} @ line {}, column {}.",
            self.line, self.message, self.line, self.column
        )
    }
}

pub fn load(source: &str) -> Result<Loaded, LoadError> {
    if source.trim().is_empty() {
        return Err(LoadError {
            line: 1,
            column: 1,
            message: "the pipeline has no Jenkinsfile".into(),
        });
    }
    let report = parse_jenkinsfile(source);
    if !report.accepted() {
        let d = report
            .diagnostics()
            .iter()
            .find(|d| d.severity == Severity::Error)
            .or_else(|| report.diagnostics().first());
        return Err(match d {
            Some(d) => LoadError {
                line: d.line as usize,
                column: d.column as usize,
                message: d.message.clone(),
            },
            None => LoadError {
                line: 1,
                column: 1,
                message: "Jenkins would not run this Jenkinsfile".into(),
            },
        });
    }
    let params = report
        .job_parameters()
        .iter()
        .map(|p| {
            param_def(
                &p.definition,
                p.password_default.as_ref().map(|s| s.expose()),
            )
        })
        .collect();
    let plan = match (report.pipeline(), report.script()) {
        (Some(pipeline), _) => declarative_plan(pipeline),
        (None, Some(script)) => scripted_plan(script),
        (None, None) => Plan::default(),
    };
    Ok(Loaded { plan, params })
}

/// The core's Jenkins-shaped definition as the simulator's job parameter.
fn param_def(d: &ParameterDefinition, password_default: Option<&str>) -> ParamDef {
    let kind = metadata_type(&d.kind);
    let default = match password_default {
        Some(p) => Some(json!(p)),
        None => d
            .default_parameter_value
            .as_ref()
            .and_then(|v| v.value.clone()),
    };
    ParamDef {
        name: d.name.clone(),
        kind,
        default,
        description: d.description.clone().unwrap_or_default(),
        choices: d.choices.clone(),
    }
}

/// A parameter definition as BlueOcean shows it inside an input step.
fn input_param_json(d: &ParameterDefinition) -> Value {
    param_def(d, None).to_jenkins_json()
}

fn declarative_plan(p: &decl::Pipeline) -> Plan {
    Plan {
        agent: p.agent.as_ref().map(agent),
        stages: p.stages.iter().map(stage).collect(),
        post: post(&p.post),
    }
}

fn post(blocks: &[decl::PostCondition]) -> Vec<PostBlock> {
    blocks
        .iter()
        .map(|b| PostBlock {
            condition: b.condition.clone(),
            steps: steps(&b.steps),
        })
        .collect()
}

fn stage(s: &decl::Stage) -> Stage {
    let body = match &s.body {
        decl::StageBody::Steps { steps: list } => {
            let mut out = Vec::new();
            // A stage-level `input { … }` directive pauses before the steps.
            if let Some(input) = &s.input {
                out.push(Step::Input(InputSpec {
                    message: input
                        .message
                        .as_ref()
                        .and_then(DValue::as_text)
                        .unwrap_or_default(),
                    id: input.id.as_ref().and_then(DValue::as_text),
                    ok: input.ok.as_ref().and_then(DValue::as_text),
                    submitter: input.submitter.as_ref().and_then(DValue::as_text),
                    parameters: input.parameters.iter().map(input_param_json).collect(),
                }));
            }
            out.extend(steps(list));
            // Stage post blocks: `always` and `success` are the common ones.
            for block in post(&s.post) {
                if block.condition == "always" || block.condition == "success" {
                    out.extend(block.steps);
                }
            }
            StageBody::Steps(out)
        }
        decl::StageBody::Stages { stages } => StageBody::Stages(stages.iter().map(stage).collect()),
        decl::StageBody::Parallel { stages } => {
            StageBody::Parallel(stages.iter().map(stage).collect())
        }
        decl::StageBody::Matrix { axes, stages } => StageBody::Parallel(matrix_cells(axes, stages)),
        decl::StageBody::Empty => StageBody::Steps(Vec::new()),
    };
    Stage {
        name: s.name.clone(),
        body,
        when: s
            .when
            .as_ref()
            .and_then(|w| w.conditions.first())
            .and_then(condition_call),
        agent: s.agent.as_ref().map(agent),
    }
}

/// The core's `agent` section as where the simulator runs the steps.
fn agent(a: &decl::Agent) -> Agent {
    let label_of = |settings: &[decl::StepArg]| {
        settings
            .iter()
            .find(|s| s.key.is_none() || s.key.as_deref() == Some("label"))
            .and_then(|s| s.value.as_text())
    };
    match a.kind.as_str() {
        "any" => Agent::Any,
        "none" => Agent::None,
        "label" | "node" => match label_of(&a.settings) {
            Some(l) if !l.trim().is_empty() => label_agent(&l),
            _ => Agent::Any,
        },
        other => Agent::Custom(other.to_string()),
    }
}

/// A label naming the built-in node runs there; any other label needs an agent offering it.
fn label_agent(label: &str) -> Agent {
    match label.trim() {
        "master" | "built-in" => Agent::Any,
        l => Agent::Label(l.to_string()),
    }
}

/// Scripted pipelines: every `stage('x') { … }` becomes a stage, on the label of the `node`
/// call around it (a stage outside any `node` runs on the built-in node, as Jenkins allows
/// only for steps that need no workspace).
fn scripted_plan(script: &[decl::Step]) -> Plan {
    fn collect(list: &[decl::Step], on: &Agent, out: &mut Vec<Stage>) {
        for s in list {
            match s {
                decl::Step::Call(c) if c.receiver.is_none() && c.name == "stage" => {
                    let name = c
                        .main_arg("name")
                        .and_then(DValue::as_text)
                        .unwrap_or_default();
                    out.push(Stage {
                        name,
                        body: StageBody::Steps(body(c)),
                        when: None,
                        agent: Some(on.clone()),
                    });
                }
                decl::Step::Call(c) if c.receiver.is_none() && c.name == "node" => {
                    let on = match c.main_arg("label").and_then(DValue::as_text) {
                        Some(l) if !l.trim().is_empty() => label_agent(&l),
                        _ => Agent::Any,
                    };
                    collect(c.body.as_deref().unwrap_or_default(), &on, out);
                }
                decl::Step::Call(c) => {
                    collect(c.body.as_deref().unwrap_or_default(), on, out);
                }
                decl::Step::If { then, .. } => collect(then, on, out),
                _ => {}
            }
        }
    }
    let mut stages = Vec::new();
    collect(script, &Agent::Any, &mut stages);
    // Scripted code outside `node` runs on no executor; each stage carries its own.
    Plan {
        agent: Some(Agent::None),
        stages,
        post: Vec::new(),
    }
}

/// A matrix runs its stages once per combination of axis values, in parallel.
fn matrix_cells(axes: &[decl::Axis], stages: &[decl::Stage]) -> Vec<Stage> {
    let mut cells: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for axis in axes {
        let values: Vec<String> = axis.values.iter().filter_map(DValue::as_text).collect();
        cells = cells
            .into_iter()
            .flat_map(|cell| {
                values.iter().map(move |v| {
                    let mut c = cell.clone();
                    c.push((axis.name.clone(), v.clone()));
                    c
                })
            })
            .collect();
    }
    cells
        .into_iter()
        .map(|cell| Stage {
            name: format!(
                "Matrix - {}",
                cell.iter()
                    .map(|(k, v)| format!("{k} = '{v}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            body: StageBody::Stages(stages.iter().map(stage).collect()),
            when: None,
            agent: None,
        })
        .collect()
}

fn condition_call(c: &StepCall) -> Option<Condition> {
    match c.name.as_str() {
        "branch" => Some(Condition::Branch {
            pattern: c.main_arg("pattern")?.as_text()?,
        }),
        "equals" => {
            let name = param_ref(&expression_text(c.arg("actual")?)?)?;
            let value = c.arg("expected")?.as_text()?;
            Some(Condition::ParamEquals { name, value })
        }
        "not" => {
            let inner = c.body.as_ref()?.iter().find_map(|s| match s {
                decl::Step::Call(call) => condition_call(call),
                _ => None,
            })?;
            Some(Condition::Not(Box::new(inner)))
        }
        "expression" => {
            let last = c.body.as_ref()?.last()?;
            let text = match last {
                decl::Step::Groovy { source, .. } => source.clone(),
                decl::Step::Call(call) => call.name.clone(),
                _ => return None,
            };
            condition_text(&text)
        }
        _ => None,
    }
}

fn expression_text(v: &DValue) -> Option<String> {
    match v {
        DValue::Expression(e) => Some(e.clone()),
        _ => None,
    }
}

/// `params.X`, `env.X` or an upper-case identifier (a parameter exposed as a variable).
fn param_ref(text: &str) -> Option<String> {
    let t = text.trim();
    let is_ident =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if let Some(rest) = t.strip_prefix("params.").or_else(|| t.strip_prefix("env.")) {
        return is_ident(rest).then(|| t.to_string());
    }
    (is_ident(t)
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()))
    .then(|| t.to_string())
}

fn unquote(t: &str) -> Option<String> {
    let t = t.trim();
    for q in ['\'', '"'] {
        if let Some(inner) = t.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return Some(inner.to_string());
        }
    }
    match t {
        "true" | "false" => Some(t.to_string()),
        _ if t.parse::<f64>().is_ok() => Some(t.to_string()),
        _ => None,
    }
}

/// `return params.X`, `params.X == 'v'`, `params.X != "v"`, `!params.X` (an if or an
/// `expression { }`), else `None` (undecidable: the simulator takes the `then` branch).
fn condition_text(text: &str) -> Option<Condition> {
    let t = text.trim();
    let t = t.strip_prefix("return ").unwrap_or(t).trim();
    let t = t
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(t)
        .trim();
    for (op, negate) in [("==", false), ("!=", true)] {
        if let Some((l, r)) = t.split_once(op) {
            let (name, value) = match (param_ref(l), param_ref(r)) {
                (Some(n), _) => (n, unquote(r)?),
                (None, Some(n)) => (n, unquote(l)?),
                _ => return None,
            };
            let c = Condition::ParamEquals { name, value };
            return Some(if negate {
                Condition::Not(Box::new(c))
            } else {
                c
            });
        }
    }
    if let Some(rest) = t.strip_prefix('!') {
        return Some(Condition::Not(Box::new(condition_text(rest)?)));
    }
    param_ref(t).map(|name| Condition::ParamTrue { name })
}

fn steps(list: &[decl::Step]) -> Vec<Step> {
    let mut out = Vec::new();
    for s in list {
        match s {
            decl::Step::Call(c) if c.receiver.is_none() => out.push(step(c)),
            decl::Step::Assign {
                value: DValue::Call(c),
                ..
            } if c.receiver.is_none() => out.push(step(c)),
            decl::Step::If {
                condition,
                then,
                otherwise,
                ..
            } => out.push(Step::If {
                condition: condition_text(condition),
                then: steps(then),
                otherwise: steps(otherwise),
            }),
            _ => {}
        }
    }
    out
}

/// A step argument as text the executor may interpolate.
fn text(v: Option<&DValue>) -> Text {
    match v {
        Some(DValue::String(s)) => Text::plain(s.clone()),
        Some(DValue::Template(raw)) => Text::gstring(unescape(raw)),
        Some(DValue::Expression(e)) => match param_ref(e) {
            Some(name) => Text::gstring(format!("${{{name}}}")),
            None => Text::plain(e.clone()),
        },
        Some(other) => Text::plain(other.as_text().unwrap_or_default()),
        None => Text::plain(""),
    }
}

/// Groovy's simple escapes in a GString body (`\n`, `\t`, `\"`, `\$`, `\\`).
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            // `\$` stays escaped so the executor does not expand it.
            Some('$') => out.push_str("\\$"),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn number(v: Option<&DValue>) -> Option<f64> {
    match v? {
        DValue::Integer(i) => Some(*i as f64),
        DValue::Decimal(d) => d.parse().ok(),
        DValue::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn unit_ms(unit: Option<&DValue>, default: f64) -> f64 {
    let unit = unit.and_then(|u| match u {
        DValue::Expression(e) => Some(e.clone()),
        other => other.as_text(),
    });
    match unit.as_deref().map(|u| u.trim_start_matches("TimeUnit.")) {
        Some("MILLISECONDS") => 1.0,
        Some("SECONDS") => 1000.0,
        Some("MINUTES") => 60_000.0,
        Some("HOURS") => 3_600_000.0,
        Some("DAYS") => 86_400_000.0,
        _ => default,
    }
}

fn body(c: &StepCall) -> Vec<Step> {
    if let Some(b) = &c.body {
        return steps(b);
    }
    // A closure given as an argument: `timeout(5, { … })`.
    c.args
        .iter()
        .find_map(|a| match &a.value {
            DValue::Closure(b) => Some(steps(b)),
            _ => None,
        })
        .unwrap_or_default()
}

fn step(c: &StepCall) -> Step {
    match c.name.as_str() {
        "echo" => Step::Echo {
            message: text(c.main_arg("message")),
        },
        "sh" | "bat" | "powershell" | "pwsh" => Step::Sh {
            script: text(c.main_arg("script")),
        },
        "error" => Step::Error {
            message: text(c.main_arg("message")),
        },
        "sleep" => Step::Sleep {
            millis: (number(c.main_arg("time")).unwrap_or(1.0) * unit_ms(c.arg("unit"), 1000.0))
                as u64,
        },
        "input" => Step::Input(InputSpec {
            message: c
                .main_arg("message")
                .and_then(DValue::as_text)
                .unwrap_or_default(),
            id: c.arg("id").and_then(DValue::as_text),
            ok: c.arg("ok").and_then(DValue::as_text),
            submitter: c.arg("submitter").and_then(DValue::as_text),
            parameters: c.input_parameters().iter().map(input_param_json).collect(),
        }),
        "archiveArtifacts" | "archive" => Step::ArchiveArtifacts {
            patterns: vec![c
                .main_arg("artifacts")
                .and_then(DValue::as_text)
                .unwrap_or_default()],
            allow_empty: matches!(c.arg("allowEmptyArchive"), Some(DValue::Bool(true))),
        },
        "writeFile" => Step::Other {
            name: "writeFile".into(),
            description: c
                .arg("file")
                .or_else(|| c.positional(0))
                .and_then(DValue::as_text)
                .unwrap_or_default(),
        },
        "timeout" => Step::Timeout {
            millis: (number(c.main_arg("time")).unwrap_or(1.0) * unit_ms(c.arg("unit"), 60_000.0))
                as u64,
            body: body(c),
        },
        "retry" => Step::Retry {
            count: number(c.main_arg("count")).unwrap_or(1.0).max(1.0) as u32,
            body: body(c),
        },
        name if c.body.is_some() => Step::Block {
            name: name.to_string(),
            arg: c.positional(0).and_then(DValue::as_text),
            body: body(c),
        },
        name => Step::Other {
            name: name.to_string(),
            description: c
                .positional(0)
                .and_then(DValue::as_text)
                .unwrap_or_default(),
        },
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
        let names: Vec<_> = l
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.kind.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("PERSON", "string"),
                ("DEBUG", "boolean"),
                ("ENV", "choice")
            ]
        );
        assert_eq!(l.params[2].choices.as_deref().unwrap(), ["dev", "prod"]);
        assert_eq!(l.plan.stages.len(), 3);
        match &l.plan.stages[0].body {
            StageBody::Steps(steps) => {
                assert_eq!(
                    steps[0],
                    Step::Echo {
                        message: Text::gstring("Hello ${params.PERSON}")
                    }
                );
                assert!(matches!(&steps[1], Step::Sh { script } if script.value.contains("make")));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&l.plan.stages[1].body, StageBody::Parallel(b) if b.len() == 2));
        assert_eq!(
            l.plan.stages[2].when,
            Some(Condition::ParamTrue {
                name: "params.DEBUG".into()
            })
        );
        match &l.plan.stages[2].body {
            StageBody::Steps(steps) => {
                let Step::Input(input) = &steps[0] else {
                    panic!("{steps:?}")
                };
                assert_eq!(input.id.as_deref(), Some("go"));
                assert_eq!(input.submitter.as_deref(), Some("admin"));
                assert_eq!(input.parameters[0]["name"], "TARGET");
                assert!(
                    matches!(&steps[1], Step::Timeout { millis: 60_000, body } if matches!(&body[0], Step::Retry { count: 2, .. }))
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(l.plan.post[0].condition, "always");
    }

    #[test]
    fn reads_scripted_stages_and_matrix_cells() {
        let scripted = load("node {\n  stage('build') {\n    echo 'hi'\n    sh 'make'\n  }\n  stage('test') {\n    sh 'make test'\n  }\n}\n").unwrap();
        let names: Vec<_> = scripted
            .plan
            .stages
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(names, ["build", "test"]);
        let matrix = load(
            "pipeline {\n  agent any\n  stages {\n    stage('m') {\n      matrix {\n        axes {\n          axis {\n            name 'OS'\n            values 'linux', 'mac'\n          }\n        }\n        stages {\n          stage('b') {\n            steps {\n              echo 'x'\n            }\n          }\n        }\n      }\n    }\n  }\n}\n",
        )
        .unwrap();
        match &matrix.plan.stages[0].body {
            StageBody::Parallel(cells) => {
                let names: Vec<_> = cells.iter().map(|c| c.name.as_str()).collect();
                assert_eq!(names, ["Matrix - OS = 'linux'", "Matrix - OS = 'mac'"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn agents_come_from_the_pipeline_stages_and_scripted_nodes() {
        let l = load("pipeline {\n  agent none\n  stages {\n    stage('a') {\n      agent { label 'go' }\n      steps { echo 'x' }\n    }\n    stage('b') {\n      agent { node { label 'built-in' } }\n      steps { echo 'y' }\n    }\n    stage('c') {\n      agent { docker { image 'maven:3' } }\n      steps { echo 'z' }\n    }\n  }\n}\n").unwrap();
        assert_eq!(l.plan.agent, Some(Agent::None));
        let agents: Vec<_> = l.plan.stages.iter().map(|s| s.agent.clone()).collect();
        assert_eq!(
            agents,
            [
                Some(Agent::Label("go".into())),
                Some(Agent::Any),
                Some(Agent::Custom("docker".into()))
            ]
        );
        let scripted = load("stage('outside') {\n  echo 'a'\n}\nnode('maven') {\n  stage('build') {\n    container('maven') {\n      sh 'mvn package'\n    }\n    archiveArtifacts artifacts: 'target/*.jar', allowEmptyArchive: true\n  }\n}\n").unwrap();
        let stages: Vec<_> = scripted
            .plan
            .stages
            .iter()
            .map(|s| (s.name.as_str(), s.agent.clone()))
            .collect();
        assert_eq!(
            stages,
            [
                ("outside", Some(Agent::Any)),
                ("build", Some(Agent::Label("maven".into())))
            ]
        );
        let StageBody::Steps(steps) = &scripted.plan.stages[1].body else {
            panic!("{:?}", scripted.plan.stages[1]);
        };
        assert!(
            matches!(&steps[0], Step::Block { name, arg: Some(c), body } if name == "container" && c == "maven" && matches!(&body[0], Step::Sh { .. }))
        );
        assert!(matches!(
            &steps[1],
            Step::ArchiveArtifacts {
                allow_empty: true,
                ..
            }
        ));
    }

    #[test]
    fn conditions_read_from_text() {
        assert_eq!(
            condition_text("params.ENV == 'prod'"),
            Some(Condition::ParamEquals {
                name: "params.ENV".into(),
                value: "prod".into()
            })
        );
        assert_eq!(
            condition_text("!params.DRY"),
            Some(Condition::Not(Box::new(Condition::ParamTrue {
                name: "params.DRY".into()
            })))
        );
        assert_eq!(condition_text("currentBuild.result == null"), None);
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = load("pipeline {\n  stages {\n    stage('x' {\n").unwrap_err();
        assert!(err.line >= 3, "{err:?}");
    }
}
