"""Recycling rules and callbacks (issue #14 points 4 and 5): when a lead is dialled again.

Who retries what:

- **The dialer's own retry** is campaign-wide: the campaign's retry count and interval
  become Acefone's ``number_of_retry``/``retry_after_minutes`` and Webitel's
  ``maxTryCount``/``intervalTryCount`` (the field maps), and jtel, Voicenter and Ozonetel
  keep theirs in their own dashboards. It retries every unanswered call alike.
- **Recycling rules** are per outcome, and the console carries them out: "busy → again
  after 30 min, at most 3 times". A rule on a dialer result fires when the dialer reports
  that result and has finished with the lead (``LeadResult.done`` true, or the vendor does
  not say); a rule on a disposition code fires when a person records it. So for a vendor
  that does not report ``done`` (Acefone, Ozonetel) a rule adds to the dialer's own
  retries: set the campaign's retry count to 0 to leave retrying to the rules.
- **How the lead is dialled again**: where the dialer keeps a call time itself (Acefone
  ``schedule_call``, ``Capability.SCHEDULE_CALL``) and holds the lead, the time is sent
  there (a re-push would only come back "duplicate"). Otherwise the lead's push row gets
  a due time (``LeadSync.not_before``); beat (``recycle_due_run``) returns due rows to
  PENDING and queues the campaign's sync, whose push sends only PENDING rows that are due
  and, with the calling-window gate, only inside the window.
- **Callbacks** recorded with a disposition go the same two ways; a lead has at most one
  open callback (a newer one replaces it), and one open past its time is "missed".
- **By hand**: a supervisor picks outcomes and sends those leads again to the same or
  another campaign of the same team (``results.recycling.by_hand``).
"""
