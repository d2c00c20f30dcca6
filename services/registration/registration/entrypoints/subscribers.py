"""Registration's consumers: thin — parse, call one handler."""

from __future__ import annotations

from typing import Annotated

from faststream.rabbit import RabbitRouter
from pydantic import Field

from cnnt_contracts import JuryMemberAppointed
from cnnt_runtime.messaging.topology import consumer_queue, subscribe
from cnnt_runtime.service import Runtime, runtime_context
from registration.service_layer import intake

RECOGNITIONS = consumer_queue("registration.recognitions")
JURIES = consumer_queue("registration.juries")

RecognitionEvent = Annotated[intake.RecognitionEvent, Field(discriminator="event_type")]


def build_subscribers() -> RabbitRouter:
    router = RabbitRouter()

    @subscribe(router, RECOGNITIONS, "Recognitions, for regional and national eligibility.")
    async def on_recognition_event(
        event: RecognitionEvent, runtime: Runtime = runtime_context()
    ) -> None:
        await intake.apply_recognition_event(runtime.uow(), RECOGNITIONS.name, event)

    @subscribe(router, JURIES, "Jury seats: the round's jury reads its entries' dossiers.")
    async def on_jury_member(
        event: JuryMemberAppointed, runtime: Runtime = runtime_context()
    ) -> None:
        await intake.apply_jury_member(runtime.uow(), JURIES.name, event)

    return router
