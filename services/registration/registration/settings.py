"""Registration's own settings (``CNNT_*``): where dossier files are kept and their limits.

- ``CNNT_FILES_BACKEND``: ``postgres`` (the default: blobs in registration's schema, nothing else
  to run) or ``s3`` (any S3-compatible object store; downloads by presigned URL).
- ``CNNT_S3_ENDPOINT`` (empty: AWS), ``CNNT_S3_PUBLIC_ENDPOINT`` (the address browsers use for
  presigned links, when it differs), ``CNNT_S3_REGION``, ``CNNT_S3_BUCKET``,
  ``CNNT_S3_ACCESS_KEY``, ``CNNT_S3_SECRET_KEY``, ``CNNT_S3_PRESIGN_SECONDS``.
- ``CNNT_DOSSIER_MAX_FILE_BYTES`` per file, ``CNNT_DOSSIER_MAX_BYTES`` per dossier,
  ``CNNT_DOSSIER_MAX_PHOTOS``, ``CNNT_DOSSIER_MAX_IMAGE_PIXELS`` (decompression bombs);
  ``CNNT_FILES_ORPHAN_GRACE_MINUTES``: how old an unreferenced blob is before the cleaner
  removes it. A file's multipart body must also fit ``CNNT_MAX_UPLOAD_BYTES``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class FileSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CNNT_", env_file=".env", extra="ignore")

    files_backend: Literal["postgres", "s3"] = "postgres"
    s3_endpoint: str = ""
    s3_public_endpoint: str = ""
    s3_region: str = "us-east-1"
    s3_bucket: str = "cnnt-dossiers"
    s3_access_key: SecretStr = SecretStr("")
    s3_secret_key: SecretStr = SecretStr("")
    s3_presign_seconds: int = Field(default=300, ge=10, le=7 * 24 * 3600)

    dossier_max_file_bytes: int = Field(default=10_000_000, ge=1024)
    dossier_max_bytes: int = Field(default=60_000_000, ge=1024)
    dossier_max_photos: int = Field(default=8, ge=1, le=50)
    dossier_max_image_pixels: int = Field(default=40_000_000, ge=10_000)
    files_orphan_grace_minutes: int = Field(default=60, ge=0)

    @model_validator(mode="after")
    def _s3_needs_credentials(self) -> FileSettings:
        if self.files_backend == "s3" and not (
            self.s3_access_key.get_secret_value() and self.s3_secret_key.get_secret_value()
        ):
            raise ValueError(
                "CNNT_FILES_BACKEND=s3 needs CNNT_S3_ACCESS_KEY and CNNT_S3_SECRET_KEY"
            )
        return self


@lru_cache
def get_file_settings() -> FileSettings:
    return FileSettings()
