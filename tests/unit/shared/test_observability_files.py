"""deploy/'s observability files, checked by the tools themselves where they install here:
Prometheus's configuration and alert rules with `promtool` (Debian's `prometheus` package, which
.ci/run installs), each alert proved by `promtool test rules`; the Grafana dashboard, its
provisioning and the collector's pipeline read as their tools would read them. That every metric
they use is one the services export: tests/integration/operations/test_metrics.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
PROMETHEUS = DEPLOY / "prometheus"
RULES = PROMETHEUS / "alerts.yml"
RULE_TESTS = PROMETHEUS / "alerts.test.yml"
DASHBOARDS = DEPLOY / "grafana" / "dashboards"


def promtool(*args: str) -> str:
    if shutil.which("promtool") is None:
        pytest.skip("promtool is not installed (Debian package `prometheus`; .ci/run installs it)")
    done = subprocess.run(
        ["promtool", *args], cwd=PROMETHEUS, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def alerts() -> list[dict[str, Any]]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def test_promtool_accepts_the_scrape_configuration_and_its_rule_files() -> None:
    out = promtool("check", "config", "prometheus.yml")
    assert "1 rule files found" in out


def test_promtool_accepts_the_alert_rules() -> None:
    out = promtool("check", "rules", "alerts.yml")
    assert f"{len(alerts())} rules found" in out


def test_each_alert_fires_on_its_condition_and_only_then() -> None:
    promtool("test", "rules", "alerts.test.yml")
    cases = [
        case
        for test in yaml.safe_load(RULE_TESTS.read_text())["tests"]
        for case in test.get("alert_rule_test", [])
    ]
    for rule in alerts():
        mine = [c for c in cases if c["alertname"] == rule["alert"]]
        assert any(c["exp_alerts"] for c in mine), f"no test shows {rule['alert']} firing"
        assert any(not c["exp_alerts"] for c in mine), f"no test shows {rule['alert']} quiet"


def _anchors(markdown: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#{1,6} (.+)$", markdown, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_each_alert_waits_has_a_severity_and_leads_to_its_runbook_section() -> None:
    anchors = _anchors((DEPLOY / "RUNBOOK.md").read_text())
    for rule in alerts():
        assert re.fullmatch(r"\d+[smh]", rule["for"]), rule["alert"]
        assert rule["labels"]["severity"] in {"warning", "critical"}
        notes = rule["annotations"]
        assert notes["summary"]
        assert notes["description"]
        path, anchor = notes["runbook_url"].split("#")
        assert path == "deploy/RUNBOOK.md"
        assert anchor in anchors, f"{rule['alert']}: RUNBOOK.md has no section #{anchor}"


def _dashboard_targets() -> list[dict[str, Any]]:
    targets: list[dict[str, Any]] = []
    for path in DASHBOARDS.glob("*.json"):
        for panel in json.loads(path.read_text())["panels"]:
            targets += panel.get("targets", [])
    return targets


def test_grafana_provisions_the_dashboards_from_their_data_source() -> None:
    sources = yaml.safe_load((DEPLOY / "grafana/provisioning/datasources/cnnt.yml").read_text())
    uids = {s["uid"]: s for s in sources["datasources"]}
    assert uids["cnnt-prometheus"]["url"] == "http://prometheus:9090"
    providers = yaml.safe_load((DEPLOY / "grafana/provisioning/dashboards/cnnt.yml").read_text())
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    grafana = compose["services"]["grafana"]
    assert (
        f"./grafana/dashboards:{providers['providers'][0]['options']['path']}:ro"
        in (grafana["volumes"])
    )
    targets = _dashboard_targets()
    assert targets
    for target in targets:
        assert target["datasource"]["uid"] in uids
        assert target["expr"].strip()
    ids = [p["id"] for p in json.loads((DASHBOARDS / "cnnt-services.json").read_text())["panels"]]
    assert len(ids) == len(set(ids))


def test_the_collectors_pipeline_uses_only_what_it_defines_and_reaches_jaeger() -> None:
    config = yaml.safe_load((DEPLOY / "otel-collector/config.yaml").read_text())
    traces = config["service"]["pipelines"]["traces"]
    for kind in ("receivers", "processors", "exporters"):
        assert set(traces[kind]) <= set(config[kind]), kind
    assert config["exporters"]["otlp/jaeger"]["endpoint"] == "jaeger:4317"
    assert config["receivers"]["otlp"]["protocols"]["http"]["endpoint"].endswith(":4318")
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())["services"]
    for name in ("prometheus", "grafana", "otel-collector", "jaeger"):
        assert compose[name]["profiles"] == ["observability"], name
    # Without the profile nothing changes: no service of the stack waits for these.
    for name, service in compose.items():
        if "profiles" not in service:
            assert not {"prometheus", "grafana", "otel-collector", "jaeger"} & set(
                service.get("depends_on") or []
            ), name
