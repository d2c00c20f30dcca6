"""The services' error codes as messages people read (Vietnamese through the catalogue).

One entry per stable code the services or the console itself give; a code not listed falls
back to a generic message with the code shown, so nothing is silently hidden.
"""

from __future__ import annotations

from console.web.i18n import N_, gettext

MESSAGES: dict[str, str] = {
    # sign-in and accounts (the console's own)
    "credentials_invalid": N_("Wrong username or password."),
    "account_locked": N_(
        "This account is locked after too many failed sign-ins. Try again later or ask "
        "the ministry's administrator."
    ),
    "account_disabled": N_("This account has been disabled."),
    "throttled": N_("Too many failed sign-ins from this computer. Wait a few minutes."),
    "csrf_failed": N_("The form has expired or did not come from this site. Reload and retry."),
    "username_invalid": N_(
        "A username is 3 to 80 lower-case letters, digits, dots, dashes or underscores."
    ),
    "username_taken": N_("This username is already taken."),
    "role_unknown": N_("Choose a role."),
    "scope_missing": N_("Enter the scope (province code, or VN)."),
    "password_too_short": N_("The password needs at least 10 characters."),
    "password_mismatch": N_("The two new passwords differ."),
    "password_wrong": N_("The current password is wrong."),
    "account_not_found": N_("No such account."),
    "file_missing": N_("Choose a file to upload."),
    "service_unavailable": N_("A service did not answer. Try again in a moment."),
    # the services' codes
    "validation_failed": N_("Some values are not valid."),
    "invalid_missing": N_("This field is required."),
    "invalid_string_too_short": N_("This field is required."),
    "invalid_string_too_long": N_("This value is too long."),
    "invalid_enum": N_("Choose one of the listed values."),
    "invalid_date_from_datetime_parsing": N_("Enter a date as dd/mm/yyyy."),
    "invalid_date_parsing": N_("Enter a date as dd/mm/yyyy."),
    "invalid_int_parsing": N_("Enter a whole number."),
    "invalid_decimal_parsing": N_("Enter a number."),
    "invalid_value_error": N_("This value is not valid."),
    "invalid_uuid_parsing": N_("Choose an item from the list."),
    "token_missing": N_("Your session has ended. Sign in again."),
    "token_invalid": N_("Your session has ended. Sign in again."),
    "token_expired": N_("Your session has ended. Sign in again."),
    "role_not_allowed": N_("Your role does not allow this action."),
    "province_out_of_scope": N_("This belongs to another province than yours."),
    "province_unknown": N_("Unknown province."),
    "facility_not_found": N_("No such facility."),
    "product_not_found": N_("No such product."),
    "round_not_found": N_("No such round."),
    "entry_not_found": N_("No such entry."),
    "unit_not_found": N_("Unknown province."),
    "declaration_missing": N_(
        "The dossier lacks a declaration (own production, no IP breach, standards, "
        "mass production)."
    ),
    "outside_registration_window": N_("Today is outside the round's registration dates."),
    "round_not_open": N_("The round is not open for registration."),
    "round_not_draft": N_("Only a round not yet opened can be changed this way."),
    "round_exists": N_("A round with this level, scope and year already exists."),
    "period_inverted": N_("The closing date must come after the opening date."),
    "scope_mismatch": N_("The scope does not fit the round's level."),
    "backfill_not_allowed": N_("Past records can only be entered by the ministry."),
    "facility_outside_scope": N_("The facility belongs to another province than the round."),
    "prior_recognition_required": N_(
        "This product lacks the lower-level recognition this round requires."
    ),
    "prior_recognition_revoked": N_("The product's lower-level recognition was revoked."),
    "prior_recognition_expired": N_("The product's lower-level recognition has expired."),
    "product_exists": N_("This facility already has a product with this name."),
    "business_code_taken": N_("Another facility already has this business code."),
    "entry_withdrawn": N_("This entry was withdrawn."),
    "file_unreadable": N_("The file could not be read as XLSX or CSV."),
    "columns_missing": N_("The file lacks required columns: use the template."),
    "import_conflict": N_("The list changed since the preview; upload it again."),
    "import_refused": N_("Some rows are refused: correct them and upload again."),
    "value_missing": N_("This value is required."),
    "invalid_choice": N_("This value is not one of the allowed ones."),
    "invalid_flag": N_("Write có or không."),
    "not_a_jury_member": N_("You are not a member of this jury."),
}


def error_message(code: str, fallback: str | None = None) -> str:
    known = MESSAGES.get(code)
    if known is not None:
        return gettext(known)
    return gettext("The request was refused ({code}).").format(code=code) + (
        f" {fallback}" if fallback else ""
    )
