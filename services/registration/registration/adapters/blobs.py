"""Where dossier files' bytes live: one port (``BlobStore``), two adapters.

- ``PostgresBlobs`` (the default): chunks of 1 MiB in ``registration.file_chunks``, written in one
  transaction and read one chunk at a time, so neither way holds a whole file.
- ``S3Blobs``: any S3-compatible object store, through boto3 — the AWS SDK, the client every S3
  server (AWS, SeaweedFS, MinIO, Ceph RGW, Garage) tests against, with managed multipart uploads
  from a file and SigV4 presigned URLs. Its calls are blocking: they run in worker threads.

Blobs are named by the SHA-256 of their bytes (``sha256/ab/cd/abcd…``), so writing one twice
stores it once and a name never changes meaning. Which blobs exist, and which are referenced,
is kept in registration's tables by the service layer; the adapters only move bytes. Only
registration's code reads the store.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import IO, Any, Protocol
from urllib.parse import quote

import anyio
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from registration.adapters.tables import FileChunkRow
from registration.settings import FileSettings

CHUNK = 1024 * 1024


class BlobStore(Protocol):
    name: str

    async def write(self, sha256: str, body: IO[bytes], size: int, content_type: str) -> None:
        """Store ``body`` (read from 0) under its digest; storing it again changes nothing."""

    def read(self, sha256: str) -> AsyncIterator[bytes]:
        """The blob's bytes, chunk by chunk."""

    async def remove(self, sha256: str) -> None:
        """Forget the blob (the orphan cleaner's call)."""

    async def exists(self, sha256: str) -> bool: ...

    async def presigned_url(
        self, sha256: str, *, file_name: str, content_type: str, inline: bool
    ) -> str | None:
        """A time-limited URL the browser fetches from the store itself, or None when the
        store has no such thing (PostgreSQL: registration streams the file)."""


def disposition(file_name: str, *, inline: bool) -> str:
    """RFC 6266 ``Content-Disposition`` with the name in UTF-8 (Vietnamese names survive)."""
    kind = "inline" if inline else "attachment"
    ascii_name = file_name.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name, safe='')}"


class PostgresBlobs:
    name = "postgres"

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def write(self, sha256: str, body: IO[bytes], size: int, content_type: str) -> None:
        body.seek(0)
        async with self._sessions() as session, session.begin():
            seq = 0
            while chunk := await anyio.to_thread.run_sync(body.read, CHUNK):
                await session.execute(
                    insert(FileChunkRow)
                    .values(sha256=sha256, seq=seq, data=chunk)
                    .on_conflict_do_nothing()
                )
                seq += 1

    async def read(self, sha256: str) -> AsyncIterator[bytes]:
        seq = 0
        while True:
            async with self._sessions() as session:
                data = await session.scalar(
                    select(col(FileChunkRow.data)).where(
                        col(FileChunkRow.sha256) == sha256, col(FileChunkRow.seq) == seq
                    )
                )
            if data is None:
                return
            yield bytes(data)
            seq += 1

    async def remove(self, sha256: str) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(delete(FileChunkRow).where(col(FileChunkRow.sha256) == sha256))

    async def exists(self, sha256: str) -> bool:
        async with self._sessions() as session:
            found = await session.scalar(
                select(col(FileChunkRow.seq)).where(
                    col(FileChunkRow.sha256) == sha256, col(FileChunkRow.seq) == 0
                )
            )
        return found is not None

    async def presigned_url(
        self, sha256: str, *, file_name: str, content_type: str, inline: bool
    ) -> str | None:
        return None


def key_of(sha256: str) -> str:
    return f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


class S3Blobs:
    name = "s3"

    def __init__(self, settings: FileSettings) -> None:
        import boto3  # imported here: a PostgreSQL-only process never loads botocore
        from botocore.config import Config

        self.bucket = settings.s3_bucket
        self.expires = settings.s3_presign_seconds
        config = Config(
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            retries={"max_attempts": 3, "mode": "standard"},
            max_pool_connections=20,
        )
        common: dict[str, Any] = {
            "region_name": settings.s3_region,
            "aws_access_key_id": settings.s3_access_key.get_secret_value(),
            "aws_secret_access_key": settings.s3_secret_key.get_secret_value(),
            "config": config,
        }
        self._client = boto3.client("s3", endpoint_url=settings.s3_endpoint or None, **common)
        public = settings.s3_public_endpoint or settings.s3_endpoint or None
        self._signer = boto3.client("s3", endpoint_url=public, **common)
        self._bucket_ready = False

    async def ensure_bucket(self) -> None:
        if self._bucket_ready:
            return
        from botocore.exceptions import ClientError

        try:
            await anyio.to_thread.run_sync(lambda: self._client.head_bucket(Bucket=self.bucket))
        except ClientError:
            await anyio.to_thread.run_sync(lambda: self._client.create_bucket(Bucket=self.bucket))
        self._bucket_ready = True

    async def write(self, sha256: str, body: IO[bytes], size: int, content_type: str) -> None:
        await self.ensure_bucket()
        body.seek(0)

        def upload() -> None:  # multipart above boto3's threshold, from the file, not memory
            self._client.upload_fileobj(
                body,
                self.bucket,
                key_of(sha256),
                ExtraArgs={"ContentType": content_type, "Metadata": {"sha256": sha256}},
            )

        await anyio.to_thread.run_sync(upload)

    async def read(self, sha256: str) -> AsyncIterator[bytes]:
        answer = await anyio.to_thread.run_sync(
            lambda: self._client.get_object(Bucket=self.bucket, Key=key_of(sha256))
        )
        stream = answer["Body"]
        try:
            while chunk := await anyio.to_thread.run_sync(stream.read, CHUNK):
                yield chunk
        finally:
            stream.close()

    async def remove(self, sha256: str) -> None:
        await anyio.to_thread.run_sync(
            lambda: self._client.delete_object(Bucket=self.bucket, Key=key_of(sha256))
        )

    async def exists(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            await anyio.to_thread.run_sync(
                lambda: self._client.head_object(Bucket=self.bucket, Key=key_of(sha256))
            )
        except ClientError:
            return False
        return True

    async def presigned_url(
        self, sha256: str, *, file_name: str, content_type: str, inline: bool
    ) -> str | None:
        params = {
            "Bucket": self.bucket,
            "Key": key_of(sha256),
            "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition(file_name, inline=inline),
        }
        url: str = await anyio.to_thread.run_sync(
            lambda: self._signer.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=self.expires
            )
        )
        return url


def build_store(settings: FileSettings, sessions: async_sessionmaker[AsyncSession]) -> BlobStore:
    if settings.files_backend == "s3":
        return S3Blobs(settings)
    return PostgresBlobs(sessions)
