"""A service started as compose starts it (`cnnt-service serve`) sends its traces over OTLP/HTTP
once ``OTEL_EXPORTER_OTLP_ENDPOINT`` names a collector, and its log line for the request names the
same trace. The collector here is a stand-in that decodes what it receives with the OTLP
protobuf definitions (the real collector cannot be pulled on these machines)."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from cnnt_runtime.settings import Settings
from tests.support.processes import serving
from tests.support.scenario import facility_with_product
from tests.support.stack import eventually

pytestmark = pytest.mark.e2e


@contextmanager
def stand_in_collector() -> Iterator[tuple[str, list[ExportTraceServiceRequest]]]:
    received: list[ExportTraceServiceRequest] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            if self.path == "/v1/traces":
                received.append(ExportTraceServiceRequest.FromString(body))
            answer = ExportTraceServiceResponse().SerializeToString()
            self.send_response(200 if self.path == "/v1/traces" else 404)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


def _json_lines(folder: Path, pattern: str) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for path in folder.glob(pattern)
        for line in path.read_text().splitlines()
        if line.startswith("{")
    ]


def _spans(received: list[ExportTraceServiceRequest]) -> list[tuple[str, str, Any]]:
    """(service.name, span name, span) of everything received so far."""
    found = []
    for request in list(received):
        for resource_spans in request.resource_spans:
            attributes = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope in resource_spans.scope_spans:
                found += [(attributes["service.name"], s.name, s) for s in scope.spans]
    return found


async def test_a_service_process_exports_its_traces_over_otlp_and_logs_their_ids(
    stack: Settings, tmp_path: Path
) -> None:
    with stand_in_collector() as (endpoint, received):
        env = {
            "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
            "OTEL_BSP_SCHEDULE_DELAY": "200",
            "CNNT_LOG_FORMAT": "json",
        }
        async with serving("registration", extra_env=env, logs=tmp_path) as settings:
            async with httpx.AsyncClient(base_url=settings.base_url("registration")) as client:
                await facility_with_product(client, stack, "gia-lai")

            async def exported() -> list[Any]:
                return [
                    span
                    for service, name, span in _spans(received)
                    if (service, name) == ("registration", "POST /api/v1/facilities")
                ]

            (request,) = await eventually(exported, timeout=30)

    names = {name for _, name, _ in _spans(received)}
    assert "POST /api/v1/products" in names
    assert not {n for n in names if n.startswith(("GET /readyz", "GET /metrics"))}
    queries = [s for _, _, s in _spans(received) if s.parent_span_id == request.span_id]
    assert queries, "the request's SQL statements are its children"
    # The request's log line names the trace and the span the collector received.
    (logged,) = [
        line
        for line in _json_lines(tmp_path, "registration-*.log")
        if line.get("event") == "http_request" and line.get("path") == "/api/v1/facilities"
    ]
    assert logged["trace_id"] == request.trace_id.hex()
    assert logged["span_id"] == request.span_id.hex()
