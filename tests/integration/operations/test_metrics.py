"""Prometheus metrics every service exposes."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from cnnt_shared.auth import Role
from cnnt_shared.settings import Settings
from tests.support.scenario import (
    facility_with_product,
    ok,
    open_provincial_round,
    register,
    registered_event,
)
from tests.support.stack import bearer, eventually, publish, running_service


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_metrics_count_events_backlog_dead_letters_and_http_latency(stack: Settings) -> None:
    async with (
        running_service("registration", stack) as registration,
        running_service("evaluation", stack) as evaluation,
    ):
        round_ = await open_provincial_round(registration, stack, "dak-lak")
        _, product = await facility_with_product(registration, stack, "dak-lak")
        ok(await register(registration, stack, "dak-lak", round_["id"], product["id"]))
        await publish(stack, registered_event())
        await evaluation.get("/api/v1/rounds/x/entries", headers=bearer(stack, Role.MINISTRY))

        async def consumed() -> float:
            found = samples((await evaluation.get("/metrics")).text)
            key = (
                "cnnt_events_consumed_total",
                (
                    ("event_type", "ProductRegistered"),
                    ("queue", "evaluation.registrations"),
                    ("service", "evaluation"),
                ),
            )
            return found.get(key, 0)

        assert await eventually(consumed) >= 2
        registration_metrics = samples((await registration.get("/metrics")).text)
        evaluation_metrics = samples((await evaluation.get("/metrics")).text)

    published = registration_metrics[
        (
            "cnnt_events_published_total",
            (("event_type", "ProductRegistered"), ("service", "registration")),
        )
    ]
    assert published >= 1
    assert registration_metrics[("cnnt_outbox_backlog", (("service", "registration"),))] == 0
    assert (
        "cnnt_outbox_oldest_age_seconds",
        (("service", "registration"),),
    ) in registration_metrics
    assert (
        evaluation_metrics[("cnnt_dead_letter_depth", (("queue", "evaluation.registrations.dlq"),))]
        >= 0
    )
    latency = [
        labels
        for (name, labels) in evaluation_metrics
        if name == "cnnt_http_request_duration_seconds_count"
    ]
    assert (
        ("method", "GET"),
        ("route", "/api/v1/rounds/{round_id}/entries"),
        ("service", "evaluation"),
        ("status", "422"),
    ) in latency
