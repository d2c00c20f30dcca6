"""The receiving desk: received with date and receiver, the physical sample in and out, return
for supplement with a reason per part and a deadline, acceptance of a complete dossier — each
step recorded (who, when) and announced; the round's jury reads the dossier once evaluation's
JuryMemberAppointed has arrived, a seat of another round does not."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from cnnt_contracts import JuryMemberAppointed, JuryMemberAppointedData
from cnnt_runtime.auth import Role
from cnnt_runtime.clock import Clock
from cnnt_runtime.settings import Settings
from tests.integration.registration.registration_helpers import (
    error,
    fetch,
    officer,
    recorded,
    serving,
)
from tests.integration.registration.test_dossier_files import (
    an_entry,
    pdf_bytes,
    photo_with_gps,
    upload,
)
from tests.support.scenario import ok
from tests.support.stack import bearer, publish

PROVINCE = "lai-chau"  # h32's year 2082, in a province of its own
YEAR = 2082


def seat(round_id: str, member: uuid.UUID) -> JuryMemberAppointed:
    return JuryMemberAppointed.new(
        JuryMemberAppointedData(
            member_id=member,
            round_id=uuid.UUID(round_id),
            account_id=f"h32-desk-judge-{member.hex[:4]}",
            is_chair=False,
            appointed_at=datetime.now(UTC),
        )
    )


async def test_desk_receives_returns_for_supplement_and_accepts(stack: Settings) -> None:
    async with serving(stack) as client:
        entry = await an_entry(client, stack, PROVINCE, YEAR, "DESK")
        entry_id, round_id = entry["id"], entry["round_id"]
        desk = officer(stack, PROVINCE)
        base = f"/api/v1/entries/{entry_id}/dossier"

        refused = error(await client.post(f"{base}/accept", headers=desk), 409)
        assert refused["code"] == "dossier_not_received"
        ok(await upload(client, desk, entry_id, "description", "tm.pdf", pdf_bytes(1, "desk")))
        received = ok(
            await client.post(
                f"{base}/receive",
                json={"received_on": f"{YEAR}-03-05", "receiver": "Lò Thị Mai"},
                headers=desk,
            ),
            200,
        )
        assert (received["status"], received["received_on"], received["received_by"]) == (
            "received", f"{YEAR}-03-05", "Lò Thị Mai",
        )  # fmt: skip
        sample = ok(
            await client.post(
                f"{base}/sample", json={"movement": "received", "on": f"{YEAR}-03-06"}, headers=desk
            ),
            200,
        )
        assert sample["sample_received_on"] == f"{YEAR}-03-06"

        today = Clock().today()
        bad = error(
            await client.post(
                f"{base}/return",
                json={"reasons": {"photos": "   "}, "deadline": str(today + timedelta(days=7))},
                headers=desk,
            ),
            422,
        )
        assert (bad["code"], bad["field"]) == ("return_reason_missing", "reasons")
        past = error(
            await client.post(
                f"{base}/return",
                json={"reasons": {"photos": "Thiếu ảnh"}, "deadline": "2020-01-01"},
                headers=desk,
            ),
            422,
        )
        assert past["code"] == "deadline_in_past"
        deadline = str(today + timedelta(days=10))
        reasons = {
            "photos": "Bổ sung ảnh sản phẩm chụp rõ bao bì",
            "business_registration": "Thiếu bản sao giấy chứng nhận đăng ký kinh doanh",
        }
        returned = ok(
            await client.post(
                f"{base}/return", json={"reasons": reasons, "deadline": deadline}, headers=desk
            ),
            200,
        )
        assert (returned["status"], returned["return_reasons"], returned["return_deadline"]) == (
            "returned", reasons, deadline,
        )  # fmt: skip

        # The facility supplements; the desk receives again, refuses an incomplete dossier,
        # then accepts the complete one.
        ok(await upload(client, desk, entry_id, "photos", "anh.jpg", photo_with_gps()))
        ok(
            await client.post(f"{base}/receive", json={"receiver": "Lò Thị Mai"}, headers=desk),
            200,
        )
        incomplete = error(await client.post(f"{base}/accept", headers=desk), 409)
        assert incomplete["code"] == "dossier_incomplete"
        assert incomplete["details"]["missing"] == ["registration_form", "business_registration"]
        ok(await upload(client, desk, entry_id, "registration_form", "pdk.pdf", pdf_bytes(1, "f")))
        ok(
            await upload(
                client, desk, entry_id, "business_registration", "dk.pdf", pdf_bytes(1, "b")
            )
        )
        accepted = ok(await client.post(f"{base}/accept", headers=desk), 200)
        assert (accepted["status"], accepted["complete"]) == ("accepted", True)
        closed = error(
            await upload(client, desk, entry_id, "other", "muon.pdf", pdf_bytes(1, "late")), 409
        )
        assert closed["code"] == "dossier_accepted"
        ok(await client.post(f"{base}/sample", json={"movement": "returned"}, headers=desk), 200)

        view = ok(await client.get(base, headers=desk), 200)
        steps = [s["step"] for s in view["steps"] if not s["step"].startswith("file_")]
        assert steps == [
            "received", "sample_received", "returned", "received", "accepted", "sample_returned",
        ]  # fmt: skip
        assert {s["actor"] for s in view["steps"]} == {f"province_officer:{PROVINCE}"}
        announced = await fetch(
            stack,
            "SELECT event_type FROM registration.outbox"
            " WHERE payload->'data'->>'entry_id' = :e AND event_type LIKE '%Dossier%'"
            "    OR payload->'data'->>'entry_id' = :e AND event_type = 'SampleRecorded'"
            " ORDER BY occurred_at",
            e=entry_id,
        )
        assert [r[0] for r in announced] == [
            "DossierReceived", "SampleRecorded", "DossierReturned", "DossierReceived",
            "DossierAccepted", "SampleRecorded",
        ]  # fmt: skip

        # The desk's list: the round's entries with completeness, for its province only.
        listed = ok(await client.get(f"/api/v1/rounds/{round_id}/dossiers", headers=desk), 200)
        assert [(e["entry_id"], e["status"], e["complete"]) for e in listed["entries"]] == [
            (entry_id, "accepted", True)
        ]
        other = ok(
            await client.get(
                f"/api/v1/rounds/{round_id}/dossiers", headers=officer(stack, "son-la")
            ),
            200,
        )
        assert other["entries"] == []
        assert (
            error(
                await client.post(f"{base}/receive", json={}, headers=officer(stack, "son-la")), 403
            )["code"]
            == "province_out_of_scope"
        )

        # Judges: the round's seat reads the dossier once registration knows it; a seat of
        # another round and a judge with no seat do not.
        member, stranger = (
            uuid.uuid5(uuid.NAMESPACE_URL, "h32-desk-member"),
            uuid.uuid5(uuid.NAMESPACE_URL, "h32-desk-stranger"),
        )
        judge = bearer(stack, Role.JUDGE, str(member))
        assert error(await client.get(base, headers=judge), 403)["code"] == "dossier_not_readable"
        appointed = seat(round_id, member)
        elsewhere = seat(str(uuid.uuid5(uuid.NAMESPACE_URL, "h32-other-round")), stranger)
        await publish(stack, appointed, elsewhere)
        await recorded(stack, appointed)
        await recorded(stack, elsewhere)
        seen = ok(await client.get(base, headers=judge), 200)
        photo = next(p for p in seen["parts"] if p["code"] == "photos")["files"][0]
        thumb = await client.get(f"/api/v1/dossier-files/{photo['id']}/thumbnail", headers=judge)
        assert thumb.status_code == 200
        assert thumb.headers["content-type"] == "image/jpeg"
        by_account = bearer(stack, Role.JUDGE, appointed.data.account_id or "")
        ok(await client.get(base, headers=by_account), 200)
        for outsider in (str(stranger), "h32-desk-nobody"):
            refusal = error(
                await client.get(
                    f"/api/v1/dossier-files/{photo['id']}/content",
                    headers=bearer(stack, Role.JUDGE, outsider),
                ),
                403,
            )
            assert refusal["code"] == "dossier_not_readable"
