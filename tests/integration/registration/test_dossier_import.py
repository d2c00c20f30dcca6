"""Bulk import of a round's dossier list (XLSX and CSV): dry run, all-or-nothing commit,
idempotent re-import. Files are generated here, not committed."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date
from typing import Any

from openpyxl import Workbook, load_workbook

from cnnt_runtime.settings import Settings
from tests.integration.registration.registration_helpers import (
    a_round,
    error,
    fetch,
    ministry,
    officer,
    on_vietnam_date,
    serving,
)
from tests.support import identities
from tests.support.identifiers import tax_code
from tests.support.scenario import ok

PROVINCE = "dong-thap"  # Đồng Tháp
HEADER = [
    "business_code", "facility_name", "facility_kind", "province_code", "address", "phone",
    "email", "product_name", "product_group", "is_set", "description", "self_produced",
    "no_ip_infringement", "meets_standards", "mass_producible",
]  # fmt: skip
KINDS = ["sme", "cooperative", "cooperative_group", "household_business"]
GROUPS = ["handicraft", "agro_food", "machinery", "other"]
# (column, bad value, expected code) for 20 rows spread through the file
FAULTS = [
    ("facility_kind", "doanh_nghiep_nha_nuoc", "invalid_choice"),
    ("product_group", "art", "invalid_choice"),
    ("province_code", "atlantis", "province_unknown"),
    ("mass_producible", "no", "declaration_missing"),
    ("product_name", "", "value_missing"),
    ("province_code", "an-giang", "province_out_of_scope"),
    ("is_set", "maybe", "invalid_flag"),
    ("self_produced", "", "declaration_missing"),
    ("business_code", "", "value_missing"),
    ("duplicate", "", "duplicate_entry"),
] * 2
BAD_ROWS = {i * 25 + 7: fault for i, fault in enumerate(FAULTS)}  # file rows, header is row 1


def good_row(run: str, n: int) -> dict[str, Any]:
    return {
        "business_code": f"{run}{n:04d}",
        "facility_name": f"Cơ sở làng nghề Sa Đéc số {n}",
        "facility_kind": KINDS[n % 4],
        "province_code": PROVINCE,
        "address": "Sa Đéc, Đồng Tháp",
        "phone": f"0277{n:06d}",
        "email": "",
        "product_name": f"Bánh phồng tôm Sa Giang loại {n}",
        "product_group": GROUPS[n % 4],
        "is_set": "yes" if n % 10 == 0 else "no",
        "description": "Đặc sản miền Tây",
        "self_produced": "yes",
        "no_ip_infringement": "có",
        "meets_standards": "x",
        "mass_producible": "1",
    }


def rows_of(run: str, *, faulty: bool) -> list[dict[str, Any]]:
    rows = [good_row(run, n) for n in range(500)]
    if faulty:
        for file_row, (column, value, _) in BAD_ROWS.items():
            i = file_row - 2
            if column == "duplicate":
                rows[i] = {**rows[i - 1]}
            else:
                rows[i] = {**rows[i], column: value}
    return rows


def xlsx(rows: list[dict[str, Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row[c] for c in HEADER])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


async def _stored(stack: Settings, run: str, round_id: str) -> tuple[int, int, int, int]:
    facilities = await fetch(
        stack, "SELECT count(*) FROM registration.facilities WHERE business_code LIKE :p",
        p=f"{run}%",
    )  # fmt: skip
    products = await fetch(
        stack,
        "SELECT count(*) FROM registration.products p JOIN registration.facilities f "
        "ON f.id = p.facility_id WHERE f.business_code LIKE :p",
        p=f"{run}%",
    )
    entries = await fetch(
        stack, "SELECT count(*) FROM registration.entries WHERE round_id = CAST(:r AS uuid)",
        r=round_id,
    )  # fmt: skip
    events = await fetch(
        stack,
        "SELECT count(*) FROM registration.outbox WHERE event_type = 'ProductRegistered' "
        "AND payload->'data'->'round'->>'id' = :r",
        r=round_id,
    )
    return facilities[0][0], products[0][0], entries[0][0], events[0][0]


async def test_a_500_row_xlsx_dry_run_names_the_20_bad_rows_then_commits_once(
    stack: Settings,
) -> None:
    run = identities.digits(6)
    async with serving(stack) as client:
        round_ = await a_round(client, stack, "provincial", PROVINCE)
        url = f"/api/v1/rounds/{round_['id']}/imports"
        headers = officer(stack, PROVINCE)

        def upload(content: bytes) -> dict[str, Any]:
            return {"file": ("ho-so.xlsx", content, "application/octet-stream")}

        faulty = xlsx(rows_of(run, faulty=True))
        report = ok(await client.post(url, files=upload(faulty), headers=headers), 200)
        assert (report["accepted"], report["refused"], report["committed"]) == (480, 20, False)
        refused = {r["row"]: r["errors"] for r in report["rows"] if r["status"] == "refused"}
        assert set(refused) == set(BAD_ROWS)
        for file_row, (column, _, code) in BAD_ROWS.items():
            field = "product_name" if column == "duplicate" else column
            assert {(e["field"], e["code"]) for e in refused[file_row]} == {(field, code)}
            assert all(e["row"] == file_row and e["message"] for e in refused[file_row])
        assert await _stored(stack, run, round_["id"]) == (0, 0, 0, 0)

        commit = await client.post(
            url, params={"dry_run": "false"}, files=upload(faulty), headers=headers
        )
        assert error(commit, 422)["code"] == "import_refused"
        assert commit.json()["report"]["refused"] == 20
        assert await _stored(stack, run, round_["id"]) == (0, 0, 0, 0)

        corrected = xlsx(rows_of(run, faulty=False))
        params = {"dry_run": "false"}
        done = ok(
            await client.post(url, params=params, files=upload(corrected), headers=headers), 200
        )
        assert (done["accepted"], done["refused"], done["committed"]) == (500, 0, True)
        assert await _stored(stack, run, round_["id"]) == (500, 500, 500, 500)

        again = ok(
            await client.post(url, params=params, files=upload(corrected), headers=headers), 200
        )
        assert (again["accepted"], again["existing"], again["refused"]) == (0, 500, 0)
        assert await _stored(stack, run, round_["id"]) == (500, 500, 500, 500)
        listed = ok(
            await client.get(
                f"/api/v1/rounds/{round_['id']}/entries", params={"size": 1}, headers=headers
            ),
            200,
        )
        assert listed["total"] == 500


async def test_a_csv_dossier_list_imports_and_the_template_has_the_headers(
    stack: Settings,
) -> None:
    run = identities.digits(6)
    async with serving(stack) as client:
        template = await client.get("/api/v1/imports/template", headers=ministry(stack))
        assert template.status_code == 200
        sheet = load_workbook(io.BytesIO(template.content)).active
        assert sheet is not None
        assert [c.value for c in sheet[1]] == HEADER
        assert sheet["B2"].value == "HTX Dệt thổ cẩm Đắk Lắk"
        as_csv = await client.get(
            "/api/v1/imports/template", params={"format": "csv"}, headers=ministry(stack)
        )
        assert as_csv.content.decode("utf-8-sig").splitlines()[0] == ",".join(HEADER)

        round_ = await a_round(client, stack, "provincial", PROVINCE)
        url = f"/api/v1/rounds/{round_['id']}/imports"
        content = csv_bytes(rows_of(run, faulty=False)[:3])
        done = ok(
            await client.post(
                url,
                params={"dry_run": "false"},
                files={"file": ("ho-so.csv", content, "text/csv")},
                headers=ministry(stack),
            ),
            200,
        )
        assert (done["accepted"], done["committed"]) == (3, True)
        missing = await client.post(
            url,
            files={"file": ("x.csv", b"name,kind\nA,sme\n", "text/csv")},
            headers=ministry(stack),
        )
        assert (error(missing, 422)["code"], error(missing, 422)["field"]) == (
            "columns_missing",
            "file",
        )
        elsewhere = await client.post(
            url,
            files={"file": ("ho-so.csv", content, "text/csv")},
            headers=officer(stack, "ca-mau"),
        )
        report = ok(elsewhere, 200)
        assert {e["code"] for r in report["rows"] for e in r["errors"]} == {"province_out_of_scope"}
    assert await _stored(stack, run, round_["id"]) == (3, 3, 3, 3)


async def test_the_ministry_imports_a_historical_dossier_list_as_of_its_date(
    stack: Settings,
) -> None:
    run = identities.digits(6)
    async with serving(stack) as client:
        round_ = await a_round(
            client, stack, "provincial", "vinh-long", year=2019,
            opens_on=date(2019, 3, 1), closes_on=date(2019, 4, 30),
        )  # fmt: skip
        url = f"/api/v1/rounds/{round_['id']}/imports"
        rows = [{**r, "province_code": "ben-tre"} for r in rows_of(run, faulty=False)[:2]]
        files = {"file": ("ho-so.xlsx", xlsx(rows), "application/octet-stream")}
        params = {"dry_run": "false", "registered_on": "2019-03-20"}
        by_officer = await client.post(
            url, params=params, files=files, headers=officer(stack, "vinh-long")
        )
        assert error(by_officer, 403)["code"] == "backfill_not_allowed"
        today = await client.post(
            url, params={"dry_run": "false"}, files=files, headers=ministry(stack)
        )
        assert error(today, 422)["code"] == "outside_registration_window"
        done = ok(await client.post(url, params=params, files=files, headers=ministry(stack)), 200)
        assert (done["accepted"], done["committed"]) == (2, True)
        listed = ok(
            await client.get(
                "/api/v1/entries",
                params={"province": "vinh-long", "year": 2019},
                headers=ministry(stack),
            ),
            200,
        )
    assert listed["total"] == 2
    assert {e["province_code"] for e in listed["items"]} == {"ben-tre"}
    # a backfilled entry is stamped on its day in Vietnam (UTC may still be the day before)
    assert {on_vietnam_date(e["registered_at"]) for e in listed["items"]} == {date(2019, 3, 20)}


async def test_the_same_file_committed_twice_at_once_is_stored_once(stack: Settings) -> None:
    run = identities.digits(6)
    async with serving(stack) as client:
        round_ = await a_round(client, stack, "provincial", PROVINCE)
        content = xlsx(rows_of(run, faulty=False)[:20])
        responses = await asyncio.gather(
            *(
                client.post(
                    f"/api/v1/rounds/{round_['id']}/imports",
                    params={"dry_run": "false"},
                    files={"file": ("ho-so.xlsx", content, "application/octet-stream")},
                    headers=officer(stack, PROVINCE),
                )
                for _ in range(3)
            )
        )
    assert {r.status_code for r in responses} <= {200, 409}
    reports = [r.json() for r in responses if r.status_code == 200]
    assert sorted(r["accepted"] for r in reports) == [0] * (len(reports) - 1) + [20]
    conflicts = [r.json()["error"]["code"] for r in responses if r.status_code == 409]
    assert set(conflicts) <= {"import_conflict"}
    assert await _stored(stack, run, round_["id"]) == (20, 20, 20, 20)


async def test_a_commit_answers_each_row_with_the_ids_of_what_it_created(stack: Settings) -> None:
    run = identities.digits(6)
    rows = rows_of(run, faulty=False)[:3]
    rows[2] = {**rows[1], "product_name": "Bánh phồng tôm Sa Giang loại đặc biệt"}
    headers = officer(stack, PROVINCE)
    async with serving(stack) as client:
        round_ = await a_round(client, stack, "provincial", PROVINCE)
        url = f"/api/v1/rounds/{round_['id']}/imports"
        files = {"file": ("ho-so.csv", csv_bytes(rows), "text/csv")}
        dry = ok(await client.post(url, files=files, headers=headers), 200)
        done = ok(
            await client.post(url, params={"dry_run": "false"}, files=files, headers=headers), 200
        )
        entries = [
            ok(await client.get(f"/api/v1/entries/{r['entry_id']}", headers=headers), 200)
            for r in done["rows"]
        ]
        again = ok(
            await client.post(url, params={"dry_run": "false"}, files=files, headers=headers), 200
        )
    announced = await fetch(
        stack,
        "SELECT count(*) FROM registration.outbox WHERE event_type = 'FacilityRecorded' "
        "AND payload->'data'->>'facility_id' = ANY(:ids)",
        ids=[r["facility_id"] for r in done["rows"]],
    )
    assert [(r["entry_id"], r["created"]) for r in dry["rows"]] == [(None, [])] * 3
    first, second, same_facility = done["rows"]
    assert first["created"] == second["created"] == ["facility", "product", "entry"]
    assert same_facility["created"] == ["product", "entry"]
    assert same_facility["facility_id"] == second["facility_id"]
    assert len({r["product_id"] for r in done["rows"]}) == 3
    assert [(e["id"], e["product_id"], e["facility_id"]) for e in entries] == [
        (r["entry_id"], r["product_id"], r["facility_id"]) for r in done["rows"]
    ]
    assert [e["product_name"] for e in entries] == [r["product_name"] for r in rows]
    assert [(r["status"], r["entry_id"], r["created"]) for r in again["rows"]] == [
        ("existing", r["entry_id"], []) for r in done["rows"]
    ]
    assert announced == [(2,)]
    sequences = await fetch(
        stack,
        "SELECT (payload->'data'->>'registration_sequence')::bigint FROM registration.outbox "
        "WHERE event_type = 'ProductRegistered' AND payload->'data'->>'entry_id' = ANY(:ids)"
        " ORDER BY array_position(CAST(:ids AS text[]), payload->'data'->>'entry_id')",
        ids=[r["entry_id"] for r in done["rows"]],
    )
    in_file_order = [s for (s,) in sequences]
    assert len(in_file_order) == 3
    assert in_file_order == sorted(set(in_file_order))


async def test_the_dry_run_refuses_what_the_form_refuses_with_every_error_of_the_row(
    stack: Settings,
) -> None:
    """Issue 28 item 6: tax code "60099X", phone "điện thoại" and e-mail "abc" are refused by
    the one rule the API and the console's form apply; the refused row keeps its tax code and
    product name, and lists every problem, the cells' and the eligibility rules' alike."""
    good = {**good_row("", 1), "business_code": tax_code("import-rules-good")}
    bad = {
        **good_row("", 2),
        "business_code": "60099X",
        "phone": "điện thoại",
        "email": "abc",
        "product_name": "Giỏ lục bình Tháp Mười",
        "mass_producible": "không",
        "is_set": "maybe",
    }
    async with serving(stack) as client:
        round_ = await a_round(client, stack, "provincial", PROVINCE, year=2073)
        url = f"/api/v1/rounds/{round_['id']}/imports"
        files = {"file": ("ho-so.csv", csv_bytes([good, bad]), "text/csv")}
        report = ok(await client.post(url, files=files, headers=officer(stack, PROVINCE)), 200)
    first, second = report["rows"]
    assert first["status"] == "accepted"
    assert (second["status"], second["business_code"], second["product_name"]) == (
        "refused",
        "60099X",
        "Giỏ lục bình Tháp Mười",
    )
    assert {(e["field"], e["code"]) for e in second["errors"]} == {
        ("business_code", "invalid_tax_code"),
        ("phone", "invalid_phone"),
        ("email", "invalid_email"),
        ("is_set", "invalid_flag"),
        ("mass_producible", "declaration_missing"),
    }
    tax_rule = next(e for e in second["errors"] if e["code"] == "invalid_tax_code")
    assert tax_rule["message"].startswith("Mã số thuế gồm 10 chữ số")


async def test_the_api_refuses_a_tax_code_the_form_refuses(stack: Settings) -> None:
    body = {"name": "Cơ sở gốm Tân Vạn", "kind": "sme", "province_code": PROVINCE}
    async with serving(stack) as client:
        refused = await client.post(
            "/api/v1/facilities",
            json={**body, "business_code": "12AB", "contacts": {"phone": "điện thoại"}},
            headers=officer(stack, PROVINCE),
        )
    details = {(d["field"], d["code"]): d["message"] for d in error(refused, 422)["details"]}
    assert set(details) == {
        ("business_code", "invalid_tax_code"),
        ("contacts.phone", "invalid_phone"),
    }
    assert details[("contacts.phone", "invalid_phone")].startswith("Số điện thoại gồm")
