"""Evaluation's consumers: thin — parse, call one handler."""

from __future__ import annotations

from typing import Annotated

from faststream.rabbit import RabbitRouter
from pydantic import Field

from cnnt_runtime.messaging.topology import consumer_queue, subscribe
from cnnt_runtime.service import Runtime, runtime_context
from evaluation.service_layer import intake

REGISTRATIONS = consumer_queue("evaluation.registrations")
DOSSIERS = consumer_queue("evaluation.dossiers")

RegistrationEvent = Annotated[intake.RegistrationEvent, Field(discriminator="event_type")]
DossierEvent = Annotated[intake.DossierEvent, Field(discriminator="event_type")]


def build_subscribers() -> RabbitRouter:
    router = RabbitRouter()

    @subscribe(router, REGISTRATIONS, "Rounds and entries to judge, from registration.")
    async def on_registration_event(
        event: RegistrationEvent, runtime: Runtime = runtime_context()
    ) -> None:
        await intake.apply_registration_event(runtime.uow(), REGISTRATIONS.name, event)

    @subscribe(router, DOSSIERS, "The desk's steps on each entry's dossier, from registration.")
    async def on_dossier_event(event: DossierEvent, runtime: Runtime = runtime_context()) -> None:
        await intake.apply_dossier_event(runtime.uow(), DOSSIERS.name, event)

    return router
