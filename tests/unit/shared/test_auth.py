from __future__ import annotations

import time
from datetime import timedelta

import pytest

from cnnt_shared.auth import Role, issue_token, read_token
from cnnt_shared.errors import Forbidden, Unauthorized
from cnnt_shared.settings import Settings

SETTINGS = Settings(auth_secret="x" * 40)


def test_a_token_carries_its_role_and_scope() -> None:
    principal = read_token(
        SETTINGS,
        issue_token(SETTINGS, subject="sct-66", role=Role.PROVINCE_OFFICER, scope="dak-lak"),
    )
    assert (principal.subject, principal.role, principal.scope) == (
        "sct-66",
        Role.PROVINCE_OFFICER,
        "dak-lak",
    )


def test_an_expired_token_is_refused() -> None:
    token = issue_token(
        SETTINGS, subject="a", role=Role.MINISTRY, scope="VN", ttl=timedelta(seconds=-1)
    )
    with pytest.raises(Unauthorized) as caught:
        read_token(SETTINGS, token)
    assert caught.value.code == "token_expired"


def test_a_token_signed_with_another_secret_is_refused() -> None:
    other = Settings(auth_secret="y" * 40)
    with pytest.raises(Unauthorized) as caught:
        read_token(SETTINGS, issue_token(other, subject="a", role=Role.MINISTRY, scope="VN"))
    assert caught.value.code == "token_invalid"


def test_a_province_officer_acts_only_in_their_province() -> None:
    officer = read_token(
        SETTINGS, issue_token(SETTINGS, subject="a", role=Role.PROVINCE_OFFICER, scope="dak-lak")
    )
    officer.require_province("dak-lak")
    with pytest.raises(Forbidden) as caught:
        officer.require_province("ha-noi")
    assert caught.value.code == "province_out_of_scope"


def test_a_judge_cannot_act_as_ministry() -> None:
    judge = read_token(
        SETTINGS, issue_token(SETTINGS, subject="j", role=Role.JUDGE, scope="judge-1")
    )
    with pytest.raises(Forbidden):
        judge.require(Role.MINISTRY)


def test_production_refuses_the_development_secret() -> None:
    with pytest.raises(ValueError, match="CNNT_AUTH_SECRET"):
        Settings(environment="production")


def test_a_token_read_before_is_refused_once_it_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    token = issue_token(SETTINGS, subject="j", role=Role.JUDGE, scope="j-1", ttl=timedelta(hours=1))
    assert read_token(SETTINGS, token).subject == "j"  # verified, and remembered
    later = time.time() + 3601
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(Unauthorized) as caught:
        read_token(SETTINGS, token)
    assert caught.value.code == "token_expired"


def test_a_token_read_before_is_refused_after_the_secret_changes() -> None:
    token = issue_token(SETTINGS, subject="a", role=Role.MINISTRY, scope="VN")
    assert read_token(SETTINGS, token).role is Role.MINISTRY
    with pytest.raises(Unauthorized) as caught:
        read_token(Settings(auth_secret="z" * 40), token)
    assert caught.value.code == "token_invalid"
