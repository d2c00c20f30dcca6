"""Certification's commands: what a route or a client asks the service layer to do, as
frozen dataclasses (a route maps its body to one; the use case carries it out)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from certification.domain.decisions import Signature


@dataclass(frozen=True)
class Decide:
    """Confirm a round's results (Quyết định công nhận), declining some passed entries."""

    number: str
    decided_on: date
    exclusions: dict[UUID, str] = field(default_factory=dict)
    signature: Signature = field(default_factory=Signature)


@dataclass(frozen=True)
class Correct:
    number: str
    decided_on: date
    reason: str
    recognise: Sequence[UUID]


@dataclass(frozen=True)
class Revoke:
    """Revoke a certificate (Quyết định thu hồi) with the reason."""

    number: str
    decided_on: date
    reason: str
