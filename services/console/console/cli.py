"""``cnnt user …``: console accounts from the command line (the first ministry account)."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from cnnt_shared.db.engine import service_engine
from cnnt_shared.settings import Settings, get_settings
from cnnt_shared.tokens import Role
from console.domain.accounts import AccountRefused
from console.service_layer.accounts import create_account

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
    if sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        asyncio.run(create_user(get_settings(), username, password, role, scope, name))
    except AccountRefused as refused:
        typer.echo(f"refused: {refused.code} ({refused.field})", err=True)
        raise typer.Exit(2) from refused
    typer.echo(f"account {username} ({role.value}, {scope}) created")
