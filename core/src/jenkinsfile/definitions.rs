//! Jenkins' `ParameterDefinition` semantics applied to a parameter call: the definitions the
//! REST API would show once a build has run, and the errors Jenkins' validator or the
//! instantiation at run time would raise.

use serde_json::{Map, Value};

use super::ast::{Arg, Call, Expr, ExprKind, Number};
use super::converter::has_mixed_arguments;
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
        ExprKind::Num(Number::Decimal(d)) => Static::Decimal(d.to_string()),
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
    named: Vec<(&'a str, &'a Expr<'a>)>,
    positional: Vec<&'a Expr<'a>>,
}

impl<'a> Args<'a> {
    fn of(call: &'a Call<'a>) -> Self {
        let mut named = Vec::new();
        let mut positional = Vec::new();
        for a in call.args {
            match a {
                Arg::Named { key, value } => {
                    if let Some(k) = key.as_str() {
                        named.push((k, value));
                    }
                }
                Arg::Positional(e) => positional.push(e),
            }
        }
        Args { named, positional }
    }

    fn get(&self, key: &str) -> Option<&'a Expr<'a>> {
        self.named.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
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
    let mut out = Extracted {
        symbol: call.name.to_string(),
        definition: None,
        password_default: None,
        errors: Vec::new(),
        notes: Vec::new(),
    };
    let Some(info) = parameter_type(call, form, &mut out) else {
        return out;
    };
    let mut reading = Reading::new(call, info, src, form, &out.symbol);
    out.definition = reading.definition();
    out.password_default = reading.password_default;
    out.errors = reading.errors;
    out
}

/// The type the call's symbol names, with the plugin it needs as a note; an unknown symbol
/// (or a call on an object) is an error.
fn parameter_type(call: &Call, form: Form, out: &mut Extracted) -> Option<&'static TypeInfo> {
    let symbol = &out.symbol;
    let Some(info) = type_for_symbol(symbol).filter(|_| call.receiver.is_none()) else {
        out.errors.push(match form {
            Form::Declarative => format!("Invalid parameter type \"{symbol}\". Valid parameter types: [booleanParam, choice, credentials, file, text, password, run, string]"),
            Form::Scripted => format!("No parameter type for the symbol \"{symbol}\""),
        });
        return None;
    };
    if let Some(plugin) = info.plugin {
        out.notes
            .push(format!("\"{symbol}\" needs the {plugin} plugin in Jenkins"));
    }
    Some(info)
}

/// One parameter call on its way to a definition: what is known so far and what is wrong.
struct Reading<'c, 'x> {
    info: &'static TypeInfo,
    form: Form,
    src: &'x Source<'x>,
    args: Args<'c>,
    /// The single positional argument, read as the name.
    positional_name: Option<&'c Expr<'c>>,
    /// The `defaultValue` as written, and as far as it is known.
    default_expr: Option<&'c Expr<'c>>,
    default: Option<Static>,
    errors: Vec<String>,
    /// (field, Groovy source) of the name, description and choices computed at run time.
    unresolved_fields: Vec<(&'static str, String)>,
    extra: Map<String, Value>,
    choices: Option<Vec<String>>,
    password_default: Option<Secret>,
}

impl<'c, 'x> Reading<'c, 'x> {
    fn new(
        call: &'c Call<'c>,
        info: &'static TypeInfo,
        src: &'x Source<'x>,
        form: Form,
        symbol: &str,
    ) -> Self {
        let mut reading = Reading {
            info,
            form,
            src,
            args: Args::of(call),
            positional_name: None,
            default_expr: None,
            default: None,
            errors: Vec::new(),
            unresolved_fields: Vec::new(),
            extra: Map::new(),
            choices: None,
            password_default: None,
        };
        reading.check_symbol(symbol);
        reading.check_arguments(call, symbol);
        reading.default_expr = reading.args.get("defaultValue");
        reading.default = reading.default_expr.map(|e| resolve(e, src));
        reading
    }

    fn resolve(&self, key: &str) -> Option<Static> {
        self.args.get(key).map(|e| resolve(e, self.src))
    }

    /// Declarative accepts only each type's first symbol.
    fn check_symbol(&mut self, symbol: &str) {
        if self.form == Form::Declarative && self.info.symbols[0] != symbol {
            self.errors.push(format!(
                "Invalid parameter type \"{symbol}\": declarative parameters accept only \"{}\"",
                self.info.symbols[0]
            ));
        }
    }

    /// Mixed, surplus and unknown arguments; a single positional argument is the name.
    fn check_arguments(&mut self, call: &Call, symbol: &str) {
        if has_mixed_arguments(call) {
            self.errors
                .push("Cannot mix named and unnamed arguments".into());
            self.args.positional.clear();
        }
        match self.args.positional.as_slice() {
            [] => {}
            [name] if self.info.required == 1 => self.positional_name = Some(*name),
            [_] => self.errors.push(format!(
                "\"{symbol}\" should have {} arguments but has 1 arguments instead.",
                self.info.required
            )),
            _ => self.errors.push(format!(
                "Arguments to \"{symbol}\" must be explicitly named."
            )),
        }
        // Unknown keys: the declarative validator rejects them; the scripted step only logs them.
        if self.form == Form::Declarative && !self.info.keys.is_empty() {
            for (key, _) in &self.args.named {
                if !self.info.keys.contains(key) {
                    self.errors.push(match nearest(key, self.info.keys) {
                        Some(near) => {
                            format!("Invalid parameter \"{key}\", did you mean \"{near}\"?")
                        }
                        None => format!("Invalid parameter \"{key}\" for {symbol}"),
                    });
                }
            }
        }
    }

    /// The definition, or `None` (with an error) when the name is missing.
    fn definition(&mut self) -> Option<ParameterDefinition> {
        let name = self.name();
        let description = self.description();
        let Some(name) = name else {
            self.errors.push("missing name: Jenkins fails with \"Parameter name must be non-null\" when the build starts".into());
            return None;
        };
        let value = self.default_value();
        let default_parameter_value = self.default_parameter_value(&name, value);
        let mut extra = std::mem::take(&mut self.extra);
        extra.insert("_class".into(), Value::String(self.info.class.to_owned()));
        let mut definition = ParameterDefinition {
            name,
            kind: self.info.simple.to_owned(),
            description,
            default_parameter_value,
            choices: self.choices.take(),
            extra,
        };
        for (field, source) in &self.unresolved_fields {
            definition.set_unresolved(field, source);
        }
        Some(definition)
    }

    fn name(&mut self) -> Option<String> {
        let name_expr = self.args.get("name").or(self.positional_name);
        match name_expr.map(|e| resolve(e, self.src)) {
            None | Some(Static::Null) => None,
            Some(Static::Str(s)) => Some(s),
            Some(Static::Unresolved(source)) => {
                self.unresolved_fields.push(("name", source));
                Some(String::new())
            }
            Some(other) => {
                if let (Form::Declarative, Some(class)) = (self.form, java_class(&other)) {
                    self.errors.push(type_error("name", &other, class));
                }
                other.to_text()
            }
        }
    }

    fn description(&mut self) -> Option<String> {
        match self.resolve("description") {
            None | Some(Static::Null) => None,
            Some(Static::Unresolved(source)) => {
                self.unresolved_fields.push(("description", source));
                None
            }
            Some(other) => fix_empty(other.to_text()),
        }
    }

    /// A password's default value shows its name but never its value, as in Jenkins' API.
    /// An unresolved name is written in the default's place too (see ParameterDefinition).
    fn default_parameter_value(
        &self,
        name: &str,
        value: Option<Value>,
    ) -> Option<DefaultParameterValue> {
        let is_password = self.info.simple == "PasswordParameterDefinition";
        if value.is_none() && !is_password {
            return None;
        }
        Some(DefaultParameterValue {
            name: (!name.is_empty()).then(|| name.to_owned()),
            value,
            extra: Map::new(),
        })
    }

    /// The default parameter value's `value`, by type.
    fn default_value(&mut self) -> Option<Value> {
        match self.info.simple {
            "StringParameterDefinition" | "TextParameterDefinition" => Some(self.string_value()),
            "BooleanParameterDefinition" => Some(self.boolean_value()),
            "ChoiceParameterDefinition" => self.choice_value(),
            "PasswordParameterDefinition" => self.password_value(),
            "FileParameterDefinition" => None,
            "RunParameterDefinition" => {
                self.copy_text_arguments(&["projectName", "filter"]);
                Some(unresolved("last build of project (runtime)"))
            }
            "CredentialsParameterDefinition" => Some(self.credentials_value()),
            "StashedFileParameterDefinition" | "Base64FileParameterDefinition" => {
                Some(unresolved("plugin-specific"))
            }
            _ => Some(self.plugin_value()),
        }
    }

    /// The default as a string: `Err(source)` when unresolved; a number or boolean is a type
    /// error in the declarative form.
    fn string_default(&mut self) -> Option<Result<String, String>> {
        match &self.default {
            None | Some(Static::Null) => None,
            Some(Static::Unresolved(source)) => Some(Err(source.clone())),
            Some(Static::Str(s)) => Some(Ok(s.clone())),
            Some(other) => {
                if self.form == Form::Declarative {
                    if let Some(class) = java_class(other) {
                        self.errors.push(type_error("defaultValue", other, class));
                        return None;
                    }
                }
                other.to_text().map(Ok)
            }
        }
    }

    fn string_value(&mut self) -> Value {
        let default = self.string_default().and_then(|r| match r {
            Ok(s) if s.is_empty() => None,
            other => Some(other),
        });
        let trim = self.flag("trim");
        self.extra.insert("trim".into(), Value::Bool(trim));
        match default_json(default) {
            Value::String(s) if trim && self.info.simple == "StringParameterDefinition" => {
                Value::String(s.trim().to_owned())
            }
            v => v,
        }
    }

    fn boolean_value(&mut self) -> Value {
        match &self.default {
            None | Some(Static::Null) => Value::Bool(false),
            Some(Static::Bool(b)) => Value::Bool(*b),
            Some(Static::Str(s)) => Value::Bool(s.eq_ignore_ascii_case("true")),
            Some(Static::Unresolved(source)) => unresolved(source),
            Some(other) => {
                self.errors.push(format!(
                    "Expecting \"boolean\" for parameter \"defaultValue\" but got \"{}\" instead",
                    other.to_text().unwrap_or_default()
                ));
                Value::Bool(false)
            }
        }
    }

    /// The choices, and the first as the default (a `defaultValue` was reported as an invalid
    /// key).
    fn choice_value(&mut self) -> Option<Value> {
        let choices = match self.resolve("choices") {
            None | Some(Static::Null) => Vec::new(),
            Some(Static::Str(s)) => split_choices(&s),
            Some(Static::List(items)) => items
                .iter()
                .filter(|i| !matches!(i, Static::Null))
                .filter_map(Static::to_text)
                .collect(),
            Some(Static::Unresolved(source)) => {
                let first = unresolved(&format!("first element of {source}"));
                self.unresolved_fields.push(("choices", source));
                return Some(first);
            }
            Some(other) => {
                self.errors.push(format!(
                    "choices must be a list or a newline-separated string, not {}",
                    other.to_text().unwrap_or_default()
                ));
                Vec::new()
            }
        };
        let first = choices.first().cloned().map(Value::String);
        self.choices = Some(choices);
        first
    }

    /// Only the declarative path renames defaultValue to defaultValueAsSecret. The value is
    /// kept apart; the definition shows only an unresolved one.
    fn password_value(&mut self) -> Option<Value> {
        let secret_expr = self.args.get("defaultValueAsSecret").or(match self.form {
            Form::Declarative => self.default_expr,
            Form::Scripted => None,
        });
        match secret_expr.map(|e| resolve(e, self.src)) {
            Some(Static::Unresolved(source)) => return Some(unresolved(&source)),
            Some(Static::Null) | None => self.password_default = Some(Secret::new("")),
            Some(other) => {
                self.password_default = Some(Secret::new(other.to_text().unwrap_or_default()))
            }
        }
        None
    }

    fn credentials_value(&mut self) -> Value {
        self.copy_text_arguments(&["credentialType"]);
        let required = self.flag("required");
        self.extra.insert("required".into(), Value::Bool(required));
        match self.string_default() {
            None => unresolved("plugin-specific"),
            d => default_json(d),
        }
    }

    /// Plugin types: their defaultValue, as written.
    fn plugin_value(&self) -> Value {
        match &self.default {
            None | Some(Static::Null) => Value::String(String::new()),
            Some(Static::Unresolved(source)) => unresolved(source),
            Some(Static::Bool(b)) => Value::Bool(*b),
            Some(other) => Value::String(other.to_text().unwrap_or_default()),
        }
    }

    /// A boolean argument as Jenkins' data binding reads it (`true`, or the text `"true"`).
    fn flag(&self, key: &str) -> bool {
        match self.resolve(key) {
            Some(Static::Bool(b)) => b,
            Some(Static::Str(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        }
    }

    /// Keeps the text of these arguments, when known, in the definition's extra fields.
    fn copy_text_arguments(&mut self, keys: &[&str]) {
        for &key in keys {
            if let Some(v) = self.resolve(key).and_then(|s| s.to_text()) {
                self.extra.insert(key.into(), Value::String(v));
            }
        }
    }
}

/// A string default as JSON: `""` when absent, the unresolved form when computed at run time.
fn default_json(default: Option<Result<String, String>>) -> Value {
    match default {
        None => Value::String(String::new()),
        Some(Ok(s)) => Value::String(s),
        Some(Err(source)) => unresolved(&source),
    }
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
