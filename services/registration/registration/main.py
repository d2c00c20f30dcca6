"""The registration service (đăng ký bình chọn): facilities, products, rounds, entries."""

from __future__ import annotations

from cnnt_contracts import (
    DossierAccepted,
    DossierReceived,
    DossierReturned,
    EntryWithdrawn,
    FacilityRecorded,
    ProductRegistered,
    RoundClosed,
    RoundOpened,
    SampleRecorded,
)
from cnnt_runtime.service import ServiceSpec
from registration.adapters.tables import metadata
from registration.entrypoints.http import build_router
from registration.entrypoints.subscribers import build_subscribers

SERVICE = ServiceSpec(
    name="registration",
    title="CNNT registration",
    description="Facilities, products, rounds and eligible entries (đăng ký bình chọn).",
    metadata=metadata,
    api=build_router,
    subscribers=build_subscribers,
    publishes=(
        ProductRegistered,
        RoundOpened,
        RoundClosed,
        EntryWithdrawn,
        FacilityRecorded,
        DossierReceived,
        SampleRecorded,
        DossierReturned,
        DossierAccepted,
    ),
)
