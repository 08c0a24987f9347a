"""ksdevops: drive KubeSphere DevOps pipelines.

The client: :class:`Client` (blocking) and :class:`AsyncClient` (asyncio) trigger runs with
checked parameters, wait for them, follow their logs, answer their inputs, download their
artifacts and explain their failures. They return typed models (:class:`PipelineRun`,
:class:`Pipeline`, ...) and raise :class:`KsDevOpsError` subclasses.

The sans-I/O half: :func:`build_request` turns an operation and its arguments into a
:class:`Request` to send with any HTTP client, and :func:`decode_response` turns the answer into
plain Python values or raises the matching :class:`KsDevOpsError` subclass.
:func:`parse_jenkinsfile` reads a pipeline's parameters from its Jenkinsfile, offline, and
:func:`check_parameters` checks run values against them.
"""

from ._ksdevops import (
    Artifact,
    AsyncClient,
    AsyncJenkins,
    Branch,
    Client,
    Credential,
    DevOpsProject,
    Diagnosis,
    ItemStream,
    Jenkins,
    PendingInput,
    Pipeline,
    PipelineRun,
    Request,
    RunEvent,
    Scan,
    Stage,
    Step,
    build_request,
    decode_response,
)
from .jenkinsfile import (
    Diagnostic,
    InputParameters,
    JenkinsfileReport,
    ParameterDefinition,
    ParameterList,
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
    "Client",
    "AsyncClient",
    "Jenkins",
    "AsyncJenkins",
    "ItemStream",
    "Pipeline",
    "PipelineRun",
    "Branch",
    "Stage",
    "Step",
    "PendingInput",
    "Artifact",
    "Credential",
    "DevOpsProject",
    "Diagnosis",
    "RunEvent",
    "Scan",
    "Request",
    "build_request",
    "decode_response",
    "parse_jenkinsfile",
    "check_parameters",
    "JenkinsfileReport",
    "ParameterDefinition",
    "ParameterList",
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
