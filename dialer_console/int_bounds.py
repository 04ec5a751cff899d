"""Integer inputs held to what their column stores.

A number past a column's range is a field error ("Ensure this value is less than or equal
to 2147483647."), not a database error and a 500. The range is the column type's on every
supported database (Django's portable table), not the current connection's: SQLite would
store 2**40 in an IntegerField that PostgreSQL refuses.

Serializers mix in ``BoundedIntegersSerializer`` and forms ``BoundedIntegersForm``; each
names the model its integers are stored in (``bounds_model``; a ModelSerializer's or
ModelForm's own model by default). An integer that is no column of that model (an id
filter, a cursor) is held to the 64-bit range of ids.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Model
from django.forms import IntegerField as FormIntegerField
from rest_framework.serializers import IntegerField as SerializerIntegerField

COLUMN_RANGES = BaseDatabaseOperations.integer_field_ranges
ID_RANGE = COLUMN_RANGES["BigAutoField"]


def column_range(model: type[Model] | None, name: str) -> tuple[int, int]:
    """The range ``model.<name>``'s column stores; a foreign key's is its target's."""
    try:
        field = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        field = None
    if field is not None and field.is_relation:
        field = field.target_field
    if field is None:
        return ID_RANGE
    return COLUMN_RANGES.get(field.get_internal_type(), ID_RANGE)


def bound_integer_field(field: Any, low: int, high: int) -> None:
    """Narrow a form or serializer integer field to ``[low, high]``, keeping a tighter
    bound it already has. Both kinds run Django validators and read ``min_value`` and
    ``max_value`` (the schema and the widget show them)."""
    if field.max_value is None or field.max_value > high:
        field.max_value = high
        field.validators.append(MaxValueValidator(high))
    if field.min_value is None or field.min_value < low:
        field.min_value = low
        field.validators.append(MinValueValidator(low))


def _model_of(owner: Any) -> type[Model] | None:
    return getattr(owner, "bounds_model", None) or getattr(
        getattr(owner, "Meta", None), "model", None
    )


class BoundedIntegersSerializer:
    """Serializer mixin: every writable IntegerField is held to its column's range."""

    bounds_model: ClassVar[type[Model] | None] = None

    def get_fields(self) -> dict:
        fields = super().get_fields()
        model = _model_of(self)
        for name, field in fields.items():
            if isinstance(field, SerializerIntegerField) and not field.read_only:
                source = field.source if field.source not in (None, "*") else name
                bound_integer_field(field, *column_range(model, source))
        return fields


class BoundedIntegersForm:
    """Form mixin: every IntegerField is held to its column's range."""

    bounds_model: ClassVar[type[Model] | None] = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = _model_of(self)
        for name, field in self.fields.items():
            if isinstance(field, FormIntegerField):
                low, high = column_range(model, name)
                bound_integer_field(field, low, high)
                field.widget.attrs.update(field.widget_attrs(field.widget))
