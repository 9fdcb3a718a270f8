"""Run `newsbrief` as a real subprocess, against this checkout, with its own store."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEED = FIXTURES / "000_b658156dfc43a267.txt"

# The console script's entry point, run by this interpreter from this checkout
# (the installed `newsbrief` script may belong to another checkout).
ENTRY = "import sys; from bot.cli import main; sys.exit(main(prog_name='newsbrief'))"


def cli_env(db: Path | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    if db is not None:
        env["NEWSBRIEF_DB_PATH"] = str(db)
    env.update(extra)
    return env


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-c", ENTRY, *map(str, args)]


def run_cli(*args, db: Path | None = None, cwd: Path | None = None, timeout: float = 120, **env) -> subprocess.CompletedProcess:
    """`newsbrief ARGS...` in a subprocess; cwd defaults to the store's folder (so no stray .env is read)."""
    cwd = cwd or (db.parent if db is not None else ROOT)
    return subprocess.run(
        cli_command(*args), cwd=cwd, env=cli_env(db, **env), capture_output=True, text=True,
        encoding="utf-8", errors="replace", timeout=timeout, stdin=subprocess.DEVNULL,
    )


TABLES = ("articles", "speakers", "quotes", "claims", "mentions", "superseded")


def table_rows(db: Path, *, skip=("ingested_at", "first_ingested_at")) -> dict[str, list[tuple]]:
    """Every row of every content table, ordered, without the columns in `skip`."""
    conn = sqlite3.connect(db)
    try:
        out = {}
        for table in TABLES:
            columns = [row[1] for row in conn.execute(f"pragma table_info({table})") if row[1] not in skip]
            select = ", ".join(f'"{c}"' for c in columns)
            out[table] = [tuple(r) for r in conn.execute(f"select {select} from {table} order by {select}")]
        return out
    finally:
        conn.close()


def counts(db: Path) -> dict[str, int]:
    return {table: len(rows) for table, rows in table_rows(db).items()}
