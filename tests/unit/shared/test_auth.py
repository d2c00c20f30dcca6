from __future__ import annotations

import shutil
import time
from datetime import timedelta
from pathlib import Path

import jwt
import pytest

from cnnt_runtime.auth import Role, issue_token, read_token
from cnnt_runtime.errors import Forbidden, Unauthorized
from cnnt_runtime.settings import Settings
from cnnt_runtime.tokens import SigningKeyMissing, generate_key_pair


def keyed(directory: Path, kid: str = "k1") -> Settings:
    """Settings of a signer holding ``kid``'s private key; verifiers read ``public/``."""
    if not (directory / "private" / f"{kid}.pem").exists():
        generate_key_pair(directory, kid)
    return Settings(
        auth_signing_key=directory / "private" / f"{kid}.pem",
        auth_public_keys_dir=directory / "public",
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return keyed(tmp_path)


def test_a_token_carries_its_role_and_scope(settings: Settings) -> None:
    principal = read_token(
        settings,
        issue_token(settings, subject="sct-66", role=Role.PROVINCE_OFFICER, scope="dak-lak"),
    )
    assert (principal.subject, principal.role, principal.scope) == (
        "sct-66",
        Role.PROVINCE_OFFICER,
        "dak-lak",
    )


def test_a_token_names_its_key_and_is_signed_with_eddsa(settings: Settings) -> None:
    token = issue_token(settings, subject="a", role=Role.MINISTRY, scope="VN")
    assert jwt.get_unverified_header(token) == {"alg": "EdDSA", "kid": "k1", "typ": "JWT"}


def test_an_expired_token_is_refused(settings: Settings) -> None:
    token = issue_token(
        settings, subject="a", role=Role.MINISTRY, scope="VN", ttl=timedelta(seconds=-1)
    )
    with pytest.raises(Unauthorized) as caught:
        read_token(settings, token)
    assert caught.value.code == "token_expired"


def test_a_token_signed_with_an_unpublished_key_is_refused(
    settings: Settings, tmp_path: Path
) -> None:
    stranger = keyed(tmp_path / "elsewhere", "k1")  # same key id, another key
    with pytest.raises(Unauthorized) as caught:
        read_token(settings, issue_token(stranger, subject="a", role=Role.MINISTRY, scope="VN"))
    assert caught.value.code == "token_invalid"


def test_a_service_holding_only_public_keys_cannot_mint(tmp_path: Path) -> None:
    generate_key_pair(tmp_path, "k1")
    service = Settings(
        auth_signing_key=tmp_path / "nothing-here.pem", auth_public_keys_dir=tmp_path / "public"
    )
    with pytest.raises(SigningKeyMissing):
        issue_token(service, subject="a", role=Role.MINISTRY, scope="VN")


def test_a_token_of_the_old_shared_secret_is_refused(settings: Settings) -> None:
    forged = jwt.encode(
        {"sub": "a", "role": "ministry", "scope": "VN", "iss": "cnnt", "exp": time.time() + 60},
        "dev-only-secret-change-me-in-production-000",
        algorithm="HS256",
        headers={"kid": "k1"},
    )
    with pytest.raises(Unauthorized) as caught:
        read_token(settings, forged)
    assert caught.value.code == "token_invalid"


def test_during_rotation_tokens_of_both_keys_are_accepted_then_the_old_one_is_refused(
    tmp_path: Path,
) -> None:
    old = keyed(tmp_path, "2026-01")
    new = keyed(tmp_path, "2026-07")  # the new pair is published next to the old one
    old_token = issue_token(old, subject="a", role=Role.MINISTRY, scope="VN")
    new_token = issue_token(new, subject="b", role=Role.MINISTRY, scope="VN")
    assert read_token(new, old_token).subject == "a"
    assert read_token(new, new_token).subject == "b"

    (tmp_path / "public" / "2026-01.pem").unlink()  # the old key's tokens have expired: retire it
    assert read_token(new, new_token).subject == "b"
    with pytest.raises(Unauthorized) as caught:
        read_token(new, old_token)
    assert caught.value.code == "token_invalid"


def test_a_province_officer_acts_only_in_their_province(settings: Settings) -> None:
    officer = read_token(
        settings, issue_token(settings, subject="a", role=Role.PROVINCE_OFFICER, scope="dak-lak")
    )
    officer.require_province("dak-lak")
    with pytest.raises(Forbidden) as caught:
        officer.require_province("ha-noi")
    assert caught.value.code == "province_out_of_scope"


def test_a_judge_cannot_act_as_ministry(settings: Settings) -> None:
    judge = read_token(
        settings, issue_token(settings, subject="j", role=Role.JUDGE, scope="judge-1")
    )
    with pytest.raises(Forbidden):
        judge.require(Role.MINISTRY)


def test_production_refuses_the_development_console_secret() -> None:
    with pytest.raises(ValueError, match="CNNT_CONSOLE_SECRET"):
        Settings(environment="production")


def test_a_token_read_before_is_refused_once_it_expires(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = issue_token(settings, subject="j", role=Role.JUDGE, scope="j-1", ttl=timedelta(hours=1))
    assert read_token(settings, token).subject == "j"  # verified, and remembered
    later = time.time() + 3601
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(Unauthorized) as caught:
        read_token(settings, token)
    assert caught.value.code == "token_expired"


def test_a_token_read_before_is_refused_after_its_key_is_withdrawn(
    settings: Settings, tmp_path: Path
) -> None:
    token = issue_token(settings, subject="a", role=Role.MINISTRY, scope="VN")
    assert read_token(settings, token).role is Role.MINISTRY
    shutil.rmtree(tmp_path / "public")
    with pytest.raises(Unauthorized) as caught:
        read_token(settings, token)
    assert caught.value.code == "token_invalid"
