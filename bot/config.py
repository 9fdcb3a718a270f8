"""Settings, read once in main() from the environment or `.env` (prefix NEWSBRIEF_)."""
from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from typing import Annotated


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSBRIEF_", env_file=".env", extra="ignore")

    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    db_path: Path = Path("newsbrief.db")
    inbox_dir: Path | None = None
    inbox_poll_seconds: float = Field(60, gt=0)
    follow_alert_seconds: float = Field(30, gt=0, le=60)
    default_timezone: str = "UTC"
    default_digest_time: str = "08:00"
    digest_grace_hours: float = Field(6, ge=0)
    digest_send_empty: bool = False
    flood_commands: int = Field(20, ge=1)
    flood_window_seconds: float = Field(60, gt=0)
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    # Test-only: shifts the bot's clock for digests by this many seconds, so end-to-end tests can
    # stand just before a digest minute (or on a DST day) without waiting. Never set it in production.
    test_clock_offset_seconds: float = 0.0

    @field_validator("telegram_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value):
        return None if value is None or (isinstance(value, str) and not value.strip()) else value

    @field_validator("inbox_dir", mode="before")
    @classmethod
    def _blank_inbox_is_none(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.fullmatch(r"https?://[^\s/?#]+(/\S*)?", value.strip()):
            raise ValueError(f"expected an http(s) URL such as https://api.telegram.org/bot, got {value!r}")
        return value.strip()

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r} (for example Europe/Berlin)") from None
        return value

    @field_validator("default_digest_time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", value)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValueError(f"expected HH:MM, got {value!r}")
        return f"{int(match[1]):02d}:{match[2]}"

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value):
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(re.fullmatch(r"-?\d+", p) for p in parts):
                raise ValueError(f"expected comma-separated numeric user ids, got {value!r}")
            return frozenset(int(p) for p in parts)
        return value

    @property
    def digest_time(self) -> time:
        hour, minute = map(int, self.default_digest_time.split(":"))
        return time(hour, minute)


class SettingsError(Exception):
    """A malformed setting; the message names it."""


def load_settings(**overrides) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = "NEWSBRIEF_" + "_".join(str(p) for p in error["loc"]).upper()
            problems.append(f"{name}: {error['msg']}")
        raise SettingsError("invalid setting " + "; ".join(problems)) from None
