from pathlib import Path

import pytest

from briefs.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "000_b658156dfc43a267.txt"


@pytest.fixture
def fresh_store(tmp_path):
    store = Store(tmp_path / "newsbrief.db")
    yield store
    store.close()
