"""Names people read for the platform's codes (roles, facility kinds, product groups, levels,
statuses). Message ids here; templates translate them with ``label(kind, code)``."""

from __future__ import annotations

from cnnt_contracts.vocabulary import NATION_SCOPE
from cnnt_runtime import reference
from console.web.i18n import N_, gettext

LABELS: dict[str, dict[str, str]] = {
    "role": {
        "ministry": N_("Ministry"),
        "province_officer": N_("Province officer"),
        "judge": N_("Jury member"),
        "certifier": N_("Certifier"),
        "support_officer": N_("Support officer"),
        "operator": N_("Operator"),
    },
    "facility_kind": {
        "sme": N_("Small or medium enterprise"),
        "cooperative": N_("Cooperative"),
        "cooperative_group": N_("Cooperative group"),
        "household_business": N_("Household business"),
    },
    "product_group": {
        "handicraft": N_("Handicraft"),
        "agro_food": N_("Agricultural, forestry, aquatic products and food processing"),
        "machinery": N_("Equipment, machinery, tools and mechanical parts"),
        "other": N_("Other (building materials, cosmetics, …)"),
    },
    "level": {
        "commune": N_("Commune"),
        "district": N_("District"),
        "provincial": N_("Provincial"),
        "regional": N_("Regional"),
        "national": N_("National"),
    },
    "round_status": {"draft": N_("Draft"), "open": N_("Open"), "closed": N_("Closed")},
    "entry_status": {
        "registered": N_("Registered"),
        "withdrawn": N_("Withdrawn"),
        "recognised": N_("Recognised"),
        "recognized": N_("Recognised"),
        "not_recognised": N_("Not recognised"),
    },
    "import_status": {
        "accepted": N_("accepted"),
        "existing": N_("already registered"),
        "refused": N_("refused"),
    },
    # judging and certification
    "criterion": {
        "market": N_("Meeting the market and capacity to develop production"),
        "technical": N_("Economic, technical, social and environmental"),
        "culture": N_("Cultural and aesthetic value"),
        "other": N_("Other criteria"),
    },
    "criterion_short": {
        "market": N_("Market"),
        "technical": N_("Technical"),
        "culture": N_("Culture"),
        "other": N_("Other"),
    },
    "outcome": {
        "recognised": N_("Recognised"),
        "not_recognised": N_("Not recognised"),
        "undecided": N_("Not decided"),
    },
    "result_reason": {
        "below_threshold": N_("below threshold"),
        "outside_quota": N_("outside quota"),
        "no_quorum": N_("no quorum"),
        "withdrawn": N_("withdrawn"),
        "declined": N_("declined by the council"),
        "revoked": N_("revoked"),
    },
    # khuyến công support
    "scheme_kind": {
        "machinery": N_("Machinery and equipment"),
        "trade_fair": N_("Trade fair"),
        "showroom": N_("Showroom"),
        "training": N_("Training"),
        "technology_transfer": N_("Technology transfer"),
        "cleaner_production": N_("Cleaner production"),
        "branding_packaging": N_("Branding and packaging"),
        "ecommerce": N_("E-commerce"),
    },
    "funding_source": {
        "national": N_("National budget"),
        "local": N_("Local budget"),
        "counterpart": N_("Counterpart funds"),
    },
    "scheme_status": {"draft": N_("Draft"), "open": N_("Open"), "closed": N_("Closed")},
    "application_status": {"pending": N_("Pending"), "granted": N_("Granted")},
    "priority_band": {
        "national": N_("National recognition"),
        "regional": N_("Regional recognition"),
        "provincial": N_("Provincial recognition"),
        "local": N_("Commune or district recognition"),
        "none": N_("No priority"),
    },
    "allocation_outcome": {"granted": N_("To be granted"), "skipped": N_("Not granted")},
    "allocation_reason": {
        "within_budget": N_("within budget"),
        "budget_exhausted": N_("budget exhausted"),
    },
    # operations: dead letters and the audit log
    "service": {
        "registration": N_("registration"),
        "evaluation": N_("evaluation"),
        "certification": N_("certification"),
        "support": N_("khuyến công support"),
    },
    "event_type": {
        "FacilityRecorded": N_("Facility recorded"),
        "ProductRegistered": N_("Product registered"),
        "EntryWithdrawn": N_("Entry withdrawn"),
        "RoundOpened": N_("Round opened"),
        "RoundClosed": N_("Round closed"),
        "ScoreSubmitted": N_("Score sheet submitted"),
        "SheetSetAside": N_("Score sheet set aside"),
        "JudgingClosed": N_("Judging closed"),
        "ProductRecognized": N_("Product recognised"),
        "RecognitionRevoked": N_("Recognition revoked"),
        "SupportGranted": N_("Support granted"),
    },
    "ops_action": {
        "dlq_replay": N_("Replayed dead letters"),
        "dlq_archive": N_("Archived dead letters"),
        "dlq_purge": N_("Purged a dead-letter queue"),
        "history_replay": N_("Replayed event history"),
    },
    "ops_outcome": {
        "completed": N_("Completed"),
        "failed": N_("Failed"),
        "started": N_("Started, not finished"),
        "refused": N_("Refused, nothing sent"),
    },
    "ops_filter": {
        "message_id": N_("event id"),
        "event_type": N_("event type"),
        "reason": N_("reason contains"),
        "since": N_("from"),
        "until": N_("before"),
        "producer": N_("producer"),
        "province": N_("province"),
        "level": N_("level"),
        "round_id": N_("round"),
        "after_seq": N_("after position"),
        "limit": N_("at most"),
    },
    "certificate_status": {
        "valid": N_("Valid"),
        "revoked": N_("Revoked"),
        "expired": N_("Expired"),
        "not_yet_valid": N_("Not yet in force"),
        "unknown": N_("Unknown"),
    },
}


def label(kind: str, code: str | None) -> str:
    if code is None:
        return ""
    known = LABELS.get(kind, {}).get(str(code))
    return gettext(known) if known else str(code)


def options(kind: str) -> list[tuple[str, str]]:
    return [(code, gettext(text)) for code, text in LABELS[kind].items()]


def place(code: str | None) -> str:
    """A province's, region's or the nation's name for its code ("dak-lak" -> "Đắk Lắk"); a
    code the reference data does not know is shown as it is."""
    if not code:
        return ""
    if code == NATION_SCOPE:
        return gettext(N_("the whole country"))
    if reference.is_known(code):
        return reference.province_name(code)
    try:
        return reference.region_name(code)
    except ValueError:
        return code
