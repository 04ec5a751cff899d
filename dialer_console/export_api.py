"""The API side of downloads: the query parameters every export endpoint takes, and the
responses its OpenAPI schema documents."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from dialer_console.exports import DELIMITERS, FORMATS, XLSX_TYPE


class ExportParams(serializers.Serializer):
    """``file_format`` (not ``format``: REST framework keeps that name for its own
    content negotiation) and the CSV delimiter."""

    file_format = serializers.ChoiceField(
        choices=[("csv", _("CSV (UTF-8 with BOM)")), ("xlsx", _("Excel workbook"))],
        default="csv",
        help_text="csv or xlsx.",
    )
    delimiter = serializers.ChoiceField(
        choices=[(value, name) for value, name in DELIMITERS.items()],
        default=",",
        help_text="The CSV separator: , or ; (German Excel). Ignored for xlsx.",
    )


EXPORT_RESPONSES = {
    (200, FORMATS["csv"].split(";")[0]): OpenApiResponse(
        OpenApiTypes.STR,
        description="The CSV file, streamed: a UTF-8 BOM, a header line, a row a line. "
        "Text cells starting with = + - @ | % tab or CR are prefixed with an apostrophe.",
    ),
    (200, XLSX_TYPE): OpenApiResponse(
        OpenApiTypes.BINARY, description="The workbook, one sheet, the same columns and escaping."
    ),
}
