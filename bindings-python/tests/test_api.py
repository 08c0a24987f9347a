"""The Python face of the sans-I/O API: types, errors, masking."""

import json

import pytest

import ksdevops

PASSWORD = "s3cr3t-P@ss"


def login_request():
    return ksdevops.build_request("login", {"username": "admin", "password": PASSWORD})


def test_build_request_returns_a_request_with_plain_python_values():
    request = ksdevops.build_request("list_pipelines", {"devops": "demo-devops"})
    assert isinstance(request, ksdevops.Request)
    assert request.method == "GET"
    assert request.path.endswith("/namespaces/demo-devops/pipelines")
    assert isinstance(request.query, list)
    assert all(isinstance(pair, tuple) and len(pair) == 2 for pair in request.query)
    assert isinstance(request.headers, dict)
    assert request.body is None
    assert request.body_bytes() is None


def test_layout_defaults_to_v4_and_v3_uses_the_devops_path():
    v4 = ksdevops.build_request("list_pipelines", {"devops": "demo-devops"})
    v3 = ksdevops.build_request("list_pipelines", {"devops": "demo-devops"}, layout="v3")
    assert "/namespaces/demo-devops/" in v4.path
    assert "/devops/demo-devops/" in v3.path
    assert v4 == ksdevops.build_request("list_pipelines", {"devops": "demo-devops"}, "v4")
    assert v4 != v3


def test_url_joins_the_base_and_encodes_the_query():
    request = ksdevops.build_request("list_pipelines", {"devops": "demo-devops"})
    url = request.url("https://ks.example.com")
    assert url.startswith("https://ks.example.com/")
    assert request.path in url


def test_form_body_is_pairs_and_bytes_are_urlencoded():
    request = login_request()
    assert request.method == "POST"
    assert request.path == "/oauth/token"
    assert ("grant_type", "password") in request.body
    assert ("password", PASSWORD) in request.body
    assert b"grant_type=password" in request.body_bytes()


def test_secrets_never_show_in_repr_or_curl():
    request = login_request()
    assert PASSWORD not in repr(request)
    curl = request.to_curl("https://ks.example.com", token="tok-123456")
    assert curl.startswith("curl")
    assert PASSWORD not in curl
    assert "tok-123456" not in curl
    assert "***" in curl


def test_invalid_argument_raises_invalid_input_naming_the_field():
    with pytest.raises(ksdevops.InvalidInput) as raised:
        ksdevops.build_request("list_pipelines", {"devops": "Not_A_DNS_Label"})
    error = raised.value
    assert isinstance(error, ValueError)
    assert isinstance(error, ksdevops.KsDevOpsError)
    assert error.kind == "invalid_input"
    assert error.field == "devops"
    assert error.status is None
    assert "Not_A_DNS_Label" in str(error)
    assert "field='devops'" in repr(error)


def test_unknown_operation_and_layout_are_invalid_input():
    with pytest.raises(ksdevops.InvalidInput) as raised:
        ksdevops.build_request("launch_rockets", {})
    assert raised.value.field == "operation"
    with pytest.raises(ksdevops.InvalidInput) as raised:
        ksdevops.build_request("list_pipelines", {"devops": "d"}, layout="v5")
    assert raised.value.field == "layout"


def test_args_must_be_json_like():
    with pytest.raises(TypeError, match="args"):
        ksdevops.build_request("list_pipelines", {"devops": object()})


def test_decode_response_returns_python_values_from_bytes_or_str():
    body = json.dumps({"items": [], "totalItems": 0})
    for raw in (body, body.encode()):
        value = ksdevops.decode_response(
            "list_pipelines", 200, {"Content-Type": "application/json"}, raw
        )
        assert value["totalItems"] == 0


def test_decode_response_gives_the_values_of_the_models() -> None:
    empty = ksdevops.decode_response(
        "list_pipelines", 200, {"Content-Type": "application/json"}, '{"items":null,"totalItems":0}'
    )
    assert empty == {"items": [], "totalItems": 0}
    nodes = json.dumps([{"id": "6", "steps": [{"id": "12", "state": "PAUSED", "aprovable": True}]}])
    [stage] = ksdevops.decode_response("get_run_nodes_detail", 200, {}, nodes)
    assert stage["steps"] == [{"id": "12", "state": "PAUSED", "approvable": True}]
    labels = '{"status":"success","data":["base","maven"],"message":""}'
    assert ksdevops.decode_response("list_agent_labels", 200, {}, labels) == ["base", "maven"]
    with pytest.raises(ksdevops.DecodeError) as not_a_run:
        ksdevops.decode_response("get_pipeline_run", 200, {}, "[1]")
    assert not_a_run.value.kind == "decode"


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "text/plain; charset=utf-8"},
        [("Content-Type", "text/plain; charset=utf-8")],
        None,
    ],
)
def test_decode_response_maps_status_to_the_exception_class(headers):
    with pytest.raises(ksdevops.NotFound) as raised:
        ksdevops.decode_response("get_pipeline", 404, headers, b"pipeline app not found")
    assert raised.value.status == 404
    assert raised.value.kind == "not_found"


def test_decode_response_rejects_a_body_of_the_wrong_type():
    with pytest.raises(TypeError, match="body"):
        ksdevops.decode_response("list_pipelines", 200, {}, 42)


def test_every_error_kind_has_its_class():
    classes = {
        "invalid_input": ksdevops.InvalidInput,
        "not_found": ksdevops.NotFound,
        "conflict": ksdevops.Conflict,
        "unauthorized": ksdevops.Unauthorized,
        "forbidden": ksdevops.Forbidden,
        "refused": ksdevops.Refused,
        "server": ksdevops.ServerError,
        "transport": ksdevops.TransportError,
        "decode": ksdevops.DecodeError,
        "timeout": ksdevops.Timeout,
    }
    for kind, cls in classes.items():
        assert issubclass(cls, ksdevops.KsDevOpsError)
        assert cls.kind == kind
        error = cls("boom", status=500)
        assert error.kind == kind and error.status == 500 and str(error) == "boom"
    assert issubclass(ksdevops.Timeout, TimeoutError)
