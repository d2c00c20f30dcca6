"""Prometheus metrics every service exposes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from prometheus_client.parser import text_string_to_metric_families

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
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


DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
# Names from our services and FastStream's middleware; `up` is Prometheus's own.
METRIC = re.compile(r"\b(?:cnnt|faststream)_[a-z0-9_]+\b")
SERIES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}


def exported_names(text: str) -> set[str]:
    """Every series name the exposition declares (a labelled counter that has counted nothing
    yet is declared all the same) or holds a sample of."""
    names: set[str] = set()
    for family in text_string_to_metric_families(text):
        names |= {family.name + suffix for suffix in SERIES.get(family.type, ("",))}
        names |= {s.name for s in family.samples}
    return names


def used_names() -> set[str]:
    rules = yaml.safe_load((DEPLOY / "prometheus/alerts.yml").read_text())["groups"]
    exprs = [str(rule["expr"]) for group in rules for rule in group["rules"]]
    for path in (DEPLOY / "grafana/dashboards").glob("*.json"):
        panels = json.loads(path.read_text())["panels"]
        exprs += [t["expr"] for panel in panels for t in panel.get("targets", [])]
    return {name for expr in exprs for name in METRIC.findall(expr)}


async def test_every_metric_the_alerts_and_the_dashboard_use_is_one_the_services_export(
    stack: Settings,
) -> None:
    async with (
        running_service("registration", stack) as registration,
        running_service("evaluation", stack) as evaluation,
        running_service("certification", stack) as certification,
        running_service("support", stack) as support,
    ):
        round_ = await open_provincial_round(registration, stack, "dak-lak")
        _, product = await facility_with_product(registration, stack, "dak-lak")
        ok(await register(registration, stack, "dak-lak", round_["id"], product["id"]))
        clients = {
            "registration": registration,
            "evaluation": evaluation,
            "certification": certification,
            "support": support,
        }

        async def scraped() -> dict[str, str] | None:
            texts = {name: (await c.get("/metrics")).text for name, c in clients.items()}
            handled = samples(texts["evaluation"]).get(
                (
                    "faststream_received_processed_messages_total",
                    (
                        ("app_name", "evaluation"),
                        ("broker", "rabbitmq"),
                        ("handler", "cnnt.events.registration.product_registered.v1"),
                        ("status", "acked"),
                    ),
                ),
                0,
            )
            return texts if handled >= 1 else None

        texts = await eventually(scraped)

    exported = set().union(*(exported_names(text) for text in texts.values()))
    used = used_names()
    assert {
        "cnnt_readiness",
        "cnnt_consumer_queue_depth",
        "faststream_received_messages_total",
    } <= (used | exported)
    assert used, "no metric found in the alert rules and dashboard"
    assert used <= exported, f"used but exported by no service: {sorted(used - exported)}"
    for name, text in texts.items():
        found = samples(text)
        checks = {k[1] for k, v in found.items() if k[0] == "cnnt_readiness" and v == 1}
        assert {dict(labels)["check"] for labels in checks} == {
            "database",
            "broker",
            "outbox_relay",
        }, name
        consumers = [v for k, v in found.items() if k[0] == "cnnt_consumer_queue_consumers"]
        assert consumers, name
        assert min(consumers) >= 1, name
