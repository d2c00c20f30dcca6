"""Engines and sessions: a service connects with its own login role, never as an admin."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from cnnt_shared.settings import Settings


def service_engine(settings: Settings, service: str) -> AsyncEngine:
    return create_async_engine(
        settings.service_dsn(service),
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=True,
        connect_args={"server_settings": {"application_name": f"cnnt-{service}"}},
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
