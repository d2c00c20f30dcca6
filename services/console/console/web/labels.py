"""Names people read for the platform's codes (roles, facility kinds, product groups, levels,
statuses). Message ids here; templates translate them with ``label(kind, code)``."""

from __future__ import annotations

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
        "none": N_("No priority"),
    },
    "allocation_outcome": {"granted": N_("To be granted"), "skipped": N_("Not granted")},
    "allocation_reason": {
        "within_budget": N_("within budget"),
        "budget_exhausted": N_("budget exhausted"),
    },
    "certificate_status": {
        "valid": N_("Valid"),
        "revoked": N_("Revoked"),
        "expired": N_("Expired"),
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
