"""A certificate's standing as people meet it: the printed certificate of a revoked recognition
says so, a revocation cannot predate the grant, and the certificates can be listed by province,
level, year and status."""

from __future__ import annotations

import io
from typing import Any

import httpx
from pypdf import PdfReader

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.integration.certification.conftest import PROVINCE, decide, judged_round, publish_round
from tests.support import identities
from tests.support.stack import bearer

SCORES = [(36, 35, 9, 8), (34, 33, 8, 8)]


async def _decided(client: httpx.AsyncClient, settings: Settings, year: int | None = None) -> Any:
    judged = judged_round(SCORES, year=year)
    await publish_round(client, settings, judged)
    response = await decide(client, settings, judged.id, identities.decision())
    assert response.status_code == 201, response.text
    return judged, response.json()["certificates"]


async def _revoke(
    client: httpx.AsyncClient, settings: Settings, number: str, on: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/certificates/{number}/revocation",
        json={"number": identities.decision(), "decided_on": on, "reason": "Vi phạm"},
        headers=bearer(settings, Role.CERTIFIER, PROVINCE),
    )


async def _pdf_text(client: httpx.AsyncClient, settings: Settings, number: str) -> str:
    response = await client.get(
        f"/api/v1/certificates/{number}/pdf",
        headers=bearer(settings, Role.PROVINCE_OFFICER, PROVINCE),
    )
    assert response.status_code == 200, response.text
    return str(PdfReader(io.BytesIO(response.content)).pages[0].extract_text())


async def test_a_revoked_certificate_prints_as_revoked_with_the_revoking_decision(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    _, (kept, number) = await _decided(certification, stack)
    revocation = await _revoke(certification, stack, number, "2022-03-01")
    assert revocation.status_code == 201, revocation.text
    revoked = await _pdf_text(certification, stack, number)
    still_valid = await _pdf_text(certification, stack, kept)
    verified = (await certification.get(f"/api/v1/verify/{number}")).json()
    assert "ĐÃ THU HỒI" in revoked
    assert revocation.json()["number"] in revoked
    assert "ngày 01 tháng 03 năm 2022" in revoked
    assert "ĐÃ THU HỒI" not in still_valid
    assert verified["status"] == "revoked"
    assert verified["revocation"]["decision_number"] == revocation.json()["number"]


async def test_a_revocation_dated_before_the_granting_decision_is_refused_and_changes_nothing(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged, (number, _) = await _decided(certification, stack)  # decided on 2021-08-15
    refused = await _revoke(certification, stack, number, "2021-08-14")
    verified = (await certification.get(f"/api/v1/verify/{number}")).json()
    decisions = await certification.get(
        f"/api/v1/rounds/{judged.id}/decisions", headers=bearer(stack, Role.MINISTRY)
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "revocation_before_recognition"
    assert refused.json()["error"]["field"] == "decided_on"
    assert verified["status"] == "valid"
    assert [d["kind"] for d in decisions.json()] == ["confirmation"]


async def _listed(client: httpx.AsyncClient, settings: Settings, **params: str | int) -> Any:
    response = await client.get(
        "/api/v1/certificates", params=params, headers=bearer(settings, Role.MINISTRY)
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_certificates_are_listed_by_province_level_year_and_status_in_pages(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged, (first, second) = await _decided(certification, stack)
    _, old_numbers = await _decided(certification, stack, year=2005)  # valid until 2007
    assert (await _revoke(certification, stack, second, "2022-01-10")).status_code == 201

    this_year = await _listed(certification, stack, year=judged.year, province=PROVINCE)
    valid = await _listed(certification, stack, year=judged.year, status="valid")
    revoked = await _listed(certification, stack, year=judged.year, status="revoked")
    expired = await _listed(certification, stack, year=2005, status="expired", level="provincial")
    other_province = await _listed(certification, stack, year=judged.year, province="gia-lai")
    national = await _listed(certification, stack, year=judged.year, level="national")
    paged = await _listed(certification, stack, year=judged.year, page=2, size=1)

    assert this_year["total"] == 2
    assert [c["certificate_number"] for c in this_year["items"]] == [first, second]
    assert [c["certificate_number"] for c in valid["items"]] == [first]
    assert [c["certificate_number"] for c in revoked["items"]] == [second]
    assert revoked["items"][0]["status"] == "revoked"
    assert revoked["items"][0]["revocation"]["decided_on"] == "2022-01-10"
    assert {c["certificate_number"] for c in expired["items"]} >= set(old_numbers)
    assert {c["status"] for c in expired["items"]} == {"expired"}
    assert (other_province["total"], national["total"]) == (0, 0)
    assert (paged["total"], paged["page"], paged["size"]) == (2, 2, 1)
    assert [c["certificate_number"] for c in paged["items"]] == [second]
    item = this_year["items"][0]
    assert item["round_id"] == str(judged.id)
    assert item["level"] == "provincial"
    assert item["province_code"] == PROVINCE
    assert item["product_name"] == "Cà phê bột nguyên chất Buôn Ma Thuột"
    assert item["decided_on"] == "2021-08-15"
    assert item["rank"] == 1


async def test_entries_tied_on_every_score_and_time_rank_in_registrations_sequence(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged = judged_round([(35, 35, 8, 8)] * 3)
    same_time = judged.entries[0].data.registered_at
    for entry, sequence in zip(judged.entries, (31, 29, 30), strict=True):
        data = entry.data.model_copy(
            update={"registered_at": same_time, "registration_sequence": sequence}
        )
        judged.entries[judged.entries.index(entry)] = entry.model_copy(update={"data": data})
    seen = await publish_round(certification, stack, judged)
    by_sequence = [judged.entries[i].data.entry_id for i in (1, 2, 0)]
    assert [r["entry_id"] for r in seen["results"]] == [str(e) for e in by_sequence]
    assert [r["rank"] for r in seen["results"]] == [1, 2, 3]
