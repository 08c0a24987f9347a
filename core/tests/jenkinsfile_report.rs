//! What a user sees from `parse_jenkinsfile`: the JSON report, diagnostics with positions,
//! secrecy of password defaults, scripted parameters and value checking.

use ksdevops::jenkinsfile::{
    check_parameters, parse_jenkinsfile, InputSource, ParameterSource, Severity,
};
use serde_json::json;

const DECLARATIVE: &str = "pipeline {
    agent any
    parameters {
        string(name: 'TAG', defaultValue: '  v1  ', trim: true, description: '')
        choice(name: 'ENV', choices: 'dev\\nprod\\n', description: 'where')
        booleanParam(name: 'DRY', defaultValue: 'TRUE')
        password(name: 'TOKEN', defaultValue: 's3cr3t-value')
        string(name: 'BRANCH', defaultValue: env.BRANCH_NAME ?: 'main')
    }
    stages { stage('s') { steps { echo 'x' } } }
}
";

#[test]
fn report_json_has_the_documented_shape() {
    let report = parse_jenkinsfile(DECLARATIVE);
    let v = serde_json::to_value(&report).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["parameters", "inputParameters", "diagnostics", "accepted"]
    );
    assert_eq!(v["accepted"], json!(true));
    assert_eq!(report.parameter_source(), ParameterSource::Directive);
    let p = &v["parameters"];
    assert_eq!(p[0]["type"], "StringParameterDefinition");
    // Empty description is null in Jenkins (Util.fixEmpty); trim applies to the default value.
    assert!(p[0].get("description").is_none());
    assert_eq!(
        p[0]["defaultParameterValue"],
        json!({"name": "TAG", "value": "v1"})
    );
    assert_eq!(p[1]["choices"], json!(["dev", "prod"]));
    assert_eq!(p[1]["defaultParameterValue"]["value"], "dev");
    assert_eq!(p[2]["defaultParameterValue"]["value"], json!(true));
    assert_eq!(
        p[4]["defaultParameterValue"]["value"],
        json!({"unresolved": true, "source": "env.BRANCH_NAME ?: 'main'"})
    );
}

#[test]
fn password_defaults_stay_secret() {
    let report = parse_jenkinsfile(DECLARATIVE);
    let json = serde_json::to_string(&report).unwrap();
    assert!(!json.contains("s3cr3t-value"));
    assert!(!format!("{report:?}").contains("s3cr3t-value"));
    assert_eq!(
        report.password_default("TOKEN").unwrap().expose(),
        "s3cr3t-value"
    );
    let converter = report.converter_parameters().unwrap();
    // The converter JSON is Jenkins' own AST: it does carry the literal, like Jenkins' endpoint.
    assert_eq!(converter["parameters"][3]["name"], "password");
    // The declarative model withholds it too.
    let model = serde_json::to_string(report.pipeline().unwrap()).unwrap();
    assert!(!model.contains("s3cr3t-value"));
    assert!(!format!("{:?}", report.pipeline().unwrap()).contains("s3cr3t-value"));
}

#[test]
fn errors_have_line_and_column_and_reject_the_file() {
    let text = "pipeline {\n  agent any\n  parameters {\n    stringParam(name: 'A')\n    choice('ONLY_NAME')\n  }\n  stages { stage('s') { steps { echo 'x' } } }\n}\n";
    let report = parse_jenkinsfile(text);
    assert!(!report.accepted());
    let errors: Vec<_> = report
        .diagnostics()
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!((errors[0].line, errors[0].column), (4, 5));
    assert!(
        errors[0].message.contains("stringParam"),
        "{}",
        errors[0].message
    );
    assert_eq!(errors[1].line, 5);
    assert!(
        errors[1].message.contains("should have 2 arguments"),
        "{}",
        errors[1].message
    );

    let broken = parse_jenkinsfile(
        "pipeline {\n  parameters {\n    string(name: 'A' description: 'x')\n  }\n}\n",
    );
    assert!(!broken.accepted());
    assert!(broken.parameters().is_empty());
    let d = &broken.diagnostics()[0];
    assert_eq!((d.line, d.column), (3, 22));
    assert!(
        d.message.starts_with("Groovy compile error"),
        "{}",
        d.message
    );
}

#[test]
fn look_alikes_are_not_parameters() {
    let text = r#"
// parameters { string(name: 'COMMENTED') }
pipeline {
    agent any
    stages {
        stage('deploy') {
            steps {
                echo "parameters { string(name: 'IN_STRING') }"
                build job: 'other', parameters: [string(name: 'DOWNSTREAM', value: 'x')]
                withCredentials([string(credentialsId: 'c', variable: 'V')]) { sh 'true' }
            }
        }
    }
}
"#;
    let report = parse_jenkinsfile(text);
    assert!(report.accepted(), "{:?}", report.diagnostics());
    assert!(report.parameters().is_empty());
    assert_eq!(report.parameter_source(), ParameterSource::None);
    assert!(report.converter_parameters().is_none());
}

#[test]
fn scripted_properties_are_the_job_parameters_of_a_scripted_pipeline() {
    let text = "properties([\n  parameters([\n    stringParam(name: 'S', defaultValue: 'v'),\n    [$class: 'BooleanParameterDefinition', name: 'B', defaultValue: true],\n    choice(name: 'C', choices: ['x', 'y']),\n  ])\n])\nnode { echo params.S }\n";
    let report = parse_jenkinsfile(text);
    assert!(report.accepted());
    assert_eq!(report.parameter_source(), ParameterSource::Scripted);
    let names: Vec<&str> = report
        .parameters()
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["S", "B", "C"]);
    assert_eq!(report.parameters()[1].kind, "BooleanParameterDefinition");
    assert_eq!(report.scripted_parameters()[0].line, 2);
}

#[test]
fn unicode_escapes_and_bom() {
    // \u000a in a comment is a real line break for Groovy: the injected text is code.
    let report = parse_jenkinsfile("// x \\u000a pipeline { }\n");
    assert!(!report.accepted());
    let report = parse_jenkinsfile("// \\uZZZZ\npipeline { agent any }\n");
    assert!(!report.accepted());
    assert!(report.diagnostics()[0].message.contains("four digit hex"));
    let report = parse_jenkinsfile(
        "\u{FEFF}pipeline { agent any\n stages { stage('s') { steps { echo 'x' } } } }\n",
    );
    assert!(!report.accepted());
    assert!(report
        .diagnostics()
        .iter()
        .any(|d| d.message.contains("byte order mark")));
    let crlf = parse_jenkinsfile("pipeline {\r\n agent any\r\n parameters { choice(name: 'C', choices: \"a\\r\\nb\") }\r\n stages { stage('s') { steps { echo 'x' } } }\r\n}\r\n");
    assert!(crlf.accepted());
    assert_eq!(
        crlf.parameters()[0].choices.as_deref(),
        Some(&["a".to_owned(), "b".to_owned()][..])
    );
}

#[test]
fn check_parameters_against_extracted_definitions() {
    let report = parse_jenkinsfile(DECLARATIVE);
    let defs: Vec<_> = report.parameters().into_iter().cloned().collect();
    let payload = check_parameters(
        &defs,
        &[
            ("ENV".into(), json!("prod")),
            ("DRY".into(), json!(false)),
            ("BRANCH".into(), json!("dev")),
        ],
        true,
    )
    .unwrap();
    let pairs: Vec<(&str, &str)> = payload
        .iter()
        .map(|p| (p.name.as_str(), p.value.as_str()))
        .collect();
    // TOKEN's default is secret: Jenkins fills it.
    assert_eq!(
        pairs,
        [
            ("TAG", "v1"),
            ("ENV", "prod"),
            ("DRY", "false"),
            ("BRANCH", "dev")
        ]
    );
    // BRANCH's default is computed at run time: it is never filled silently.
    let err = check_parameters(&defs, &[("ENV".into(), json!("prod"))], true).unwrap_err();
    assert_eq!(err.field(), Some("parameters.BRANCH"));
    let err = check_parameters(&defs, &[("ENV".into(), json!("qa"))], false).unwrap_err();
    assert_eq!(err.field(), Some("parameters.ENV"));
    assert!(err.message().contains("\"qa\""));
    let err =
        check_parameters(&defs, &[("TOKEN".into(), json!({"x": "leak-me"}))], false).unwrap_err();
    assert!(!err.message().contains("leak-me"));
}

#[test]
fn follows_jenkins_where_the_corpus_oracle_is_weak() {
    let text = "pipeline {
    agent any
    options { parameters([string(name: 'IN_OPTIONS')]) }
    parameters {
        string(name: 'T', defaultValue: ' x ', trim: 'true')
        choice(name: 'PY', choices: [3.12, 3.11, 3.10])
        base64File 'B64'
    }
    stages { stage('s') { steps { echo 'x' } } }
}
";
    let report = parse_jenkinsfile(text);
    let p = report.parameters();
    assert_eq!(
        p[0].default_parameter_value.as_ref().unwrap().value,
        Some(json!("x"))
    );
    assert_eq!(
        p[1].choices.as_deref(),
        Some(&["3.12".to_owned(), "3.11".to_owned(), "3.10".to_owned()][..])
    );
    assert_eq!(p[2].name, "B64");
    assert_eq!(p[2].kind, "Base64FileParameterDefinition");
    // parameters([...]) inside options {} is rejected by Jenkins' validator.
    assert!(!report.accepted());
    assert!(report
        .diagnostics()
        .iter()
        .any(|d| d.line == 3 && d.message.contains("options")));

    let scripted = parse_jenkinsfile(
        "properties([parameters([password(name: 'P', defaultValue: 'ignored')])])\n",
    );
    assert_eq!(scripted.password_default("P").unwrap().expose(), "");
}

#[test]
fn reports_can_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<ksdevops::jenkinsfile::JenkinsfileReport>();
    send_sync::<ksdevops::jenkinsfile::declarative::Pipeline>();
}

#[test]
fn structural_rules_of_the_declarative_validator() {
    let report = parse_jenkinsfile("pipeline {\n  parameters { string(name: 'A') }\n  stages {\n    stage('empty') { agent any }\n  }\n}\n");
    assert!(!report.accepted());
    let messages: Vec<&str> = report
        .diagnostics()
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages.contains(&"Missing required section \"agent\""),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("for stage \"empty\"")),
        "{messages:?}"
    );
    // Still, the parameters Jenkins would show are reported.
    assert_eq!(report.parameters()[0].name, "A");
    let report = parse_jenkinsfile("pipeline { agent any\n stages { } }");
    assert!(report
        .diagnostics()
        .iter()
        .any(|d| d.message == "No stages specified"));
}

#[test]
fn a_second_pipeline_block_is_rejected() {
    let one = "pipeline { agent any\n stages { stage('a') { steps { echo 'a' } } } }\n";
    let report = parse_jenkinsfile(&format!("{one}{one}"));
    assert!(!report.accepted());
    assert_eq!(report.diagnostics()[0].line, 3);
    assert!(report.diagnostics()[0]
        .message
        .starts_with("Only one pipeline"));
}

const ESCAPED_LINE_BREAK_BEFORE_LITERALS: &str = r#"pipeline {
  agent any
  parameters { string(name: 'A', defaultValue: 'x') }
  stages {
    stage('s') {
      steps {
        // see https://example.com/a\u000a
        echo 'literal only'
      }
    }
  }
}
"#;

#[test]
fn escaped_line_break_fails_only_when_jenkins_slices_source_after_it() {
    // Only literal values follow the escape: Jenkins takes no source text there, so the file
    // runs; line numbers in its messages are one off.
    let report = parse_jenkinsfile(ESCAPED_LINE_BREAK_BEFORE_LITERALS);
    assert!(report.accepted(), "{:?}", report.diagnostics());
    assert_eq!(report.parameters().len(), 1);
    let warning = &report.diagnostics()[0];
    assert_eq!((warning.line, warning.severity), (7, Severity::Warning));
    assert!(warning.message.contains("one off"), "{}", warning.message);

    // A GString after the escape is kept as source text, read from the shifted line: fails.
    let gstring_after = ESCAPED_LINE_BREAK_BEFORE_LITERALS.replace(
        "echo 'literal only'",
        "echo \"branch ${env.BRANCH_NAME} is being built\"",
    );
    let report = parse_jenkinsfile(&gstring_after);
    assert!(!report.accepted());
    assert!(report.parameters().is_empty());
    assert!(report
        .diagnostics()
        .iter()
        .any(|d| d.severity == Severity::Error && d.message.contains("StringIndexOutOfBounds")));

    // Literal environment values after the escape are not kept as text either.
    let env_after = ESCAPED_LINE_BREAK_BEFORE_LITERALS
        .replacen("  agent any\n", "  agent any\n  // \\u000a\n", 1)
        .replace("// see https://example.com/a\\u000a", "// see")
        .replace(
            "  stages {",
            "  environment { LITERAL = 'x'\n GSTRING = \"${LITERAL}-y\" }\n  stages {",
        );
    let report = parse_jenkinsfile(&env_after);
    assert!(!report.accepted(), "{:?}", report.diagnostics());
    let literal_only = env_after.replace(" GSTRING = \"${LITERAL}-y\"", "");
    assert!(parse_jenkinsfile(&literal_only).accepted());

    // A scripted pipeline never goes through the declarative parser.
    let scripted = "// note\\u000a\nnode { echo \"${env.X}\" }\n";
    assert!(parse_jenkinsfile(scripted).accepted());
}

#[test]
fn environment_takes_only_assignments() {
    // `FOO: 'bar'` compiles (a Groovy statement label) but is not an environment variable.
    let text = "pipeline {\n  agent any\n  environment {\n    GOOD = 'x'\n    FOO: 'bar'\n  }\n  stages { stage('s') { environment { X = \"${GOOD}\" }\n steps { echo 'x' } } }\n}\n";
    let report = parse_jenkinsfile(text);
    assert!(!report.accepted());
    let errors: Vec<_> = report
        .diagnostics()
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(errors, [(5, "Expected name=value pairs")]);
}

#[test]
fn a_misspelled_key_gets_jenkins_suggestion() {
    let text = "pipeline {\n  agent any\n  parameters { string(namd: 'A', defaultValue: 'x') }\n  stages { stage('s') { steps { echo 'x' } } }\n}\n";
    let report = parse_jenkinsfile(text);
    assert!(!report.accepted());
    assert!(
        report
            .diagnostics()
            .iter()
            .any(|d| d.line == 3
                && d.message == "Invalid parameter \"namd\", did you mean \"name\"?"),
        "{:?}",
        report.diagnostics()
    );
}

const RUNTIME_VALUES: &str = "pipeline {
    agent any
    parameters {
        string(name: \"${PREFIX}_TAG\", defaultValue: 'v1')
        string(name: 'BRANCH', defaultValue: env.BRANCH_NAME ?: 'main', description: \"for ${env.JOB_NAME}\")
        choice(name: 'REGION', choices: regions())
    }
    stages { stage('s') { steps { echo 'x' } } }
}
";

#[test]
fn values_known_only_at_run_time_are_unresolved_objects_in_their_own_place() {
    let report = parse_jenkinsfile(RUNTIME_VALUES);
    let v = serde_json::to_value(&report).unwrap();
    let unresolved = |source: &str| json!({"unresolved": true, "source": source});
    let p = &v["parameters"];
    assert_eq!(p[0]["name"], unresolved("\"${PREFIX}_TAG\""));
    assert_eq!(
        p[0]["defaultParameterValue"]["name"],
        unresolved("\"${PREFIX}_TAG\"")
    );
    assert_eq!(p[0]["defaultParameterValue"]["value"], "v1");
    assert_eq!(
        p[1]["defaultParameterValue"]["value"],
        unresolved("env.BRANCH_NAME ?: 'main'")
    );
    assert_eq!(p[1]["description"], unresolved("\"for ${env.JOB_NAME}\""));
    assert_eq!(p[2]["choices"], unresolved("regions()"));
    for definition in p.as_array().unwrap() {
        assert!(definition.get("unresolved").is_none(), "{definition}");
    }

    // In Rust the typed field is empty and unresolved(field) gives the object.
    let defs = report.parameters();
    assert_eq!(defs[0].name, "");
    assert_eq!(
        defs[0].unresolved("name"),
        Some(&unresolved("\"${PREFIX}_TAG\""))
    );
    assert_eq!(defs[2].choices, None);
    assert!(defs[1].has_unresolved() && !defs[1].name.is_empty());

    // The JSON reads back into the same definitions (what the bindings hand back).
    let back: Vec<ksdevops::model::ParameterDefinition> =
        serde_json::from_value(p.clone()).unwrap();
    let owned: Vec<_> = defs.into_iter().cloned().collect();
    assert_eq!(back, owned);
}

#[test]
fn check_parameters_refuses_to_fill_values_known_only_at_run_time() {
    let report = parse_jenkinsfile(RUNTIME_VALUES);
    let defs: Vec<_> = report.parameters().into_iter().cloned().collect();
    let e = check_parameters(&defs, &[], true).unwrap_err();
    assert_eq!(e.field(), Some("parameters"));
    assert!(e.message().contains("${PREFIX}_TAG"), "{}", e.message());
    let e = check_parameters(&defs[1..], &[], true).unwrap_err();
    assert_eq!(e.field(), Some("parameters.BRANCH"));
    let given = [
        ("BRANCH".to_owned(), json!("dev")),
        ("REGION".to_owned(), json!("eu")),
    ];
    let out = check_parameters(&defs[1..], &given, true).unwrap();
    assert_eq!(out.len(), 2);
}

#[test]
fn input_directives_have_their_converter_json_and_input_steps_none() {
    let report = parse_jenkinsfile(
        "pipeline {\n agent any\n stages {\n  stage('deploy') {\n   input {\n    message 'Go?'\n    parameters { string(name: 'TARGET', defaultValue: 'prod') }\n   }\n   steps {\n    script { input(message: 'Sure?', parameters: [booleanParam(name: 'OK')]) }\n   }\n  }\n }\n}\n",
    );
    let groups = report.input_parameters();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].source, InputSource::Directive);
    assert_eq!(
        report.input_converter(0).expect("a directive's JSON")["parameters"][0],
        json!({"name": "string", "arguments": [
            {"key": "name", "value": {"isLiteral": true, "value": "TARGET"}},
            {"key": "defaultValue", "value": {"isLiteral": true, "value": "prod"}}
        ]})
    );
    assert_eq!(groups[1].source, InputSource::Step);
    assert_eq!(report.input_converter(1), None);
    assert_eq!(report.input_converter(2), None);
}
