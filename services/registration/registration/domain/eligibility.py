"""Who may enter a round (docs/domain.md "Levels and scopes", "Eligibility"): the facility's
province for a provincial round, and a valid prior-level recognition for regional and national
rounds.

Pure: the province reference and the recorded recognitions are handed in as plain data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from cnnt_contracts.vocabulary import Level, Region
from cnnt_runtime.errors import DomainError
from cnnt_runtime.recognition import RecognitionTerm
from cnnt_runtime.reference import districts
from cnnt_runtime.scope import covered_codes, covered_units, covers
from registration.domain.model import Dossier, EligibilityError, Round


@dataclass(frozen=True)
class Provinces:
    """Provinces as registration sees them (tỉnh): every known code (current unit or earlier
    province) mapped to the current unit it rolls up under, and each unit's region."""

    successor: Mapping[str, str]
    region: Mapping[str, Region]

    def current(self, code: str, *, field: str = "province_code") -> str:
        """The current unit ``code`` rolls up under; an unknown code is refused."""
        try:
            return self.successor[code]
        except KeyError:
            raise DomainError(
                "province_unknown", f"{code!r} không phải mã tỉnh đã biết", field=field
            ) from None

    def region_of(self, code: str) -> Region | None:
        return self.region.get(self.successor.get(code, ""))

    def rolling_up_to(self, code: str) -> list[str]:
        """Codes counted under ``code``: itself, plus the earlier provinces merged into it (the
        codes its scope covers, ``cnnt_runtime.scope``)."""
        return sorted(covered_codes(code) or {code})

    def rounds_under(self, code: str) -> list[str]:
        """Round scopes counted under ``code``: its provinces, and their communes and districts
        of history (``cnnt_runtime.scope.covered_units``)."""
        return sorted(covered_units(code) or {code})


def check_facility_in_scope(
    round_: Round,
    facility_province: str,
    provinces: Provinces,
    facility_commune: str | None = None,
) -> None:
    """A provincial round takes facilities of its province (or of the provinces merged into
    it); a commune round the facilities recorded in that commune; a district round (history)
    the facilities of its province, as the records of then name no commune. Regional and
    national rounds are bounded by the prior recognition instead."""
    if round_.level in (Level.REGIONAL, Level.NATIONAL):
        return
    provinces.current(facility_province)  # an unknown code is refused as such
    if round_.level is Level.COMMUNE:
        if facility_commune == round_.scope_code:
            return
        where = f"xã {facility_commune}" if facility_commune else "chưa ghi nhận xã"
        raise EligibilityError(
            "facility_outside_scope",
            f"cơ sở của {where} không được tham gia đợt bình chọn cấp xã của {round_.scope_code}",
            field="product_id",
        )
    scope = round_.scope_code
    if round_.level is Level.DISTRICT:
        scope = provinces.current(districts()[round_.scope_code].province)
    if covers(scope, facility_province):
        return
    raise EligibilityError(
        "facility_outside_scope",
        f"cơ sở của {facility_province} không được tham gia đợt bình chọn cấp {round_.level} "
        f"của {round_.scope_code}",
        field="product_id",
    )


@dataclass(frozen=True)
class Recognition:
    """A recognition of the product (công nhận) recorded from ProductRecognized."""

    level: Level
    scope_code: str
    year: int
    valid_until: date
    revoked: bool = False

    def valid_on(self, on: date) -> bool:
        """In force on ``on``: the one rule of ``cnnt_runtime.recognition``."""
        return RecognitionTerm.of_round(self.year, self.valid_until, self.revoked).in_force_on(on)


def check_prior_recognition(
    round_: Round, recognitions: Iterable[Recognition], on: date, provinces: Provinces
) -> None:
    """Regional entries need a provincial recognition from a province of the round's region;
    national entries need a regional recognition; a provincial entry needs a commune (or, from
    before July 2025, district) recognition from that province when the round says so; each
    must be in force on ``on``."""
    if round_.level is Level.PROVINCIAL and round_.requires_local_recognition:
        local = [
            r for r in recognitions if r.level.is_local and covers(round_.scope_code, r.scope_code)
        ]
        _check_held(
            local,
            on,
            prior="cấp xã hoặc cấp huyện",
            what=f"hồ sơ cấp tỉnh của {round_.scope_code} cần chứng nhận cấp xã hoặc cấp huyện "
            "của sản phẩm này thuộc tỉnh đó (đợt bình chọn yêu cầu)",
            where=f" của {round_.scope_code}",
        )
        return
    prior = round_.level.prior
    if prior is None:
        return
    held = [r for r in recognitions if r.level is prior]
    if round_.level is Level.REGIONAL:
        held = [r for r in held if provinces.region_of(r.scope_code) == round_.scope_code]
    where = f" của một tỉnh thuộc {round_.scope_code}" if round_.level is Level.REGIONAL else ""
    _check_held(
        held,
        on,
        prior=str(prior),
        what=f"hồ sơ cấp {round_.level} cần chứng nhận {prior} của sản phẩm này{where}",
        where=where,
    )


def _check_held(held: list[Recognition], on: date, *, prior: str, what: str, where: str) -> None:
    if not held:
        raise EligibilityError("prior_recognition_required", what, field="product_id")
    if any(r.valid_on(on) for r in held):
        return
    if all(r.revoked for r in held):
        raise EligibilityError(
            "prior_recognition_revoked",
            f"chứng nhận {prior} của sản phẩm{where} đã bị thu hồi",
            field="product_id",
        )
    raise EligibilityError(
        "prior_recognition_expired",
        f"chứng nhận {prior} của sản phẩm{where} không còn hiệu lực ngày {on:%d/%m/%Y}",
        field="product_id",
    )


def check_entry(
    round_: Round,
    dossier: Dossier,
    facility_province: str,
    recognitions: Iterable[Recognition],
    on: date,
    provinces: Provinces,
    facility_commune: str | None = None,
) -> None:
    """Every rule of docs/domain.md "Eligibility" but the one-entry-per-product rule, which the
    caller checks against what is stored; the first failure is raised."""
    round_.check_registration_window(on)
    dossier.check()
    check_facility_in_scope(round_, facility_province, provinces, facility_commune)
    check_prior_recognition(round_, recognitions, on, provinces)


def entry_refusals(
    round_: Round,
    dossier: Dossier,
    facility_province: str,
    recognitions: Iterable[Recognition],
    on: date,
    provinces: Provinces,
) -> list[DomainError]:
    """Every refusal of ``check_entry`` but the round's window (the same for every row of an
    import, checked once): each missing declaration, the scope, the prior recognition."""
    found: list[DomainError] = list(dossier.refusals())
    try:
        check_facility_in_scope(round_, facility_province, provinces)
    except DomainError as exc:
        found.append(exc)
    try:
        check_prior_recognition(round_, recognitions, on, provinces)
    except DomainError as exc:
        found.append(exc)
    return found
