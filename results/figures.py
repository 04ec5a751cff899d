"""What each figure of the results page means, defined once. Pages, exports, the API and
the home page read them from here.

A campaign's leads are the leads of its active lead lists (those the user may see). Each
lead is in exactly one of these penetration buckets, so they add up to the leads:

- **not yet dialled**: no attempt reported by the dialer (no result row, or one with no
  attempt and no attempt time);
- **dialled**, split by what the dialer says of the lead now:
  - **still dialling**: the dialer will dial it again (``done`` is false);
  - **done**: the dialer will not dial it again, and its last result is one of the
    campaign's *final* disposition codes (an outcome was reached);
  - **exhausted**: the dialer will not dial it again without a final outcome (its
    attempts were used up);
  - **state unknown**: the dialer does not say whether it will dial it again.

**Contacted**: a dialled lead whose last result maps to a campaign disposition code that
needs a person on the line (success, callback or final: "Sale", "Call back", "Not
interested", "Do not call"; "No answer" is not a contact). **Contact rate** = contacted /
dialled leads whose last result maps to any console code. It is "unknown" when no dialled
lead has a mapped result (a dialer that reports no status, or none yet): never 0 %.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

# A result row of a lead the dialer has attempted.
DIALLED = Q(attempts__gt=0) | Q(last_attempt_at__isnull=False)
MAPPED = ~Q(last_result_code="")


def contact_codes(codes) -> frozenset[str]:
    """Of a disposition list's ``codes`` (DispositionCode rows), those meaning someone
    answered."""
    return frozenset(c.code for c in codes if c.is_success or c.is_callback or c.is_final)


def final_codes(codes) -> frozenset[str]:
    return frozenset(c.code for c in codes if c.is_final)


@dataclass(frozen=True)
class Penetration:
    leads: int
    not_dialled: int
    still_dialling: int
    done: int
    exhausted: int
    state_unknown: int
    contacted: int
    mapped: int  # dialled leads whose last result maps to a console code

    @property
    def dialled(self) -> int:
        return self.still_dialling + self.done + self.exhausted + self.state_unknown

    @property
    def penetration_percent(self) -> float | None:
        return round(100 * self.dialled / self.leads, 1) if self.leads else None

    @property
    def contact_rate_percent(self) -> float | None:
        """``None`` (shown "unknown") when no dialled lead's result maps to a code."""
        return round(100 * self.contacted / self.mapped, 1) if self.mapped else None

    def __add__(self, other: Penetration) -> Penetration:
        return Penetration(
            *(getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__)
        )


EMPTY = Penetration(0, 0, 0, 0, 0, 0, 0, 0)


def penetration_from_groups(
    *, leads: int, groups: list[dict], contact: frozenset[str], final: frozenset[str]
) -> Penetration:
    """``groups``: rows of dialled results ``{"done", "last_result_code", "n"}``."""
    still = done = exhausted = unknown = contacted = mapped = 0
    for group in groups:
        count, code = group["n"], group["last_result_code"]
        if group["done"] is None:
            unknown += count
        elif not group["done"]:
            still += count
        elif code in final:
            done += count
        else:
            exhausted += count
        if code:
            mapped += count
            contacted += count if code in contact else 0
    dialled = still + done + exhausted + unknown
    return Penetration(leads, leads - dialled, still, done, exhausted, unknown, contacted, mapped)
