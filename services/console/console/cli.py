"""``cnnt user …``: console accounts from the command line (the first ministry account)."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from cnnt_runtime.db.engine import service_engine
from cnnt_runtime.settings import Settings, get_settings
from cnnt_runtime.tokens import Role
from console.domain.accounts import AccountRefused
from console.service_layer.accounts import account_id_of, create_account, reset_password, unlock

app = typer.Typer(help="Console accounts", no_args_is_help=True)


async def create_user(
    settings: Settings, username: str, password: str, role: Role, scope: str, name: str = ""
) -> None:
    engine = service_engine(settings, "console", connections=1)
    try:
        await create_account(
            engine,
            username=username,
            password=password,
            role=role.value,
            scope=scope,
            display_name=name,
            actor="cli",
        )
    finally:
        await engine.dispose()


@app.command("create")
def user_create(
    username: Annotated[str, typer.Option(help="Sign-in name: lower-case letters, digits, . _ -")],
    role: Annotated[Role, typer.Option(help="Role the account acts with")],
    scope: Annotated[str, typer.Option(help="Province code (dak-lak) or VN")] = "VN",
    name: Annotated[str, typer.Option(help="Full name shown in the console")] = "",
) -> None:
    """Create an account; the password is read from stdin or prompted for."""
    password = _password()
    try:
        asyncio.run(create_user(get_settings(), username, password, role, scope, name))
    except AccountRefused as refused:
        typer.echo(f"refused: {refused.code} ({refused.field})", err=True)
        raise typer.Exit(2) from refused
    typer.echo(f"account {username} ({role.value}, {scope}) created")


def _password() -> str:
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\n")


async def unlock_user(settings: Settings, username: str) -> None:
    engine = service_engine(settings, "console", connections=1)
    try:
        await unlock(engine, await account_id_of(engine, username), "cli")
    finally:
        await engine.dispose()


async def reset_user_password(settings: Settings, username: str, password: str) -> None:
    engine = service_engine(settings, "console", connections=1)
    try:
        await reset_password(engine, await account_id_of(engine, username), password, "cli")
    finally:
        await engine.dispose()


@app.command("unlock")
def user_unlock(
    username: Annotated[str, typer.Option(help="The account to enable again and unlock")],
) -> None:
    """Enable an account again and lift its lockout after failed sign-ins (mở khóa)."""
    try:
        asyncio.run(unlock_user(get_settings(), username))
    except AccountRefused as refused:
        typer.echo(f"refused: {refused.code} ({refused.field})", err=True)
        raise typer.Exit(2) from refused
    typer.echo(f"account {username} unlocked")


@app.command("reset-password")
def user_reset_password(
    username: Annotated[str, typer.Option(help="The account whose password is set anew")],
) -> None:
    """Set a new password (read from stdin or prompted for); the account's sessions end and
    its lockout is lifted."""
    password = _password()
    try:
        asyncio.run(reset_user_password(get_settings(), username, password))
    except AccountRefused as refused:
        typer.echo(f"refused: {refused.code} ({refused.field})", err=True)
        raise typer.Exit(2) from refused
    typer.echo(f"password of {username} reset; its sessions have ended")


@app.command("demo", hidden=True)
def user_demo(
    url: Annotated[str, typer.Option(help="The console's address, printed first")],
) -> None:
    """Create the demo's accounts (once) and print them with the console's address."""
    from rich.console import Console
    from rich.table import Table

    from console.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, ensure_demo_accounts

    settings = get_settings()

    async def create() -> None:
        engine = service_engine(settings, "console", connections=1)
        try:
            await ensure_demo_accounts(engine)
        finally:
            await engine.dispose()

    asyncio.run(create())
    out = Console()
    out.print(f"[bold]Console:[/] {url}  (Vietnamese; English at the top right)")
    table = Table(title=f"Demo accounts — password for all: {DEMO_PASSWORD} (demo only)")
    for column in ("username", "role", "scope", "name"):
        table.add_column(column)
    for username, role, scope, name, _ in DEMO_ACCOUNTS:
        table.add_row(username, role, scope, name)
    out.print(table)
