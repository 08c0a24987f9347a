//! No input makes the Jenkinsfile reader panic, loop or use memory out of proportion.
//! (How fast it is on such input is measured by `cargo xtask bench`, never asserted here.)

use ksdevops::jenkinsfile::parse_jenkinsfile;
use proptest::prelude::*;

fn assert_rejected(text: &str) {
    let report = parse_jenkinsfile(text);
    assert!(!report.accepted());
    assert!(!report.diagnostics().is_empty());
}

#[test]
fn ten_megabytes_of_open_parentheses() {
    assert_rejected(&"(".repeat(10 << 20));
}

#[test]
fn ten_megabytes_of_unterminated_strings() {
    assert_rejected(&"'abc\n\"def ${ '''x".repeat(10 << 20 >> 4));
    assert_rejected(&format!("x = \"{}", "a".repeat(10 << 20)));
}

#[test]
fn deep_nesting_of_every_kind_is_an_error_not_a_crash() {
    for unit in [
        "(", "[", "{", "a {", "!", "-", "x = ", "\"${", "a ? b : ", "a ?: ", "a ** ", "foo(x: ",
    ] {
        let text = unit.repeat(200_000);
        let report = parse_jenkinsfile(&text);
        assert!(!report.accepted(), "{unit:?}");
    }
    for unit in ["a + ", "a.", "a b "] {
        let text = format!("{}a", unit.repeat(200_000));
        assert!(!parse_jenkinsfile(&text).accepted(), "{unit:?}");
    }
}

#[test]
fn long_flat_files_are_read_whole() {
    let stage = "stage('s') { steps { sh 'make' } }\n";
    let text = format!(
        "pipeline {{ agent any\n stages {{\n{} }} }}",
        stage.repeat(20_000)
    );
    let report = parse_jenkinsfile(&text);
    assert!(report.accepted(), "{:?}", &report.diagnostics()[..1]);
    assert_eq!(report.pipeline().unwrap().stages.len(), 20_000);
}

#[test]
fn files_beyond_the_syntax_budget_are_refused_with_a_diagnostic() {
    // 10 MB of tiny statements would need gigabytes of syntax tree: refused early instead.
    let report = parse_jenkinsfile(&"f(x)\n".repeat(2 << 20));
    assert!(!report.accepted());
    assert!(
        report.diagnostics()[0]
            .message
            .contains("too large to analyse"),
        "{:?}",
        report.diagnostics()
    );
}

fn groovy_fragment() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "pipeline",
        "parameters",
        "string",
        "choice",
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        ";",
        "\n",
        "'a'",
        "\"b${c}\"",
        "'''x\n'''",
        "/re/",
        "$/d/$",
        "name:",
        "defaultValue:",
        "true",
        "1",
        "-",
        "+",
        ".",
        "?",
        "//c\n",
        "/*c*/",
        "\\u0041",
        "\\",
        "$",
        "\"",
        "'",
        "def",
        "stage",
        "steps",
        "x",
        "=",
        "->",
        "@",
    ]);
    prop::collection::vec(atoms, 0..60).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        let report = parse_jenkinsfile(&text);
        let json = serde_json::to_value(&report).unwrap();
        prop_assert!(json["accepted"].is_boolean());
    }

    #[test]
    fn groovy_like_fragments_never_panic(text in groovy_fragment()) {
        let report = parse_jenkinsfile(&text);
        // Any error diagnostic means the file is not accepted, and vice versa.
        let has_error = report.diagnostics().iter().any(|d| d.severity == ksdevops::jenkinsfile::Severity::Error);
        prop_assert_eq!(report.accepted(), !has_error);
        for d in report.diagnostics() {
            prop_assert!(d.line >= 1 && d.column >= 1);
        }
    }

    #[test]
    fn templates_render_without_panicking(text in "[$a-z{}.\\\\é ]{0,40}") {
        let value = ksdevops::jenkinsfile::declarative::Value::Template(text);
        let rendered = value.render(&|e: &str| Some(e.to_uppercase()));
        prop_assert!(rendered.is_some());
    }

    #[test]
    fn string_parameters_round_trip(name in "[A-Za-z_][A-Za-z0-9_]{0,12}", default in "[ -&(-\\[\\]-~]{0,20}") {
        // Any single-quoted literal without quote or backslash comes back as the default.
        let text = format!("pipeline {{\n agent any\n parameters {{ string(name: '{name}', defaultValue: '{default}') }}\n stages {{ stage('s') {{ steps {{ echo 'x' }} }} }}\n}}\n");
        let report = parse_jenkinsfile(&text);
        prop_assert!(report.accepted(), "{:?}", report.diagnostics());
        let p = report.parameters()[0].clone();
        prop_assert_eq!(&p.name, &name);
        let value = p.default_parameter_value.unwrap().value.unwrap();
        prop_assert_eq!(value.as_str().unwrap(), default.as_str());
    }
}
