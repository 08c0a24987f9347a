"""The installed package is complete: stubs cover the compiled module, py.typed is shipped."""

import ast
import inspect
from pathlib import Path

import ksdevops
from ksdevops import _ksdevops


def stub_tree() -> ast.Module:
    stub = Path(ksdevops.__file__).with_name("_ksdevops.pyi")
    return ast.parse(stub.read_text(encoding="utf-8"))


def stub_names(body=None) -> set[str]:
    body = stub_tree().body if body is None else body
    return {node.name for node in body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


def test_every_public_name_of_the_compiled_module_has_a_stub():
    public = {name for name in dir(_ksdevops) if not name.startswith("_")}
    assert public, "the compiled module exports nothing"
    assert public <= stub_names()


def test_every_public_member_of_request_has_a_stub():
    (request_stub,) = [n for n in stub_tree().body if isinstance(n, ast.ClassDef) and n.name == "Request"]
    public = {name for name in dir(_ksdevops.Request) if not name.startswith("_")}
    assert public <= stub_names(request_stub.body)


def test_everything_in_all_exists():
    for name in ksdevops.__all__:
        assert hasattr(ksdevops, name), name


def test_py_typed_marker_is_installed():
    assert Path(ksdevops.__file__).with_name("py.typed").exists()


def test_functions_carry_documentation():
    for function in (ksdevops.build_request, ksdevops.decode_response):
        assert inspect.getdoc(function)
