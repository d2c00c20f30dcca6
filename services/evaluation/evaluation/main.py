"""The evaluation service (chấm điểm): juries, conflicts of interest, score sheets."""

from __future__ import annotations

from cnnt_contracts import JudgingClosed, JuryMemberAppointed, ScoreSubmitted, SheetSetAside
from cnnt_runtime.service import ServiceSpec
from evaluation.adapters.tables import metadata
from evaluation.entrypoints.http import build_router
from evaluation.entrypoints.subscribers import build_subscribers

SERVICE = ServiceSpec(
    name="evaluation",
    title="CNNT evaluation",
    description="Juries, conflicts of interest and score sheets (phiếu chấm điểm).",
    metadata=metadata,
    api=build_router,
    subscribers=build_subscribers,
    publishes=(ScoreSubmitted, SheetSetAside, JudgingClosed, JuryMemberAppointed),
)
