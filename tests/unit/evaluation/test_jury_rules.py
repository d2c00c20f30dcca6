"""Who may score what and when, the jury's composition and the closing of judging."""

from __future__ import annotations

import uuid

import pytest

from cnnt_runtime.errors import Conflict, DomainError, Forbidden
from evaluation.domain.jury import (
    Closing,
    EntryToScore,
    MemberDraft,
    Scorer,
    check_jury,
    check_may_close,
    check_may_score,
    check_recusal_reason,
)

ROUND = uuid.uuid4()
FACILITY = uuid.uuid4()


def entry(**overrides: object) -> EntryToScore:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "round_id": ROUND,
        "facility_id": FACILITY,
        **overrides,
    }
    return EntryToScore(**values)  # type: ignore[arg-type]


def scorer(**overrides: object) -> Scorer:
    values: dict[str, object] = {"member_id": uuid.uuid4(), "round_id": ROUND, **overrides}
    return Scorer(**values)  # type: ignore[arg-type]


def test_a_member_may_score_an_entry_of_their_round() -> None:
    check_may_score(scorer(), entry(), judging_is_closed=False)


def test_an_entry_of_another_round_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        check_may_score(scorer(), entry(round_id=uuid.uuid4()), judging_is_closed=False)
    assert (caught.value.code, caught.value.field) == ("entry_not_in_round", "entry_id")


def test_a_member_cannot_score_a_facility_they_declared_a_conflict_with() -> None:
    with pytest.raises(Forbidden) as caught:
        check_may_score(
            scorer(conflicted_facilities=frozenset({FACILITY})), entry(), judging_is_closed=False
        )
    assert caught.value.code == "conflict_of_interest"


def test_a_recused_member_cannot_score_that_entry_but_may_score_others() -> None:
    barred = entry()
    member = scorer(recused_entries=frozenset({barred.id}))
    with pytest.raises(Forbidden) as caught:
        check_may_score(member, barred, judging_is_closed=False)
    assert caught.value.code == "member_recused"
    check_may_score(member, entry(), judging_is_closed=False)


def test_nothing_is_scored_after_judging_closes() -> None:
    with pytest.raises(Conflict) as caught:
        check_may_score(scorer(), entry(), judging_is_closed=True)
    assert caught.value.code == "judging_closed"


def test_a_withdrawn_entry_is_not_scored() -> None:
    with pytest.raises(Conflict) as caught:
        check_may_score(scorer(), entry(withdrawn=True), judging_is_closed=False)
    assert caught.value.code == "entry_withdrawn"


def member(name: str = "Nguyễn Thị Hoa", chair: bool = False) -> MemberDraft:
    return MemberDraft(name, "Trưởng phòng", "Sở Công Thương Đắk Lắk", chair)


def test_a_jury_has_exactly_one_chair() -> None:
    check_jury([member(chair=True), member("Trần Văn Bình")])
    for members in ([member(), member()], [member(chair=True), member(chair=True)]):
        with pytest.raises(DomainError) as caught:
            check_jury(members)
        assert (caught.value.code, caught.value.field) == ("jury_needs_one_chair", "members")


def test_an_empty_jury_or_a_nameless_member_is_refused() -> None:
    with pytest.raises(DomainError) as empty:
        check_jury([])
    assert empty.value.code == "jury_empty"
    with pytest.raises(DomainError) as nameless:
        check_jury([member(chair=True), member("  ")])
    assert (nameless.value.code, nameless.value.field) == ("member_name_missing", "members.1.name")


def test_a_recusal_needs_a_reason() -> None:
    assert check_recusal_reason("  con ruột của chủ cơ sở ") == "con ruột của chủ cơ sở"
    with pytest.raises(DomainError) as caught:
        check_recusal_reason("   ")
    assert caught.value.code == "reason_missing"


def test_judging_closes_freely_without_open_flags() -> None:
    assert check_may_close(Closing(by_chair=False), open_flags=0, already_closed=False) == 0


def test_open_flags_block_closing_without_an_override() -> None:
    with pytest.raises(Conflict) as caught:
        check_may_close(Closing(by_chair=True), open_flags=2, already_closed=False)
    assert caught.value.code == "spread_flags_open"


def test_only_the_chair_overrides_open_flags_and_only_with_a_reason() -> None:
    with pytest.raises(Forbidden) as not_chair:
        check_may_close(
            Closing(by_chair=False, override=True, reason="đã thảo luận"),
            open_flags=2,
            already_closed=False,
        )
    assert not_chair.value.code == "override_needs_chair"
    with pytest.raises(DomainError) as no_reason:
        check_may_close(
            Closing(by_chair=True, override=True, reason=" "), open_flags=2, already_closed=False
        )
    assert no_reason.value.code == "override_reason_missing"
    overridden = check_may_close(
        Closing(by_chair=True, override=True, reason="Hội đồng đã thảo luận và thống nhất"),
        open_flags=2,
        already_closed=False,
    )
    assert overridden == 2


def test_judging_closes_only_once() -> None:
    with pytest.raises(Conflict) as caught:
        check_may_close(Closing(by_chair=True), open_flags=0, already_closed=True)
    assert caught.value.code == "judging_closed"
