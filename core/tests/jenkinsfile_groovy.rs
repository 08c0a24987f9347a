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
