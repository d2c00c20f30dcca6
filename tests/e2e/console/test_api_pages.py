"""Each service's Swagger UI and AsyncAPI page open with no internet: every asset they load
comes from the service itself."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Route, expect

from cnnt_runtime.settings import Settings
from tests.e2e.console.conftest import vietnamese_context

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("service", ["registration", "evaluation"])
async def test_the_api_pages_render_from_the_services_own_assets(
    browser: Browser, console: Settings, service: str
) -> None:
    base = console.base_url(service)
    context = await vietnamese_context(browser, base)
    elsewhere: list[str] = []

    async def only_the_service(route: Route) -> None:
        if route.request.url.startswith(base):
            await route.continue_()
        else:  # the machine is offline: a page needing another host would break here
            elsewhere.append(route.request.url)
            await route.abort()

    await context.route("**/*", only_the_service)
    page = await context.new_page()
    try:
        await page.goto("/docs")
        await expect(page.locator(".swagger-ui .info .title")).to_contain_text("CNNT")
        await expect(page.locator(".opblock").first).to_be_visible()

        await page.goto("/asyncapi")
        await expect(page.locator("#asyncapi")).to_contain_text("events")
        await expect(page.locator("#asyncapi")).to_contain_text(".v1")
    finally:
        await context.close()
    assert elsewhere == []
