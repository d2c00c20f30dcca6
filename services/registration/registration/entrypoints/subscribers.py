"""Registration's consumers. Recognitions (for regional and national eligibility) come with
the registration issue; the router exists so the wiring is the same in every service."""

from __future__ import annotations

from faststream.rabbit import RabbitRouter


def build_subscribers() -> RabbitRouter:
    return RabbitRouter()
