"""A part of a decision (a reason, a why-not, a duty...): its model and its JSON, built once.

A part is shared by every decision that shows it, so its JSON is serialised once too, and
a decision's JSON is then put together from the parts' JSON (``_assemble``).

``construct`` makes a model from values that are already of their fields' exact types
(taken from validated rules and cases, or built here), without validating them again:
the model ``cls(**fields)`` would give, with the same fields marked set. Its JSON is
orjson's of the fields in order, which is what pydantic writes for these types (text,
whole numbers, booleans, null, dates, tuples and dicts of them); the tests and
``scripts/fast_path_check.py`` compare the two byte for byte.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import orjson
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

M = TypeVar("M", bound=BaseModel)
OVERHEAD_BYTES = 1024  # what a part holds besides its JSON: the model's dicts, its key


class Part(Generic[M]):
    """A frozen model of a decision and its JSON, each made when first asked for.

    Made from the arguments ``cls(...)`` takes (a nested model given as a part, or a tuple
    of parts; or a function that returns them, called only if the model is asked for), or
    from a model; its JSON may be given, put together from other parts' JSON. ``scr batch``
    asks only for the JSON, ``triage`` only for the model.
    """

    __slots__ = ("_json", "_model", "cls", "fields")

    def __init__(
        self,
        cls: type[M],
        fields: dict[str, Any] | Callable[[], dict[str, Any]],
        json: bytes | None = None,
    ) -> None:
        self.cls, self.fields, self._json = cls, fields, json
        self._model: M | None = None

    @classmethod
    def of(cls, model: M) -> Part[M]:
        """Return the part of a model already built."""
        part: Part[M] = cls(type(model), {})
        part._model = model
        return part

    @property
    def model(self) -> M:
        if self._model is None:
            given = self.given()
            self._model = construct(self.cls, {k: _model_of(v) for k, v in given.items()})
        return self._model

    def given(self) -> dict[str, Any]:
        """Return the arguments the model is made from."""
        return self.fields() if callable(self.fields) else self.fields

    @property
    def json(self) -> bytes:
        """Return the compact JSON pydantic writes for the model."""
        if self._json is None:
            given = self.given()
            self._json = dumps(self._model if not given else complete(self.cls, given))
        return self._json

    @property
    def fragment(self) -> orjson.Fragment:
        return orjson.Fragment(self.json)

    @property
    def size(self) -> int:
        """Return about how many bytes the part holds (its JSON and its objects)."""
        return len(self.json) + OVERHEAD_BYTES


def dumps(value: Any) -> bytes:
    """Return orjson's JSON of a value that may hold parts and models, to keep."""
    # a copy: orjson's own buffer keeps its spare capacity (measured: 8 kB for 700 bytes)
    return bytes(memoryview(orjson.dumps(value, default=_json_of)))


def _model_of(value: Any) -> Any:
    if type(value) is Part:
        return value.model
    if type(value) is tuple and value and type(value[0]) is Part:
        return tuple([part.model for part in value])
    return value


def _json_of(value: Any) -> Any:
    """Return what orjson writes for a part or a model (its ``default``)."""
    if type(value) is Part:
        return value.fragment
    return fields_of(value)


def construct(cls: type[M], fields: dict[str, Any]) -> M:
    """Return ``cls(**fields)`` without validating again (see the module's docstring)."""
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", complete(cls, fields))
    object.__setattr__(model, "__pydantic_fields_set__", set(fields))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


def complete(cls: type[BaseModel], fields: dict[str, Any]) -> dict[str, Any]:
    """Return every field of ``cls(**fields)`` in order, defaults filled in."""
    template, required, factories = _layout(cls)
    values = template.copy()
    values.update(fields)  # the template's keys keep their (the fields') order
    if len(values) != len(template) or not required.issubset(fields):
        raise TypeError(f"{cls.__name__}: expected its fields, got {sorted(fields)}")
    for name, factory in factories:
        if name not in fields:
            values[name] = factory()
    return values


_Layout = tuple[dict[str, Any], frozenset[str], tuple[tuple[str, Callable[[], Any]], ...]]


@functools.cache
def _layout(cls: type[BaseModel]) -> _Layout:
    """Return the fields with their defaults (in order), the required ones, the factories."""
    if cls.__pydantic_post_init__ or cls.__private_attributes__:
        raise TypeError(f"{cls.__name__} needs pydantic's own constructor")
    fields = cls.model_fields
    template = {
        name: None if field.default is PydanticUndefined else field.default
        for name, field in fields.items()
    }
    required = frozenset(name for name, field in fields.items() if field.is_required())
    factories = tuple(
        (name, field.default_factory)
        for name, field in fields.items()
        if field.default_factory is not None
    )
    return template, required, factories  # type: ignore[return-value]


def fields_of(model: Any) -> dict[str, Any]:
    """Return a model's fields as its JSON names them (orjson's ``default``)."""
    if not isinstance(model, BaseModel):
        raise TypeError(f"{type(model).__name__} is not JSON")
    aliases = _aliases(type(model))
    if not aliases:
        return model.__dict__
    return {aliases.get(name, name): value for name, value in model.__dict__.items()}


@functools.cache
def _aliases(cls: type[BaseModel]) -> dict[str, str]:
    return {
        name: alias
        for name, field in cls.model_fields.items()
        if (alias := field.serialization_alias or field.alias)
    }
