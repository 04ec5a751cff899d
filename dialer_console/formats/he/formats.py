"""Hebrew over Django's own formats (settings.FORMAT_MODULE_PATH): Django's leaves
numbers ungrouped; Israeli usage groups thousands with a comma, "36,854"."""

NUMBER_GROUPING = 3
THOUSAND_SEPARATOR = ","
