"""Recycling rules: which exist for a campaign, their validation and their replacement."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dialer_console.errors import ApplicationError
from results.models import RecycleAction, RecycleMatch, RecycleRule
from vendors.adapters.types import DialOutcome

# The dialer results a rule can match: the console's own outcome codes, which every
# adapter maps its vendor's raw statuses onto.
DIALER_OUTCOMES: tuple[tuple[str, str], ...] = (
    (DialOutcome.BUSY, _("Busy")),
    (DialOutcome.NO_ANSWER, _("No answer")),
    (DialOutcome.FAILED, _("Failed")),
    (DialOutcome.ABANDONED, _("Abandoned")),
    (DialOutcome.CALLBACK, _("Callback requested")),
    (DialOutcome.MAX_TRIES, _("Dialer's tries used up")),
    (DialOutcome.EXPIRED, _("Expired")),
    (DialOutcome.CANCELLED, _("Cancelled")),
    (DialOutcome.ANSWERED, _("Answered")),
)
MAX_DELAY_MINUTES = 60 * 24 * 60  # 60 days
MAX_TIMES = 100


@dataclass(frozen=True)
class Rule:
    """A rule as applied: stored, or made from a disposition code's retry-after."""

    match_kind: str
    match_code: str
    action: str
    delay_minutes: int | None
    max_times: int
    source: str  # "campaign", "list", "code"

    def describe(self) -> str:
        if self.action == RecycleAction.DELAY:
            what = f"again after {self.delay_minutes} min"
        elif self.action == RecycleAction.NEXT_DAY:
            what = "the next day when the window opens"
        else:
            what = "at the callback time"
        return f"{self.match_code} → {what}, at most {self.max_times} times"


def _rule(row: RecycleRule, source: str) -> Rule:
    return Rule(
        row.match_kind, row.match_code, row.action, row.delay_minutes, row.max_times, source
    )


def effective_rules(campaign) -> dict[tuple[str, str], Rule]:
    """The campaign's rules by (kind, code): its disposition list's codes with a
    retry-after (again after that delay, at most the campaign's retry count), then the
    list's rules, then the campaign's own, each replacing the one before for an outcome."""
    rules: dict[tuple[str, str], Rule] = {}
    if campaign.disposition_list_id:
        for code in campaign.disposition_list.codes.filter(
            retry_after_minutes__gt=0, is_final=False, is_do_not_call=False
        ):
            rules[(RecycleMatch.DISPOSITION, code.code)] = Rule(
                RecycleMatch.DISPOSITION, code.code, RecycleAction.DELAY,
                code.retry_after_minutes, campaign.retry_count, "code",
            )  # fmt: skip
        for row in RecycleRule.objects.filter(disposition_list_id=campaign.disposition_list_id):
            rules[(row.match_kind, row.match_code)] = _rule(row, "list")
    for row in RecycleRule.objects.filter(campaign=campaign):
        rules[(row.match_kind, row.match_code)] = _rule(row, "campaign")
    return rules


def rule_rows(*, disposition_list=None, campaign=None) -> list[dict]:
    """The owner's rules as form and API rows."""
    owner = {"disposition_list": disposition_list} if disposition_list else {"campaign": campaign}
    if not any(getattr(value, "pk", None) for value in owner.values()):
        return []
    return list(
        RecycleRule.objects.filter(**owner).values(
            "match_kind", "match_code", "action", "delay_minutes", "max_times"
        )
    )


def list_codes(disposition_list) -> set[str]:
    if disposition_list is None:
        return set()
    return set(disposition_list.codes.values_list("code", flat=True))


def rules_clean(rows: list[dict], *, disposition_list=None, codes=None) -> list[dict]:
    """Check rule rows (from a form or the API); an ApplicationError names each problem
    by row. A disposition rule may name the codes of ``disposition_list`` (the list's
    own, or the campaign's list's), or ``codes`` when given (a list being edited)."""
    errors: list[str] = []
    codes = list_codes(disposition_list) if codes is None else set(codes)
    outcomes = {value for value, _ in DIALER_OUTCOMES}
    seen: set[tuple[str, str]] = set()
    cleaned = []
    for number, row in enumerate(rows, start=1):
        kind = str(row.get("match_kind") or "")
        code = str(row.get("match_code") or "").strip()
        action = str(row.get("action") or "")
        delay = row.get("delay_minutes")
        max_times = row.get("max_times")
        problems = []
        if kind not in RecycleMatch.values:
            problems.append(
                gettext("choose what the rule matches: a dialer result or a disposition code")
            )
        elif kind == RecycleMatch.DIALER and code not in outcomes:
            problems.append(
                gettext("“%(code)s” is not a dialer result; use one of %(results)s")
                % {"code": code, "results": ", ".join(outcomes)}
            )
        elif kind == RecycleMatch.DISPOSITION and code not in codes:
            if disposition_list:
                problems.append(
                    gettext("“%(code)s” is not a code of the list “%(list)s”")
                    % {"code": code, "list": disposition_list}
                )
            else:
                problems.append(gettext("“%(code)s” is not a code of the list") % {"code": code})
        if action not in RecycleAction.values:
            problems.append(
                gettext("choose what happens: after a delay, next day or callback time")
            )
        if action == RecycleAction.DELAY:
            if (
                not isinstance(delay, int)
                or isinstance(delay, bool)
                or not (1 <= delay <= MAX_DELAY_MINUTES)
            ):
                problems.append(
                    gettext("give the delay in minutes, 1 to %(most)s")
                    % {"most": MAX_DELAY_MINUTES}
                )
        else:
            delay = None
        if (
            not isinstance(max_times, int)
            or isinstance(max_times, bool)
            or not (1 <= max_times <= MAX_TIMES)
        ):
            problems.append(gettext("give the most times, 1 to %(most)s") % {"most": MAX_TIMES})
        if (kind, code) in seen:
            problems.append(gettext("“%(code)s” has a rule already") % {"code": code})
        seen.add((kind, code))
        if problems:
            errors.append(
                gettext("Row %(number)s: %(problems)s.")
                % {"number": number, "problems": "; ".join(problems)}
            )
            continue
        cleaned.append(
            {"match_kind": kind, "match_code": code, "action": action,
             "delay_minutes": delay, "max_times": max_times}
        )  # fmt: skip
    if errors:
        raise ApplicationError(" ".join(errors), {"field": "recycle_rules", "errors": errors})
    return cleaned


@transaction.atomic
def rules_replace(*, rows: list[dict], disposition_list=None, campaign=None) -> int:
    """Replace the owner's rules with ``rows`` (already cleaned). Returns how many."""
    owner = {"disposition_list": disposition_list} if disposition_list else {"campaign": campaign}
    RecycleRule.objects.filter(**owner).delete()
    RecycleRule.objects.bulk_create(
        [RecycleRule(**owner, **row, position=index) for index, row in enumerate(rows)]
    )
    return len(rows)
