"""The certification service (công nhận): results, decisions, certificates."""

from __future__ import annotations

from certification.adapters.tables import metadata
from certification.entrypoints.http import build_router
from certification.entrypoints.subscribers import build_subscribers
from cnnt_contracts import ProductRecognized, RecognitionRevoked
from cnnt_runtime.service import ServiceSpec

SERVICE = ServiceSpec(
    name="certification",
    title="CNNT certification",
    description="Results, decisions (quyết định) and certificates (giấy chứng nhận).",
    metadata=metadata,
    api=build_router,
    subscribers=build_subscribers,
    publishes=(ProductRecognized, RecognitionRevoked),
)
