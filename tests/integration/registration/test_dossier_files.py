"""Dossier files on both adapters of the one store: PostgreSQL (the default) and S3 against a
real SeaweedFS ``weed mini`` this module starts and stops by pid. Upload, read, dedupe, delete,
the orphan cleaner, presigned download; every bad file refused with its rule and nothing stored;
a photo's GPS EXIF gone. Files are made here (pypdf, Pillow), not committed."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import httpx
import pytest
from PIL import ExifTags, Image
from pypdf import PdfWriter

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from registration.entrypoints.http.dossiers import _file_settings
from registration.settings import FileSettings
from tests.integration.registration.registration_helpers import (
    error,
    fetch,
    officer,
    serving,
)
from tests.support.identifiers import tax_code
from tests.support.objectstore import ObjectStore, seaweedfs
from tests.support.scenario import DECLARED, ok
from tests.support.stack import bearer

# h32's reserved years: 2082 for the PostgreSQL adapter, 2083 for S3 (one round each).
CASES = {"postgres": ("son-la", 2082), "s3": ("son-la", 2083)}
ELSEWHERE = "dien-bien"
NOT_A_PDF = b"%PDF-1.7\n% not a real pdf\n" * 10
BROKEN_JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 200


@pytest.fixture(scope="module")
def weed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ObjectStore]:
    with seaweedfs(tmp_path_factory.mktemp("weed-logs")) as store:
        yield store


def pdf_bytes(pages: int = 1, note: str = "") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": f"Bản thuyết minh {note}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (800, 600), (180, 120, 40))
    exif = image.getexif()
    exif[ExifTags.Base.Make] = "CNNT test camera"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (12.0, 40.0, 0.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (108.0, 3.0, 0.0),
    }
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bomb() -> bytes:
    """100 million pixels in a few kilobytes: over the 40 million pixel budget."""
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


@dataclass
class Backend:
    name: str
    settings: FileSettings
    objects: Callable[[], Awaitable[set[str]]]  # the bucket's keys, or the chunks' digests


def file_settings(name: str, weed: ObjectStore | None, **limits: Any) -> FileSettings:
    base: dict[str, Any] = {"files_backend": name, "files_orphan_grace_minutes": 0, **limits}
    if weed is not None:
        base |= {
            "s3_endpoint": weed.endpoint,
            "s3_bucket": "cnnt-h32-dossier-files",
            "s3_access_key": weed.access_key,
            "s3_secret_key": weed.secret_key,
        }
    return FileSettings(**base)


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    entry_id: str,
    part: str,
    name: str,
    content: bytes,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/entries/{entry_id}/dossier/files",
        data={"part": part},
        files={"file": (name, content, "application/octet-stream")},
        headers=headers,
    )


async def an_entry(
    client: httpx.AsyncClient, stack: Settings, province: str, year: int, tag: str
) -> dict[str, Any]:
    headers = officer(stack, province)
    body = {
        "name": f"Bình chọn cấp tỉnh {province} {year}",
        "level": "provincial",
        "scope_code": province,
        "year": year,
        "opens_on": f"{year}-01-01",
        "closes_on": f"{year}-12-31",
    }
    round_ = ok(await client.post("/api/v1/rounds", json=body, headers=headers))
    ok(await client.post(f"/api/v1/rounds/{round_['id']}/open", headers=headers), 200)
    facility = ok(
        await client.post(
            "/api/v1/facilities",
            json={
                "name": "HTX Chè Shan tuyết Tà Xùa",
                "kind": "cooperative",
                "business_code": tax_code(f"h32-dossier-{tag}"),
                "province_code": province,
                "address": "Bắc Yên, Sơn La",
            },
            headers=headers,
        )
    )
    product = ok(
        await client.post(
            "/api/v1/products",
            json={"facility_id": facility["id"], "name": "Chè Shan tuyết", "group": "agro_food"},
            headers=headers,
        )
    )
    return ok(
        await client.post(
            f"/api/v1/rounds/{round_['id']}/entries",
            json={
                "product_id": product["id"],
                "declarations": DECLARED,
                "registered_on": f"{year}-03-02",
            },
            headers=bearer(stack, Role.MINISTRY),
        )
    )


async def stored_state(stack: Settings, backend: Backend, entry_id: str) -> tuple[Any, ...]:
    blobs = await fetch(stack, "SELECT sha256 FROM registration.file_blobs ORDER BY 1")
    files = await fetch(
        stack,
        "SELECT id FROM registration.dossier_files WHERE entry_id = CAST(:e AS uuid) ORDER BY 1",
        e=entry_id,
    )
    return (tuple(blobs), tuple(files), frozenset(await backend.objects()))


@pytest.mark.parametrize("backend_name", ["postgres", "s3"])
async def test_dossier_files_on_each_adapter(
    stack: Settings, backend_name: str, request: pytest.FixtureRequest
) -> None:
    weed: ObjectStore | None = request.getfixturevalue("weed") if backend_name == "s3" else None
    settings = file_settings(backend_name, weed)
    province, year = CASES[backend_name]
    async with serving(stack) as client:
        app = client.app  # type: ignore[attr-defined]
        app.dependency_overrides[_file_settings] = lambda: settings
        backend = await _backend(stack, backend_name, settings, weed)
        entry = await an_entry(client, stack, province, year, backend_name.upper())
        entry_id = entry["id"]
        headers = officer(stack, province)

        # An entry made through the API has an empty, open dossier with its parts and limits.
        empty = ok(await client.get(f"/api/v1/entries/{entry_id}/dossier", headers=headers), 200)
        assert empty["status"] == "open"
        assert empty["complete"] is False
        assert empty["missing"] == [
            "registration_form", "description", "photos", "business_registration",
        ]  # fmt: skip
        photos = next(p for p in empty["parts"] if p["code"] == "photos")
        assert (photos["min_files"], photos["max_files"]) == (1, settings.dossier_max_photos)
        assert "prior_recognition" not in [p["code"] for p in empty["parts"]]  # provincial

        # Upload and read back: a PDF as sent, a photo re-encoded without EXIF or GPS.
        description = pdf_bytes(2, backend_name)
        added = ok(
            await upload(client, headers, entry_id, "description", "Thuyết minh.pdf", description)
        )
        assert (added["kind"], added["size"]) == ("pdf", len(description))
        content = await client.get(f"/api/v1/dossier-files/{added['id']}/content", headers=headers)
        assert content.status_code == 200
        assert content.content == description
        assert content.headers["content-type"] == "application/pdf"
        assert content.headers["content-disposition"].startswith("inline;")
        assert "Thuy%E1%BA%BFt%20minh.pdf" in content.headers["content-disposition"]

        original = photo_with_gps()
        assert ExifTags.IFD.GPSInfo in Image.open(io.BytesIO(original)).getexif()
        shot = ok(await upload(client, headers, entry_id, "photos", "anh-san-pham.jpg", original))
        assert (shot["kind"], shot["width"], shot["height"], shot["has_thumbnail"]) == (
            "jpeg", 800, 600, True,
        )  # fmt: skip
        back = await client.get(f"/api/v1/dossier-files/{shot['id']}/content", headers=headers)
        image = Image.open(io.BytesIO(back.content))
        assert image.format == "JPEG"
        assert ExifTags.IFD.GPSInfo not in image.getexif()
        assert len(image.getexif()) == 0
        assert "exif" not in image.info
        thumb = await client.get(f"/api/v1/dossier-files/{shot['id']}/thumbnail", headers=headers)
        assert max(Image.open(io.BytesIO(thumb.content)).size) == 320

        # Dedupe: the same PDF in another part is a second file and the same single blob.
        again = ok(await upload(client, headers, entry_id, "other", "ban-sao.pdf", description))
        digests = await fetch(
            stack,
            "SELECT sha256 FROM registration.dossier_files"
            " WHERE id IN (CAST(:a AS uuid), CAST(:b AS uuid))",
            a=added["id"],
            b=again["id"],
        )
        assert digests[0][0] == digests[1][0]
        sha = digests[0][0]
        blobs = await fetch(
            stack, "SELECT count(*) FROM registration.file_blobs WHERE sha256=:s", s=sha
        )
        assert blobs[0][0] == 1
        assert sum(1 for key in await backend.objects() if sha in key) == 1

        # Presigned download: S3 hands out a URL the store serves without a token; PostgreSQL
        # streams through registration and says so.
        link = await client.get(f"/api/v1/dossier-files/{added['id']}/link", headers=headers)
        if backend_name == "s3":
            url = ok(link, 200)["url"]
            async with httpx.AsyncClient() as browser:
                fetched = await browser.get(url)
                assert fetched.status_code == 200
                assert fetched.content == description
                assert fetched.headers["content-type"] == "application/pdf"
                tampered = url.replace("X-Amz-Signature=", "X-Amz-Signature=0")
                assert (await browser.get(tampered)).status_code == 403
                assert (await browser.get(url.split("?")[0])).status_code == 403  # never public
        else:
            assert error(link, 409)["code"] == "presign_unsupported"

        # Each bad file is refused with its rule, and nothing of it is stored.
        before = await stored_state(stack, backend, entry_id)
        text_as_pdf = b"Day khong phai PDF, chi la van ban.\n" * 20
        bad: list[tuple[str, str, bytes, int, str]] = [
            ("registration_form", "fake.pdf", NOT_A_PDF, 422, "pdf_invalid"),
            ("registration_form", "ghi-chu.pdf", text_as_pdf, 422, "file_type_not_allowed"),
            ("photos", "trong.jpg", b"", 422, "file_empty"),
            ("photos", "bom.png", png_bomb(), 422, "image_too_many_pixels"),
            ("photos", "../../etc/anh.jpg", original, 422, "file_name_path"),
            ("photos", "anh\u202egpj.exe.jpg", original, 422, "file_name_control"),
            ("photos", "thuyet-minh.pdf", description, 422, "file_kind_not_allowed"),
            ("registration_form", "hong.jpg", BROKEN_JPEG, 422, "image_invalid"),
            ("nonsense", "x.pdf", description, 422, "dossier_part_unknown"),
            ("description", "thu-hai.pdf", pdf_bytes(1, "2"), 409, "dossier_part_full"),
        ]  # fmt: skip
        for part, name, data, status, code in bad:
            refusal = error(await upload(client, headers, entry_id, part, name, data), status)
            assert refusal["code"] == code, (name, refusal)
            assert refusal["field"] in ("file", "part"), refusal
            assert refusal["message"], refusal
        assert await stored_state(stack, backend, entry_id) == before

        # Size limits: per file (413) and per dossier (413), from the settings.
        app.dependency_overrides[_file_settings] = lambda: file_settings(
            backend_name, weed, dossier_max_file_bytes=4096
        )
        big = pdf_bytes(1, "x" * 8000)
        assert len(big) > 4096
        too_big = error(
            await upload(client, headers, entry_id, "quality_papers", "lon.pdf", big), 413
        )
        assert too_big["code"] == "file_too_large"
        held = ok(await client.get(f"/api/v1/entries/{entry_id}/dossier", headers=headers), 200)
        app.dependency_overrides[_file_settings] = lambda: file_settings(
            backend_name, weed, dossier_max_bytes=held["total_bytes"] + 100
        )
        full = error(
            await upload(client, headers, entry_id, "quality_papers", "cl.pdf", pdf_bytes(1, "q")),
            413,
        )
        assert full["code"] == "dossier_too_large"
        assert await stored_state(stack, backend, entry_id) == before
        app.dependency_overrides[_file_settings] = lambda: settings

        # The read policy: another province's officer and the public get nothing.
        other = officer(stack, ELSEWHERE)
        for path in (
            f"/api/v1/entries/{entry_id}/dossier",
            f"/api/v1/dossier-files/{added['id']}/content",
            f"/api/v1/dossier-files/{shot['id']}/thumbnail",
            f"/api/v1/dossier-files/{added['id']}/link",
        ):
            assert error(await client.get(path, headers=other), 403)["code"] == (
                "dossier_not_readable"
            )
            assert (await client.get(path)).status_code == 401
        assert (
            error(await upload(client, other, entry_id, "other", "x.pdf", description), 403)["code"]
            == "province_out_of_scope"
        )

        # Delete: the blob stays while another file holds it; the cleaner removes it after the
        # last one goes, and removes the bytes from the store too.
        view = ok(await client.get(f"/api/v1/entries/{entry_id}/dossier", headers=headers), 200)
        assert view["missing"] == ["registration_form", "business_registration"]
        gone = await client.delete(
            f"/api/v1/entries/{entry_id}/dossier/files/{added['id']}", headers=headers
        )
        assert gone.status_code == 204
        cleaner = bearer(stack, Role.OPERATOR)
        ok(await client.post("/api/v1/dossier-files/orphans/clean", headers=cleaner), 200)
        assert await fetch(stack, "SELECT 1 FROM registration.file_blobs WHERE sha256=:s", s=sha)
        assert any(sha in key for key in await backend.objects())
        kept = await client.get(f"/api/v1/dossier-files/{again['id']}/content", headers=headers)
        assert kept.content == description
        gone = await client.delete(
            f"/api/v1/entries/{entry_id}/dossier/files/{again['id']}", headers=headers
        )
        assert gone.status_code == 204
        assert (
            error(
                await client.get(f"/api/v1/dossier-files/{again['id']}/content", headers=headers),
                404,
            )["code"]
            == "file_not_found"
        )
        cleaned = ok(await client.post("/api/v1/dossier-files/orphans/clean", headers=cleaner), 200)
        assert cleaned["removed"] >= 1
        assert not await fetch(
            stack, "SELECT 1 FROM registration.file_blobs WHERE sha256=:s", s=sha
        )
        assert not any(sha in key for key in await backend.objects())
        # The photo and its thumbnail are referenced: the cleaner left them.
        still = await client.get(f"/api/v1/dossier-files/{shot['id']}/content", headers=headers)
        assert still.content == back.content
        steps = ok(await client.get(f"/api/v1/entries/{entry_id}/dossier", headers=headers), 200)
        assert [s["step"] for s in steps["steps"]] == [
            "file_added", "file_added", "file_added", "file_removed", "file_removed",
        ]  # fmt: skip
        assert {s["actor"] for s in steps["steps"]} == {f"province_officer:{province}"}


async def _backend(
    stack: Settings, name: str, settings: FileSettings, weed: ObjectStore | None
) -> Backend:
    if weed is None:

        async def pg_objects() -> set[str]:
            found = await fetch(stack, "SELECT DISTINCT sha256 FROM registration.file_chunks")
            return {row[0] for row in found}

        return Backend(name, settings, pg_objects)
    s3 = boto3.client(
        "s3",
        endpoint_url=weed.endpoint,
        aws_access_key_id=weed.access_key,
        aws_secret_access_key=weed.secret_key,
        region_name="us-east-1",
    )

    async def s3_objects() -> set[str]:
        try:
            listed = await asyncio.to_thread(s3.list_objects_v2, Bucket=settings.s3_bucket)
        except s3.exceptions.NoSuchBucket:
            return set()
        return {item["Key"] for item in listed.get("Contents", [])}

    return Backend(name, settings, s3_objects)
