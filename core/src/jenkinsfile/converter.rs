//! The JSON Jenkins' `pipeline-model-converter` makes of a `parameters { … }` block
//! (`{"name": …, "arguments": [{"key", "value": {"isLiteral", "value"}}…]}`), with the errors
//! its `ModelParser` raises on the way.

use serde_json::{json, Map, Value};

use super::ast::{Arg, Call, Expr, ExprKind, Stmt, StmtKind};
use super::lexer::Number;
use super::source::Source;

/// A parse error at a byte offset of the decoded source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    pub offset: usize,
    pub message: String,
}

/// One statement of a `parameters { … }` block, as the converter sees it.
pub struct ParameterStatement<'a> {
    /// `None` when the statement is not a usable parameter call (`{"name": null}` in the JSON).
    pub call: Option<&'a Call<'a>>,
    pub json: Value,
}

/// Parses the body of a `parameters { … }` block as `ModelParser.parseBuildParameters` does.
pub fn parse_build_parameters<'a>(
    body: &'a [Stmt<'a>],
    src: &Source,
    errors: &mut Vec<ModelError>,
) -> Vec<ParameterStatement<'a>> {
    let rejected = || json!({"name": null, "arguments": []});
    let mut out = Vec::new();
    for stmt in body {
        let err = |errors: &mut Vec<ModelError>, msg: &str| {
            errors.push(ModelError {
                offset: stmt.span.start,
                message: msg.to_owned(),
            })
        };
        let StmtKind::Expr(expr) = &stmt.kind else {
            err(errors, "Expected a build parameter definition");
            out.push(ParameterStatement {
                call: None,
                json: rejected(),
            });
            continue;
        };
        match &expr.kind {
            ExprKind::Map(_) => {
                err(errors, "Build parameters cannot be defined as maps");
                out.push(ParameterStatement {
                    call: None,
                    json: rejected(),
                });
            }
            ExprKind::Call(call) if call.closure.is_some() => {
                err(errors, "Build parameters definitions cannot have blocks");
                out.push(ParameterStatement {
                    call: None,
                    json: rejected(),
                });
            }
            ExprKind::Call(call) => {
                if has_mixed_arguments(call) {
                    errors.push(ModelError {
                        offset: expr.span.start,
                        message: "Cannot mix named and unnamed arguments".into(),
                    });
                }
                let json = method_call(call, expr, src, errors);
                out.push(ParameterStatement {
                    call: Some(call),
                    json,
                });
            }
            _ => {
                err(errors, "Expected a build parameter definition");
                out.push(ParameterStatement {
                    call: None,
                    json: rejected(),
                });
            }
        }
    }
    out
}

/// The usable calls of a parsed `parameters` block, and the converter's
/// `{"parameters": […]}` of the whole block.
pub fn calls_and_json<'a>(parsed: Vec<ParameterStatement<'a>>) -> (Vec<&'a Call<'a>>, Value) {
    let mut calls = Vec::with_capacity(parsed.len());
    let mut statements = Vec::with_capacity(parsed.len());
    for p in parsed {
        calls.extend(p.call);
        statements.push(p.json);
    }
    (calls, json!({ "parameters": statements }))
}

pub fn has_mixed_arguments(call: &Call) -> bool {
    let named = call.args.iter().any(|a| matches!(a, Arg::Named { .. }));
    let positional = call.args.iter().any(|a| matches!(a, Arg::Positional(_)));
    named && positional
}

/// `{"name": symbol, "arguments": [...]}`; named arguments first, as Groovy collects them
/// into one map argument.
pub fn method_call(call: &Call, expr: &Expr, src: &Source, errors: &mut Vec<ModelError>) -> Value {
    let name = match &call.receiver {
        None => call.name.to_string(),
        Some(receiver) => {
            let message = if matches!(receiver.kind, ExprKind::Ident(_)) {
                "Method calls on objects not allowed outside \"script\" blocks."
            } else {
                "Expected a symbol"
            };
            errors.push(ModelError {
                offset: expr.span.start,
                message: message.into(),
            });
            "error".into()
        }
    };
    let mut arguments = Vec::new();
    for arg in &call.args {
        if let Arg::Named { key, value } = arg {
            let key = match &key.kind {
                ExprKind::Str(s) => s.to_string(),
                _ => {
                    errors.push(ModelError {
                        offset: key.span.start,
                        message: "Expected string literal".into(),
                    });
                    "error".into()
                }
            };
            let value = match &value.kind {
                ExprKind::Closure(_) => {
                    errors.push(ModelError {
                        offset: value.span.start,
                        message: "Method call arguments".into(),
                    });
                    value_json(value, src, errors)
                }
                _ => value_json(value, src, errors),
            };
            arguments.push(json!({"key": key, "value": value}));
        }
    }
    for arg in &call.args {
        if let Arg::Positional(value) = arg {
            arguments.push(value_json(value, src, errors));
        }
    }
    json!({"name": name, "arguments": arguments})
}

/// A method call becomes a nested `{"name","arguments"}`, anything else `parseArgument`'s value.
fn value_json(expr: &Expr, src: &Source, errors: &mut Vec<ModelError>) -> Value {
    match &expr.kind {
        ExprKind::Call(call) if call.closure.is_none() => method_call(call, expr, src, errors),
        _ => {
            let (is_literal, value) = argument_value(expr, src, errors);
            let mut m = Map::new();
            m.insert("isLiteral".into(), Value::Bool(is_literal));
            m.insert("value".into(), value);
            Value::Object(m)
        }
    }
}

/// `ModelParser.parseArgument`: `(isLiteral, value)`.
pub fn argument_value(expr: &Expr, src: &Source, errors: &mut Vec<ModelError>) -> (bool, Value) {
    match &expr.kind {
        ExprKind::Str(s) => (true, Value::String(s.to_string())),
        ExprKind::Bool(b) => (true, Value::Bool(*b)),
        ExprKind::Null => (true, Value::Null),
        ExprKind::Num(Number::Int(i)) => (true, Value::from(*i)),
        ExprKind::Num(Number::Decimal(d)) => {
            let v = d.parse::<f64>().ok().and_then(serde_json::Number::from_f64);
            (true, v.map_or(Value::Null, Value::Number))
        }
        ExprKind::Num(Number::BigInt) => {
            errors.push(ModelError {
                offset: expr.span.start,
                message: "BigIntegers cannot be used as constants in Declarative".into(),
            });
            (true, Value::String(src.text_of(expr.span)))
        }
        ExprKind::GString => (false, Value::String(src.text_of(expr.span))),
        ExprKind::Map(_) => (false, Value::String(src.text_of(expr.span))),
        ExprKind::Ident(name) if *name == "none" || *name == "any" => {
            (true, Value::String(name.to_string()))
        }
        ExprKind::Binary { .. } => (
            false,
            Value::String(format!("${{{}}}", binary_text(expr, src))),
        ),
        _ => (
            false,
            Value::String(format!("${{{}}}", src.text_of(expr.span))),
        ),
    }
}

/// A binary expression's text without the original whitespace, as the converter writes it.
pub fn binary_text(expr: &Expr, src: &Source) -> String {
    match &expr.kind {
        ExprKind::Binary { op, lhs, rhs } => {
            format!("{}{}{}", binary_text(lhs, src), op, binary_text(rhs, src))
        }
        _ => src.text_of(expr.span),
    }
}
