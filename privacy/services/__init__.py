"""Erasing a person (GDPR Art. 17; Israel's Privacy Protection Law §14; India's DPDP Act
§12), found by number or e-mail address across every lead list.

What happens to each table is declared in ``privacy.registry``; in short:
- the person's leads keep their rows (list counts, results and call attempts count them)
  with every personal field emptied, custom fields included, and status "removed";
- each dialer holding one gets the removal through the sync (``sync_on_lead_removed``);
  the number stays on that lead until every dialer dropped it (Voicenter and Ozonetel
  remove a member by its number), then ``erasures_finish`` blanks it and scrubs what the
  removal logged;
- rows that exist only for the person (staging rows, rejections naming them, DNC entries
  and DNC-file lines, the per-lead history) are deleted;
- logs and free text have the number and the address replaced by "(erased)";
- the number goes on the do-not-call list as a keyed hash when asked for, and always when
  it was listed before (an erasure must not make a person callable again);
- stored upload files are not edited: they are purged UPLOAD_RETENTION_DAYS after their
  job finished (``upload_files_purge``).
The erasure's own record says who, when and how many rows per table, never whom.
"""

from privacy.services.erase import (
    Findings,
    erasure_open_jobs,
    erasures_finish,
    person_erase,
    person_findings,
)
from privacy.services.files import upload_files_purge
from privacy.services.people import Person, needles_for, person_leads, person_read
from privacy.services.scrub import rows_mentioning, scrub_text

__all__ = [
    "Findings",
    "Person",
    "erasure_open_jobs",
    "erasures_finish",
    "needles_for",
    "person_erase",
    "person_findings",
    "person_leads",
    "person_read",
    "rows_mentioning",
    "scrub_text",
    "upload_files_purge",
]
