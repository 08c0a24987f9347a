"""Jenkinsfile parameters through the Python binding."""

import json
import os
from pathlib import Path

import pytest

import ksdevops

JENKINSFILE = """\
pipeline {
    agent any
    parameters {
        string(name: 'TARGET', defaultValue: 'staging', description: 'Where to deploy')
        choice(name: 'REGION', choices: ['eu', 'us'], description: 'Region')
        booleanParam(name: 'DRY_RUN', defaultValue: true)
        password(name: 'API_KEY', defaultValue: 'hunter2-default')
    }
    stages {
        stage('Approve') {
            input {
                message 'Ship it?'
                id 'ship'
                parameters { string(name: 'REASON', defaultValue: 'ok') }
            }
            steps { echo "ship ${params.TARGET}" }
        }
    }
}
"""


@pytest.fixture(scope="module")
def report():
    return ksdevops.parse_jenkinsfile(JENKINSFILE)


def test_parameters_come_as_typed_definitions(report):
    assert report.accepted
    assert report.errors == []
    by_name = {p.name: p for p in report.parameters}
    assert list(by_name) == ["TARGET", "REGION", "DRY_RUN", "API_KEY"]
    assert by_name["TARGET"].type == "StringParameterDefinition"
    assert by_name["TARGET"].default == "staging"
    assert by_name["TARGET"].description == "Where to deploy"
    assert by_name["REGION"].choices == ["eu", "us"]
    assert by_name["DRY_RUN"].default is True
    assert by_name["API_KEY"].type == "PasswordParameterDefinition"
    assert by_name["API_KEY"].default is None


def test_input_parameters_name_their_stage(report):
    (ship,) = report.input_parameters
    assert ship.stage_path == ["Approve"]
    assert ship.id == "ship"
    assert ship.source == "directive"
    assert [p.name for p in ship.parameters] == ["REASON"]


def test_to_json_gives_the_core_report_unchanged(report):
    raw = ksdevops._ksdevops.parse_jenkinsfile(JENKINSFILE)
    assert report.to_dict() == raw
    assert json.loads(report.to_json()) == raw
    assert "hunter2-default" not in report.to_json()
    assert "hunter2-default" not in repr(report)


def test_a_broken_file_gives_diagnostics_with_line_and_column():
    report = ksdevops.parse_jenkinsfile("pipeline {\n  parameters {\n    string(name: 'X'\n")
    assert not report.accepted
    assert report.errors
    first = report.errors[0]
    assert first.line >= 1 and first.column >= 1
    assert str(first).startswith(f"{first.line}:{first.column}: error: ")


def test_check_parameters_returns_the_run_payload_in_definition_order(report):
    payload = ksdevops.check_parameters(
        report.parameters, {"REGION": "us", "TARGET": "prod", "DRY_RUN": False}
    )
    assert payload == [
        {"name": "TARGET", "value": "prod"},
        {"name": "REGION", "value": "us"},
        {"name": "DRY_RUN", "value": "false"},
    ]
    request = ksdevops.build_request(
        "create_pipeline_run", {"devops": "demo", "pipeline": "app", "parameters": payload}
    )
    assert request.body == {"parameters": payload}


def test_check_parameters_fills_static_defaults_when_asked(report):
    payload = ksdevops.check_parameters(report.parameters, [("REGION", "eu")], fill_defaults=True)
    assert {"name": "TARGET", "value": "staging"} in payload
    assert {"name": "DRY_RUN", "value": "true"} in payload


@pytest.mark.parametrize(
    "values, field",
    [
        ({"NOPE": "x"}, "parameters.NOPE"),
        ({"REGION": "mars"}, "parameters.REGION"),
        ({"DRY_RUN": "maybe"}, "parameters.DRY_RUN"),
    ],
)
def test_check_parameters_rejects_bad_values_naming_the_parameter(report, values, field):
    with pytest.raises(ksdevops.InvalidInput) as raised:
        ksdevops.check_parameters(report.parameters, values)
    assert raised.value.field == field


def test_check_parameters_accepts_rest_api_dicts_and_never_echoes_passwords():
    definitions = [
        {"name": "MODE", "type": "choice", "choices": ["a", "b"]},
        {"name": "KEY", "type": "PasswordParameterDefinition"},
    ]
    payload = ksdevops.check_parameters(definitions, {"MODE": "b", "KEY": "s3cret!"})
    assert payload == [
        {"name": "MODE", "value": "b"},
        {"name": "KEY", "value": "s3cret!", "secret": True},
    ]
    request = ksdevops.build_request(
        "create_pipeline_run", {"devops": "demo", "pipeline": "app", "parameters": payload}
    )
    assert request.body == {"parameters": [{"name": "MODE", "value": "b"}, {"name": "KEY", "value": "s3cret!"}]}
    curl = request.to_curl("https://ks.example.com")
    assert "s3cret!" not in curl
    assert '{"name":"KEY","value":"***"}' in curl
    with pytest.raises(ksdevops.InvalidInput) as raised:
        ksdevops.check_parameters(definitions, {"KEY": ["s3cret!"]})
    assert "s3cret!" not in str(raised.value)


def corpus_files():
    """The external corpus, in the reference material KSDEVOPS_SHARED names (``cargo xtask
    test`` sets it when the material is present); none without it."""
    shared = os.environ.get("KSDEVOPS_SHARED", "")
    if not shared:
        return []
    root = Path(shared) / "conformance" / "jenkinsfiles"
    return sorted(
        p for p in root.glob("*/*") if p.is_file() and "expected" not in p.parts and p.suffix != ".md"
    )


def test_every_corpus_file_reads_into_typed_objects_without_loss():
    files = corpus_files()
    if not files:
        shared = os.environ.get("KSDEVOPS_SHARED", "")
        pytest.skip(f"no Jenkinsfile corpus (KSDEVOPS_SHARED is {shared!r})")
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert ksdevops.parse_jenkinsfile(text).to_dict() == ksdevops._ksdevops.parse_jenkinsfile(text), path


RUNTIME_VALUES = """\
pipeline {
    agent any
    parameters {
        string(name: "${PREFIX}_TAG", defaultValue: 'v1')
        string(name: 'BRANCH', defaultValue: env.BRANCH_NAME ?: 'main', description: "for ${env.JOB_NAME}")
        choice(name: 'REGION', choices: regions())
        string(name: 'STATIC', defaultValue: 's')
    }
    stages { stage('s') { steps { echo 'x' } } }
}
"""


def test_values_known_only_at_run_time_are_unresolved_in_their_place():
    report = ksdevops.parse_jenkinsfile(RUNTIME_VALUES)
    gstring, branch, region, static = report.parameters
    assert gstring.name == ksdevops.Unresolved('"${PREFIX}_TAG"')
    assert gstring.default == "v1"
    assert branch.default == ksdevops.Unresolved("env.BRANCH_NAME ?: 'main'")
    assert branch.description == ksdevops.Unresolved('"for ${env.JOB_NAME}"')
    assert region.choices == ksdevops.Unresolved("regions()")
    assert all(p.is_unresolved for p in (gstring, branch, region))
    assert not static.is_unresolved
    raw = ksdevops._ksdevops.parse_jenkinsfile(RUNTIME_VALUES)
    assert raw["parameters"][0]["name"] == {"unresolved": True, "source": '"${PREFIX}_TAG"'}
    assert raw["parameters"][2]["choices"] == {"unresolved": True, "source": "regions()"}
    assert "unresolved" not in raw["parameters"][2]
    assert report.to_dict() == raw


def test_check_parameters_never_fills_a_value_known_only_at_run_time():
    report = ksdevops.parse_jenkinsfile(RUNTIME_VALUES)
    with pytest.raises(ksdevops.InvalidInput) as raised:
        ksdevops.check_parameters(report.parameters, {}, fill_defaults=True)
    assert raised.value.field == "parameters"
    assert "${PREFIX}_TAG" in str(raised.value)
    named = report.parameters[1:]
    with pytest.raises(ksdevops.InvalidInput) as raised:
        ksdevops.check_parameters(named, {}, fill_defaults=True)
    assert raised.value.field == "parameters.BRANCH"
    assert "env.BRANCH_NAME" in str(raised.value)
    given = {"BRANCH": "main", "REGION": "eu"}
    payload = ksdevops.check_parameters(named, given, fill_defaults=True)
    assert payload == [
        {"name": "BRANCH", "value": "main"},
        {"name": "REGION", "value": "eu"},
        {"name": "STATIC", "value": "s"},
    ]
    assert ksdevops.check_parameters(report.parameters, given) == payload[:2]


def test_multi_line_literals_in_a_crlf_file_read_as_lf():
    text = "pipeline {\n agent any\n parameters {\n  text(name: 'NOTES', defaultValue: '''one\ntwo''')\n }\n stages { stage('s') { steps { echo 'x' } } }\n}\n"
    for ending in ("\r\n", "\r"):
        report = ksdevops.parse_jenkinsfile(text.replace("\n", ending))
        assert report.accepted, report.diagnostics
        assert report.parameters[0].default == "one\ntwo"
