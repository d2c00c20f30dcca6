"""Certification's consumers: thin — parse, call one handler."""

from __future__ import annotations

from typing import Annotated

from faststream.rabbit import RabbitRouter
from pydantic import Field

from certification.service_layer import intake
from cnnt_runtime.messaging.topology import consumer_queue, subscribe
from cnnt_runtime.service import Runtime, runtime_context

REGISTRATIONS = consumer_queue("certification.registrations")
SCORES = consumer_queue("certification.scores")

RegistrationEvent = Annotated[intake.RegistrationEvent, Field(discriminator="event_type")]
ScoreEvent = Annotated[intake.ScoreEvent, Field(discriminator="event_type")]


def build_subscribers() -> RabbitRouter:
    router = RabbitRouter()

    @subscribe(router, REGISTRATIONS, "Rounds (with their result settings) and entries.")
    async def on_registration_event(
        event: RegistrationEvent, runtime: Runtime = runtime_context()
    ) -> None:
        await intake.apply_registration_event(runtime.uow(), REGISTRATIONS.name, event)

    @subscribe(router, SCORES, "Score sheets (the tally) and the close of judging.")
    async def on_score_event(event: ScoreEvent, runtime: Runtime = runtime_context()) -> None:
        # Batched: the tally's effects commute and each event keeps its inbox claim
        # (docs/consumers.md); deliveries handled together commit together.
        await runtime.batched(SCORES.name, intake.apply_score_events).apply(event)

    return router
