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
