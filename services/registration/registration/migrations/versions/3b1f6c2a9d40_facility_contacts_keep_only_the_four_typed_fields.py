"""facility contacts keep only the four typed fields

Before contacts had a schema, any JSON was stored, and a deeply nested value made every read of
the row fail. Contacts are now phone, email, address and person, each a bounded string: rows
written before keep those four where they are strings (cut to their limits) and lose the rest.

Revision ID: 3b1f6c2a9d40
Revises: e5187eb42dc1
Create Date: 2026-11-27 14:25:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '3b1f6c2a9d40'
down_revision: str | None = 'e5187eb42dc1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIMITS = {"phone": 30, "email": 254, "address": 500, "person": 200}


def upgrade() -> None:
    kept = ", ".join(
        f"'{key}', CASE WHEN jsonb_typeof(contacts->'{key}') = 'string' "
        f"THEN left(contacts->>'{key}', {limit}) END"
        for key, limit in LIMITS.items()
    )
    op.execute(
        f"UPDATE registration.facilities SET contacts = jsonb_strip_nulls(jsonb_build_object({kept})) "
        # CASE, so jsonb_each only ever sees an object
        "WHERE CASE WHEN jsonb_typeof(contacts) <> 'object' THEN true ELSE EXISTS ("
        "SELECT 1 FROM jsonb_each(contacts) AS c(key, value) "
        "WHERE c.key NOT IN ('phone', 'email', 'address', 'person') "
        "OR jsonb_typeof(c.value) <> 'string') END"
    )


def downgrade() -> None:
    pass  # what was dropped is not kept anywhere
