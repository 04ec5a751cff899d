"""Building blocks shared by the five vendor campaign-settings forms.

One vendor form validates three doors alike: the full-page POST, the HTMX inline
validation endpoint and the API (which hands the JSON ``vendor_settings`` object over as
the form's data). So every field here accepts both HTML form data (strings, repeated
``name-<row>-<column>`` inputs) and JSON values (numbers, booleans, lists, objects).

- ``SwitchField``: a documented 0/1 field, shown as a switch, cleaned to 0 or 1.
- ``ListField``: a JSON array, typed as comma-separated text in HTML.
- ``RowsField``: repeatable rows, each validated by a small row form; an empty row
  is ignored, so the blank rows offered for adding post without harm.
- ``Condition`` and ``VendorSettingsForm``: fields that apply only when a controlling
  field has given values; required then, dropped from the cleaned data otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import get_language, get_language_bidi, gettext, gettext_lazy

from vendors.adapters.field_map import FieldMap
from vendors.adapters.remote_choices import RemoteChoiceWidget, bind_remote_widgets

EMPTY_VALUES = (None, "", [], {}, ())


# --- labels ----------------------------------------------------------------------------


def label_with_term(label, term: str) -> str:
    """A vendor field's label as shown: in the user's language, with the vendor's own
    name for the field beside it ("Maximale Versuche (parameters.maxTryCount)"), so a
    translated label can still be found in the vendor's document (issue #17). In English
    the console's label is shown alone, as before, and a label that is the term itself
    gets no copy of it. Every vendor label shown goes through here."""
    text = str(label)
    language = (get_language() or "en").split("-")[0]
    if not term or language == "en" or text.casefold() == term.casefold():
        return text
    if get_language_bidi():
        # Isolated left-to-right, so a right-to-left label keeps the term readable.
        term = f"\u2066{term}\u2069"
    return f"{text} ({term})"


# --- switches ------------------------------------------------------------------------


class SwitchWidget(forms.CheckboxInput):
    def __init__(self, attrs: dict | None = None):
        super().__init__({"role": "switch", **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        if name not in data:
            return False
        value = data.get(name)
        if isinstance(value, str):
            return value.strip().lower() not in ("", "0", "false", "off", "no")
        return bool(value)

    def format_value(self, value):
        return None


class SwitchField(forms.BooleanField):
    """A 0/1 vendor field. ``mandatory`` marks the documentation's ``*``: a switch
    always has a value, so the mark is shown and the key is always sent."""

    widget = SwitchWidget

    def __init__(self, *, mandatory: bool = False, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.mandatory = mandatory

    def clean(self, value) -> int:
        return 1 if super().clean(value) else 0

    def prepare_value(self, value):
        return bool(value) and str(value) not in ("0", "False", "false")


# --- text that must hold a whole number (vendor fields typed "string") -----------------

digits_validator = RegexValidator(r"^\d+\Z", gettext_lazy("Enter a whole number (digits only)."))


class DigitsField(forms.CharField):
    """A whole number the vendor documents as a string: cleaned to a string of digits."""

    default_validators = [digits_validator]

    def to_python(self, value):
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return str(value)
        return super().to_python(value)


# --- lists ---------------------------------------------------------------------------


class ListWidget(forms.TextInput):
    def format_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return super().format_value(value)


class ListField(forms.Field):
    """A JSON array of ``item_type`` values; in HTML, values separated by commas."""

    widget = ListWidget

    def __init__(
        self,
        *,
        item_type: Callable[[str], Any] = str,
        item_error: str = gettext_lazy("Each value must be a whole number."),
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.item_type = item_type
        self.item_error = item_error

    def to_python(self, value) -> list:
        if value in EMPTY_VALUES:
            return []
        if isinstance(value, str):
            value = [part.strip() for part in value.replace("\n", ",").split(",")]
        elif not isinstance(value, list | tuple):
            raise ValidationError(gettext("Enter a list of values."))
        items = []
        for raw in value:
            text = str(raw).strip()
            if not text:
                continue
            if self.item_type is int:
                if isinstance(raw, bool) or not text.lstrip("-").isdigit():
                    raise ValidationError(
                        gettext("%(item_error)s “%(text)s” is not.")
                        % {"item_error": self.item_error, "text": text}
                    )
                items.append(int(text))
            else:
                items.append(self.item_type(text))
        return items


# --- repeatable rows -----------------------------------------------------------------


class RowsWidget(forms.Widget):
    """Renders ``rows`` plus blank rows as a table of inputs named
    ``<name>-<row>-<column>``; ``<name>-TOTAL`` says how many rows were offered."""

    template_name = "vendor_forms/rows_widget.html"
    blank_rows = 2
    # Set on a vendor form's rows (VendorSettingsForm): each column's label then shows
    # the vendor's name for it too. The console's own row forms leave it off.
    vendor_terms = False

    def __init__(self, row_form: type[forms.Form], attrs: dict | None = None):
        super().__init__(attrs)
        self.row_form = row_form

    remote_binding: dict | None = None

    def bind_remote(self, *, account, refresh_url: str = "") -> None:
        self.remote_binding = {"account": account, "refresh_url": refresh_url}

    def column_widget(self, column: str) -> forms.Widget | None:
        """The widget of one column; a remote-choice column bound to this form's account
        (a copy: the row form's fields are shared by every request)."""
        field = self.row_form.base_fields.get(column)
        if field is None:
            return None
        if isinstance(field.widget, RemoteChoiceWidget) and self.remote_binding:
            return field.widget.bound_copy(**self.remote_binding)
        return field.widget

    def render_cell(self, name: str, index: int, column: str, raw: Any) -> str:
        field = self.row_form.base_fields[column]
        input_name = f"{name}-{index}-{column}"
        attrs = {"id": f"id_{input_name}", "aria-label": f"{self.column_label(column)} {index + 1}"}
        return self.column_widget(column).render(input_name, field.prepare_value(raw), attrs)

    def column_label(self, column: str) -> str:
        label = self.row_form.base_fields[column].label
        if label is None:
            return column
        return label_with_term(label, column) if self.vendor_terms else str(label)

    def value_from_datadict(self, data, files, name):
        if not hasattr(data, "getlist"):  # JSON: the list itself
            return data.get(name)
        try:
            total = min(int(data.get(f"{name}-TOTAL", "0")), 500)
        except ValueError:
            total = 0
        columns = list(self.row_form.base_fields)
        rows = []
        for index in range(total):
            prefix = f"{name}-{index}-"
            row = {column: data.get(prefix + column, "") for column in columns}
            for column, field in self.row_form.base_fields.items():
                if isinstance(field, forms.BooleanField):
                    row[column] = (prefix + column) in data and row[column] not in ("", "0")
            rows.append(row)
        return rows

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = list(value or []) if isinstance(value, list | tuple) else []
        # Blank rows posted back are dropped, then the usual blank rows added once.
        rows = [
            row for row in rows if not (isinstance(row, dict) and _row_is_empty(row, self.row_form))
        ]
        rows += [None] * self.blank_rows
        columns = list(self.row_form.base_fields)
        table = []
        for index, row in enumerate(rows):
            cells = []
            for column in columns:
                field = self.row_form.base_fields[column]
                blank = field.initial if field.initial is not None else ""
                raw = (row or {}).get(column, "") if row is not None else blank
                cells.append(self.render_cell(name, index, column, raw))
            table.append(cells)
        context["widget"].update(
            {
                "headers": [self.column_label(column) for column in columns],
                "rows": table,
                "total": len(rows),
                "total_name": f"{name}-TOTAL",
            }
        )
        return context


def _as_row_list(value) -> list:
    if not isinstance(value, list | tuple):
        raise TypeError("rows must be a list")
    return list(value)


def _row_is_empty(row: dict, row_form: type[forms.Form]) -> bool:
    """Nothing typed: every value empty, off, or its column's default (a blank row's
    switch that starts on, such as a lead list's Active, is posted on)."""
    fields = row_form.base_fields
    return all(
        value in EMPTY_VALUES
        or value is False
        or (
            column in fields
            and fields[column].initial is not None
            and value == fields[column].initial
        )
        for column, value in row.items()
    )


class RowsField(forms.Field):
    """Repeatable rows validated by ``row_form``. ``to_rows`` turns a stored (JSON) value
    into rows and ``from_rows`` turns cleaned rows into the stored value, for fields whose
    vendor shape is not a flat list (an object of key/values, nested arrays)."""

    def __init__(
        self,
        *,
        row_form: type[forms.Form],
        to_rows: Callable[[Any], list[dict]] | None = None,
        from_rows: Callable[[list[dict]], Any] | None = None,
        **kwargs,
    ):
        kwargs.setdefault("widget", RowsWidget(row_form))
        super().__init__(**kwargs)
        self.row_form = row_form
        self.to_rows = to_rows or _as_row_list
        self.from_rows = from_rows or (lambda rows: rows)

    def _is_rows(self, value) -> bool:
        """Already rows (HTML data, or JSON in the row shape), not the vendor shape."""
        if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
            return False
        columns = set(self.row_form.base_fields)
        return all(set(row) <= columns for row in value)

    def prepare_value(self, value):
        if self._is_rows(value):
            return value
        try:
            return self.to_rows(value)
        except (TypeError, AttributeError, KeyError):
            return []

    def to_python(self, value) -> list[dict]:
        if value in EMPTY_VALUES:
            return []
        if self._is_rows(value):
            return value
        try:
            rows = self.to_rows(value)
        except (TypeError, AttributeError, KeyError, ValueError):
            raise ValidationError(
                gettext("This value does not have the documented shape.")
            ) from None
        if not isinstance(rows, list):
            raise ValidationError(gettext("This value does not have the documented shape."))
        return rows

    def clean(self, value):
        rows = self.to_python(value)
        cleaned_rows, errors = [], []
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                errors.append(gettext("Row %(number)s: expected an object.") % {"number": number})
                continue
            if _row_is_empty(row, self.row_form):
                continue
            row_form = self.row_form(data=row)
            if row_form.is_valid():
                cleaned_rows.append(row_form.cleaned_data)
                continue
            for column, messages in row_form.errors.items():
                field = row_form.fields.get(column)
                label = ""
                if field is not None and field.label:
                    widget = self.widget
                    label = (
                        widget.column_label(column)
                        if isinstance(widget, RowsWidget)
                        else str(field.label)
                    )
                for message in messages:
                    if label:
                        text = gettext("Row %(number)s: %(label)s: %(message)s")
                    else:
                        text = gettext("Row %(number)s: %(message)s")
                    errors.append(text % {"number": number, "label": label, "message": message})
        if errors:
            raise ValidationError(errors)
        if not cleaned_rows:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return self.from_rows(cleaned_rows)


# --- time of day as minutes -----------------------------------------------------------


class MinutesOfDayField(forms.Field):
    """A time of day shown as HH:MM and cleaned to minutes after midnight (0-1440);
    JSON may send the minutes themselves."""

    widget = forms.TimeInput(attrs={"type": "time"})

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1440:
            return f"{value // 60:02d}:{value % 60:02d}"
        return value

    def to_python(self, value) -> int | None:
        if value in EMPTY_VALUES:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            minutes = value
        else:
            text = str(value).strip()
            parts = text.split(":")
            if len(parts) not in (2, 3) or not all(part.isdigit() for part in parts):
                raise ValidationError(gettext("Enter a time as HH:MM, for example 09:30."))
            hours, mins = int(parts[0]), int(parts[1])
            if mins > 59:
                raise ValidationError(gettext("Enter a time as HH:MM, for example 09:30."))
            minutes = hours * 60 + mins
        if not 0 <= minutes <= 1440:
            raise ValidationError(gettext("Enter a time between 00:00 and 24:00."))
        return minutes


# --- conditional fields ---------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """``field`` applies only when ``controller``'s cleaned value is one of ``values``
    (compared as text, so a switch is "1"/"0"). ``required``: then it must be filled."""

    field: str
    controller: str
    values: tuple[str, ...]
    required: bool = True


class VendorSettingsForm(forms.Form):
    """Base of the five vendor forms.

    ``conditions`` lists the documented conditional fields. ``settings()`` gives the
    value stored on the campaign (JSON-ready, empty optional values left out), and
    ``initial_from_settings()`` turns it back into form initial data.

    ``field_map`` (``vendors/adapters/field_map.py``) names the fields the console campaign
    decides: they stay in the form, in the vendor's order and with its labels, but are
    disabled, show ``derived`` (the vendor's value made from the campaign) and are never
    stored."""

    vendor_label: str = ""
    conditions: tuple[Condition, ...] = ()
    field_map: FieldMap | None = None

    def __init__(
        self,
        *args,
        account=None,
        derived: dict[str, Any] | None = None,
        choices_refresh_url: str = "",
        **kwargs,
    ):
        self.account = account
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.label = self.field_label(name)
            if isinstance(field.widget, RowsWidget):
                field.widget.vendor_terms = True
        for name in self.derived_names():
            field = self.fields[name]
            field.disabled = True
            field.required = False
            self.initial[name] = (derived or {}).get(name)
        if account is not None:
            bind_remote_widgets(
                self.fields.values(), account=account, refresh_url=choices_refresh_url
            )

    @classmethod
    def vendor_terms(cls) -> dict[str, str]:
        """Each form field's name in the vendor's document: its key in the vendor's JSON
        (``api_shape``), dotted when nested ("parameters.maxTryCount")."""
        terms = {}
        for key, inner in cls.api_shape().items():
            if isinstance(inner, dict):
                terms.update({name: f"{key}.{inner_key}" for inner_key, name in inner.items()})
            else:
                terms[inner] = key
        return terms

    @classmethod
    def field_label(cls, name: str) -> str | None:
        """The label of field ``name`` as shown (``label_with_term``); None for a field with
        no label (Django then makes one from the name)."""
        label = cls.base_fields[name].label
        if label is None:
            return None
        return label_with_term(label, cls.vendor_terms().get(name, name))

    @classmethod
    def derived_names(cls) -> frozenset[str]:
        return cls.field_map.names if cls.field_map is not None else frozenset()

    # -- vendor-side ids chosen from the dialer's lists --

    def remote_choice_html(self, html_name: str) -> tuple[str, Any] | None:
        """(the list's source, a callable rendering the input named ``html_name`` as
        posted) for a remote-choice input of this form, or None."""
        name = html_name.removeprefix(f"{self.prefix}-") if self.prefix else html_name
        field = self.fields.get(name)
        if field is not None and isinstance(field.widget, RemoteChoiceWidget):
            return field.widget.source, lambda: str(self[name])
        field_name, _, rest = name.partition("-")
        index, _, column = rest.partition("-")
        rows_widget = getattr(self.fields.get(field_name), "widget", None)
        if not isinstance(rows_widget, RowsWidget) or not index.isdigit():
            return None
        widget = rows_widget.column_widget(column)
        if not isinstance(widget, RemoteChoiceWidget):
            return None
        raw = self.data.get(html_name, "")
        rows_name = self.add_prefix(field_name)
        return widget.source, lambda: rows_widget.render_cell(rows_name, int(index), column, raw)

    @classmethod
    def remote_values(cls, settings: dict[str, Any] | None) -> list[tuple[RemoteChoiceWidget, str]]:
        """(widget, stored value) for each vendor-side id in ``settings`` that is chosen
        from a dialer's list, rows included, in the form's order."""
        initial = cls.initial_from_settings(settings)
        found = []
        for name, field in cls.base_fields.items():
            value = initial.get(name)
            if value in EMPTY_VALUES:
                continue
            if isinstance(field.widget, RemoteChoiceWidget):
                found.append((field.widget, str(value)))
            elif isinstance(field, RowsField):
                for column, column_field in field.row_form.base_fields.items():
                    if not isinstance(column_field.widget, RemoteChoiceWidget):
                        continue
                    for row in field.prepare_value(value):
                        if row.get(column) not in EMPTY_VALUES:
                            found.append((column_field.widget, str(row[column])))
        return found

    # -- conditions --

    def controller_names(self) -> set[str]:
        return {condition.controller for condition in self.conditions}

    def condition_for(self, name: str) -> Condition | None:
        return next((c for c in self.conditions if c.field == name), None)

    def _controller_value(self, name: str) -> str:
        field = self.fields[name]
        if field.disabled:
            value = self.get_initial_for_field(field, name)
        elif self.is_bound and hasattr(self, "cleaned_data") and name in self.cleaned_data:
            value = self.cleaned_data[name]
        elif self.is_bound:
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            try:
                value = field.clean(raw)
            except ValidationError:
                return ""
        else:
            value = self.get_initial_for_field(field, name)
            if isinstance(field, SwitchField):
                value = 1 if field.prepare_value(value) else 0
            elif value in (None, "") and isinstance(field, forms.ChoiceField):
                # A select without an empty choice shows (and submits) its first option:
                # the dependent fields must follow what the person sees.
                value = _first_choice_value(field)
        return "" if value is None else str(value)

    def applies(self, name: str) -> bool:
        condition = self.condition_for(name)
        if condition is None:
            return True
        return self._controller_value(condition.controller) in condition.values

    def condition_message(self, condition: Condition) -> str:
        controller = self.fields[condition.controller]
        field_label = self.fields[condition.field].label
        wanted = condition.values[0]
        if isinstance(controller, SwitchField):
            if wanted == "1":
                text = gettext("%(field)s is required when %(controller)s is on.")
            else:
                text = gettext("%(field)s is required when %(controller)s is off.")
            return text % {"field": field_label, "controller": controller.label}
        choices = dict(getattr(controller, "choices", ()))
        return gettext("%(field)s is required when %(controller)s is %(value)s.") % {
            "field": field_label,
            "controller": controller.label,
            "value": choices.get(wanted, wanted),
        }

    def clean(self):
        cleaned = super().clean()
        for condition in self.conditions:
            if not self.applies(condition.field):
                cleaned.pop(condition.field, None)
                self.errors.pop(condition.field, None)
                continue
            missing = cleaned.get(condition.field) in EMPTY_VALUES
            if condition.required and missing and condition.field not in self.errors:
                self.add_error(condition.field, self.condition_message(condition))
        return cleaned

    # -- stored value --

    def settings(self) -> dict[str, Any]:
        """The cleaned data as stored on the campaign: the vendor-only fields."""
        stored = {}
        derived = self.derived_names()
        for name, value in self.cleaned_data.items():
            if name in derived:
                continue
            if value in EMPTY_VALUES and not self.fields[name].required:
                continue
            stored[name] = value
        return stored

    @classmethod
    def initial_from_settings(cls, settings: dict[str, Any] | None) -> dict[str, Any]:
        return {name: value for name, value in (settings or {}).items() if name in cls.base_fields}

    @classmethod
    def api_shape(cls) -> dict[str, str | dict[str, str]]:
        """The vendor's JSON shape of ``vendor_settings``, as the API takes and answers
        it: each top-level key is a form field, or an object of keys to form fields."""
        return {name: name for name in cls.base_fields}

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """An API body in the vendor's shape as form data, and the keys the vendor's
        shape does not have (each refused by the caller)."""
        values, unknown = {}, []
        shape = cls.api_shape()
        for key, value in data.items():
            inner = shape.get(key)
            if inner is None:
                unknown.append(key)
            elif isinstance(inner, dict):
                if not isinstance(value, dict):
                    unknown.append(key)
                    continue
                for inner_key, inner_value in value.items():
                    if inner_key in inner:
                        values[inner[inner_key]] = inner_value
                    else:
                        unknown.append(f"{key}.{inner_key}")
            else:
                values[inner] = value
        return values, unknown

    def mandatory(self, name: str) -> bool:
        field = self.fields[name]
        return field.required or getattr(field, "mandatory", False)


def _first_choice_value(field: forms.ChoiceField) -> str | None:
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an optgroup
            return str(label[0][0]) if label else None
        return str(value)
    return None


def choice_label(choices: Iterable[tuple[str, str]], value: str) -> str:
    return dict(choices).get(value, value)
