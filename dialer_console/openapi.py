"""drf-spectacular postprocessing hooks: each operation's summary, and what every
operation may answer besides success.

The error replies are the same for every view (``dialer_console.errors``), so they are
documented here once, from the operation's own shape, instead of by hand per view:

- 400: an ``ApplicationError`` (``{"message", "extra"}``) or DRF's field errors;
- 401 when the operation takes credentials, 403 (role, team or CSRF), 404 when the path
  or the body names an object or the reply is paginated, 415 when it takes a body, 429
  when its view is throttled: DRF's ``{"detail"}``.
"""

from __future__ import annotations

from typing import Any

ERROR_COMPONENTS: dict[str, dict[str, Any]] = {
    "ErrorOutput": {
        "type": "object",
        "description": "An expected failure: the reason in words, and details by key.",
        "properties": {
            "message": {"type": "string"},
            "extra": {"type": "object", "additionalProperties": {}},
        },
        "required": ["message", "extra"],
    },
    "ValidationErrorOutput": {
        "description": (
            "DRF's field errors: each field name (or non_field_errors) to its messages; "
            "nested inputs nest, a list input has one entry per item."
        ),
        "anyOf": [
            {"type": "object", "additionalProperties": {}},
            {"type": "array", "items": {}},
        ],
    },
    "DetailErrorOutput": {
        "type": "object",
        "description": "Refused before the operation ran; the reason in words.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
}

PAGE_PARAMETERS = ("page", "cursor")

_DETAIL_RESPONSES = {
    "401": "Not authenticated, or the token has expired or was revoked.",
    "403": "The role or team may not do this (or a session request lacks its CSRF token).",
    "404": "No such object, or not one the user may see; or no such page.",
    "415": "The body's content type is not one the operation takes.",
    "429": "Too many requests; retry after the time in Retry-After.",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json_response(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _bad_request() -> dict:
    return _json_response(
        "The request was understood but refused: an expected failure "
        "(message and extra) or invalid fields (DRF's field errors).",
        {"anyOf": [_ref("ErrorOutput"), _ref("ValidationErrorOutput")]},
    )


def _throttled_operations(generator) -> set[tuple[str, str]]:
    """(path, method) of every operation whose view has throttles."""
    throttled = set()
    for path, _regex, method, view in getattr(generator, "endpoints", None) or []:
        if getattr(view.cls, "throttle_classes", None):
            # The document names path parameters as the generator coerced them ({pk} -> {id}).
            throttled.add((generator.coerce_path(path, method, view.cls), method.lower()))
    return throttled


def _error_statuses(path: str, method: str, operation: dict, throttled: set) -> list[str]:
    statuses = ["400", "403"]
    if any(operation.get("security", [{}])):
        statuses.append("401")
    parameters = operation.get("parameters", [])
    # An object named in the path or the body may not exist (or not for this user); DRF's
    # paginators answer 404 for a page past the last one, or a cursor they did not make.
    if "requestBody" in operation or any(
        parameter.get("in") == "path" or parameter.get("name") in PAGE_PARAMETERS
        for parameter in parameters
    ):
        statuses.append("404")
    if "requestBody" in operation:
        statuses.append("415")
    if (path, method) in throttled:
        statuses.append("429")
    return statuses


def add_error_responses(result: dict, generator, request, public) -> dict:
    """Document the error replies of every operation (see the module's docstring)."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_COMPONENTS)
    throttled = _throttled_operations(generator)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in _error_statuses(path, method, operation, throttled):
                if code == "400":
                    responses.setdefault(code, _bad_request())
                else:
                    detail = _json_response(_DETAIL_RESPONSES[code], _ref("DetailErrorOutput"))
                    responses.setdefault(code, detail)
    return result


# One line per operation, shown in Swagger UI's and ReDoc's operation lists. An operation's
# own ``@extend_schema(summary=...)`` wins; a new operation without either fails
# tests/dialer_console/test_openapi.py.
OPERATION_SUMMARIES = {
    "privacy_search": "Find everything held about a person",
    "teams_list": "List teams",
    "teams_create": "Add a team",
    "teams_read": "Read a team and its members",
    "teams_rename": "Rename a team",
    "lockouts_list": "List login lockouts",
    "lockouts_clear": "Clear a login lockout",
    "lockouts_address_clear": "Clear an address's failed logins",
    "privacy_erase": "Erase a person",
    "privacy_erasure_read": "Read an erasure's record",
    "auth_token_create": "Get an API token for a user name and password",
    "auth_token_revoke_create": "Revoke this request's token",
    "auth_token_revoke_all_create": "Revoke every token of the user",
    "agent_list": "List agents",
    "agents_create": "Create an agent",
    "agents_retrieve": "Read an agent",
    "agents_update": "Replace an agent",
    "agents_partial_update": "Change an agent",
    "agents_destroy": "Delete an agent",
    "callingwindow_list": "List calling windows",
    "calling_windows_create": "Create a calling window",
    "calling_windows_retrieve": "Read a calling window",
    "calling_windows_update": "Replace a calling window",
    "calling_windows_partial_update": "Change a calling window",
    "calling_windows_destroy": "Delete a calling window",
    "campaigns_list": "List campaigns",
    "campaigns_create": "Create a campaign",
    "campaigns_retrieve": "Read a campaign",
    "campaigns_partial_update": "Change a campaign",
    "campaigns_destroy": "Delete a campaign",
    "campaigns_start_create": "Start a campaign",
    "campaigns_pause_create": "Pause a campaign",
    "campaigns_stop_create": "Stop a campaign",
    "campaigns_archive_create": "Archive a campaign",
    "campaigns_clone_create": "Clone a campaign",
    "campaigns_leads_retrieve": "List a campaign's leads with their sync state",
    "campaigns_leads_disposition_create": "Record a lead's outcome in a campaign",
    "dispositionlist_list": "List disposition lists",
    "disposition_lists_create": "Create a disposition list",
    "disposition_lists_retrieve": "Read a disposition list",
    "disposition_lists_update": "Replace a disposition list",
    "disposition_lists_partial_update": "Change a disposition list",
    "disposition_lists_destroy": "Delete a disposition list",
    "pausecodelist_list": "List pause-code lists",
    "pause_code_lists_create": "Create a pause-code list",
    "pause_code_lists_retrieve": "Read a pause-code list",
    "pause_code_lists_update": "Replace a pause-code list",
    "pause_code_lists_partial_update": "Change a pause-code list",
    "pause_code_lists_destroy": "Delete a pause-code list",
    "lead_lists_list": "List lead lists",
    "lead_lists_create": "Create a lead list",
    "lead_lists_retrieve": "Read a lead list",
    "lead_lists_update": "Replace a lead list",
    "lead_lists_partial_update": "Change a lead list",
    "lead_lists_destroy": "Delete a lead list",
    "lead_lists_leads_bulk_create": "Add up to 10,000 leads to a list",
    "leads_list": "List leads",
    "imports_list": "List imports",
    "imports_create": "Upload a lead file into a list",
    "imports_retrieve": "Read an import and its progress",
    "imports_undo_create": "Undo an import",
    "dnc_entries_list": "List do-not-call entries",
    "dnc_entries_create": "List one number as do-not-call",
    "dnc_entries_bulk_create": "List up to 10,000 numbers as do-not-call",
    "dnc_entries_retrieve": "Read a do-not-call entry",
    "dnc_entries_partial_update": "Change a do-not-call entry's reason or expiry",
    "dnc_entries_destroy": "Remove a do-not-call entry",
    "dnc_entries_export_retrieve": "Download the do-not-call list as CSV or xlsx",
    "dnc_files_create": "List the numbers of a file as do-not-call",
    "dnc_files_retrieve": "Read an upload of do-not-call numbers and its progress",
    "dnc_files_lines_list": "List an upload's lines and what became of each",
    "sync_jobs_list": "List sync jobs",
    "sync_jobs_retrieve": "Read a sync job",
    "sync_jobs_export_retrieve": "Download sync jobs as CSV or xlsx",
    "campaigns_results_retrieve": "Read a campaign's results: penetration, outcomes, attempts",
    "campaigns_results_export_retrieve": "Download a campaign's leads with outcomes",
    "campaigns_recycle_rules_retrieve": "Read a campaign's recycling rules",
    "campaigns_recycle_rules_update": "Replace a campaign's recycling rules",
    "disposition_lists_recycle_rules_retrieve": "Read a disposition list's recycling rules",
    "disposition_lists_recycle_rules_update": "Replace a disposition list's recycling rules",
    "campaigns_recycle_create": "Send a campaign's leads with chosen outcomes again",
    "campaigns_callbacks_retrieve": "Count a campaign's open and missed callbacks",
    "sync_jobs_retry_create": "Retry a sync job",
    "sync_campaigns_retrieve": "Read a campaign's sync state and pending calls",
    "sync_campaigns_dialling_retrieve": "Why each of a campaign's leads is or is not dialling now",
    "sync_campaigns_refresh_create": "Fetch a campaign's pending calls from its dialer",
    "webhooks_endpoints_list": "List webhook endpoints",
    "webhooks_endpoints_create": "Add a webhook endpoint (answers with its secret, once)",
    "webhooks_endpoints_retrieve": "Read a webhook endpoint",
    "webhooks_endpoints_partial_update": "Change a webhook endpoint",
    "webhooks_endpoints_destroy": "Delete a webhook endpoint and its delivery log",
    "webhooks_endpoints_secret_create": "Make a new secret for a webhook endpoint",
    "webhooks_endpoints_deliveries_list": "List a webhook endpoint's deliveries",
    "webhooks_deliveries_replay_create": "Send a delivery's event again",
    "sync_campaigns_start_preview_retrieve": "When a campaign's leads can be called, before start",
}


def add_summaries(result: dict, generator, request, public) -> dict:
    """Give every operation its summary from ``OPERATION_SUMMARIES``, and a description
    from ``OPERATION_DESCRIPTIONS`` where its view has none."""
    from dialer_console.openapi_descriptions import OPERATION_DESCRIPTIONS

    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            operation_id = operation.get("operationId", "")
            summary = OPERATION_SUMMARIES.get(operation_id)
            if summary and not operation.get("summary"):
                operation["summary"] = summary
            description = OPERATION_DESCRIPTIONS.get(operation_id)
            if description and not operation.get("description"):
                operation["description"] = description
    return result
