//! Groovy 2.4 constructs common in Jenkinsfiles parse (no false "compile error"), and a few
//! Groovy 3-only or broken forms do not.

use ksdevops::jenkinsfile::parse_jenkinsfile;

fn compiles(src: &str) -> bool {
    !parse_jenkinsfile(src)
        .diagnostics()
        .iter()
        .any(|d| d.message.starts_with("Groovy compile error"))
}

#[test]
fn common_groovy_in_scripted_and_script_blocks_compiles() {
    let snippets = [
        "def x = [:]\nx.each { k, v -> println \"$k=$v\" }",
        "def out = sh(script: 'git rev-parse HEAD', returnStdout: true).trim()",
        "currentBuild.result = 'FAILURE'\nenv.X = \"y\"",
        "if (!fileExists('x')) { error 'missing' } else if (a) { b() } else c()",
        "for (int i = 0; i < 10; i++) { echo \"${i}\" }\nwhile (true) { break }",
        "try { sh 'make' } catch (err) { echo err.getMessage() } finally { cleanWs() }",
        "def list = ['a', 'b'] as String[]\nString[] arr = ['a']\narr[0] = 'b'",
        "@NonCPS\ndef parse(text) { return new groovy.json.JsonSlurperClassic().parseText(text) }",
        "x = y ? 'a' : 'b'\ndef m = x =~ /re(.*)/\nassert x == 1 : 'msg'",
        "def v = list\n    .findAll { it }\n    .collect { it * 2 }",
        "node('linux') { timestamps { ansiColor('xterm') { stage(\"Build ${env.BRANCH_NAME}\") { sh 'make' } } } }",
        "def f = { String s, int n -> s * n }\ndef g = { -> 1 }\nf('a', 2); g()",
        "switch (x) { case ~/re/: echo 'r'; break; case 'a': case 'b': echo 'ab'; break; default: echo 'd' }",
        "def (a, b) = [1, 2]\nx?.y?.z\nlist*.name\n\"${x}\".toString()",
        "def t = new File('x').text\nMath.max(1, 2)\nx++\n!x\nx instanceof String\n(x as int) + 1",
        "def s = \"\"\"multi ${x}\nline\"\"\"\n(1..10).each { echo \"$it\" }\n10L + 2.5G",
        "def m = [\"${k}\": v, (k2): 3]\nthis.class.getName()\nreturn this",
        "parallel(\n  a: { echo 'a' },\n  b: { echo 'b' },\n  failFast: true\n)",
        "properties([\n  buildDiscarder(logRotator(numToKeepStr: '5')),\n  pipelineTriggers([cron('H 2 * * *')]),\n])",
        "import groovy.transform.Field\n@Field final String X = 'x'\nstatic void helper(Map args = [:]) { println args }",
        "def ok = env.BRANCH_NAME == 'main' &&\n    params.DEPLOY ||\n    false",
        "withCredentials([usernamePassword(credentialsId: 'c', usernameVariable: 'U', passwordVariable: 'P')]) {\n  sh 'echo $U'\n}",
        "pipeline {\n  agent { docker { image 'maven:3'; args '-v /tmp:/tmp' } }\n  options { timeout(time: 1, unit: 'HOURS'); buildDiscarder(logRotator(numToKeepStr: '10')) }\n  triggers { pollSCM('H/5 * * * *') }\n  stages {\n    stage('a') {\n      when { anyOf { branch 'main'; expression { return params.X } } }\n      steps { script { def r = input(message: 'ok?', ok: 'go', submitterParameter: 'who') } }\n    }\n  }\n}",
        "def call(Map config = [:], Closure body) {\n  body.resolveStrategy = Closure.DELEGATE_FIRST\n  body.delegate = config\n  body()\n}",
        "class Helper implements Serializable {\n  def steps\n  Helper(steps) { this.steps = steps }\n  def run() { steps.sh 'x' }\n}\nnew Helper(this).run()",
    ];
    for s in snippets {
        assert!(compiles(s), "{s}\n{:?}", parse_jenkinsfile(s).diagnostics());
    }
}

#[test]
fn broken_or_groovy3_forms_are_compile_errors() {
    for s in [
        "if ('x' !in ['y']) { }",
        "def x = 'Let's see'",
        "string(name: 'A' description: 'b')",
        "echo \"price: $5\"",
        "stage('a') { sh 'x' ",
        "def x = y ?= 1",
    ] {
        assert!(!compiles(s), "{s} should not compile");
    }
}

fn in_script_block(body: &str) -> String {
    format!(
        "pipeline {{\n  agent any\n  stages {{\n    stage('s') {{\n      steps {{\n        script {{\n{body}\n        }}\n      }}\n    }}\n  }}\n}}\n"
    )
}

#[test]
fn valid_groovy_2_4_forms_are_accepted() {
    for body in [
        // loop labels for break/continue, and a labelled block
        "outer: for (int i = 0; i < 3; i++) { for (j in [1, 2]) { if (j == 2) continue outer; break outer } }",
        "retry:\nwhile (true) { break retry }",
        "label: { echo 'x' }",
        "synchronized (this) { echo 'x' }",
        // spread arguments, list items and map entries
        "def ll = [*base, 4]; foo(*args); bar(1, *rest)",
        "def m = [*: base, x: 1]; baz(*: m, y: 2)",
        // closure parameters with defaults
        "def c = { a = 1, b -> a + b }; def d = { String s = 'x', List l = [1, [2]] -> s }",
        // a command call before `else`
        "if (a) echo 'x' else echo 'y'",
    ] {
        let report = parse_jenkinsfile(&in_script_block(body));
        assert!(
            report.accepted(),
            "{body}\n{:?}",
            report.diagnostics()
        );
    }
}

#[test]
fn groovy_2_4_rejects_do_while() {
    // do/while arrived with Groovy 3; Jenkins runs 2.4.
    assert!(!parse_jenkinsfile(&in_script_block("do { echo 'x' } while (false)")).accepted());
}

#[test]
fn nested_steps_a_dozen_deep_are_accepted() {
    let depth = 12;
    let mut body = String::new();
    for i in 0..depth {
        body += &format!("dir('d{i}') {{\n");
    }
    body += "sh \"echo ${env.X}\"\n";
    body += &"}\n".repeat(depth);
    let report = parse_jenkinsfile(&in_script_block(&body));
    assert!(report.accepted(), "{:?}", report.diagnostics());
}

#[test]
fn nesting_beyond_the_analyser_limit_is_not_called_a_compile_error() {
    let report = parse_jenkinsfile(&format!("def x = {}1{}", "[".repeat(500), "]".repeat(500)));
    assert!(!report.accepted());
    let message = &report.diagnostics()[0].message;
    assert!(
        message.starts_with("not analysed: nesting deeper than"),
        "{message}"
    );
    assert!(!message.contains("compile error"), "{message}");
}
