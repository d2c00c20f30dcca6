"""A judge's juries: every seat the signed-in person holds, across rounds.

A judge token's scope is either a jury member id (one seat, as ``cnnt token issue`` makes for
one round) or the person's console account id (every seat whose member names that account).
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import or_, select
from sqlmodel import col

from cnnt_shared.auth import Principal, Role
from cnnt_shared.db.unit_of_work import UnitOfWork
from evaluation.adapters.tables import JuryMemberRow, RoundRow


def _member_id(scope: str) -> UUID | None:
    try:
        return UUID(scope)
    except ValueError:
        return None


async def my_juries(uow: UnitOfWork, who: Principal) -> list[tuple[JuryMemberRow, RoundRow]]:
    """The seats the judge holds with their rounds, latest round first."""
    who.require(Role.JUDGE)
    mine = [col(JuryMemberRow.account_id) == who.scope]
    member_id = _member_id(who.scope)
    if member_id is not None:
        mine.append(col(JuryMemberRow.id) == member_id)
    result = await uow.session.execute(
        select(JuryMemberRow, RoundRow)
        .join(RoundRow, col(RoundRow.id) == col(JuryMemberRow.round_id))
        .where(or_(*mine))
        .order_by(col(RoundRow.year).desc(), col(RoundRow.name))
    )
    return [(member, round_) for member, round_ in result.all()]
