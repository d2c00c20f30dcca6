"""The error handlers on a bare app: an unexpected error is a 500 in the one error shape."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from cnnt_runtime.http.errors import install_error_handlers


async def test_an_unexpected_error_is_a_500_in_the_error_shape_not_plain_text() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/broken")
    async def broken() -> None:
        raise RuntimeError("a bug")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/broken")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["code"] == "internal_error"
    assert "a bug" not in response.text  # internals are logged, not shown
