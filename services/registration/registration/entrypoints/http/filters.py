"""Query filters shared by the list endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from cnnt_contracts.vocabulary import FacilityKind, ProductGroup
from registration.service_layer.queries import Filters


async def list_filters(  # async: no worker-thread hop per request
    province: Annotated[
        str | None,
        Query(max_length=40, description="Current unit; its earlier provinces are included"),
    ] = None,
    kind: FacilityKind | None = None,
    group: ProductGroup | None = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Name search, diacritics optional")
    ] = None,
) -> Filters:
    return Filters(province=province, kind=kind, group=group, q=q)


FiltersDep = Annotated[Filters, Depends(list_filters)]
