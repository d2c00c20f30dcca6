"""The support service (khuyến công): schemes, budgets and grants."""

from __future__ import annotations

from cnnt_contracts import SupportGranted
from cnnt_runtime.service import ServiceSpec
from support.adapters.tables import metadata
from support.entrypoints.http import build_router
from support.entrypoints.subscribers import build_subscribers

SERVICE = ServiceSpec(
    name="support",
    title="CNNT support",
    description="Industrial-extension (khuyến công) schemes, budgets and grants.",
    metadata=metadata,
    api=build_router,
    subscribers=build_subscribers,
    publishes=(SupportGranted,),
)
