//! Reads the JSON data out of the BlueOcean test modules (`export default [...]`,
//! `export const name = [...]`): unquoted keys, single-quoted strings, trailing commas.

use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Str(String),
    Word(String),
    Number(String),
    Punct(char),
}

/// Every export of a fixture module by name (`default` for the default export).
pub fn js_exports(name: &str) -> Map<String, Value> {
    let tokens = tokenize(&super::fixture_text(name));
    let mut exports = Map::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] != Token::Word("export".into()) {
            i += 1;
            continue;
        }
        let (export_name, value_at) = match (&tokens.get(i + 1), &tokens.get(i + 2)) {
            (Some(Token::Word(w)), _) if w == "default" => ("default".to_owned(), i + 2),
            (Some(Token::Word(w)), Some(Token::Word(id))) if w == "const" => {
                assert_eq!(tokens.get(i + 3), Some(&Token::Punct('=')), "{name}");
                (id.clone(), i + 4)
            }
            other => panic!("{name}: unexpected export form {other:?}"),
        };
        let end = value_end(&tokens, value_at);
        let json = to_json(&tokens[value_at..end]);
        let value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
        exports.insert(export_name, value);
        i = end;
    }
    exports
}

fn value_end(tokens: &[Token], start: usize) -> usize {
    let mut depth = 0;
    for (i, token) in tokens.iter().enumerate().skip(start) {
        match token {
            Token::Punct('[' | '{') => depth += 1,
            Token::Punct(']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced export value");
}

fn to_json(tokens: &[Token]) -> String {
    let mut out = String::new();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Punct(',') if matches!(tokens.get(i + 1), Some(Token::Punct(']' | '}'))) => {}
            Token::Punct(c) => out.push(*c),
            Token::Str(s) => out.push_str(&Value::from(s.as_str()).to_string()),
            Token::Word(w) if matches!(w.as_str(), "true" | "false" | "null") => out.push_str(w),
            Token::Word(w) => out.push_str(&Value::from(w.as_str()).to_string()),
            Token::Number(n) => out.push_str(n),
        }
    }
    out
}

fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            _ if c.is_whitespace() => i += 1,
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            '"' | '\'' => {
                let (s, next) = read_string(&chars, i);
                tokens.push(Token::Str(s));
                i = next;
            }
            '-' | '0'..='9' => {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                    i += 1;
                }
                tokens.push(Token::Number(chars[start..i].iter().collect()));
            }
            _ if c.is_alphabetic() || c == '_' || c == '$' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '$'))
                {
                    i += 1;
                }
                tokens.push(Token::Word(chars[start..i].iter().collect()));
            }
            _ => {
                tokens.push(Token::Punct(c));
                i += 1;
            }
        }
    }
    tokens
}

/// A JS string literal starting at `start`; returns its value and the index after it.
fn read_string(chars: &[char], start: usize) -> (String, usize) {
    let quote = chars[start];
    let mut value = String::new();
    let mut i = start + 1;
    while chars[i] != quote {
        if chars[i] == '\\' {
            i += 1;
            value.push(match chars[i] {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                other => other,
            });
        } else {
            value.push(chars[i]);
        }
        i += 1;
    }
    (value, i + 1)
}
