"""Support's consumers."""

from __future__ import annotations

from faststream.rabbit import RabbitRouter


def build_subscribers() -> RabbitRouter:
    return RabbitRouter()
