"""Registration's consumers: thin — parse, call one handler."""

from __future__ import annotations

from typing import Annotated

from faststream.rabbit import RabbitRouter
from pydantic import Field

from cnnt_runtime.messaging.topology import consumer_queue, subscribe
from cnnt_runtime.service import Runtime, runtime_context
from registration.service_layer import intake

RECOGNITIONS = consumer_queue("registration.recognitions")

RecognitionEvent = Annotated[intake.RecognitionEvent, Field(discriminator="event_type")]


def build_subscribers() -> RabbitRouter:
    router = RabbitRouter()

    @subscribe(router, RECOGNITIONS, "Recognitions, for regional and national eligibility.")
    async def on_recognition_event(
        event: RecognitionEvent, runtime: Runtime = runtime_context()
    ) -> None:
        await intake.apply_recognition_event(runtime.uow(), RECOGNITIONS.name, event)

    return router
