//! Line breaks inside multi-line string literals (`'''`, `"""`, slashy, dollar-slashy) read as
//! `\n` whatever the file's line endings, as Groovy's lexer reads them; positions count CRLF
//! and CR as one line break each.

use ksdevops::jenkinsfile::{parse_jenkinsfile, JenkinsfileReport};
use serde_json::{json, Value};

const MULTILINE: &str = include_str!("jenkinsfiles/multiline-strings.Jenkinsfile");

fn with_line_endings(text: &str, ending: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', ending)
}

fn defaults(report: &JenkinsfileReport) -> Vec<(String, Value)> {
    report
        .parameters()
        .iter()
        .map(|p| {
            let value = p
                .default_parameter_value
                .as_ref()
                .and_then(|d| d.value.clone())
                .unwrap_or(Value::Null);
            (p.name.clone(), value)
        })
        .collect()
}

#[test]
fn multi_line_literals_read_line_breaks_as_lf_for_every_line_ending() {
    for ending in ["\n", "\r\n", "\r"] {
        let report = parse_jenkinsfile(&with_line_endings(MULTILINE, ending));
        assert!(report.accepted(), "{ending:?}: {:?}", report.diagnostics());
        let got = defaults(&report);
        let expected = [
            ("TRIPLE_SINGLE", json!("one\ntwo\nthree")),
            ("TRIPLE_DOUBLE", json!("alpha\nbeta\n")),
            ("SLASHY", json!("first\nsecond")),
            ("DOLLAR_SLASHY", json!("x\ny")),
            ("NO_LEADING_BREAK", json!("kept")),
            ("CONTINUED", json!("joined line")),
            ("ESCAPED", json!("CR LF written as escapes: \r\n")),
            ("TARGET", json!("dev")),
        ];
        for (name, value) in expected {
            let found = got.iter().find(|(n, _)| n == name);
            assert_eq!(found.map(|(_, v)| v), Some(&value), "{ending:?}: {name}");
        }
        let target = &report.parameters()[7];
        assert_eq!(
            target.choices.as_deref(),
            Some(&["dev".to_owned(), "staging".into(), "prod".into()][..]),
            "{ending:?}"
        );
        assert_eq!(
            target.description.as_deref(),
            Some("Where\nto deploy"),
            "{ending:?}"
        );
    }
}

#[test]
fn an_interpolated_multi_line_default_keeps_its_source_with_lf() {
    for ending in ["\n", "\r\n", "\r"] {
        let report = parse_jenkinsfile(&with_line_endings(MULTILINE, ending));
        let template = report
            .parameters()
            .into_iter()
            .find(|p| p.name == "TEMPLATE")
            .expect("TEMPLATE parameter");
        let value = template
            .default_parameter_value
            .as_ref()
            .and_then(|d| d.value.clone());
        assert_eq!(
            value,
            Some(json!({"unresolved": true, "source": "\"\"\"v=${env.X}\nend\"\"\""})),
            "{ending:?}"
        );
    }
}

#[test]
fn converter_json_carries_the_normalised_values() {
    let report = parse_jenkinsfile(&with_line_endings(MULTILINE, "\r\n"));
    let converter = report
        .converter_parameters()
        .expect("a parameters directive");
    let first = &converter["parameters"][0]["arguments"][1];
    assert_eq!(first["key"], "defaultValue");
    assert_eq!(
        first["value"],
        json!({"isLiteral": true, "value": "one\ntwo\nthree"})
    );
}

#[test]
fn cr_and_crlf_count_as_one_line_each_in_positions() {
    let broken = "pipeline {\n  agent any\n  parameters {\n    stringParam(name: 'A')\n  }\n  stages { stage('s') { steps { echo 'x' } } }\n}\n";
    for ending in ["\n", "\r\n", "\r"] {
        let report = parse_jenkinsfile(&with_line_endings(broken, ending));
        let error = report
            .diagnostics()
            .iter()
            .find(|d| d.message.contains("stringParam"))
            .expect("an error about stringParam");
        assert_eq!((error.line, error.column), (4, 5), "{ending:?}");
    }
}
