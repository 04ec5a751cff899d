from django import template

from vendors.adapters.operations import operation_label

register = template.Library()


@register.filter(name="operation_label")
def operation_label_filter(code: str) -> str:
    """A call-log operation code as "Name · code"."""
    return operation_label(code or "")
