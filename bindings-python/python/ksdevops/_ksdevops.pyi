"""Type stubs of the compiled module ``ksdevops._ksdevops``."""

from typing import Any, Iterable, Mapping, Optional, Union

JSON = Any
"""A value made of dict, list, str, int, float, bool and None."""

Headers = Union[Mapping[str, str], Iterable[tuple[str, str]], None]

class Request:
    """An HTTP request for the KubeSphere API server, relative to its base URL."""

    @property
    def method(self) -> str:
        """"GET", "POST", "PUT" or "DELETE"."""
    @property
    def path(self) -> str:
        """The percent-encoded path, without the query."""
    @property
    def query(self) -> list[tuple[str, str]]:
        """Query parameters as decoded (name, value) pairs, in order."""
    @property
    def headers(self) -> dict[str, str]: ...
    @property
    def body(self) -> Union[JSON, list[tuple[str, str]], None]:
        """The JSON body parsed, the form pairs of a form-encoded body, or None."""
    def body_bytes(self) -> Optional[bytes]:
        """The body as the bytes to send, or None."""
    def url(self, base: str) -> str:
        """The absolute URL under ``base``, query encoded."""
    def to_curl(self, base: str, token: Optional[str] = None) -> str:
        """A curl command line with every secret shown as ``***``."""
    def __eq__(self, other: object) -> bool: ...

def build_request(operation: str, args: Optional[Mapping[str, JSON]] = None, layout: str = "v4") -> Request:
    """Builds the request for ``operation``; raises InvalidInput for bad arguments.

    A ``parameters`` entry ``{"name", "value", "secret": True}`` is a password: sent as given,
    shown as ``***`` by ``to_curl``."""

def decode_response(operation: str, status: int, headers: Headers, body: Union[bytes, str, None]) -> JSON:
    """Decodes the answer to ``operation`` or raises the KsDevOpsError subclass it means."""

def parse_jenkinsfile(text: str) -> dict[str, Any]:
    """The Jenkinsfile report as JSON data: {"parameters", "inputParameters", "diagnostics", "accepted"}."""

def check_parameters(
    definitions: list[dict[str, Any]],
    values: Union[Mapping[str, JSON], Iterable[tuple[str, JSON]]],
    fill_defaults: bool = False,
) -> list[dict[str, Union[str, bool]]]:
    """The run payload [{"name", "value"}] for ``values`` (password entries add ``"secret": True``);
    raises InvalidInput naming the parameter."""
