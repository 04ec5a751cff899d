"""Ozonetel CloudAgent's reply words, shared by the adapter and the emulator.

Replies are ``{status, message}`` whose status strings differ by API generation:
``SUCCESS``/``FAIL`` (legacy), ``success``/``failure``/``error`` (bulk), ``Success``/
``Error``/``"false"`` (token APIs) (api-facts §5.7 [D]). The messages below are the
documented ones, word for word, unless marked [I] (ours, where the docs are silent).
"""

from __future__ import annotations

from vendors.adapters.types import LeadOutcome

SUCCESS_STATUSES = frozenset({"success"})  # compared lower-cased

# --- documented messages (ozonetel-add-campaign-data.txt and api-facts §5) ---------------
NO_USER_FOUND = "No User Found"  # legacy single add: bad api_key
NUMBER_ALREADY_EXIST = "Number Already Exist"
PHONE_NUMBER_EMPTY = "Phone Number is Empty!"
STARTED_ON_ADD = "Successfully Updated, Progressive was started"
DND_NUMBER = "PhoneNumber Added is a DND Number"
BULK_NO_USER = "no user found"  # bulk: bad key, user or campaign name
BULK_NO_CAMPAIGN = "please provide campaign details"
BULK_BUSY = "Already one process is running please try after some time"
BULK_INVALID = "Please provide valid data"
BULK_ROW_OK = "SuccessFully Updated"
API_KEY_EMPTY = "Api Key Should Not be Null or Empty."
INVALID_USER = "Invalid User Details"
INVALID_CAMPAIGN = "Passed campaign are invalid"
DELETE_PHONE_EMPTY = "PhoneNumber should not be null are empty"
DELETED = "Deleted Successfully"
STATUS_STARTED = "SUCCESSFULLY UPDATED, Progressive was started"  # legacy setCampaign
STATUS_STOPPED = "SUCCESSFULLY UPDATED, Progressive was stopped"
ALL_PARAMETERS = "All parameters are mandatory"

# --- ours [I] ------------------------------------------------------------------------------
ADDED = "Successfully Updated"  # a plain single add: the success text is not captured
INVALID_PHONE = "Invalid Phone Number"
INVALID_TOKEN = "Invalid Token"  # noqa: S105 - a message
CAMPAIGN_EXISTS = "Campaign already exists"
CAMPAIGN_MISSING = "Campaign does not exist"
CAMPAIGN_RUNNING = "Running campaign cannot be updated"
TOO_MANY_REQUESTS = "Too many requests"

# What a single add's message means for that lead (a refusal of one lead, not of the
# request). Keys lower-cased.
LEAD_OUTCOMES: dict[str, LeadOutcome] = {
    NUMBER_ALREADY_EXIST.lower(): LeadOutcome.DUPLICATE,
    DND_NUMBER.lower(): LeadOutcome.DNC,
    PHONE_NUMBER_EMPTY.lower(): LeadOutcome.REJECTED,
    INVALID_PHONE.lower(): LeadOutcome.REJECTED,
}

# Vendor message -> what a supervisor reads, by error class. Keys lower-cased.
CONFIGURATION_MESSAGES: dict[str, str] = {
    NO_USER_FOUND.lower(): (
        "Ozonetel found no user for this API key and campaign name: check the account's "
        "API key and that the campaign exists on Ozonetel."
    ),
    API_KEY_EMPTY.lower(): "Ozonetel received no API key: enter the account's API key.",
    INVALID_USER.lower(): "Ozonetel refused the user name or API key.",
    INVALID_TOKEN.lower(): "Ozonetel refused the API token.",
}
TEMPORARY_MESSAGES: dict[str, str] = {
    BULK_BUSY.lower(): "Ozonetel is still processing an earlier bulk upload; it will be retried.",
}
PERMANENT_MESSAGES: dict[str, str] = {
    BULK_NO_CAMPAIGN.lower(): "Ozonetel needs the campaign name.",
    BULK_INVALID.lower(): "Ozonetel refused the bulk data as invalid.",
    INVALID_CAMPAIGN.lower(): "Ozonetel does not know this campaign name.",
    DELETE_PHONE_EMPTY.lower(): "Ozonetel needs the phone number to delete.",
    ALL_PARAMETERS.lower(): "Ozonetel says every parameter is mandatory.",
    CAMPAIGN_RUNNING.lower(): (
        "Ozonetel does not allow changing a running campaign: stop it, then save again."
    ),
    CAMPAIGN_MISSING.lower(): "Ozonetel has no campaign by this name to update.",
}
UNKNOWN_MESSAGE = "Ozonetel refused the request."
