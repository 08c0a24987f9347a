//! The scripted form: `properties([parameters([…])])` lists and legacy
//! `[$class: 'ParametersDefinitionProperty', parameterDefinitions: […]]` maps, found anywhere.

use serde::Serialize;
use serde_json::{Map, Value};

use super::ast::{Arg, Call, Expr, ExprKind, Span, Stmt, StmtKind};
use super::converter;
use super::definitions::{self, unresolved, Form, Static};
use super::source::Source;
use crate::model::ParameterDefinition;
use crate::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ScriptedForm {
    /// `parameters([…])`
    #[serde(rename = "parameters([...])")]
    ParametersStep,
    /// `[$class: 'ParametersDefinitionProperty', parameterDefinitions: […]]`
    #[serde(rename = "[$class: 'ParametersDefinitionProperty', parameterDefinitions: [...]]")]
    DefinitionProperty,
}

/// One item of a scripted parameter list. Debug omits the call and map (they may hold a
/// password literal).
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScriptedItem {
    /// The call in the converter's shape (`{"name","arguments"}`), for call items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method_call: Option<Value>,
    /// The map of a legacy `[$class: …]` item; values that need the runtime are
    /// `{"unresolved": true, "source": …}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class_map: Option<Map<String, Value>>,
    /// The definition Jenkins would create, when it can be known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<ParameterDefinition>,
    #[serde(skip)]
    pub password_default: Option<Secret>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
    /// The symbol a job parameter made of this item shows (`$class` for a map).
    #[serde(skip)]
    pub(super) symbol: String,
}

impl std::fmt::Debug for ScriptedItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScriptedItem")
            .field("definition", &self.definition)
            .field("errors", &self.errors)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ScriptedParameters {
    pub line: u32,
    pub form: ScriptedForm,
    pub items: Vec<ScriptedItem>,
}

/// Legacy `$class` names of the core parameter types, with their symbols.
const CLASS_SYMBOLS: &[(&str, &str)] = &[
    ("StringParameterDefinition", "string"),
    ("TextParameterDefinition", "text"),
    ("BooleanParameterDefinition", "booleanParam"),
    ("ChoiceParameterDefinition", "choice"),
    ("PasswordParameterDefinition", "password"),
    ("FileParameterDefinition", "file"),
    ("RunParameterDefinition", "run"),
];

/// Every scripted list in the statements. With `json`, the items also carry the converter's
/// `methodCall` and the `classMap` (built only when asked for: they are the costly part).
pub fn find(stmts: &[Stmt], src: &Source, json: bool) -> Vec<ScriptedParameters> {
    let mut out = Vec::new();
    let mut finder = Finder {
        src,
        out: &mut out,
        json,
    };
    finder.stmts(stmts);
    out
}

struct Finder<'s, 'a, 'o> {
    src: &'s Source<'a>,
    out: &'o mut Vec<ScriptedParameters>,
    json: bool,
}

impl Finder<'_, '_, '_> {
    fn stmts(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            match &s.kind {
                StmtKind::Expr(e) => self.expr(e),
                StmtKind::Decl { value: Some(e), .. } | StmtKind::Return(Some(e)) => self.expr(e),
                StmtKind::Method { body, .. } | StmtKind::Block(body) => self.stmts(body),
                StmtKind::If {
                    cond,
                    then,
                    otherwise,
                } => {
                    self.expr(cond);
                    self.stmts(then);
                    self.stmts(otherwise);
                }
                _ => {}
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Call(call) => {
                if let Some(list) = parameters_step_list(call) {
                    let items = list.iter().map(|item| self.item(item)).collect();
                    self.out.push(ScriptedParameters {
                        line: self.src.line_of(e.span.start),
                        form: ScriptedForm::ParametersStep,
                        items,
                    });
                    return;
                }
                if let Some(r) = &call.receiver {
                    self.expr(r);
                }
                for a in call.args {
                    match a {
                        Arg::Named { value, .. } | Arg::Positional(value) => self.expr(value),
                    }
                }
                if let Some(c) = &call.closure {
                    self.stmts(c.body);
                }
            }
            ExprKind::Map(entries) => {
                if let Some(list) = definition_property_list(entries) {
                    let items = list.iter().map(|item| self.item(item)).collect();
                    self.out.push(ScriptedParameters {
                        line: self.src.line_of(e.span.start),
                        form: ScriptedForm::DefinitionProperty,
                        items,
                    });
                    return;
                }
                for (_, v) in entries.iter() {
                    self.expr(v);
                }
            }
            ExprKind::List(items) => items.iter().for_each(|i| self.expr(i)),
            ExprKind::Closure(c) => self.stmts(c.body),
            ExprKind::Assign { value, .. } => self.expr(value),
            ExprKind::Ternary {
                then, otherwise, ..
            } => {
                self.expr(then);
                self.expr(otherwise);
            }
            ExprKind::Elvis { value, fallback } => {
                self.expr(value);
                self.expr(fallback);
            }
            ExprKind::Property { target, .. } => self.expr(target),
            _ => {}
        }
    }

    fn item(&mut self, item: &Expr) -> ScriptedItem {
        let mut errors = Vec::new();
        match &item.kind {
            ExprKind::Call(call) => {
                let mut model_errors = Vec::new();
                let json = if self.json {
                    Some(converter::method_call::<true>(
                        call,
                        item,
                        self.src,
                        &mut model_errors,
                    ))
                } else {
                    converter::method_call::<false>(call, item, self.src, &mut model_errors);
                    None
                };
                errors.extend(model_errors.into_iter().map(|e| e.message));
                let extracted = definitions::extract(call, self.src, Form::Scripted);
                errors.extend(extracted.errors);
                ScriptedItem {
                    method_call: json,
                    class_map: None,
                    definition: extracted.definition,
                    password_default: extracted.password_default,
                    errors,
                    symbol: extracted.symbol,
                }
            }
            ExprKind::Map(entries) => {
                let map = self.json.then(|| class_map(entries, self.src));
                let (definition, password_default, errs) =
                    class_map_definition(entries, item.span, self.src);
                errors.extend(errs);
                ScriptedItem {
                    method_call: None,
                    class_map: map,
                    definition,
                    password_default,
                    errors,
                    symbol: "$class".into(),
                }
            }
            _ => ScriptedItem {
                method_call: None,
                class_map: None,
                definition: None,
                password_default: None,
                errors: vec![format!(
                    "not a parameter definition: {}",
                    self.src.text_of(item.span)
                )],
                symbol: String::new(),
            },
        }
    }
}

/// `parameters([…])`: a call on `this` with exactly one list argument and no closure.
fn parameters_step_list<'a, 's>(call: &'a Call<'s>) -> Option<&'a [Expr<'s>]> {
    if call.name != "parameters"
        || call.receiver.is_some()
        || call.closure.is_some()
        || call.args.len() != 1
    {
        return None;
    }
    match &call.args[0] {
        Arg::Positional(Expr {
            kind: ExprKind::List(items),
            ..
        }) => Some(items),
        _ => None,
    }
}

fn definition_property_list<'a, 's>(entries: &'a [(Expr<'s>, Expr<'s>)]) -> Option<&'a [Expr<'s>]> {
    let class = entries
        .iter()
        .find(|(k, _)| k.as_str() == Some("$class"))?
        .1
        .as_str()?;
    if class != "ParametersDefinitionProperty" {
        return None;
    }
    match &entries
        .iter()
        .find(|(k, _)| k.as_str() == Some("parameterDefinitions"))?
        .1
        .kind
    {
        ExprKind::List(items) => Some(items),
        _ => None,
    }
}

/// A legacy `[$class: …]` item as a JSON map.
fn class_map(entries: &[(Expr, Expr)], src: &Source) -> Map<String, Value> {
    let mut map = Map::with_capacity(entries.len());
    for (k, v) in entries {
        let key = k
            .as_str()
            .map_or_else(|| src.text_of(k.span), str::to_owned);
        map.insert(key, class_map_value(v, src));
    }
    map
}

fn class_map_value(v: &Expr, src: &Source) -> Value {
    match definitions::resolve(v, src) {
        Static::Str(s) => Value::String(s),
        Static::Int(i) => Value::from(i),
        Static::Decimal(d) => d
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Static::Bool(b) => Value::Bool(b),
        Static::Null => Value::Null,
        Static::List(_) | Static::Unresolved(_) => unresolved(&src.text_of(v.span)),
    }
}

/// A legacy `[$class: 'StringParameterDefinition', name: …]` map read as the matching call.
fn class_map_definition(
    entries: &[(Expr, Expr)],
    span: Span,
    src: &Source,
) -> (Option<ParameterDefinition>, Option<Secret>, Vec<String>) {
    let class = entries
        .iter()
        .find(|(k, _)| k.as_str() == Some("$class"))
        .and_then(|(_, v)| v.as_str());
    let Some(symbol) = class
        .and_then(|c| CLASS_SYMBOLS.iter().find(|(name, _)| *name == c))
        .map(|(_, s)| *s)
    else {
        return (None, None, Vec::new());
    };
    let args: Vec<Arg> = entries
        .iter()
        .filter(|(k, _)| k.as_str() != Some("$class"))
        .map(|&(key, value)| Arg::Named { key, value })
        .collect();
    let call = Call {
        receiver: None,
        name: symbol,
        name_span: span,
        args: &args,
        closure: None,
        parens: true,
    };
    let extracted = definitions::extract(&call, src, Form::Scripted);
    (
        extracted.definition,
        extracted.password_default,
        extracted.errors,
    )
}
