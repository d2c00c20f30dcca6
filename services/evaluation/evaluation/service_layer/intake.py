"""What evaluation learns from registration: the rounds and entries to judge, and how many
entries a round closed with. Every effect is idempotent on its own as well as behind the inbox
(an entry that overtakes its round's opening is kept)."""

from __future__ import annotations

from cnnt_runtime.db import replicas
from cnnt_runtime.db.types import table_of
from evaluation.adapters.tables import EntryRow, RoundRow

RegistrationEvent = replicas.RegistrationEvent

registrations = replicas.RoundReplica(
    table_of(RoundRow),
    table_of(EntryRow),
    defaults={"name": ""},
    opened=lambda data: {"name": data.name},
    # RoundClosed's count of standing entries: judging waits until evaluation holds them all.
    closed=lambda data: {"registration_closed": True, "expected_entries": data.entries},
)
apply_registration_event = registrations.apply
