"""Writes for the leads app. Split by subject; everything is importable from here."""

from leads.services.bulk import BULK_MAX_LEADS, BulkRowResult, leads_bulk_add
from leads.services.imports import (
    UndoResult,
    import_fail,
    import_finish,
    import_job_apply_template,
    import_job_configure,
    import_job_create,
    import_job_reread,
    import_job_start,
    import_preview,
    import_sweep_stale,
    import_undo,
    lead_import_run,
    upload_limit_message,
)
from leads.services.lead_lists import (
    dnc_entry_create,
    lead_list_counts_refresh,
    lead_list_create,
    lead_list_delete,
    lead_list_update,
    mapping_template_save,
)

__all__ = [
    "BULK_MAX_LEADS",
    "BulkRowResult",
    "UndoResult",
    "dnc_entry_create",
    "import_fail",
    "import_finish",
    "import_job_apply_template",
    "import_job_configure",
    "import_job_create",
    "import_job_reread",
    "import_job_start",
    "import_preview",
    "import_sweep_stale",
    "import_undo",
    "lead_import_run",
    "lead_list_counts_refresh",
    "lead_list_create",
    "lead_list_delete",
    "lead_list_update",
    "leads_bulk_add",
    "mapping_template_save",
    "upload_limit_message",
]
