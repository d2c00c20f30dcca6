"""The services' error codes as messages people read (Vietnamese through the catalogue).

One entry per stable code the services or the console itself give; a code not listed falls
back to a generic message with the code shown, so nothing is silently hidden.
"""

from __future__ import annotations

import structlog

from console.web.i18n import N_, gettext

log = structlog.get_logger("cnnt.console")

MESSAGES: dict[str, str] = {
    # sign-in and accounts (the console's own)
    "credentials_invalid": N_("Wrong username or password."),
    "account_locked": N_(
        "This account is locked after too many failed sign-ins. Try again later or ask "
        "the ministry's administrator."
    ),
    "account_disabled": N_("This account has been disabled."),
    "throttled": N_("Too many failed sign-ins. Wait a moment, then try again."),
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
    "account_is_yours": N_("You cannot lock your own account."),
    "last_ministry_account": N_(
        "This is the last active ministry account: lock it and nobody could administer "
        "the accounts. Create or unlock another ministry account first."
    ),
    "file_missing": N_("Choose a file to upload."),
    "form_too_large": N_(
        "What was sent is larger than the console accepts. Shorten the text or choose a "
        "smaller file."
    ),
    # uploads (cnnt_runtime.uploads): {limit} and the like are filled in by the page
    "file_not_spreadsheet": N_("The file is not an XLSX workbook or a CSV list."),
    "file_too_large": N_("The file is larger than {limit_mb} MB."),
    "archive_too_large": N_(
        "The workbook unpacks to more than {limit_mb} MB: split the list into smaller files."
    ),
    "archive_ratio": N_(
        "The workbook is packed more than {limit} times: it is refused as a possible zip bomb."
    ),
    "archive_members": N_("The workbook holds more than {limit} parts: it is not a list."),
    "too_many_rows": N_("The list has more than {limit} rows: split it into smaller files."),
    "too_many_cells": N_("The list has more than {limit} cells: remove the extra columns."),
    "import_not_found": N_("This import is no longer known: upload the file again."),
    "service_unavailable": N_("A service did not answer. Try again in a moment."),
    "page_not_found": N_("There is no page at this address. Check the address or use the menu."),
    "address_invalid": N_("The address holds a value that is not valid. Use the menu or the form."),
    "bad_request": N_("The request could not be understood. Reload the page and retry."),
    "internal_error": N_(
        "Something went wrong on our side; nothing was changed. Try again in a moment."
    ),
    # the services' codes
    "validation_failed": N_("Some values are not valid."),
    "malformed_json": N_("The request could not be understood. Reload the page and retry."),
    "invalid_tax_code": N_(
        "A tax code is 10 digits, or 10 digits, a dash and 3 digits (6001234567 or 6001234567-001)."
    ),
    "invalid_phone": N_(
        "A phone number has 8 to 15 digits, which spaces, dots or dashes may group "
        "(e.g. 0262 3852 123)."
    ),
    "invalid_email": N_("An e-mail address looks like name@domain.vn."),
    "invalid_string_pattern_mismatch": N_("This value is not in the expected form."),
    "invalid_string_type": N_("Enter a text."),
    "invalid_bool_parsing": N_("Choose yes or no."),
    "invalid_bool_type": N_("Choose yes or no."),
    "invalid_int_type": N_("Enter a whole number."),
    "invalid_int_from_float": N_("Enter a whole number."),
    "invalid_float_parsing": N_("Enter a number."),
    "invalid_datetime_parsing": N_("Enter a date as dd/mm/yyyy."),
    "invalid_datetime_from_date_parsing": N_("Enter a date as dd/mm/yyyy."),
    "invalid_timezone_aware": N_("Enter a date as dd/mm/yyyy."),
    "invalid_list_type": N_("Choose from the list."),
    "invalid_too_short": N_("Choose at least one."),
    "invalid_too_long": N_("Too many items at once: send them in parts."),
    "invalid_extra_forbidden": N_("This field is not accepted here."),
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
    "invalid_less_than_equal": N_("This value is above the allowed maximum."),
    "invalid_less_than": N_("This value is above the allowed maximum."),
    "invalid_greater_than_equal": N_("This value is below the allowed minimum."),
    "invalid_greater_than": N_("This value is below the allowed minimum."),
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
    "window_inverted": N_("The closing date must not come before the opening date."),
    "province_dissolved": N_(
        "This province merged into another in 2025: open the round for the province it "
        "became part of."
    ),
    "duplicate_entry": N_("This product is already entered in this round."),
    "as_recorded_needs_province": N_("Figures as recorded are given for one province."),
    "round_exists": N_("A round with this level, scope and year already exists."),
    "period_inverted": N_("The closing date must come after the opening date."),
    "scope_mismatch": N_("The scope does not fit the round's level."),
    "backfill_not_allowed": N_("Past records can only be entered by the ministry."),
    "facility_outside_scope": N_(
        "The facility belongs to another province (or, for a commune round, another commune) "
        "than the round."
    ),
    "level_not_in_force": N_(
        "This level does not exist on the round's opening date: commune rounds open from "
        "01/07/2025, district rounds before it."
    ),
    "commune_unknown": N_("This is not the code of a commune, ward or special zone of 2025."),
    "commune_outside_province": N_("This commune belongs to another province."),
    "setting_not_applicable": N_(
        "Only a provincial round can require a commune or district recognition."
    ),
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
    # judging and certification
    "score_above_maximum": N_("This score is above the criterion's maximum."),
    "score_negative": N_("A score cannot be negative."),
    "score_not_a_half_step": N_("Scores go in steps of half a point (e.g. 7 or 7.5)."),
    "score_not_a_number": N_("Enter a number."),
    "conflict_of_interest": N_("You declared a conflict of interest with this facility."),
    "member_recused": N_("The chair recused you from this entry."),
    "unknown_criterion": N_("The score sheet has no such criterion."),
    "spread_threshold_out_of_range": N_("The spread threshold is 0 to 100 points."),
    "jury_empty": N_("A jury needs at least one member."),
    "jury_needs_one_chair": N_("A jury has exactly one chair."),
    "jury_exists": N_("This round already has a jury."),
    "jury_has_a_chair": N_("The jury already has its chair."),
    "member_name_missing": N_("Every member needs a name."),
    "account_already_in_jury": N_("This account already holds a seat in this jury."),
    "judging_started": N_("The jury has started scoring: its members can no longer change."),
    "judging_closed": N_("Judging is closed for this round."),
    "score_missing": N_("This field is required."),
    "too_many_sheets": N_("At most 200 score sheets can be saved at once: save in parts."),
    "entry_repeated_in_request": N_("This entry appears twice in what was sent."),
    "entry_not_in_round": N_("This entry belongs to another round."),
    "chair_only": N_("Only the jury's chair may do this."),
    "reason_missing": N_("Give the reason."),
    "member_not_in_jury": N_("Choose a member of this jury."),
    "spread_flags_open": N_(
        "Some entries' totals lie too far apart: discuss them, or the chair overrides "
        "with a reason."
    ),
    "override_needs_chair": N_("Only the jury's chair may override the spread alerts."),
    "override_reason_missing": N_("An override needs its reason."),
    "jury_missing": N_("This round has no jury yet."),
    "sheets_missing": N_("Some members have not scored every entry yet."),
    "judging_not_closed": N_("Judging is not closed yet: the results are not final."),
    "tally_incomplete": N_(
        "Certification has not received every score sheet yet. Wait a moment and retry."
    ),
    "entries_still_arriving": N_("Entries are still arriving. Wait a moment and retry."),
    "round_already_decided": N_("This round's results are already decided."),
    "round_not_decided": N_("This round's results are not decided yet."),
    "decision_number_taken": N_("A decision with this number is already recorded this year."),
    "exclusion_not_recognised": N_("Only an entry that passed can be declined."),
    "exclusion_reason_missing": N_("Declining an entry needs its reason."),
    "certificate_unknown": N_("No certificate has this number."),
    "certificate_already_revoked": N_("This certificate is already revoked."),
    "revocation_reason_missing": N_("Give the reason for the revocation."),
    "certificate_version_unknown": N_("This certificate has no such edition."),
    "signing_unavailable": N_(
        "The issuing authority's signing key is not available now; nothing was issued. Retry later."
    ),
    "signing_refused": N_(
        "This installation is not allowed to sign documents as configured (see the runbook)."
    ),
    "file_not_pdf": N_("The file is not a PDF."),
    "sha256_invalid": N_("A SHA-256 is 64 hexadecimal digits (0–9, a–f)."),
    "decision_before_judging_closed": N_(
        "A decision cannot be dated before the day judging closed."
    ),
    "revocation_before_grant": N_("A revocation cannot be dated before the certificate."),
    "revocation_before_recognition": N_(
        "A revocation cannot be dated before the decision that granted the certificate."
    ),
    "correction_empty": N_("Name the entries the correction recognises."),
    "correction_not_allowed": N_(
        "Only an entry scored by a quorum and not yet recognised can be recognised by a correction."
    ),
    "correction_reason_missing": N_("A correction needs its reason."),
    "authority_out_of_scope": N_("This round belongs to another authority than yours."),
    "round_out_of_scope": N_("This round belongs to another province than yours."),
    # khuyến công support
    "budget_exhausted": N_("The scheme's budget for this source is exhausted."),
    "source_not_funded": N_("The scheme has no budget from this funding source."),
    "province_outside_scheme": N_("The facility's province is outside the scheme's scope."),
    "facility_unknown": N_(
        "Registration has not announced this facility yet: only recorded facilities may apply."
    ),
    "facility_province_mismatch": N_("The facility belongs to another province than stated."),
    "allocation_plan_changed": N_(
        "The allocation plan changed since the preview: check the new preview and confirm again."
    ),
    "already_granted": N_("This application has already been granted."),
    "grant_exceeds_request": N_("A grant cannot exceed what the application asks."),
    "scheme_not_open": N_("The scheme is not open."),
    "scheme_not_draft": N_("Only a draft scheme can be opened."),
    "scheme_closed": N_("The scheme is closed: it takes no applications."),
    "scheme_code_taken": N_("A scheme with this code already exists."),
    "unknown_province": N_("Unknown province."),
    "amount_empty": N_("At least one funding source needs an amount."),
    "amount_negative": N_("An amount cannot be negative."),
    "amount_not_whole_vnd": N_("Amounts are whole đồng."),
    "scheme_not_found": N_("No such scheme."),
    "application_not_found": N_("No such application."),
    "idempotency_key_reused": N_("This form was already sent with other values. Reload the page."),
    # operations: dead letters
    "queue_not_found": N_("No such queue."),
    "replay_audit_not_found": N_("No such replay in the audit log."),
    "queue_does_not_take_events": N_(
        "This queue's consumer does not take the selected events: nothing was sent."
    ),
    "queue_of_another_service": N_("Another service answers for this queue."),
    "queue_not_declared": N_("This dead-letter queue does not exist on the broker."),
    "selection_missing": N_("Choose the messages: one, a filter, or all."),
    "selection_ambiguous": N_("Choose either a filter or all the messages, not both."),
    "dead_letters_changed": N_(
        "The messages changed since you looked: check the new count and confirm again."
    ),
    # dossier files (registration's dossier parts) and signed documents (certification)
    "dossier_accepted": N_("The dossier has been formally accepted: its files cannot change."),
    "dossier_not_readable": N_(
        "Only the province's officers, the round's jury, the certifier and the ministry may "
        "read this dossier."
    ),
    "dossier_part_full": N_("This part of the dossier takes no more files."),
    "dossier_part_unknown": N_("The dossier has no such part."),
    "dossier_too_large": N_("The dossier's files together exceed the size allowed."),
    "file_empty": N_("The file is empty."),
    "file_kind_not_allowed": N_("This part of the dossier does not take this kind of file."),
    "file_name_control": N_("The file name holds control characters: rename the file."),
    "file_name_missing": N_("The file needs a name."),
    "file_name_path": N_("The file name must not hold a path (/ or \\)."),
    "file_name_too_long": N_("The file name is too long: shorten it."),
    "file_not_found": N_("No such file."),
    "file_type_not_allowed": N_("Only PDF, JPEG, PNG or WebP files are taken."),
    "image_invalid": N_("The image is damaged or cannot be read."),
    "image_too_many_pixels": N_("The image has more pixels than allowed."),
    "pdf_encrypted": N_("The PDF is password-protected: upload a copy without a password."),
    "pdf_invalid": N_("The file is not a readable PDF."),
    "presign_unsupported": N_("This file is downloaded through the console, not by a link."),
    "thumbnail_not_found": N_("This file has no thumbnail."),
    "deadline_in_past": N_("The deadline for completing the dossier must be today or later."),
    "dossier_incomplete": N_("The dossier still lacks some of its parts."),
    "dossier_not_receivable": N_("The dossier cannot be received again in its present state."),
    "dossier_not_received": N_("Only a received dossier can have this done."),
    "return_reason_missing": N_("Give what must be completed for at least one part."),
    "sample_not_received": N_("No product sample was received: none can be returned."),
    "decision_unknown": N_("No such decision."),
    # reports
    "year_out_of_range": N_("Enter a year from 2000 to 2100."),
    "year_span_reversed": N_("The last year must not come before the first."),
}


def error_message(code: str, fallback: str | None = None) -> str:
    """The message for ``code``. A code without one is shown as a generic refusal naming the
    code; ``fallback`` (the service's own text, often the validation library's English) is
    logged, never shown inside a Vietnamese page."""
    known = MESSAGES.get(code)
    if known is not None:
        return gettext(known)
    if fallback:
        log.info("error_code_without_message", code=code, service_message=fallback[:500])
    return gettext("The request was refused ({code}).").format(code=code)
