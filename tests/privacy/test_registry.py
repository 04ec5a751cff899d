"""Every text column of every model is declared personal (and erased) or not personal
(and why): a new field that is neither fails here."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from privacy.registry import NOT_PERSONAL, PERSONAL_FIELDS

TEXT_TYPES = (
    models.CharField,  # EmailField, URLField, SlugField included
    models.TextField,
    models.JSONField,
    models.GenericIPAddressField,
    models.FileField,
)


def _text_columns():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT_TYPES):
                yield model._meta.label, field.name


def test_every_text_column_is_declared_personal_or_not():
    undeclared = [
        f"{label}.{name}"
        for label, name in _text_columns()
        if f"{label}.{name}" not in PERSONAL_FIELDS
        and f"{label}.{name}" not in NOT_PERSONAL
        and label not in NOT_PERSONAL
    ]
    assert undeclared == [], (
        "Declare each in privacy/registry.py: PERSONAL_FIELDS (and erase it) or NOT_PERSONAL"
    )


def test_no_column_is_declared_both_ways_and_every_declaration_names_a_column():
    columns = {f"{label}.{name}" for label, name in _text_columns()}
    labels = {model._meta.label for model in apps.get_models()}
    assert not set(PERSONAL_FIELDS) & set(NOT_PERSONAL)
    assert set(PERSONAL_FIELDS) <= columns
    stale = [key for key in NOT_PERSONAL if key not in columns and key not in labels]
    assert stale == []
    whole_models = {key for key in NOT_PERSONAL if key in labels}
    assert not {key.rsplit(".", 1)[0] for key in PERSONAL_FIELDS} & whole_models
