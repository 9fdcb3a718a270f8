"""briefs/ never imports telegram, pydantic_settings or spacy (the domain is transport- and config-free)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_briefs_loads_no_adapter_or_model_modules():
    code = (
        "import sys, briefs, briefs.replies, briefs.store, briefs.queries, briefs.flood, briefs.models\n"
        "from briefs.replies import Replies\n"
        "from briefs.store import Store\n"
        "Replies(Store(None)).answer_text('/who x')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'telegram', 'pydantic_settings', 'spacy', 'httpx'})\n"
        "print(briefs.__file__)\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    path, bad = out.stdout.splitlines()
    assert Path(path).resolve().is_relative_to(ROOT)
    assert bad == ""


def test_console_loads_no_telegram():
    code = "import sys, bot.console, bot.cli\nprint(','.join(m for m in sys.modules if m.split('.')[0] == 'telegram'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_bot_modules_import_each_other_one_way_only():
    """No import cycle inside bot/ (jobs.py and digest_handlers.py used to import each other), at module
    level or inside functions."""
    import ast

    graph: dict[str, set[str]] = {}
    for path in (ROOT / "bot").glob("*.py"):
        mine = graph.setdefault(path.stem, set())
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                mine.update([node.module] if node.module else [alias.name for alias in node.names])
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot."):
                mine.add(node.module.split(".")[1])
            elif isinstance(node, ast.Import):
                mine.update(a.name.split(".")[1] for a in node.names if a.name.startswith("bot."))

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = sorted(module for module in graph if reaches(module, module, {module}))
    assert not cycles, cycles
