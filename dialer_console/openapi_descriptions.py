"""A description for each API operation whose view has no docstring of its own: what it
does, who may call it and what it answers. The summary (``openapi.OPERATION_SUMMARIES``)
is one line; this is the paragraph under it. An operation's own docstring or
``@extend_schema(description=...)`` wins; tests/dialer_console/test_openapi.py fails for
an operation that has neither."""

_LIBRARY = {
    "agent": ("agent", "agents", "Agents belong to a team: a team lead sees their team's."),
    "disposition_list": (
        "disposition list",
        "disposition lists",
        "A disposition list holds the outcome codes agents pick after a call.",
    ),
    "pause_code_list": (
        "pause-code list",
        "pause-code lists",
        "A pause-code list holds the reasons an agent may give for a pause.",
    ),
    "calling_window": (
        "calling window",
        "calling windows",
        "A calling window holds the days and hours, in each lead's own time zone, and the "
        "holidays on which a campaign may dial.",
    ),
}


def _library_descriptions(key: str, list_id: str, *, in_use_check: bool = True) -> dict[str, str]:
    one, many, about = _LIBRARY[key]
    article = "an" if one[0] in "aeiou" else "a"
    prefix = key + "s"
    destroy = f"Delete {article} {one}; 404 when the user may not see it."
    if in_use_check:
        destroy += " Refused with 400 and the reason while a campaign uses it."
    return {
        list_id: f"The {many} the user may see, 50 a page (page numbers). {about}",
        f"{prefix}_create": f"Create {article} {one}. {about} Answers the new {one}.",
        f"{prefix}_retrieve": f"One {one} by id; 404 when the user may not see it.",
        f"{prefix}_update": (
            f"Replace {article} {one}: send every field, as when creating it; a required "
            "field left out is refused with 400."
        ),
        f"{prefix}_partial_update": (
            f"Change some fields of {article} {one}; the others keep their values."
        ),
        f"{prefix}_destroy": destroy,
    }


OPERATION_DESCRIPTIONS: dict[str, str] = {
    **_library_descriptions("agent", "agent_list", in_use_check=False),
    **_library_descriptions("disposition_list", "dispositionlist_list"),
    **_library_descriptions("pause_code_list", "pausecodelist_list"),
    **_library_descriptions("calling_window", "callingwindow_list"),
    "campaigns_list": (
        "The campaigns the user may see (a team lead: their team's), 50 a page (page "
        "numbers), each with its sync state on its dialer. Archived campaigns are left out "
        "unless ``status=archived`` asks for them. ``q`` searches name and description; "
        "``vendor`` and ``sort`` narrow and order the list."
    ),
    "campaigns_create": (
        "Create a campaign (supervisors). ``vendor_settings`` is validated by the vendor's "
        "own settings form, with the same rules and words as the page; when the campaign "
        "has a vendor account, a sync job pushes it to the dialer after the save."
    ),
    "campaigns_retrieve": (
        "One campaign with its lists, agents, settings and its copy on the dialer (remote "
        "id, last sync, last error); 404 when the user may not see it."
    ),
    "campaigns_partial_update": (
        "Change some fields of a campaign (supervisors); the others keep their values. The "
        "change is saved, then pushed to the dialer by a sync job: read ``sync`` for it."
    ),
    "campaigns_destroy": (
        "Delete a draft campaign (supervisors). A campaign that ran is not deleted, so "
        "that its history stays: 400 says to archive it instead."
    ),
    "dnc_entries_retrieve": (
        "One do-not-call entry the user may see: everywhere, their team's campaigns or "
        "their team's lead lists (supervisors: every entry); 404 otherwise."
    ),
    "dnc_entries_partial_update": (
        "Change an entry's reason or expiry. An expiry in the past ends the listing now; "
        "an entry that applies again takes effect on waiting leads at once. A team lead "
        "may change only entries of their team's lead lists."
    ),
    "dnc_entries_destroy": (
        "Take a number off the list in one scope. Leads already marked do-not-call stay "
        "so: whether to call them again is decided lead by lead. A team lead may remove "
        "only entries of their team's lead lists."
    ),
    "imports_retrieve": (
        "One import the user may see: its file settings (encoding, delimiter, header), "
        "mapping, duplicate and DNC policy, state, progress (percent, rate, time left) and "
        "the count of each outcome. While it waits to run, the mapping suggestions too."
    ),
    "lead_lists_list": (
        "The lead lists the user may see (a team lead: their team's), 50 a page (page "
        "numbers), with the counts kept for each: total, valid, invalid, duplicates, DNC."
    ),
    "lead_lists_create": (
        "Create an empty lead list. ``default_country`` reads national numbers; "
        "``default_timezone`` is used when a number does not tell its own zone."
    ),
    "lead_lists_retrieve": "One lead list with its kept counts; 404 when not the user's team's.",
    "lead_lists_update": (
        "Replace a lead list's name, description, team, default country and time zone; "
        "its leads are unchanged."
    ),
    "lead_lists_partial_update": (
        "Change some of a lead list's settings; the others keep their values. Its leads "
        "are unchanged."
    ),
    "lead_lists_destroy": (
        "Delete a lead list and its leads. Refused with 400 and the reason while an import "
        "into it is running or something still uses it."
    ),
    "webhooks_endpoints_retrieve": (
        "One webhook endpoint: its team, URL, events and whether it is on. Its secret is "
        "never in a read: it is answered once, when made or replaced (`secret/`)."
    ),
    "webhooks_endpoints_partial_update": (
        "Change the URL (checked again: https only, no private or local address), the "
        "events, the description or the on/off switch. The team and the secret stay."
    ),
    "webhooks_endpoints_destroy": (
        "Delete the endpoint with its delivery log; deliveries still waiting are not sent."
    ),
    "sync_jobs_retrieve": (
        "One sync job: its operation, target, state, attempts, next attempt time, the "
        "error the dialer gave and whether it needs a person's attention."
    ),
    "sync_jobs_retry_create": (
        "Queue a failed or held job again now (202); its attempts start from zero. Any "
        "other state, or the same work already queued, is refused with 400 and the reason."
    ),
    "sync_jobs_export_retrieve": (
        "The jobs the list returns for the same filters, oldest first, streamed as CSV (UTF-8 "
        "with a BOM, `delimiter` , or ;) or xlsx (`file_format`); text cells that could start "
        "a formula are escaped. Only jobs of campaigns you may see."
    ),
    "campaigns_results_retrieve": (
        "What the campaign's dialer reported, for the campaign's active lead lists you may see "
        "(or `lead_list`): penetration (not yet dialled, still dialling, done, exhausted, state "
        "unknown: they add up to `leads`), contact rate (null: unknown), outcomes by "
        "disposition, per list and per agent, and attempts per lead. `since`/`until` filter "
        "the outcomes by the day of the last attempt; penetration is always now. Definitions: "
        "`results/figures.py`."
    ),
    "campaigns_results_export_retrieve": (
        "Every lead of the campaign's active lists you may see (or `lead_list`), a row each, "
        "with the dialer's last result and the outcome recorded in the console, streamed as "
        "CSV or xlsx in constant memory; text cells that could start a formula are escaped."
    ),
}
