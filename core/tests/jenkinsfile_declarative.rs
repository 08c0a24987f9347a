//! The declarative model a run executor walks: stages, parallel, steps with arguments,
//! input, when, post.

use ksdevops::jenkinsfile::declarative::{StageBody, Step, Value};
use ksdevops::jenkinsfile::parse_jenkinsfile;

const PIPELINE: &str = r#"
pipeline {
    agent { kubernetes { label 'go'; yaml '''
kind: Pod
''' } }
    environment {
        IMAGE = "repo/app:${BUILD_NUMBER}"
    }
    parameters {
        string(name: 'TAG', defaultValue: 'v1')
    }
    stages {
        stage('Build') {
            steps {
                echo "building ${params.TAG}"
                sh 'make build'
                timeout(time: 5, unit: 'MINUTES') {
                    retry(3) {
                        sh script: 'exit 1', returnStatus: true
                    }
                }
                archiveArtifacts artifacts: 'out/*.bin', fingerprint: true
            }
        }
        stage('Approve') {
            input {
                message 'Deploy?'
                id 'deploy-ok'
                ok 'Yes'
                submitter 'admin'
                parameters {
                    choice(name: 'ENV', choices: ['staging', 'prod'])
                }
            }
            when { branch 'main'; beforeInput true }
            steps {
                script {
                    if (params.TAG == 'v1') {
                        sleep 2
                    } else {
                        error 'bad tag'
                    }
                    def answer = input message: 'Really?', parameters: [booleanParam(name: 'SURE', defaultValue: true)]
                }
            }
        }
        stage('Tests') {
            failFast true
            parallel {
                stage('Unit') { steps { sh 'go test ./...' } }
                stage('Lint') {
                    stages {
                        stage('Vet') { steps { sh 'go vet' } }
                    }
                }
            }
        }
    }
    post {
        always { echo 'done' }
        failure { echo 'failed' }
    }
}
"#;

#[test]
fn model_has_agent_stages_and_post() {
    let report = parse_jenkinsfile(PIPELINE);
    assert!(report.accepted(), "{:?}", report.diagnostics());
    let p = report.pipeline().expect("declarative pipeline");
    let agent = p.agent.as_ref().unwrap();
    assert_eq!(agent.kind, "kubernetes");
    assert_eq!(agent.settings[0].key.as_deref(), Some("label"));
    assert_eq!(p.environment[0].0, "IMAGE");
    assert_eq!(
        p.environment[0].1,
        Value::Template("repo/app:${BUILD_NUMBER}".into())
    );
    let names: Vec<&str> = p.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Build", "Approve", "Tests"]);
    assert_eq!(
        p.post
            .iter()
            .map(|c| c.condition.as_str())
            .collect::<Vec<_>>(),
        ["always", "failure"]
    );
    assert_eq!(p.parameters[0].name, "string");
}

#[test]
fn steps_keep_arguments_and_nested_bodies() {
    let report = parse_jenkinsfile(PIPELINE);
    let p = report.pipeline().unwrap();
    let StageBody::Steps { steps } = &p.stages[0].body else {
        panic!("steps")
    };
    let calls: Vec<_> = steps
        .iter()
        .map(|s| match s {
            Step::Call(c) => c,
            other => panic!("not a call: {other:?}"),
        })
        .collect();
    assert_eq!(calls[0].name, "echo");
    assert_eq!(
        calls[0].positional(0),
        Some(&Value::Template("building ${params.TAG}".into()))
    );
    assert_eq!(
        calls[1].main_arg("script").and_then(Value::as_str),
        Some("make build")
    );
    assert_eq!(calls[2].name, "timeout");
    assert_eq!(calls[2].arg("time"), Some(&Value::Integer(5)));
    let Step::Call(retry) = &calls[2].body.as_ref().unwrap()[0] else {
        panic!()
    };
    assert_eq!(retry.name, "retry");
    assert_eq!(retry.positional(0).and_then(Value::as_i64), Some(3));
    let Step::Call(sh) = &retry.body.as_ref().unwrap()[0] else {
        panic!()
    };
    assert_eq!(sh.arg("script").and_then(Value::as_str), Some("exit 1"));
    assert_eq!(sh.arg("returnStatus").and_then(Value::as_bool), Some(true));
    assert_eq!(
        calls[3].arg("artifacts").and_then(Value::as_str),
        Some("out/*.bin")
    );
    assert_eq!(calls[1].line, 16);
}

#[test]
fn input_when_and_script_blocks() {
    let report = parse_jenkinsfile(PIPELINE);
    let approve = &report.pipeline().unwrap().stages[1];
    let input = approve.input.as_ref().unwrap();
    assert_eq!(
        input.message.as_ref().and_then(Value::as_str),
        Some("Deploy?")
    );
    assert_eq!(input.id.as_ref().and_then(Value::as_str), Some("deploy-ok"));
    assert_eq!(input.ok.as_ref().and_then(Value::as_str), Some("Yes"));
    assert_eq!(
        input.submitter.as_ref().and_then(Value::as_str),
        Some("admin")
    );
    assert_eq!(input.parameters[0].name, "ENV");
    assert_eq!(
        input.parameters[0].choices.as_deref(),
        Some(&["staging".to_owned(), "prod".to_owned()][..])
    );
    let when = approve.when.as_ref().unwrap();
    assert!(when.before_input);
    assert_eq!(when.conditions[0].name, "branch");

    let StageBody::Steps { steps } = &approve.body else {
        panic!()
    };
    let Step::Call(script) = &steps[0] else {
        panic!()
    };
    let body = script.body.as_ref().unwrap();
    let Step::If {
        condition,
        then,
        otherwise,
        ..
    } = &body[0]
    else {
        panic!("if: {:?}", body[0])
    };
    assert_eq!(condition, "params.TAG == 'v1'");
    assert!(matches!(&then[0], Step::Call(c) if c.name == "sleep"));
    assert!(matches!(&otherwise[0], Step::Call(c) if c.name == "error"));
    let Step::Assign {
        target,
        value: Value::Call(input_step),
        ..
    } = &body[1]
    else {
        panic!("{:?}", body[1])
    };
    assert_eq!(target, "answer");
    let params = input_step.input_parameters();
    assert_eq!(params[0].name, "SURE");
    assert_eq!(params[0].kind, "BooleanParameterDefinition");

    // Both inputs are reported, with their stage path; neither is a job parameter.
    let groups = report.input_parameters();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].stage_path, ["Approve"]);
    assert_eq!(groups[0].id.as_deref(), Some("deploy-ok"));
    assert_eq!(groups[1].parameters[0].name, "SURE");
    assert_eq!(report.parameters().len(), 1);
}

#[test]
fn parallel_and_nested_stages() {
    let report = parse_jenkinsfile(PIPELINE);
    let p = report.pipeline().unwrap();
    let tests = &p.stages[2];
    assert!(tests.fail_fast);
    let StageBody::Parallel { stages } = &tests.body else {
        panic!("parallel")
    };
    assert_eq!(stages[0].name, "Unit");
    let StageBody::Stages { stages: inner } = &stages[1].body else {
        panic!("nested")
    };
    assert_eq!(inner[0].name, "Vet");
    let paths: Vec<String> = p
        .walk_stages()
        .into_iter()
        .map(|(path, _)| path.join("/"))
        .collect();
    assert_eq!(
        paths,
        [
            "Build",
            "Approve",
            "Tests",
            "Tests/Unit",
            "Tests/Lint",
            "Tests/Lint/Vet"
        ]
    );
}

#[test]
fn shared_library_call_and_scripted_files() {
    let lib = "def call(Map config) {\n  pipeline {\n    agent any\n    stages { stage('s') { steps { echo config.msg } } }\n  }\n}\n";
    let report = parse_jenkinsfile(lib);
    assert_eq!(report.pipeline().unwrap().stages[0].name, "s");
    let scripted = "node { stage('x') { echo 'hi' } }";
    assert!(parse_jenkinsfile(scripted).pipeline().is_none());
}

#[test]
fn templates_render_with_known_values() {
    let lookup = |expr: &str| match expr {
        "params.TAG" => Some("v2".to_owned()),
        "BUILD_NUMBER" | "env.BUILD_NUMBER" => Some("7".to_owned()),
        _ => None,
    };
    let t = Value::Template(r#"tag=${params.TAG} n=$BUILD_NUMBER e=${env.BUILD_NUMBER}.x u=${other} w=$who.name\tq \$5"#.into());
    assert_eq!(
        t.render(&lookup).unwrap(),
        "tag=v2 n=7 e=7.x u=${other} w=$who.name\tq $5"
    );
    assert_eq!(
        Value::String("plain ${x}".into()).render(&lookup).unwrap(),
        "plain ${x}"
    );
    assert_eq!(Value::Integer(3).render(&lookup).unwrap(), "3");
    assert_eq!(
        Value::Template("open ${x".into()).render(&lookup).unwrap(),
        "open ${x"
    );
}

#[test]
fn scripted_files_come_as_steps() {
    let report = parse_jenkinsfile("node('linux') {\n  stage('Build') {\n    sh 'make'\n  }\n}\n");
    let script = report.script().expect("scripted steps");
    let Step::Call(node) = &script[0] else {
        panic!("{script:?}")
    };
    assert_eq!(node.name, "node");
    let Step::Call(stage) = &node.body.as_ref().unwrap()[0] else {
        panic!()
    };
    assert_eq!(stage.name, "stage");
    assert_eq!(stage.positional(0).and_then(Value::as_str), Some("Build"));
    let Step::Call(sh) = &stage.body.as_ref().unwrap()[0] else {
        panic!()
    };
    assert_eq!((sh.name.as_str(), sh.line), ("sh", 3));
    assert!(parse_jenkinsfile(PIPELINE).script().is_none());
}
