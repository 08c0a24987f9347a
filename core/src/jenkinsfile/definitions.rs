//! Jenkins' `ParameterDefinition` semantics applied to a parameter call: the definitions the
//! REST API would show once a build has run, and the errors Jenkins' validator or the
//! instantiation at run time would raise.

use serde_json::{Map, Value};

use super::ast::{Arg, Call, Expr, ExprKind};
use super::converter::has_mixed_arguments;
use super::lexer::Number;
use super::source::Source;
use crate::model::{DefaultParameterValue, ParameterDefinition};
use crate::Secret;

/// Where a parameter call was written: the declarative directive only knows each type's first
/// symbol; the scripted `parameters([…])` step resolves aliases too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Declarative,
    Scripted,
}

/// One parameter call with Jenkins' reading of it.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub symbol: String,
    /// `None` when Jenkins would not create a definition (unknown type, missing name).
    pub definition: Option<ParameterDefinition>,
    /// The default of a password parameter (Jenkins never exports it).
    pub password_default: Option<Secret>,
    /// What Jenkins' validator (declarative) or the instantiation would reject.
    pub errors: Vec<String>,
    /// Remarks that do not make Jenkins reject the file.
    pub notes: Vec<String>,
}

struct TypeInfo {
    class: &'static str,
    simple: &'static str,
    /// Symbols that resolve to this type; the first is the only one declarative accepts.
    symbols: &'static [&'static str],
    /// DescribableModel parameters (constructor arguments first); empty = not validated.
    keys: &'static [&'static str],
    /// How many constructor arguments there are (a single positional argument must match).
    required: usize,
    plugin: Option<&'static str>,
}

const STRING_KEYS: &[&str] = &["name", "defaultValue", "description", "trim"];

const TYPES: &[TypeInfo] = &[
    TypeInfo {
        class: "hudson.model.StringParameterDefinition",
        simple: "StringParameterDefinition",
        symbols: &["string", "stringParam"],
        keys: STRING_KEYS,
        required: 1,
        plugin: None,
    },
    TypeInfo {
        class: "hudson.model.TextParameterDefinition",
        simple: "TextParameterDefinition",
        symbols: &["text", "textParam"],
        keys: STRING_KEYS,
        required: 1,
        plugin: None,
    },
    TypeInfo {
        class: "hudson.model.BooleanParameterDefinition",
        simple: "BooleanParameterDefinition",
        symbols: &["booleanParam"],
        keys: &["name", "defaultValue", "description"],
        required: 1,
        plugin: None,
    },
    TypeInfo {
        class: "hudson.model.ChoiceParameterDefinition",
        simple: "ChoiceParameterDefinition",
        symbols: &["choice", "choiceParam"],
        keys: &["name", "description", "choices"],
        required: 2,
        plugin: None,
    },
    TypeInfo {
        class: "hudson.model.PasswordParameterDefinition",
        simple: "PasswordParameterDefinition",
        symbols: &["password"],
        keys: &["name", "defaultValueAsSecret", "description", "defaultValue"],
        required: 3,
        plugin: None,
    },
    TypeInfo {
        class: "hudson.model.FileParameterDefinition",
        simple: "FileParameterDefinition",
        symbols: &["file", "fileParam"],
        keys: &["name", "description"],
        required: 1,
        plugin: None,
    },
    TypeInfo {
        class: "hudson.model.RunParameterDefinition",
        simple: "RunParameterDefinition",
        symbols: &["run", "runParam"],
        keys: &["name", "projectName", "description", "filter"],
        required: 4,
        plugin: None,
    },
    TypeInfo {
        class: "com.cloudbees.plugins.credentials.CredentialsParameterDefinition",
        simple: "CredentialsParameterDefinition",
        symbols: &["credentials"],
        keys: &["name", "description", "defaultValue", "credentialType", "required"],
        required: 5,
        plugin: Some("credentials"),
    },
    TypeInfo {
        class: "io.jenkins.plugins.file_parameters.StashedFileParameterDefinition",
        simple: "StashedFileParameterDefinition",
        symbols: &["stashedFile"],
        keys: &[],
        required: 1,
        plugin: Some("file-parameters"),
    },
    TypeInfo {
        class: "io.jenkins.plugins.file_parameters.Base64FileParameterDefinition",
        simple: "Base64FileParameterDefinition",
        symbols: &["base64File"],
        keys: &[],
        required: 1,
        plugin: Some("file-parameters"),
    },
    TypeInfo {
        class: "net.uaznia.lukanus.hudson.plugins.gitparameter.GitParameterDefinition",
        simple: "GitParameterDefinition",
        symbols: &["gitParameter"],
        keys: &[],
        required: 0,
        plugin: Some("git-parameter"),
    },
    TypeInfo {
        class: "com.cwctravel.hudson.plugins.extended_choice_parameter.ExtendedChoiceParameterDefinition",
        simple: "ExtendedChoiceParameterDefinition",
        symbols: &["extendedChoice"],
        keys: &[],
        required: 0,
        plugin: Some("extended-choice-parameter"),
    },
    TypeInfo {
        class: "org.biouno.unochoice.ChoiceParameter",
        simple: "ChoiceParameter",
        symbols: &["activeChoice"],
        keys: &[],
        required: 0,
        plugin: Some("uno-choice"),
    },
    TypeInfo {
        class: "org.biouno.unochoice.CascadeChoiceParameter",
        simple: "CascadeChoiceParameter",
        symbols: &["reactiveChoice"],
        keys: &[],
        required: 0,
        plugin: Some("uno-choice"),
    },
    TypeInfo {
        class: "org.biouno.unochoice.DynamicReferenceParameter",
        simple: "DynamicReferenceParameter",
        symbols: &["activeChoiceHtml"],
        keys: &[],
        required: 0,
        plugin: Some("uno-choice"),
    },
    TypeInfo {
        class: "hudson.plugins.validating_string_parameter.ValidatingStringParameterDefinition",
        simple: "ValidatingStringParameterDefinition",
        symbols: &["validatingString"],
        keys: &[],
        required: 0,
        plugin: Some("validating-string-parameter"),
    },
    TypeInfo {
        class: "jenkins.plugins.parameter_separator.ParameterSeparatorDefinition",
        simple: "ParameterSeparatorDefinition",
        symbols: &["separator"],
        keys: &[],
        required: 0,
        plugin: Some("parameter-separator"),
    },
    TypeInfo {
        class: "com.wangyin.parameter.WHideParameterDefinition",
        simple: "WHideParameterDefinition",
        symbols: &["hidden", "hiddenParam"],
        keys: &[],
        required: 0,
        plugin: Some("hidden-parameter"),
    },
    TypeInfo {
        class: "io.jenkins.plugins.luxair.ImageTagParameterDefinition",
        simple: "ImageTagParameterDefinition",
        symbols: &["imageTag"],
        keys: &[],
        required: 0,
        plugin: Some("image-tag-parameter"),
    },
];

fn type_for_symbol(symbol: &str) -> Option<&'static TypeInfo> {
    TYPES.iter().find(|t| t.symbols.contains(&symbol))
}

/// The Jenkins class simple name for a symbol (`string` → `StringParameterDefinition`), also
/// accepting KubeSphere's simplified names (`boolean`, `password`, …).
pub fn type_name_for_symbol(symbol: &str) -> Option<&'static str> {
    let symbol = if symbol == "boolean" {
        "booleanParam"
    } else {
        symbol
    };
    type_for_symbol(symbol).map(|t| t.simple)
}

/// A value as far as it is known without running the Jenkinsfile.
#[derive(Debug, Clone, PartialEq)]
pub enum Static {
    Str(String),
    Int(i64),
    /// A decimal literal with its source text (BigDecimal keeps the scale: `3.10`).
    Decimal(String),
    Bool(bool),
    Null,
    List(Vec<Static>),
    Unresolved(String),
}

impl Static {
    /// Groovy's `toString()` of the value, when it is known.
    pub fn to_text(&self) -> Option<String> {
        match self {
            Static::Str(s) => Some(s.clone()),
            Static::Int(i) => Some(i.to_string()),
            Static::Decimal(d) => Some(d.clone()),
            Static::Bool(b) => Some(b.to_string()),
            Static::Null => Some("null".into()),
            Static::List(items) => {
                let parts: Option<Vec<String>> = items.iter().map(Static::to_text).collect();
                parts.map(|p| format!("[{}]", p.join(", ")))
            }
            Static::Unresolved(_) => None,
        }
    }
}

pub use crate::model::unresolved_value as unresolved;

/// Evaluates what Groovy would fold or what is plain data: literals, lists of literals and
/// string concatenation (`'a' + 'b'`). Everything else needs the runtime.
pub fn resolve(expr: &Expr, src: &Source) -> Static {
    match &expr.kind {
        ExprKind::Str(s) => Static::Str(s.to_string()),
        ExprKind::Num(Number::Int(i)) => Static::Int(*i),
        ExprKind::Num(Number::Decimal(d)) => Static::Decimal(d.clone()),
        ExprKind::Bool(b) => Static::Bool(*b),
        ExprKind::Null => Static::Null,
        ExprKind::List(items) => {
            let items: Vec<Static> = items.iter().map(|e| resolve(e, src)).collect();
            if items.iter().any(|i| matches!(i, Static::Unresolved(_))) {
                Static::Unresolved(src.text_of(expr.span))
            } else {
                Static::List(items)
            }
        }
        ExprKind::Binary { op: "+", lhs, rhs } => {
            let (Static::Str(l), r) = (resolve(lhs, src), resolve(rhs, src)) else {
                return Static::Unresolved(super::converter::binary_text(expr, src));
            };
            match r.to_text() {
                Some(r) => Static::Str(l + &r),
                None => Static::Unresolved(super::converter::binary_text(expr, src)),
            }
        }
        ExprKind::Binary { .. } => Static::Unresolved(super::converter::binary_text(expr, src)),
        _ => Static::Unresolved(src.text_of(expr.span)),
    }
}

/// `Util.fixEmpty`.
fn fix_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

/// Java `String.split("\\r?\\n")`: trailing empty strings removed, `""` gives `[""]`.
pub fn split_choices(s: &str) -> Vec<String> {
    let mut parts: Vec<String> = s
        .split('\n')
        .map(|p| p.strip_suffix('\r').unwrap_or(p).to_owned())
        .collect();
    if s.is_empty() {
        return vec![String::new()];
    }
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

struct Args<'a> {
    named: Vec<(String, &'a Expr<'a>)>,
    positional: Vec<&'a Expr<'a>>,
}

impl<'a> Args<'a> {
    fn of(call: &'a Call<'a>) -> Self {
        let mut named = Vec::new();
        let mut positional = Vec::new();
        for a in &call.args {
            match a {
                Arg::Named { key, value } => {
                    if let Some(k) = key.as_str() {
                        named.push((k.to_owned(), value));
                    }
                }
                Arg::Positional(e) => positional.push(e),
            }
        }
        Args { named, positional }
    }

    fn get(&self, key: &str) -> Option<&'a Expr<'a>> {
        self.named.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
}

fn java_class(s: &Static) -> Option<&'static str> {
    match s {
        Static::Int(_) => Some("class java.lang.Integer"),
        Static::Bool(_) => Some("class java.lang.Boolean"),
        _ => None,
    }
}

/// Reads a parameter call (`string(name: 'X', …)`) as Jenkins would instantiate it.
pub fn extract(call: &Call, src: &Source, form: Form) -> Extracted {
    let symbol = call.name.to_string();
    let mut errors = Vec::new();
    let mut out = Extracted {
        symbol: symbol.clone(),
        definition: None,
        password_default: None,
        errors: Vec::new(),
        notes: Vec::new(),
    };
    let Some(info) = type_for_symbol(&symbol).filter(|_| call.receiver.is_none()) else {
        if form == Form::Declarative {
            out.errors
                .push(format!("Invalid parameter type \"{symbol}\". Valid parameter types: [booleanParam, choice, credentials, file, text, password, run, string]"));
        } else {
            out.errors
                .push(format!("No parameter type for the symbol \"{symbol}\""));
        }
        return out;
    };
    if form == Form::Declarative && info.symbols[0] != symbol {
        errors.push(format!(
            "Invalid parameter type \"{symbol}\": declarative parameters accept only \"{}\"",
            info.symbols[0]
        ));
    }
    if let Some(plugin) = info.plugin {
        out.notes
            .push(format!("\"{symbol}\" needs the {plugin} plugin in Jenkins"));
    }
    let mut args = Args::of(call);
    if has_mixed_arguments(call) {
        errors.push("Cannot mix named and unnamed arguments".into());
        args.positional.clear();
    }
    let mut positional_name = None;
    if !args.positional.is_empty() {
        if args.positional.len() > 1 {
            errors.push(format!(
                "Arguments to \"{symbol}\" must be explicitly named."
            ));
        } else if info.required != 1 {
            errors.push(format!(
                "\"{symbol}\" should have {} arguments but has 1 arguments instead.",
                info.required
            ));
        } else {
            positional_name = Some(args.positional[0]);
        }
    }
    // Unknown keys: the declarative validator rejects them; the scripted step only logs them.
    if form == Form::Declarative {
        for (key, _) in &args.named {
            if !info.keys.is_empty() && !info.keys.contains(&key.as_str()) {
                errors.push(match nearest(key, info.keys) {
                    Some(near) => format!("Invalid parameter \"{key}\", did you mean \"{near}\"?"),
                    None => format!("Invalid parameter \"{key}\" for {symbol}"),
                });
            }
        }
    }

    // (field, Groovy source) of the name, description and choices Jenkins computes at run time.
    let mut unresolved_fields: Vec<(&str, String)> = Vec::new();
    let mut extra = Map::new();

    let name_expr = args.get("name").or(positional_name);
    let name = match name_expr.map(|e| resolve(e, src)) {
        None | Some(Static::Null) => None,
        Some(Static::Str(s)) => Some(s),
        Some(Static::Unresolved(source)) => {
            unresolved_fields.push(("name", source));
            Some(String::new())
        }
        Some(other) => {
            if let (Form::Declarative, Some(class)) = (form, java_class(&other)) {
                errors.push(type_error("name", &other, class));
            }
            other.to_text()
        }
    };
    let description = match args.get("description").map(|e| resolve(e, src)) {
        None => None,
        Some(Static::Unresolved(source)) => {
            unresolved_fields.push(("description", source));
            None
        }
        Some(Static::Null) => None,
        Some(other) => fix_empty(other.to_text()),
    };
    let Some(name) = name else {
        errors.push("missing name: Jenkins fails with \"Parameter name must be non-null\" when the build starts".into());
        out.errors = errors;
        return out;
    };

    let default_expr = args.get("defaultValue");
    let default = default_expr.map(|e| resolve(e, src));
    let string_default = |errors: &mut Vec<String>| -> Option<Result<String, String>> {
        match &default {
            None | Some(Static::Null) => None,
            Some(Static::Unresolved(source)) => Some(Err(source.clone())),
            Some(Static::Str(s)) => Some(Ok(s.clone())),
            Some(other) => {
                if form == Form::Declarative {
                    if let Some(class) = java_class(other) {
                        errors.push(type_error("defaultValue", other, class));
                        return None;
                    }
                }
                other.to_text().map(Ok)
            }
        }
    };
    let value_of = |r: &Option<Result<String, String>>| -> Value {
        match r {
            None => Value::String(String::new()),
            Some(Ok(s)) => Value::String(s.clone()),
            Some(Err(source)) => unresolved(source),
        }
    };

    let mut choices = None;
    let dpv_value: Option<Value> = match info.simple {
        "StringParameterDefinition" | "TextParameterDefinition" => {
            let d = string_default(&mut errors).and_then(|r| match r {
                Ok(s) if s.is_empty() => None,
                other => Some(other),
            });
            let trim = match args.get("trim").map(|e| resolve(e, src)) {
                Some(Static::Bool(b)) => b,
                Some(Static::Str(s)) => s.eq_ignore_ascii_case("true"),
                _ => false,
            };
            extra.insert("trim".into(), Value::Bool(trim));
            let mut v = value_of(&d);
            if trim && info.simple == "StringParameterDefinition" {
                if let Value::String(s) = &v {
                    v = Value::String(s.trim().to_owned());
                }
            }
            Some(v)
        }
        "BooleanParameterDefinition" => Some(match &default {
            None | Some(Static::Null) => Value::Bool(false),
            Some(Static::Bool(b)) => Value::Bool(*b),
            Some(Static::Str(s)) => Value::Bool(s.eq_ignore_ascii_case("true")),
            Some(Static::Unresolved(source)) => unresolved(source),
            Some(other) => {
                errors.push(format!(
                    "Expecting \"boolean\" for parameter \"defaultValue\" but got \"{}\" instead",
                    other.to_text().unwrap_or_default()
                ));
                Value::Bool(false)
            }
        }),
        "ChoiceParameterDefinition" => {
            // A `defaultValue` was reported as an invalid key: the default is the first choice.
            match args.get("choices").map(|e| resolve(e, src)) {
                None | Some(Static::Null) => {
                    choices = Some(Vec::new());
                    None
                }
                Some(Static::Str(s)) => {
                    let c = split_choices(&s);
                    let first = c.first().cloned();
                    choices = Some(c);
                    first.map(Value::String)
                }
                Some(Static::List(items)) => {
                    let c: Vec<String> = items
                        .iter()
                        .filter(|i| !matches!(i, Static::Null))
                        .filter_map(Static::to_text)
                        .collect();
                    let first = c.first().cloned();
                    choices = Some(c);
                    first.map(Value::String)
                }
                Some(Static::Unresolved(source)) => {
                    let first = unresolved(&format!("first element of {source}"));
                    unresolved_fields.push(("choices", source));
                    Some(first)
                }
                Some(other) => {
                    errors.push(format!(
                        "choices must be a list or a newline-separated string, not {}",
                        other.to_text().unwrap_or_default()
                    ));
                    choices = Some(Vec::new());
                    None
                }
            }
        }
        "PasswordParameterDefinition" => {
            // Only the declarative path renames defaultValue to defaultValueAsSecret.
            let secret_expr = args
                .get("defaultValueAsSecret")
                .or(if form == Form::Declarative {
                    default_expr
                } else {
                    None
                });
            match secret_expr.map(|e| resolve(e, src)) {
                Some(Static::Unresolved(source)) => Some(unresolved(&source)),
                Some(Static::Null) | None => {
                    out.password_default = Some(Secret::new(""));
                    None
                }
                Some(other) => {
                    out.password_default = Some(Secret::new(other.to_text().unwrap_or_default()));
                    None
                }
            }
        }
        "FileParameterDefinition" => None,
        "RunParameterDefinition" => {
            for key in ["projectName", "filter"] {
                if let Some(v) = args
                    .get(key)
                    .map(|e| resolve(e, src))
                    .and_then(|s| s.to_text())
                {
                    extra.insert(key.into(), Value::String(v));
                }
            }
            Some(unresolved("last build of project (runtime)"))
        }
        "CredentialsParameterDefinition" => {
            for key in ["credentialType"] {
                if let Some(v) = args
                    .get(key)
                    .map(|e| resolve(e, src))
                    .and_then(|s| s.to_text())
                {
                    extra.insert(key.into(), Value::String(v));
                }
            }
            let required = match args.get("required").map(|e| resolve(e, src)) {
                Some(Static::Bool(b)) => b,
                Some(Static::Str(s)) => s.eq_ignore_ascii_case("true"),
                _ => false,
            };
            extra.insert("required".into(), Value::Bool(required));
            match string_default(&mut errors) {
                None => Some(unresolved("plugin-specific")),
                d => Some(value_of(&d)),
            }
        }
        "StashedFileParameterDefinition" | "Base64FileParameterDefinition" => {
            Some(unresolved("plugin-specific"))
        }
        _ => {
            // Plugin types: their defaultValue, as written.
            match &default {
                None | Some(Static::Null) => Some(Value::String(String::new())),
                Some(Static::Unresolved(source)) => Some(unresolved(source)),
                Some(Static::Bool(b)) => Some(Value::Bool(*b)),
                Some(other) => Some(Value::String(other.to_text().unwrap_or_default())),
            }
        }
    };

    // A password's default value shows its name but never its value, as in Jenkins' API.
    // An unresolved name is written in the default's place too (see ParameterDefinition).
    let default_name = (!name.is_empty()).then(|| name.clone());
    let default_parameter_value = match (info.simple, dpv_value) {
        ("PasswordParameterDefinition", v) => Some(DefaultParameterValue {
            name: default_name,
            value: v,
            extra: Map::new(),
        }),
        (_, Some(v)) => Some(DefaultParameterValue {
            name: default_name,
            value: Some(v),
            extra: Map::new(),
        }),
        (_, None) => None,
    };
    extra.insert("_class".into(), Value::String(info.class.to_owned()));
    let mut definition = ParameterDefinition {
        name,
        kind: info.simple.to_owned(),
        description,
        default_parameter_value,
        choices,
        extra,
    };
    for (field, source) in &unresolved_fields {
        definition.set_unresolved(field, source);
    }
    out.definition = Some(definition);
    out.errors = errors;
    out
}

/// The valid key closest to `key` by edit distance (as Jenkins' validator suggests one).
fn nearest<'k>(key: &str, keys: &[&'k str]) -> Option<&'k str> {
    keys.iter()
        .copied()
        .filter(|k| *k != "defaultValueAsSecret")
        .min_by_key(|k| edit_distance(key, k))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

fn type_error(param: &str, value: &Static, class: &str) -> String {
    format!(
        "Expecting \"class java.lang.String\" for parameter \"{param}\" but got \"{}\" of type {class} instead",
        value.to_text().unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_key() {
        assert_eq!(edit_distance("namd", "name"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(nearest("namd", STRING_KEYS), Some("name"));
        assert_eq!(nearest("default", STRING_KEYS), Some("defaultValue"));
    }

    #[test]
    fn splits_choices_like_java() {
        assert_eq!(split_choices("a\nb\r\nc\n\n"), ["a", "b", "c"]);
        assert_eq!(split_choices(""), [""]);
        assert_eq!(split_choices("\ndev\nprod\n"), ["", "dev", "prod"]);
    }
}
