"""ksdevops: drive KubeSphere DevOps pipelines.

The sans-I/O half: :func:`build_request` turns an operation and its arguments into a
:class:`Request` to send with any HTTP client, and :func:`decode_response` turns the answer into
plain Python values or raises the matching :class:`KsDevOpsError` subclass.
:func:`parse_jenkinsfile` reads a pipeline's parameters from its Jenkinsfile, offline, and
:func:`check_parameters` checks run values against them.
"""

from ._ksdevops import Request, build_request, decode_response
from .jenkinsfile import (
    Diagnostic,
    InputParameters,
    JenkinsfileReport,
    ParameterDefinition,
    Unresolved,
    check_parameters,
    parse_jenkinsfile,
)
from .errors import (
    Conflict,
    DecodeError,
    Forbidden,
    InvalidInput,
    KsDevOpsError,
    NotFound,
    Refused,
    ServerError,
    Timeout,
    TransportError,
    Unauthorized,
)

__all__ = [
    "Request",
    "build_request",
    "decode_response",
    "parse_jenkinsfile",
    "check_parameters",
    "JenkinsfileReport",
    "ParameterDefinition",
    "Unresolved",
    "InputParameters",
    "Diagnostic",
    "KsDevOpsError",
    "InvalidInput",
    "NotFound",
    "Conflict",
    "Unauthorized",
    "Forbidden",
    "Refused",
    "ServerError",
    "TransportError",
    "DecodeError",
    "Timeout",
]
