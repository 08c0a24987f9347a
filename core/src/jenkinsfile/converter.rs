//! The JSON Jenkins' `pipeline-model-converter` makes of a `parameters { … }` block
//! (`{"name": …, "arguments": [{"key", "value": {"isLiteral", "value"}}…]}`), with the errors
//! its `ModelParser` raises on the way.

use serde_json::{json, Map, Value};

use super::ast::{Arg, Call, Expr, ExprKind, Number, Stmt, StmtKind};
use super::source::Source;

/// A parse error at a byte offset of the decoded source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    pub offset: usize,
    pub message: String,
}

/// Parses the body of a `parameters { … }` block as `ModelParser.parseBuildParameters` does:
/// the usable parameter calls, and with `JSON` the converter's `{"parameters": […]}` of the
/// whole block (without it, `Value::Null`: the errors alone cost no allocation per value).
pub fn parse_build_parameters<'a, const JSON: bool>(
    body: &'a [Stmt<'a>],
    src: &Source,
    errors: &mut Vec<ModelError>,
) -> (Vec<&'a Call<'a>>, Value) {
    let mut calls = Vec::with_capacity(body.len());
    let mut statements = Vec::with_capacity(if JSON { body.len() } else { 0 });
    for stmt in body {
        let json = match parameter_call(stmt) {
            Ok((call, expr)) => {
                if has_mixed_arguments(call) {
                    errors.push(ModelError {
                        offset: expr.span.start,
                        message: "Cannot mix named and unnamed arguments".into(),
                    });
                }
                calls.push(call);
                method_call::<JSON>(call, expr, src, errors)
            }
            Err(message) => {
                errors.push(ModelError {
                    offset: stmt.span.start,
                    message: message.into(),
                });
                if JSON {
                    json!({"name": null, "arguments": []})
                } else {
                    Value::Null
                }
            }
        };
        if JSON {
            statements.push(json);
        }
    }
    let json = if JSON {
        json!({ "parameters": statements })
    } else {
        Value::Null
    };
    (calls, json)
}

/// The call of a `parameters` block statement, or the converter's error for it.
fn parameter_call<'a>(stmt: &'a Stmt<'a>) -> Result<(&'a Call<'a>, &'a Expr<'a>), &'static str> {
    let StmtKind::Expr(expr) = &stmt.kind else {
        return Err("Expected a build parameter definition");
    };
    match &expr.kind {
        ExprKind::Map(_) => Err("Build parameters cannot be defined as maps"),
        ExprKind::Call(call) if call.closure.is_some() => {
            Err("Build parameters definitions cannot have blocks")
        }
        ExprKind::Call(call) => Ok((call, expr)),
        _ => Err("Expected a build parameter definition"),
    }
}

pub fn has_mixed_arguments(call: &Call) -> bool {
    let named = call.args.iter().any(|a| matches!(a, Arg::Named { .. }));
    let positional = call.args.iter().any(|a| matches!(a, Arg::Positional(_)));
    named && positional
}

/// `{"name": symbol, "arguments": [...]}`; named arguments first, as Groovy collects them
/// into one map argument. Without `JSON`, only the errors (and `Value::Null`).
pub fn method_call<const JSON: bool>(
    call: &Call,
    expr: &Expr,
    src: &Source,
    errors: &mut Vec<ModelError>,
) -> Value {
    let name = match &call.receiver {
        None => call.name,
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
            "error"
        }
    };
    let mut arguments = Vec::with_capacity(if JSON { call.args.len() } else { 0 });
    for arg in call.args {
        if let Arg::Named { key, value } = arg {
            let key = match &key.kind {
                ExprKind::Str(s) => &**s,
                _ => {
                    errors.push(ModelError {
                        offset: key.span.start,
                        message: "Expected string literal".into(),
                    });
                    "error"
                }
            };
            if matches!(value.kind, ExprKind::Closure(_)) {
                errors.push(ModelError {
                    offset: value.span.start,
                    message: "Method call arguments".into(),
                });
            }
            let value = value_json::<JSON>(value, src, errors);
            if JSON {
                arguments.push(object([
                    ("key", Value::String(key.to_owned())),
                    ("value", value),
                ]));
            }
        }
    }
    for arg in call.args {
        if let Arg::Positional(value) = arg {
            let value = value_json::<JSON>(value, src, errors);
            if JSON {
                arguments.push(value);
            }
        }
    }
    if !JSON {
        return Value::Null;
    }
    object([
        ("name", Value::String(name.to_owned())),
        ("arguments", Value::Array(arguments)),
    ])
}

/// A JSON object of these entries, in this order.
fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    let mut m = Map::with_capacity(N);
    for (key, value) in entries {
        m.insert(key.to_owned(), value);
    }
    Value::Object(m)
}

/// A method call becomes a nested `{"name","arguments"}`, anything else `parseArgument`'s value.
fn value_json<const JSON: bool>(expr: &Expr, src: &Source, errors: &mut Vec<ModelError>) -> Value {
    match &expr.kind {
        ExprKind::Call(call) if call.closure.is_none() => {
            method_call::<JSON>(call, expr, src, errors)
        }
        _ => {
            let (is_literal, value) = argument_value::<JSON>(expr, src, errors);
            if !JSON {
                return Value::Null;
            }
            object([("isLiteral", Value::Bool(is_literal)), ("value", value)])
        }
    }
}

/// `ModelParser.parseArgument`: `(isLiteral, value)`; without `JSON` the value is `Null`.
pub fn argument_value<const JSON: bool>(
    expr: &Expr,
    src: &Source,
    errors: &mut Vec<ModelError>,
) -> (bool, Value) {
    let text = |s: String| if JSON { Value::String(s) } else { Value::Null };
    match &expr.kind {
        ExprKind::Str(s) => (
            true,
            if JSON {
                Value::String(s.to_string())
            } else {
                Value::Null
            },
        ),
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
            (
                true,
                if JSON {
                    text(src.text_of(expr.span))
                } else {
                    Value::Null
                },
            )
        }
        _ if !JSON => (literal_word(expr), Value::Null),
        ExprKind::GString | ExprKind::Map(_) => (false, text(src.text_of(expr.span))),
        ExprKind::Ident(name) if literal_word(expr) => (true, text(name.to_string())),
        ExprKind::Binary { .. } => (false, text(format!("${{{}}}", binary_text(expr, src)))),
        _ => (false, text(format!("${{{}}}", src.text_of(expr.span)))),
    }
}

/// `none` and `any`: the words the converter keeps as literals.
fn literal_word(expr: &Expr) -> bool {
    matches!(expr.kind, ExprKind::Ident(name) if name == "none" || name == "any")
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
