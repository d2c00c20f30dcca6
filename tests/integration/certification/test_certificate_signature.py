"""The certificate reads like an official paper: the decision records the issuing authority and
the signatory, the PDF prints them with the place and date, and a QR code opens the console's
public verification page."""

from __future__ import annotations

import io

import httpx
from pypdf import PdfReader

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.integration.certification.conftest import PROVINCE, judged_round, publish_round
from tests.support import identities
from tests.support.stack import bearer

SCORES = [(36, 35, 9, 8), (20, 20, 5, 5)]


async def _pdf_text(client: httpx.AsyncClient, settings: Settings, number: str) -> str:
    response = await client.get(
        f"/api/v1/certificates/{number}/pdf", headers=bearer(settings, Role.CERTIFIER, PROVINCE)
    )
    assert response.status_code == 200, response.text
    # The layout breaks the authority's name as papers do ("ỦY BAN NHÂN DÂN" / "TỈNH ĐẮK LẮK"):
    # read the page as words.
    return " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())


async def test_the_decision_records_its_signatory_and_the_pdf_prints_it_with_place_and_date(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged = judged_round(SCORES)
    await publish_round(certification, stack, judged)
    number = identities.decision()
    body = {
        "number": number,
        "decided_on": "2021-08-15",
        "issuer": "Ủy ban nhân dân tỉnh Đắk Lắk",
        "place": "Buôn Ma Thuột",
        "signatory_title": "KT. Chủ tịch – Phó Chủ tịch",
        "signatory_name": "Võ Văn Cảnh",
    }
    response = await certification.post(
        f"/api/v1/rounds/{judged.id}/decision",
        json=body,
        headers=bearer(stack, Role.CERTIFIER, PROVINCE),
    )
    assert response.status_code == 201, response.text
    issued = response.json()
    assert {k: issued[k] for k in ("issuer", "place", "signatory_title", "signatory_name")} == {
        k: body[k] for k in ("issuer", "place", "signatory_title", "signatory_name")
    }
    certificate = issued["certificates"][0]

    text = await _pdf_text(certification, stack, certificate)

    for expected in (
        "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK",
        "Buôn Ma Thuột, ngày 15 tháng 08 năm 2021",
        "KT. CHỦ TỊCH – PHÓ CHỦ TỊCH",
        "Võ Văn Cảnh",
        f"{stack.console_public_url}/verify/{certificate.replace('/', '%2F')}",
    ):
        assert expected in text, (expected, text)


async def test_a_decision_without_a_signatory_prints_the_rounds_authority_and_province(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged = judged_round(SCORES)
    await publish_round(certification, stack, judged)
    response = await certification.post(
        f"/api/v1/rounds/{judged.id}/decision",
        json={"number": identities.decision(), "decided_on": "2021-08-15"},
        headers=bearer(stack, Role.CERTIFIER, PROVINCE),
    )
    assert response.status_code == 201, response.text
    assert response.json()["signatory_name"] == ""

    text = await _pdf_text(certification, stack, response.json()["certificates"][0])

    assert "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK" in text
    assert "Đắk Lắk, ngày 15 tháng 08 năm 2021" in text
