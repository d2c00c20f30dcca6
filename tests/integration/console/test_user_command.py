"""`cnnt user create`: the first account of a deployment, made on the command line."""

from __future__ import annotations

from cnnt_runtime.settings import Settings
from tests.support import identities
from tests.support.stack import rows, start_cli


async def test_user_create_reads_the_password_from_stdin_and_stores_only_its_argon2id_hash(
    stack: Settings,
) -> None:
    username = identities.username("bo.admin.cli")
    process = await start_cli(
        "user", "create", "--username", username, "--role", "ministry", "--scope", "VN"
    )
    _, err = await process.communicate(b"mat-khau-quan-tri-1\n")
    assert process.returncode == 0, err.decode()[-2000:]
    found = await rows(
        stack,
        "console",
        "SELECT role, scope, password_hash FROM console.accounts WHERE username = :u",
        u=username,
    )
    assert [(r.role, r.scope) for r in found] == [("ministry", "VN")]
    assert found[0].password_hash.startswith("$argon2id$")
    assert "mat-khau-quan-tri-1" not in found[0].password_hash


async def test_user_create_refuses_a_short_password_and_stores_nothing(stack: Settings) -> None:
    username = identities.username("sct.short")
    process = await start_cli(
        "user",
        "create",
        "--username",
        username,
        "--role",
        "province_officer",
        "--scope",
        "dak-lak",
    )
    _, err = await process.communicate(b"short\n")
    assert process.returncode == 2
    assert "password_too_short" in err.decode()
    found = await rows(
        stack, "console", "SELECT 1 FROM console.accounts WHERE username = :u", u=username
    )
    assert found == []
