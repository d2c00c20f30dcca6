"""What leaves certification as documents: the PDF certificate, the public verification,
the revocation and the results tables."""

from __future__ import annotations

import csv
import io

import httpx
from openpyxl import load_workbook
from pypdf import PdfReader

from cnnt_contracts import RecognitionRevoked
from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.integration.certification.conftest import PROVINCE, decide, judged_round, publish_round
from tests.support import identities
from tests.support.stack import amqp, bearer, eventually

SCORES = [(36, 35, 9, 8), (34, 33, 8, 8), (20, 20, 5, 5)]


async def _decided(client: httpx.AsyncClient, settings: Settings) -> tuple[list[str], str, dict]:
    judged = judged_round(SCORES)
    await publish_round(client, settings, judged)
    number = identities.decision()
    response = await decide(client, settings, judged.id, number)
    assert response.status_code == 201, response.text
    return response.json()["certificates"], number, {"round_id": judged.id, "year": judged.year}


async def test_the_certificate_pdf_carries_the_vietnamese_names_exactly(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    certificates, decision, _ = await _decided(certification, stack)
    response = await certification.get(
        f"/api/v1/certificates/{certificates[0]}/pdf",
        headers=bearer(stack, Role.PROVINCE_OFFICER, PROVINCE),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = page.extract_text()
    for expected in (
        "Cà phê bột nguyên chất Buôn Ma Thuột",
        "HTX Nông nghiệp Công bằng Ea Kiết",
        "Đắk Lắk",
        "GIẤY CHỨNG NHẬN",
        "CẤP TỈNH",
        certificates[0],
        decision,
    ):
        assert expected in text, expected


async def test_a_revocation_makes_verification_report_the_certificate_revoked(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    certificates, decision, round_ = await _decided(certification, stack)
    number = certificates[1]
    valid = (await certification.get(f"/api/v1/verify/{number}")).json()  # no token
    assert (valid["status"], valid["decision_number"]) == ("valid", decision)
    assert valid["product_name"] == "Thổ cẩm Ê Đê dệt tay"
    assert valid["valid_until"] == f"{round_['year'] + 2}-12-31"
    reason = "Cơ sở vi phạm quy định về vệ sinh an toàn thực phẩm"
    async with amqp(stack) as channel:
        probe = await channel.declare_queue(exclusive=True)
        await probe.bind("cnnt.events", routing_key=RecognitionRevoked.routing_key())
        response = await certification.post(
            f"/api/v1/certificates/{number}/revocation",
            json={"number": "77/QĐ-UBND", "decided_on": "2022-03-01", "reason": reason},
            headers=bearer(stack, Role.CERTIFIER, PROVINCE),
        )
        assert response.status_code == 201, response.text
        message = await eventually(lambda: probe.get(fail=False, no_ack=True))
    announced = RecognitionRevoked.model_validate_json(message.body)
    assert (announced.data.certificate_number, announced.data.reason) == (number, reason)
    revoked = (await certification.get(f"/api/v1/verify/{number}")).json()
    assert revoked["status"] == "revoked"
    assert revoked["revocation"] == {
        "decision_number": "77/QĐ-UBND",
        "decided_on": "2022-03-01",
        "reason": reason,
    }
    again = await certification.post(
        f"/api/v1/certificates/{number}/revocation",
        json={"number": "78/QĐ-UBND", "decided_on": "2022-03-02", "reason": reason},
        headers=bearer(stack, Role.CERTIFIER, PROVINCE),
    )
    assert again.json()["error"]["code"] == "certificate_already_revoked"
    rows = (
        await certification.get(
            f"/api/v1/rounds/{round_['round_id']}/results", headers=bearer(stack, Role.MINISTRY)
        )
    ).json()
    assert [r["reason"] for r in rows if r["certificate_number"] == number] == ["revoked"]
    decisions = await certification.get(
        f"/api/v1/rounds/{round_['round_id']}/decisions", headers=bearer(stack, Role.MINISTRY)
    )
    assert [(d["kind"], d["reason"]) for d in decisions.json()] == [
        ("confirmation", ""),
        ("revocation", reason),
    ]
    unknown = (await certification.get("/api/v1/verify/DAK-LAK-1999-P-999")).json()
    assert unknown["status"] == "unknown"


async def test_results_export_as_csv_and_xlsx_with_vietnamese_intact(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    certificates, _, round_ = await _decided(certification, stack)
    url = f"/api/v1/rounds/{round_['round_id']}/results"
    headers = bearer(stack, Role.MINISTRY)
    as_csv = await certification.get(url, params={"format": "csv"}, headers=headers)
    assert as_csv.status_code == 200, as_csv.text
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert [r["Sản phẩm (product)"] for r in rows] == [
        "Cà phê bột nguyên chất Buôn Ma Thuột",
        "Thổ cẩm Ê Đê dệt tay",
        "Rượu cần Buôn Đôn",
    ]
    assert [r["Điểm bình quân (mean)"] for r in rows] == ["88.00", "83.00", "50.00"]
    assert rows[2]["Lý do (reason)"] == "Dưới ngưỡng điểm"
    assert rows[0]["Nhóm (group)"] == "Chế biến nông, lâm, thủy sản và thực phẩm"
    assert rows[0]["Số giấy chứng nhận (certificate)"] == certificates[0]
    as_xlsx = await certification.get(url, params={"format": "xlsx"}, headers=headers)
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [v[1] for v in values] == [r["Sản phẩm (product)"] for r in rows]
    assert [v[0] for v in values] == [1, 2, 3]
    assert [v[6] for v in values] == [88, 83, 50]  # means as numbers, not text
