"""Support's consumers: thin — parse, call one handler."""

from __future__ import annotations

from typing import Annotated

from faststream.rabbit import RabbitRouter
from pydantic import Field

from cnnt_contracts import FacilityRecorded
from cnnt_runtime.messaging.topology import consumer_queue, subscribe
from cnnt_runtime.service import Runtime, runtime_context
from support.service_layer import intake

RECOGNITIONS = consumer_queue("support.recognitions")
FACILITIES = consumer_queue("support.facilities")

RecognitionEvent = Annotated[intake.RecognitionEvent, Field(discriminator="event_type")]


def build_subscribers() -> RabbitRouter:
    router = RabbitRouter()

    @subscribe(router, RECOGNITIONS, "Recognitions and revocations: they drive support priority.")
    async def on_recognition_event(
        event: RecognitionEvent, runtime: Runtime = runtime_context()
    ) -> None:
        await intake.apply_recognition_event(runtime.uow(), RECOGNITIONS.name, event)

    @subscribe(router, FACILITIES, "Facilities registration records: only they may apply.")
    async def on_facility_recorded(
        event: FacilityRecorded, runtime: Runtime = runtime_context()
    ) -> None:
        await intake.apply_facility_recorded(runtime.uow(), FACILITIES.name, event)

    return router
