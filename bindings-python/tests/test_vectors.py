"""Runs every vector file of tests/vectors/ through the Python binding (format:
tests/vectors/README.md). The Rust tests and the wasm tests run the same files."""

import pytest

import ksdevops
from conftest import load, vector_files

REQUEST_VECTORS = vector_files("requests")
CURL_BASE = "https://ks.example.com"  # the base of expect.curl renderings
RESPONSE_VECTORS = vector_files("responses")


@pytest.mark.parametrize("kind", ["requests", "responses"])
def test_vector_folder_is_not_empty(kind):
    assert vector_files(kind), f"tests/vectors/{kind}/ has no *.json vector"


def check_error(raised: ksdevops.KsDevOpsError, expected: dict) -> None:
    assert raised.kind == expected["kind"], str(raised)
    if "field" in expected:
        assert raised.field == expected["field"], str(raised)
    if "status" in expected:
        assert raised.status == expected["status"], str(raised)
    if "message_contains" in expected:
        assert expected["message_contains"] in str(raised)


@pytest.mark.parametrize("path", REQUEST_VECTORS, ids=lambda p: p.stem)
def test_request_vector(path):
    vector = load(path)
    expect = vector["expect"]
    build = lambda: ksdevops.build_request(  # noqa: E731
        vector["operation"], vector.get("args", {}), layout=vector.get("layout", "v4")
    )
    if "error" in expect:
        with pytest.raises(ksdevops.KsDevOpsError) as raised:
            build()
        check_error(raised.value, expect["error"])
        return
    request = build()
    assert request.method == expect["method"]
    assert request.base == expect.get("base")
    assert request.path == expect["path"]
    assert request.query == [tuple(pair) for pair in expect.get("query", [])]
    if "headers" in expect:
        assert request.headers == expect["headers"]
    if "body" in expect:
        body = request.body
        if isinstance(body, list) and body and isinstance(body[0], tuple):
            body = [list(pair) for pair in body]
        assert body == expect["body"]
    if "curl" in expect:
        assert request.to_curl(CURL_BASE) == expect["curl"]


@pytest.mark.parametrize("path", RESPONSE_VECTORS, ids=lambda p: p.stem)
def test_response_vector(path):
    vector = load(path)
    expect = vector["expect"]
    decode = lambda: ksdevops.decode_response(  # noqa: E731
        vector["operation"], vector["status"], vector.get("headers", {}), vector.get("body", "")
    )
    if "error" in expect:
        with pytest.raises(ksdevops.KsDevOpsError) as raised:
            decode()
        check_error(raised.value, expect["error"])
        return
    assert decode() == expect["value"]
