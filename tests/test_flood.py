"""briefs.flood: N commands per window per user, one notice, then silence until the window passes."""
from briefs.flood import FloodGate, Verdict


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_limit_then_one_notice_then_silence_until_the_window_passes():
    clock = Clock()
    gate = FloodGate(3, 60, clock)
    assert [gate.check(1) for _ in range(3)] == [Verdict.ALLOW] * 3
    assert gate.check(1) is Verdict.NOTICE
    assert [gate.check(1) for _ in range(10)] == [Verdict.SILENT] * 10
    assert 59 <= gate.retry_after(1) <= 60
    clock.now += 59.9
    assert gate.check(1) is Verdict.SILENT
    clock.now += 0.2
    assert gate.check(1) is Verdict.ALLOW
    assert gate.check(1) is Verdict.ALLOW and gate.check(1) is Verdict.ALLOW
    assert gate.check(1) is Verdict.NOTICE  # a fresh notice after a new excess


def test_users_are_independent():
    gate = FloodGate(1, 10, Clock())
    assert gate.check(1) is Verdict.ALLOW
    assert gate.check(1) is Verdict.NOTICE
    assert gate.check(2) is Verdict.ALLOW


def test_sliding_window():
    clock = Clock()
    gate = FloodGate(2, 10, clock)
    gate.check(7)
    clock.now += 6
    gate.check(7)
    clock.now += 5  # the first has left the window, the second has not
    assert gate.check(7) is Verdict.ALLOW
    assert gate.check(7) is Verdict.NOTICE


def test_idle_users_are_forgotten():
    clock = Clock()
    gate = FloodGate(5, 10, clock)
    for user in range(1000):
        gate.check(user)
    clock.now += 11
    gate.check(5000)
    assert len(gate) == 1


def test_bad_arguments():
    import pytest

    with pytest.raises(ValueError):
        FloodGate(0, 10)
    with pytest.raises(ValueError):
        FloodGate(1, 0)
