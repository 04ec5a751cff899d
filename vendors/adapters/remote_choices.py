"""A vendor-side id chosen, not typed: ``RemoteChoiceWidget`` shows a select filled from
a list the dialer documents a call for (the adapter's ``remote_item_lists``), with a
Refresh button that reads the list again.

When the dialer cannot be asked (no account yet, unreachable, refused) it is a text input
with a note saying why; a stored value the dialer no longer lists stays, marked, so
saving other changes never drops it. Only the widget changes: the field's own validation
is the same whether the value was chosen or typed, in the form, by HTMX and in the API,
and the API never waits on a dialer to validate.

The list is read when the widget renders (``vendors.remote_items``, cached per account),
never while a form only validates.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms


class RemoteChoiceWidget(forms.Select):
    """``source``: the list's key in the adapter's ``remote_item_lists``. ``by_name``: the
    stored value is the item's name (jtel clones a template named by its name), not its
    id. ``typed_hint``: what to type when the list cannot be read."""

    template_name = "vendor_forms/remote_choice.html"

    def __init__(
        self,
        *,
        source: str,
        by_name: bool = False,
        typed_hint: str = "type its id",
        attrs: dict | None = None,
    ):
        super().__init__(attrs)
        self.source = source
        self.by_name = by_name
        self.typed_hint = typed_hint
        self.account = None
        self.refresh_url = ""

    def bind_remote(self, *, account, refresh_url: str = "") -> None:
        self.account = account
        self.refresh_url = refresh_url

    def bound_copy(self, *, account, refresh_url: str = "") -> RemoteChoiceWidget:
        widget = copy.deepcopy(self)
        widget.bind_remote(account=account, refresh_url=refresh_url)
        return widget

    def value_of(self, item) -> str:
        return item.name if self.by_name else item.remote_id

    def label_of(self, item) -> str:
        if self.by_name:
            return f"{item.name} (id {item.remote_id})" if item.remote_id else item.name
        return f"{item.name} ({item.remote_id})" if item.name else item.remote_id

    def _listed(self):
        if self.account is None:
            return None
        from vendors.remote_items import vendor_remote_items

        return vendor_remote_items(account=self.account, source=self.source)

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        if isinstance(value, list | tuple):
            value = value[0] if value else ""
        current = "" if value is None else str(value)
        listed = self._listed()
        note, stale = "", False
        if listed is not None and listed.items is not None:
            choices = [(self.value_of(item), self.label_of(item)) for item in listed.items]
            stale = bool(current) and current not in dict(choices)
            if stale:
                choices.append((current, f"{current} (no longer listed by the dialer)"))
                note = f"The saved {listed.noun} “{current}” is no longer listed by the dialer."
            article = "an" if listed.noun[:1].lower() in "aeiou" else "a"
            self.choices = [("", f"Choose {article} {listed.noun}"), *choices]
        elif listed is not None:
            note = f"{listed.note} Refresh to ask again, or {self.typed_hint}."
        context = super().get_context(name, current, attrs)
        typed = listed is None or listed.items is None
        if not typed:  # a text field's length limits are no attributes of a select
            for limit in ("maxlength", "minlength"):
                context["widget"]["attrs"].pop(limit, None)
        context["widget"].update(
            {
                "typed": typed,
                "text_value": current,
                "note": note,
                "stale": stale,
                "refresh_url": self.refresh_url if self.account is not None else "",
                "source": self.source,
            }
        )
        return context


def bind_remote_widgets(fields, *, account, refresh_url: str = "") -> None:
    """Give each field's remote-choice widget (or a rows widget's remote columns) the
    account to list from and the Refresh button's address."""
    for field in fields:
        bind = getattr(field.widget, "bind_remote", None)
        if bind is not None:
            bind(account=account, refresh_url=refresh_url)
