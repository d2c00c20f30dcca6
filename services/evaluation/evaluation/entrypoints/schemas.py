"""Evaluation's HTTP schemas."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from cnnt_shared.contracts.vocabulary import ProductGroup


class EntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    round_id: UUID
    product_id: UUID
    product_name: str
    product_group: ProductGroup
    facility_id: UUID
    facility_name: str
    province_code: str
    registered_at: datetime
