"""Voicenter's ErrorCode values, shared by the adapter and the emulator.

Business errors come back as HTTP 200 with a non-zero ``ErrorCode`` and a ``Description``
(api-facts §2.4 [I], from the vendor's sample client). Two tables disagree; the excerpt
(``voicenter-forward-dialer.txt`` §6.1) wins, and the vendor's skill file [V] adds -2.
"""

from __future__ import annotations

OK = 0
INVALID_CAMPAIGN = 1
INVALID_TARGET = 2
INTERNAL_ERROR = 3
INVALID_CALLER_ID = 4
INVALID_PHONE_FORMAT = -2  # [V] VoicenterTeam/claude-marketplace skill file, not the excerpt

# The excerpt's Description for each code, word for word (what the emulator answers).
DESCRIPTIONS: dict[int, str] = {
    OK: "OK",
    INVALID_CAMPAIGN: "Invalid campaign code",
    INVALID_TARGET: "The target is invalid",
    INTERNAL_ERROR: "Unexpected internal error",
    INVALID_CALLER_ID: "Invalid caller id",
    INVALID_PHONE_FORMAT: "Invalid phone format",
}

# What the console tells a supervisor. Code 2 is "the target is invalid" in the excerpt
# and "missing required field" in the skill file: the message covers both.
MESSAGES: dict[int, str] = {
    INVALID_CAMPAIGN: "Invalid campaign code: Voicenter does not know this campaign Code.",
    INVALID_TARGET: "The target is invalid, or a required field is missing.",
    INTERNAL_ERROR: "Voicenter had an unexpected internal error.",
    INVALID_CALLER_ID: "Invalid caller id: the number is not one of the account's caller ids.",
    INVALID_PHONE_FORMAT: "Invalid phone format.",
}
UNKNOWN_MESSAGE = "Voicenter answered with error code {code}."

# Codes about one call rather than the whole request: a lead push reports them per lead.
PER_LEAD_CODES = frozenset({INVALID_TARGET, INVALID_PHONE_FORMAT})


def message_for(code: int) -> str:
    return MESSAGES.get(code, UNKNOWN_MESSAGE.format(code=code))
