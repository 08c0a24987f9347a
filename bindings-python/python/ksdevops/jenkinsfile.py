"""Jenkinsfile parameters, read offline with Jenkins' own rules.

:func:`parse_jenkinsfile` returns a :class:`JenkinsfileReport` of typed objects;
:func:`check_parameters` turns user values into the run payload a pipeline accepts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Union

from . import _ksdevops

__all__ = [
    "Unresolved",
    "ParameterDefinition",
    "ParameterList",
    "InputParameters",
    "Diagnostic",
    "JenkinsfileReport",
    "parse_jenkinsfile",
    "check_parameters",
]


@dataclass(frozen=True)
class Unresolved:
    """A value Jenkins only knows once the build runs (``env.X``, a GString, a variable...).

    It stands in the place of the value it replaces: a parameter's ``name``, ``description``,
    ``choices`` or ``default``. ``source`` is the Groovy source Jenkins will evaluate. In JSON
    it is ``{"unresolved": true, "source": ...}``.
    """

    source: str

    @staticmethod
    def is_json(value: Any) -> bool:
        """Whether ``value`` is the JSON form ``{"unresolved": true, ...}``."""
        return isinstance(value, Mapping) and value.get("unresolved") is True

    @classmethod
    def read(cls, value: Any) -> Any:
        """``value`` itself, or an :class:`Unresolved` for its JSON form."""
        return cls(source=value.get("source", "")) if cls.is_json(value) else value

    def to_dict(self) -> dict[str, Any]:
        return {"unresolved": True, "source": self.source}

    def __str__(self) -> str:
        return f"<unresolved: {self.source}>"


def _json(value: Any) -> Any:
    return value.to_dict() if isinstance(value, Unresolved) else value


@dataclass(frozen=True, repr=False)
class ParameterDefinition:
    """A parameter as Jenkins' REST API shows it.

    ``type`` is the Jenkins class name (``StringParameterDefinition``, ...).
    ``default_parameter_value`` is the API's ``{"name", "value"?}`` (``value`` absent for
    passwords, whose default is never exported); :attr:`default` is its value. ``extra`` holds
    the other fields (``_class``, ``trim``, ...).

    A field that Jenkins only knows once the build runs is an :class:`Unresolved` in its
    place (``name``, ``description``, ``choices`` and :attr:`default` alike).
    """

    name: Union[str, Unresolved]
    type: str
    description: Optional[Union[str, Unresolved]] = None
    choices: Optional[Union[list[str], Unresolved]] = None
    default_parameter_value: Optional[dict[str, Any]] = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ParameterDefinition":
        known = {"name", "type", "description", "defaultParameterValue", "choices"}
        default = data.get("defaultParameterValue")
        choices = Unresolved.read(data.get("choices"))
        if isinstance(choices, list):
            choices = list(choices)
        return cls(
            name=Unresolved.read(data["name"]),
            type=data["type"],
            description=Unresolved.read(data.get("description")),
            choices=choices,
            default_parameter_value=dict(default) if default is not None else None,
            extra={k: v for k, v in data.items() if k not in known},
        )

    @property
    def default(self) -> Any:
        """The default value (an :class:`Unresolved` when computed at run time), or None when
        there is none (or it is a password's)."""
        return Unresolved.read((self.default_parameter_value or {}).get("value"))

    def to_dict(self) -> dict[str, Any]:
        """The REST API shape: ``{"name", "type", "description"?, "defaultParameterValue"?, "choices"?, ...}``."""
        data: dict[str, Any] = {"name": _json(self.name), "type": self.type}
        if self.description is not None:
            data["description"] = _json(self.description)
        if self.default_parameter_value is not None:
            data["defaultParameterValue"] = dict(self.default_parameter_value)
        if self.choices is not None:
            data["choices"] = _json(self.choices) if isinstance(self.choices, Unresolved) else list(self.choices)
        data.update(self.extra)
        return data

    @property
    def is_password(self) -> bool:
        """Whether this is a password parameter: its values (and default) are secrets."""
        return _ksdevops.is_password_type(self.type)

    def __repr__(self) -> str:
        default = "'***'" if self.is_password and self.default is not None else repr(self.default)
        return (
            f"ParameterDefinition(name={self.name!r}, type={self.type!r}, default={default}"
            + (f", choices={self.choices!r}" if self.choices is not None else "")
            + ")"
        )

    @property
    def is_unresolved(self) -> bool:
        """True when a field (name, description, choices or default) is only known when
        Jenkins runs the pipeline."""
        return any(
            isinstance(v, Unresolved) for v in (self.name, self.description, self.choices, self.default)
        )


class ParameterList(List[ParameterDefinition]):
    """A list of parameter definitions that a notebook shows as a table (password defaults
    masked)."""

    def _repr_html_(self) -> str:
        return _ksdevops.parameters_html([p.to_dict() for p in self])


@dataclass(frozen=True)
class InputParameters:
    """The parameters an ``input`` asks for when a run reaches it (not job parameters)."""

    stage_path: list[str]
    """The names of the enclosing stages, outermost first."""
    id: Optional[str]
    source: str
    """``"directive"`` (a stage's ``input {}``) or ``"step"`` (an ``input(...)`` step)."""
    line: int
    parameters: list[ParameterDefinition]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "InputParameters":
        return cls(
            stage_path=list(data["stagePath"]),
            id=data.get("id"),
            source=data["source"],
            line=data["line"],
            parameters=[ParameterDefinition.from_dict(p) for p in data["parameters"]],
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"stagePath": list(self.stage_path)}
        if self.id is not None:
            data["id"] = self.id
        data.update(source=self.source, line=self.line, parameters=[p.to_dict() for p in self.parameters])
        return data


@dataclass(frozen=True)
class Diagnostic:
    """A message about the Jenkinsfile at a 1-based line and column."""

    line: int
    column: int
    severity: str
    """``"error"`` (Jenkins would reject the file), ``"warning"`` or ``"info"``."""
    message: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class JenkinsfileReport:
    """What :func:`parse_jenkinsfile` found."""

    parameters: list[ParameterDefinition]
    input_parameters: list[InputParameters]
    diagnostics: list[Diagnostic]
    accepted: bool
    """Whether Jenkins would accept the file (compile, validate, start the run)."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "JenkinsfileReport":
        return cls(
            parameters=ParameterList(ParameterDefinition.from_dict(p) for p in data["parameters"]),
            input_parameters=[InputParameters.from_dict(i) for i in data["inputParameters"]],
            diagnostics=[Diagnostic(**d) for d in data["diagnostics"]],
            accepted=data["accepted"],
        )

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def to_dict(self) -> dict[str, Any]:
        """``{"parameters", "inputParameters", "diagnostics", "accepted"}`` as JSON data."""
        return {
            "parameters": [p.to_dict() for p in self.parameters],
            "inputParameters": [i.to_dict() for i in self.input_parameters],
            "diagnostics": [
                {"line": d.line, "column": d.column, "severity": d.severity, "message": d.message}
                for d in self.diagnostics
            ],
            "accepted": self.accepted,
        }

    def to_json(self, indent: Optional[int] = None) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def parse_jenkinsfile(text: str) -> JenkinsfileReport:
    """Reads a Jenkinsfile (declarative ``parameters {}`` or scripted
    ``properties([parameters([...])])``). Never raises for any text: problems are diagnostics."""
    return JenkinsfileReport.from_dict(_ksdevops.parse_jenkinsfile(text))


Definitions = Sequence[Union[ParameterDefinition, Mapping[str, Any]]]
Values = Union[Mapping[str, Any], Iterable[tuple[str, Any]]]


def check_parameters(
    definitions: Definitions, values: Values, fill_defaults: bool = False
) -> list[dict[str, Union[str, bool]]]:
    """Checks ``values`` against ``definitions`` and returns the run payload
    ``[{"name": ..., "value": ...}]`` in the definitions' order, ready for the ``parameters``
    argument of ``build_request("create_pipeline_run", ...)``. A password parameter's entry
    also has ``"secret": True``, so that the request built from it shows the value as ``***``
    in ``to_curl``.

    Unknown names, a choice that is not among the choices, or a boolean that is not true/false
    raise :class:`ksdevops.InvalidInput` whose ``field`` is ``parameters.<name>``. With
    ``fill_defaults``, parameters without a value get their static default; a default (or name)
    only known when the build runs is never filled: it raises :class:`ksdevops.InvalidInput`
    asking for a value instead. Password values never appear in errors.
    """
    raw = [d.to_dict() if isinstance(d, ParameterDefinition) else dict(d) for d in definitions]
    return _ksdevops.check_parameters(raw, values, fill_defaults)
