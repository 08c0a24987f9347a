//! The result of reading a Jenkinsfile: parameters, input parameters, diagnostics, verdict.

use bumpalo::Bump;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::sync::OnceLock;

use super::ast::{Arg, Call, Expr, ExprKind, Stmt, StmtKind};
use super::converter::{self, ModelError};
use super::declarative::{self, Pipeline, Step};
use super::definitions::{self, Form};
use super::parser::parse_program;
use super::scripted::{self, ScriptedParameters};
use super::source::{Diagnostic, Severity, Source};
use super::unicode::{decode_unicode_escapes, Decoded};
use crate::model::ParameterDefinition;
use crate::Secret;

/// Where the job parameters came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ParameterSource {
    /// The declarative `parameters { }` directive.
    Directive,
    /// A scripted `properties([parameters([…])])`.
    Scripted,
    /// No parameters are defined.
    None,
}

/// A job parameter: its definition as Jenkins' REST API shows it, plus what the API hides.
#[derive(Debug, Clone)]
pub struct JobParameter {
    pub definition: ParameterDefinition,
    /// The symbol it was written with (`string`, `booleanParam`, …).
    pub symbol: String,
    /// A password parameter's default (Jenkins never exports it).
    pub password_default: Option<Secret>,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum InputSource {
    /// A stage's `input { parameters { … } }` directive.
    Directive,
    /// An `input(message: …, parameters: […])` step.
    Step,
}

/// Parameters an `input` asks for when the run reaches it (not job parameters).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InputParameters {
    /// The names of the enclosing stages, outermost first.
    pub stage_path: Vec<String>,
    /// The input's `id`, when given as a literal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub source: InputSource,
    pub line: u32,
    pub parameters: Vec<ParameterDefinition>,
    #[serde(skip)]
    pub password_defaults: Vec<(String, Secret)>,
}

/// What [`parse_jenkinsfile`] found. Serializes to
/// `{"parameters", "inputParameters", "diagnostics", "accepted"}`.
///
/// Debug leaves out the converter JSON, scripted lists and pipeline model (they may hold a
/// password parameter's literal default).
#[derive(Clone)]
pub struct JenkinsfileReport {
    parameters: Vec<JobParameter>,
    parameter_source: ParameterSource,
    input_parameters: Vec<InputParameters>,
    diagnostics: Vec<Diagnostic>,
    accepted: bool,
    /// The scripted lists without their JSON (`scripted_parameters` has it).
    scripted: Vec<ScriptedParameters>,
    /// The text, to build the pipeline model and the JSON views from when first asked for.
    text: String,
    model: OnceLock<Model>,
    json_views: OnceLock<JsonViews>,
}

/// The converter's JSON and the scripted lists with theirs: built on demand, as few callers
/// need them and they cost more than the rest of the report.
#[derive(Clone, Default)]
struct JsonViews {
    converter: Option<Value>,
    /// The converter's `{"parameters": […]}` of each stage `input` directive, in order.
    input_converters: Vec<Value>,
    scripted: Vec<ScriptedParameters>,
}

impl JsonViews {
    fn build(text: &str) -> JsonViews {
        reparse(text, |stmts, src| {
            let pipeline = find_pipeline(stmts);
            let mut errors = Vec::new();
            let mut input_converters = Vec::new();
            if let Some(call) = pipeline {
                for_each_input_directive(call, src, &mut Vec::new(), &mut |_, input| {
                    for params in input_parameter_blocks(input) {
                        let body = closure_body(params);
                        let (_, json) =
                            converter::parse_build_parameters::<true>(body, src, &mut errors);
                        input_converters.push(json);
                    }
                });
            }
            JsonViews {
                converter: pipeline.and_then(parameters_section).map(|section| {
                    converter::parse_build_parameters::<true>(
                        section_body(section),
                        src,
                        &mut errors,
                    )
                    .1
                }),
                input_converters,
                scripted: scripted::find(stmts, src, true),
            }
        })
        .unwrap_or_default()
    }
}

/// Decodes and parses `text` again and reads the statements with `read`; `None` when the
/// text does not parse (the report then has a diagnostic for it).
fn reparse<R>(text: &str, read: impl FnOnce(&[Stmt], &Source) -> R) -> Option<R> {
    let mut scratch = JenkinsfileReport::empty();
    let decoded = decode(text, &mut scratch)?;
    let src = Source::new(&decoded.text);
    let arena = arena_for(src.text);
    let stmts = parse(&src, &arena, &mut scratch)?;
    Some(read(stmts, &src))
}

/// What a run executor walks: built on demand, as few callers need it.
#[derive(Clone, Default)]
struct Model {
    pipeline: Option<Pipeline>,
    script: Option<Vec<Step>>,
}

impl Model {
    /// Reads the text again; the same statements give the same pipeline as the report's.
    fn build(text: &str) -> Model {
        reparse(text, |stmts, src| match find_pipeline(stmts) {
            Some(call) => Model {
                pipeline: Some(declarative::build_pipeline(call, src)),
                script: None,
            },
            None => Model {
                pipeline: None,
                script: Some(declarative::build_script(stmts, src)),
            },
        })
        .unwrap_or_default()
    }
}

impl JenkinsfileReport {
    /// The job parameters' definitions, in source order.
    pub fn parameters(&self) -> Vec<&ParameterDefinition> {
        self.parameters.iter().map(|p| &p.definition).collect()
    }

    /// The job parameters with their symbol, line and password default.
    pub fn job_parameters(&self) -> &[JobParameter] {
        &self.parameters
    }

    pub fn parameter_source(&self) -> ParameterSource {
        self.parameter_source
    }

    /// A password parameter's default value.
    pub fn password_default(&self, name: &str) -> Option<&Secret> {
        self.parameters
            .iter()
            .find(|p| p.definition.name == name)
            .and_then(|p| p.password_default.as_ref())
    }

    pub fn input_parameters(&self) -> &[InputParameters] {
        &self.input_parameters
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Whether Jenkins would accept the Jenkinsfile (compile, parse, validate, start the run).
    pub fn accepted(&self) -> bool {
        self.accepted
    }

    /// What `pipeline-model-converter/toJson` gives for the `parameters` directive:
    /// `{"parameters": [{"name", "arguments"}…]}`, or `None` without a directive. Like
    /// Jenkins' endpoint, it carries the literals as written, password defaults included.
    /// Built on first use.
    pub fn converter_parameters(&self) -> Option<&Value> {
        self.json_views().converter.as_ref()
    }

    /// The converter's `{"parameters": […]}` of `input_parameters()[index]` when that group is
    /// a stage's `input` directive (built on first use, like [`Self::converter_parameters`]).
    pub fn input_converter(&self, index: usize) -> Option<&Value> {
        let group = self.input_parameters.get(index)?;
        if group.source != InputSource::Directive {
            return None;
        }
        self.json_views().input_converters.get(index)
    }

    /// Every scripted `parameters([…])` list (and legacy `ParametersDefinitionProperty` map),
    /// with each item's converter JSON (built on first use).
    pub fn scripted_parameters(&self) -> &[ScriptedParameters] {
        &self.json_views().scripted
    }

    fn json_views(&self) -> &JsonViews {
        self.json_views.get_or_init(|| JsonViews::build(&self.text))
    }

    /// The declarative pipeline, when the file has one and it compiles (built on first use).
    pub fn pipeline(&self) -> Option<&Pipeline> {
        self.model().pipeline.as_ref()
    }

    /// A scripted Jenkinsfile's top-level statements as steps (`node`, `stage`, `sh`, …),
    /// when it compiles and has no declarative pipeline.
    pub fn script(&self) -> Option<&[Step]> {
        self.model().script.as_deref()
    }

    fn model(&self) -> &Model {
        self.model.get_or_init(|| Model::build(&self.text))
    }

    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl std::fmt::Debug for JenkinsfileReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JenkinsfileReport")
            .field("parameters", &self.parameters)
            .field("parameter_source", &self.parameter_source)
            .field("input_parameters", &self.input_parameters)
            .field("diagnostics", &self.diagnostics)
            .field("accepted", &self.accepted)
            .field("scripted_lists", &self.scripted.len())
            .finish_non_exhaustive()
    }
}

impl Serialize for JenkinsfileReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(Some(4))?;
        m.serialize_entry("parameters", &self.parameters())?;
        m.serialize_entry("inputParameters", &self.input_parameters)?;
        m.serialize_entry("diagnostics", &self.diagnostics)?;
        m.serialize_entry("accepted", &self.accepted)?;
        m.end()
    }
}

const SECTIONS: &[&str] = &[
    "agent",
    "stages",
    "post",
    "environment",
    "tools",
    "options",
    "parameters",
    "triggers",
    "libraries",
];

/// Reads a Jenkinsfile. Never panics; any text gives a report.
pub fn parse_jenkinsfile(text: &str) -> JenkinsfileReport {
    let mut report = JenkinsfileReport::empty();
    report.text = text.to_owned();
    let Some(decoded) = decode(text, &mut report) else {
        return report;
    };
    let src = Source::new(&decoded.text);
    let arena = arena_for(src.text);
    let Some(stmts) = parse(&src, &arena, &mut report) else {
        return report;
    };
    let extracted = extract(text, &decoded, stmts, &src, &mut report);
    validate(stmts, &src, extracted, &mut report);
    report
}

/// An arena for the syntax tree of `text`, sized so that a typical Jenkinsfile's tree fits
/// in its first block (about 4 bytes of tree per byte of source; it grows for the rest).
pub(super) fn arena_for(text: &str) -> Bump {
    Bump::with_capacity(text.len().saturating_mul(4).min(1 << 20))
}

/// What extraction found that the validation phase turns into diagnostics.
pub(super) struct Extracted<'s> {
    pipeline_call: Option<&'s Call<'s>>,
    model_errors: Vec<ModelError>,
    validator_errors: Vec<(usize, String)>,
    /// Something Jenkins fails on before validation (a BOM, a shifted line break).
    fatal: bool,
    converter_fails: bool,
}

impl JenkinsfileReport {
    pub(super) fn empty() -> Self {
        JenkinsfileReport {
            parameters: Vec::new(),
            parameter_source: ParameterSource::None,
            input_parameters: Vec::new(),
            diagnostics: Vec::new(),
            accepted: false,
            scripted: Vec::new(),
            text: String::new(),
            model: OnceLock::new(),
            json_views: OnceLock::new(),
        }
    }
}

/// Decodes `\\uXXXX` escapes (phase 1 of 4, with lexing); a bad escape is a diagnostic.
pub(super) fn decode<'t>(text: &'t str, report: &mut JenkinsfileReport) -> Option<Decoded<'t>> {
    match decode_unicode_escapes(text) {
        Ok(d) => Some(d),
        Err(e) => {
            report.diagnostics.push(Source::new(text).diagnostic(
                e.offset,
                Severity::Error,
                "Groovy compile error: Did not find four digit hex character code after \\u",
            ));
            None
        }
    }
}

/// Parses the decoded text into statements (phase 2 of 4); a syntax error is a diagnostic.
pub(super) fn parse<'a>(
    src: &Source<'a>,
    arena: &'a Bump,
    report: &mut JenkinsfileReport,
) -> Option<&'a [Stmt<'a>]> {
    match parse_program(src.text, arena) {
        Ok(s) => Some(s),
        Err(e) => {
            let message = if e.beyond_limit {
                format!(
                    "not analysed: {} (ksdevops cannot tell whether Jenkins accepts this file)",
                    e.message
                )
            } else {
                format!("Groovy compile error: {}", e.message)
            };
            report
                .diagnostics
                .push(src.diagnostic(e.offset, Severity::Error, message));
            None
        }
    }
}

/// Reads the parameters, input parameters, scripted lists and pipeline model out of the
/// statements (phase 3 of 4).
pub(super) fn extract<'s>(
    text: &str,
    decoded: &Decoded,
    stmts: &'s [Stmt<'s>],
    src: &Source,
    report: &mut JenkinsfileReport,
) -> Extracted<'s> {
    let pipeline_call = find_pipeline(stmts);
    let mut extracted = Extracted {
        pipeline_call,
        model_errors: Vec::new(),
        validator_errors: Vec::new(),
        fatal: byte_order_mark(text, src, report),
        converter_fails: false,
    };
    line_break_escape(text, decoded, &mut extracted, report);
    if let Some(call) = pipeline_call {
        directive_parameters(call, src, &mut extracted, report);
        for_each_input_directive(call, src, &mut Vec::new(), &mut |path, input| {
            input_directive(
                input,
                src,
                path,
                &mut report.input_parameters,
                &mut extracted.model_errors,
                &mut extracted.validator_errors,
            )
        });
    }
    report.scripted = scripted::find(stmts, src, false);
    if pipeline_call.is_none() {
        scripted_job_parameters(report);
    }
    input_steps(stmts, src, &mut Vec::new(), &mut report.input_parameters);
    extracted
}

/// A UTF-8 byte order mark: an error (Jenkins fails before validation); whether there is one.
fn byte_order_mark(text: &str, src: &Source, report: &mut JenkinsfileReport) -> bool {
    if !text.starts_with('\u{FEFF}') {
        return false;
    }
    report.diagnostics.push(src.diagnostic(
        0,
        Severity::Error,
        "the file starts with a UTF-8 byte order mark; Jenkins' Groovy reads it as part of an identifier, so the first statement is not what it looks like (save the file without BOM)",
    ));
    true
}

/// A `\u000a`/`\u000d` escape shifts Groovy's line numbers: a warning, or an error when the
/// declarative parser would then slice the source text of a value after it.
fn line_break_escape(
    text: &str,
    decoded: &Decoded,
    extracted: &mut Extracted,
    report: &mut JenkinsfileReport,
) {
    let (Some(offset), Some(decoded_at)) = (decoded.line_break_escape, decoded.line_break_decoded)
    else {
        return;
    };
    // Groovy's line numbers count the decoded line break; the declarative parser slices
    // the raw file by them for every value it keeps as source text.
    let converter_fails = extracted
        .pipeline_call
        .is_some_and(|call| takes_source_text_after(call, decoded_at));
    let (severity, message) = if converter_fails {
        (Severity::Error, "a \\u000a/\\u000d escape decodes to a line break: Groovy's line numbers no longer match the file, and Jenkins' declarative parser fails reading the source text of the values after it (StringIndexOutOfBoundsException)")
    } else {
        (Severity::Warning, "a \\u000a/\\u000d escape decodes to a line break: line numbers in Jenkins' messages are one off from here on")
    };
    extracted.converter_fails = converter_fails;
    extracted.fatal |= converter_fails;
    report
        .diagnostics
        .push(Source::new(text).diagnostic(offset, severity, message));
}

/// The job parameters of the pipeline's `parameters { }` directive, with the converter's
/// JSON of it and the errors of the converter and the validator.
fn directive_parameters(
    pipeline: &Call,
    src: &Source,
    extracted: &mut Extracted,
    report: &mut JenkinsfileReport,
) {
    let Some(section) = parameters_section(pipeline) else {
        return;
    };
    let (calls, _) = converter::parse_build_parameters::<false>(
        section_body(section),
        src,
        &mut extracted.model_errors,
    );
    for call in calls {
        let at = call.name_span.start;
        let found = definitions::extract(call, src, Form::Declarative);
        extracted
            .validator_errors
            .extend(found.errors.into_iter().map(|e| (at, e)));
        for note in found.notes {
            report
                .diagnostics
                .push(src.diagnostic(at, Severity::Info, note));
        }
        if let Some(definition) = found.definition {
            let (line, column) = src.position(at);
            report.parameters.push(JobParameter {
                definition,
                symbol: found.symbol,
                password_default: found.password_default,
                line,
                column,
            });
        }
    }
    report.parameter_source = ParameterSource::Directive;
}

/// Without a declarative pipeline, the last scripted list gives the job parameters; an item
/// built at run time or with errors is a warning.
fn scripted_job_parameters(report: &mut JenkinsfileReport) {
    let Some(list) = report.scripted.last() else {
        return;
    };
    report.parameter_source = ParameterSource::Scripted;
    for item in &list.items {
        if let Some(definition) = &item.definition {
            report.parameters.push(JobParameter {
                definition: definition.clone(),
                symbol: item.symbol.clone(),
                password_default: item.password_default.clone(),
                line: list.line,
                column: 1,
            });
        }
    }
    for item in list
        .items
        .iter()
        .filter(|i| i.definition.is_none() || !i.errors.is_empty())
    {
        let what = item.errors.join("; ");
        report.diagnostics.push(Diagnostic {
            line: list.line,
            column: 1,
            severity: Severity::Warning,
            message: if what.is_empty() {
                "a scripted parameter item is built at run time; its definition is not known statically".into()
            } else {
                format!("scripted parameter: {what}")
            },
        });
    }
}

/// Applies the declarative validator's structural rules and turns every finding into a
/// diagnostic, then decides whether Jenkins accepts the file (phase 4 of 4).
pub(super) fn validate(
    stmts: &[Stmt],
    src: &Source,
    extracted: Extracted,
    report: &mut JenkinsfileReport,
) {
    let Extracted {
        pipeline_call,
        model_errors: extraction_errors,
        validator_errors,
        fatal,
        converter_fails,
    } = extracted;
    let mut model_errors: Vec<ModelError> = Vec::new();
    if let Some(call) = pipeline_call {
        check_sections(call, src, &mut model_errors);
        for extra in stmts.iter().filter_map(top_level_pipeline).skip(1) {
            model_errors.push(ModelError {
                offset: extra.name_span.start,
                message: "Only one pipeline { ... } block can be defined in the Jenkinsfile".into(),
            });
        }
    }
    model_errors.extend(extraction_errors);
    for e in &model_errors {
        report
            .diagnostics
            .push(src.diagnostic(e.offset, Severity::Error, e.message.clone()));
    }
    for (offset, message) in &validator_errors {
        report
            .diagnostics
            .push(src.diagnostic(*offset, Severity::Error, message.clone()));
    }
    if pipeline_call.is_none() && report.scripted.is_empty() && mentions_parameters(stmts) {
        report.diagnostics.push(Diagnostic {
            line: 1,
            column: 1,
            severity: Severity::Info,
            message: "no declarative pipeline and no properties([parameters([...])]) list: any parameters are built at run time and cannot be read statically".into(),
        });
    }
    for p in &report.parameters {
        if let Some(note) = unresolved_note(&p.definition) {
            report.diagnostics.push(Diagnostic {
                line: p.line,
                column: p.column,
                severity: Severity::Info,
                message: note,
            });
        }
    }
    if converter_fails {
        // The converter fails before any parameter reaches the job.
        report.parameters.clear();
        report.parameter_source = ParameterSource::None;
    }
    report.diagnostics.sort_by_key(|d| (d.line, d.column));
    report.accepted = !fatal && model_errors.is_empty() && validator_errors.is_empty();
}

/// "parameter X: not known before the build runs: …" for a definition with unresolved fields.
fn unresolved_note(definition: &ParameterDefinition) -> Option<String> {
    let source = |field: &str| {
        definition
            .unresolved(field)
            .and_then(|u| u.get("source"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let unknown: Vec<String> = [
        ("name", "name"),
        ("description", "description"),
        ("choices", "choices"),
        ("defaultValue", "default value"),
    ]
    .iter()
    .filter_map(|(field, what)| source(field).map(|s| format!("{what} ({s})")))
    .collect();
    if unknown.is_empty() {
        return None;
    }
    let name = source("name").unwrap_or_else(|| definition.name.clone());
    Some(format!(
        "parameter {name}: not known before the build runs: {}",
        unknown.join(", ")
    ))
}

/// Whether the declarative parser keeps, as raw source text, any value of the pipeline that
/// starts after `offset`: non-literal arguments (GStrings, lists, variables, `+`, …), and the
/// bodies of `script` and `expression` blocks.
fn takes_source_text_after(pipeline: &Call, offset: usize) -> bool {
    fn stmt(s: &Stmt, offset: usize) -> bool {
        match &s.kind {
            StmtKind::Expr(e) => expr(e, offset),
            _ => s.span.start > offset,
        }
    }
    fn expr(e: &Expr, offset: usize) -> bool {
        match &e.kind {
            ExprKind::Str(_) | ExprKind::Num(_) | ExprKind::Bool(_) | ExprKind::Null => false,
            ExprKind::Ident(name) if *name == "none" || *name == "any" => false,
            ExprKind::Call(c) if c.receiver.is_none() => call(c, offset),
            // `NAME = value` in `environment { }`: only the value may be kept as text.
            ExprKind::Assign { target, value } if matches!(target.kind, ExprKind::Ident(_)) => {
                expr(value, offset)
            }
            // A value the escape is inside of ends on a shifted line too.
            _ => e.span.end > offset,
        }
    }
    fn call(c: &Call, offset: usize) -> bool {
        if let Some(body) = c.closure.as_ref() {
            if c.name == "script" || c.name == "expression" {
                return body.span.end > offset;
            }
        }
        c.args.iter().any(|a| match a {
            Arg::Named { value, .. } | Arg::Positional(value) => expr(value, offset),
        }) || c
            .closure
            .iter()
            .flat_map(|cl| cl.body.iter())
            .any(|s| stmt(s, offset))
    }
    call(pipeline, offset)
}

/// `pipeline { … }` as a top-level statement, else inside a shared library's `def call()`
/// when it has both `agent` and `stages`.
fn top_level_pipeline<'a, 's>(s: &'a Stmt<'s>) -> Option<&'a Call<'s>> {
    let c = s.as_call()?;
    (c.name == "pipeline" && c.args.is_empty() && c.closure.is_some()).then_some(c)
}

fn find_pipeline<'a, 's>(stmts: &'a [Stmt<'s>]) -> Option<&'a Call<'s>> {
    if let Some(found) = stmts.iter().find_map(top_level_pipeline) {
        return Some(found);
    }
    for s in stmts {
        if let StmtKind::Method { name, body } = &s.kind {
            if *name == "call" {
                if let Some(found) = find_nested_pipeline(body) {
                    return Some(found);
                }
            }
        }
    }
    None
}

fn find_nested_pipeline<'a, 's>(stmts: &'a [Stmt<'s>]) -> Option<&'a Call<'s>> {
    for s in stmts {
        match &s.kind {
            StmtKind::Expr(_) => {
                if let Some(c) = s.as_call() {
                    if c.name == "pipeline" && c.closure.is_some() {
                        let has = |n: &str| {
                            c.closure
                                .iter()
                                .flat_map(|cl| cl.body.iter())
                                .any(|s| s.as_call().is_some_and(|c| c.name == n))
                        };
                        if has("agent") && has("stages") {
                            return Some(c);
                        }
                    }
                    if let Some(found) = c
                        .closure
                        .as_ref()
                        .and_then(|cl| find_nested_pipeline(cl.body))
                    {
                        return Some(found);
                    }
                }
            }
            StmtKind::Block(body) | StmtKind::Method { body, .. } => {
                if let Some(found) = find_nested_pipeline(body) {
                    return Some(found);
                }
            }
            StmtKind::If {
                then, otherwise, ..
            } => {
                if let Some(found) =
                    find_nested_pipeline(then).or_else(|| find_nested_pipeline(otherwise))
                {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    None
}

fn pipeline_sections<'a, 's>(call: &'a Call<'s>) -> impl Iterator<Item = &'a Stmt<'s>> {
    call.closure.iter().flat_map(|c| c.body.iter())
}

/// The last `parameters` section (a later one replaces an earlier one, after an error).
fn parameters_section<'a, 's>(call: &'a Call<'s>) -> Option<&'a Call<'s>> {
    pipeline_sections(call)
        .filter_map(|s| s.as_call())
        .filter(|c| c.name == "parameters")
        .last()
}

fn check_sections(call: &Call, src: &Source, errors: &mut Vec<ModelError>) {
    let mut seen: Vec<&str> = Vec::new();
    check_required_sections(call, src, errors);
    for stmt in pipeline_sections(call) {
        let Some(section) = stmt.as_call() else {
            errors.push(ModelError {
                offset: stmt.span.start,
                message: format!(
                    "Not a valid section definition: \"{}\". Some extra configuration is required.",
                    src.text_of(stmt.span)
                ),
            });
            continue;
        };
        let name = section.name;
        if name == "properties" {
            errors.push(ModelError {
                offset: stmt.span.start,
                message: "The 'properties' section has been renamed as of version 0.8. Use 'options' instead.".into(),
            });
            continue;
        }
        if !SECTIONS.contains(&name) {
            errors.push(ModelError {
                offset: stmt.span.start,
                message: format!("Undefined section \"{name}\""),
            });
            continue;
        }
        if seen.contains(&name) {
            errors.push(ModelError {
                offset: stmt.span.start,
                message: format!("Multiple occurrences of the {name} section"),
            });
        }
        seen.push(name);
        match name {
            "parameters" => {
                if section.closure.is_none() || !section.args.is_empty() {
                    errors.push(ModelError {
                        offset: stmt.span.start,
                        message: "Expected a block for parameters".into(),
                    });
                } else if section.closure.as_ref().is_some_and(|c| c.body.is_empty()) {
                    errors.push(ModelError {
                        offset: stmt.span.start,
                        message: "parameters can not be empty".into(),
                    });
                }
            }
            "environment" => check_environment(section, errors),
            "options" => {
                for option in section
                    .closure
                    .iter()
                    .flat_map(|c| c.body.iter())
                    .filter_map(|s| s.as_call())
                {
                    if option.name == "parameters" {
                        errors.push(ModelError {
                            offset: option.name_span.start,
                            message: "The \"parameters\" job property can't be used in the \"options\" directive. Use the \"parameters\" section instead.".into(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

/// The validator's structural rules: `agent` and `stages` are required, `stages` is not
/// empty, and every stage has `steps`, `stages`, `parallel` or `matrix`.
fn check_required_sections(call: &Call, src: &Source, errors: &mut Vec<ModelError>) {
    let sections: Vec<&Call> = pipeline_sections(call)
        .filter_map(|s| s.as_call())
        .collect();
    for required in ["agent", "stages"] {
        if !sections.iter().any(|c| c.name == required) {
            errors.push(ModelError {
                offset: call.name_span.start,
                message: format!("Missing required section \"{required}\""),
            });
        }
    }
    let mut todo: Vec<&Call> = sections
        .into_iter()
        .filter(|c| c.name == "stages")
        .collect();
    while let Some(stages) = todo.pop() {
        let children: Vec<&Call> = closure_calls(stages)
            .filter(|c| c.name == "stage")
            .collect();
        if children.is_empty() {
            errors.push(ModelError {
                offset: stages.name_span.start,
                message: "No stages specified".into(),
            });
        }
        for stage in children {
            let mut has_body = false;
            for section in closure_calls(stage) {
                match section.name {
                    "environment" => check_environment(section, errors),
                    "steps" => has_body = true,
                    "stages" | "parallel" => {
                        has_body = true;
                        todo.push(section);
                    }
                    "matrix" => {
                        has_body = true;
                        todo.extend(closure_calls(section).filter(|c| c.name == "stages"));
                    }
                    _ => {}
                }
            }
            if !has_body {
                errors.push(ModelError {
                    offset: stage.name_span.start,
                    message: format!(
                        "Expected one of \"steps\", \"stages\", \"parallel\" or \"matrix\" for stage \"{}\"",
                        stage_name(stage, src)
                    ),
                });
            }
        }
    }
}

/// Every statement of an `environment { }` block is a `NAME = value` assignment.
fn check_environment(section: &Call, errors: &mut Vec<ModelError>) {
    for stmt in section.closure.iter().flat_map(|c| c.body.iter()) {
        let is_assignment = matches!(&stmt.kind, StmtKind::Expr(Expr {
            kind: ExprKind::Assign { target, .. },
            ..
        }) if matches!(target.kind, ExprKind::Ident(_)));
        if !is_assignment {
            errors.push(ModelError {
                offset: stmt.span.start,
                message: "Expected name=value pairs".into(),
            });
        }
    }
}

fn stage_name(call: &Call, src: &Source) -> String {
    call.positional()
        .next()
        .map(|e| match &e.kind {
            ExprKind::Str(s) => s.to_string(),
            _ => src.text_of(e.span),
        })
        .unwrap_or_default()
}

fn closure_calls<'a, 's>(call: &'a Call<'s>) -> impl Iterator<Item = &'a Call<'s>> {
    call.closure
        .iter()
        .flat_map(|c| c.body.iter())
        .filter_map(|s| s.as_call())
}

/// Calls `visit` with the stage path and the call of every stage `input { }` directive in
/// the stage tree, in source order.
fn for_each_input_directive<'a, 's>(
    call: &'a Call<'s>,
    src: &Source,
    path: &mut Vec<String>,
    visit: &mut impl FnMut(&[String], &'a Call<'s>),
) {
    for c in closure_calls(call) {
        match c.name {
            "stages" | "parallel" | "matrix" => for_each_input_directive(c, src, path, visit),
            "stage" => {
                path.push(stage_name(c, src));
                for section in closure_calls(c) {
                    match section.name {
                        "input" => visit(path, section),
                        "stages" | "parallel" | "matrix" => {
                            for_each_input_directive(section, src, path, visit)
                        }
                        _ => {}
                    }
                }
                path.pop();
            }
            _ => {}
        }
    }
}

/// The `parameters { }` blocks of an `input { }` directive: one input group each.
fn input_parameter_blocks<'a, 's>(input: &'a Call<'s>) -> impl Iterator<Item = &'a Call<'s>> {
    closure_calls(input).filter(|s| s.name == "parameters")
}

/// The statements of a call's closure (none without one).
fn closure_body<'a, 's>(call: &'a Call<'s>) -> &'a [Stmt<'s>] {
    call.closure.as_ref().map_or(&[], |c| c.body)
}

/// The statements of a `parameters` section: a non-block `parameters "x"` is an error, and
/// the section is then empty.
fn section_body<'a, 's>(section: &'a Call<'s>) -> &'a [Stmt<'s>] {
    if section.args.is_empty() {
        closure_body(section)
    } else {
        &[]
    }
}

/// A stage's `input { id …; parameters { … } }`: one group per `parameters` block.
fn input_directive(
    input: &Call,
    src: &Source,
    path: &[String],
    out: &mut Vec<InputParameters>,
    model_errors: &mut Vec<ModelError>,
    validator_errors: &mut Vec<(usize, String)>,
) {
    let id = closure_calls(input)
        .find(|s| s.name == "id")
        .and_then(|s| s.positional().next())
        .and_then(|e| e.as_str())
        .map(str::to_owned);
    for params in input_parameter_blocks(input) {
        let (calls, _) =
            converter::parse_build_parameters::<false>(closure_body(params), src, model_errors);
        let mut group = InputParameters {
            stage_path: path.to_vec(),
            id: id.clone(),
            source: InputSource::Directive,
            line: src.line_of(params.name_span.start),
            parameters: Vec::new(),
            password_defaults: Vec::new(),
        };
        for p in calls {
            let e = definitions::extract(p, src, Form::Declarative);
            let at = p.name_span.start;
            validator_errors.extend(e.errors.into_iter().map(|m| (at, m)));
            if let Some(d) = e.definition {
                if let Some(s) = e.password_default {
                    group.password_defaults.push((d.name.clone(), s));
                }
                group.parameters.push(d);
            }
        }
        out.push(group);
    }
}

/// `input(message: …, parameters: [string(…), …])` steps anywhere, with their stage path.
fn input_steps(
    stmts: &[Stmt],
    src: &Source,
    path: &mut Vec<String>,
    out: &mut Vec<InputParameters>,
) {
    for s in stmts {
        match &s.kind {
            StmtKind::Expr(e)
            | StmtKind::Decl { value: Some(e), .. }
            | StmtKind::Return(Some(e)) => input_steps_expr(e, src, path, out),
            StmtKind::Block(body) | StmtKind::Method { body, .. } => {
                input_steps(body, src, path, out)
            }
            StmtKind::If {
                then, otherwise, ..
            } => {
                input_steps(then, src, path, out);
                input_steps(otherwise, src, path, out);
            }
            _ => {}
        }
    }
}

fn input_steps_expr(
    e: &Expr,
    src: &Source,
    path: &mut Vec<String>,
    out: &mut Vec<InputParameters>,
) {
    match &e.kind {
        ExprKind::Call(c) => {
            if c.name == "input" && c.receiver.is_none() {
                if let Some(Expr {
                    kind: ExprKind::List(items),
                    ..
                }) = c.named("parameters")
                {
                    let mut group = InputParameters {
                        stage_path: path.clone(),
                        id: c.named("id").and_then(|e| e.as_str()).map(str::to_owned),
                        source: InputSource::Step,
                        line: src.line_of(c.name_span.start),
                        parameters: Vec::new(),
                        password_defaults: Vec::new(),
                    };
                    for item in items.iter() {
                        if let Some(p) = item.as_call() {
                            let x = definitions::extract(p, src, Form::Scripted);
                            if let Some(d) = x.definition {
                                if let Some(s) = x.password_default {
                                    group.password_defaults.push((d.name.clone(), s));
                                }
                                group.parameters.push(d);
                            }
                        }
                    }
                    out.push(group);
                    return;
                }
            }
            let is_stage = c.name == "stage" && c.receiver.is_none();
            if is_stage {
                path.push(stage_name(c, src));
            }
            if let Some(r) = &c.receiver {
                input_steps_expr(r, src, path, out);
            }
            for a in c.args {
                match a {
                    Arg::Named { value, .. } | Arg::Positional(value) => {
                        input_steps_expr(value, src, path, out)
                    }
                }
            }
            if let Some(cl) = &c.closure {
                input_steps(cl.body, src, path, out);
            }
            if is_stage {
                path.pop();
            }
        }
        ExprKind::Assign { value, .. } => input_steps_expr(value, src, path, out),
        ExprKind::Closure(cl) => input_steps(cl.body, src, path, out),
        ExprKind::List(items) => items
            .iter()
            .for_each(|i| input_steps_expr(i, src, path, out)),
        ExprKind::Map(entries) => entries
            .iter()
            .for_each(|(_, v)| input_steps_expr(v, src, path, out)),
        _ => {}
    }
}

/// Whether any call named `parameters` appears (to explain an empty result).
fn mentions_parameters(stmts: &[Stmt]) -> bool {
    fn expr(e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Call(c) => {
                c.name == "parameters"
                    || c.receiver.as_ref().is_some_and(expr)
                    || c.args.iter().any(|a| match a {
                        Arg::Named { value, .. } | Arg::Positional(value) => expr(value),
                    })
                    || c.closure
                        .as_ref()
                        .is_some_and(|cl| mentions_parameters(cl.body))
            }
            ExprKind::List(items) => items.iter().any(expr),
            ExprKind::Assign { value, .. } => expr(value),
            ExprKind::Closure(cl) => mentions_parameters(cl.body),
            _ => false,
        }
    }
    stmts.iter().any(|s| match &s.kind {
        StmtKind::Expr(e) | StmtKind::Decl { value: Some(e), .. } | StmtKind::Return(Some(e)) => {
            expr(e)
        }
        StmtKind::Block(b) | StmtKind::Method { body: b, .. } => mentions_parameters(b),
        StmtKind::If {
            then, otherwise, ..
        } => mentions_parameters(then) || mentions_parameters(otherwise),
        _ => false,
    })
}
