"""The host's admission bookkeeping, repeated-line filter and refused-join throttle."""

from __future__ import annotations

import asyncio
import logging
import resource
import subprocess
import sys

import pytest

from client.log_filter import RepeatLimiter
from client.sfu import join_throttle
from client.sfu.admission import Admission, source_key
from client.sfu.join_throttle import JoinThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _record(msg: str, *args: object, name: str = "asyncio") -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, None)


def test_a_repeated_line_passes_a_few_times_then_is_counted() -> None:
    clock = Clock()
    limiter = RepeatLimiter(limit=3, interval=60.0, clock=clock, template_limit=50)
    passed = [limiter.filter(_record("accept failed: %s", "EMFILE")) for _ in range(1000)]
    assert passed.count(True) == 3
    assert limiter.filter(_record("another line")) is True  # other lines are not held back
    # The same format with other values (other participants joining) is not the same line...
    varied = [limiter.filter(_record("accept failed: %s", n)) for n in range(1000)]
    # ...but a flood of them is held back too.
    assert varied.count(True) == 50 - 3
    clock.now += 61
    again = _record("accept failed: %s", "EMFILE")
    assert limiter.filter(again) is True
    assert again.getMessage() == "accept failed: EMFILE (953 similar lines suppressed)"


def test_source_key_groups_ipv6_by_64_and_unmaps_ipv4() -> None:
    assert source_key("192.0.2.7") == "192.0.2.7"
    assert source_key("2001:db8:1:2:aaaa::1") == source_key("2001:db8:1:2:bbbb::9")
    assert source_key("2001:db8:1:2::1") != source_key("2001:db8:1:3::1")
    assert source_key("::ffff:192.0.2.7") == "192.0.2.7"


def test_unjoined_connections_are_capped_per_source_and_overall() -> None:
    async def scenario() -> None:
        admission = Admission(max_pending=6, max_pending_per_source=3, upgrade_deadline=60)
        closed: list[str] = []
        tickets = []
        for n in range(4):
            ticket = admission.admit("10.0.0.1")
            if ticket is not None:
                ticket.close = lambda n=n: closed.append(f"a{n}")
                tickets.append(ticket)
        assert len(tickets) == 3 and admission.refused == 1  # per-source cap
        for n in range(3):
            ticket = admission.admit("10.0.0.2")
            assert ticket is not None
            ticket.close = lambda n=n: closed.append(f"b{n}")
        # Full (6): a source holding as many as the busiest is refused...
        assert admission.admit("10.0.0.2") is None
        # ...a newcomer from elsewhere sheds the busiest source's oldest connection.
        newcomer = admission.admit("10.0.0.3")
        assert newcomer is not None
        assert closed == ["a0"] and admission.pending == 6
        # A joined connection no longer counts.
        tickets[1].joined()
        assert admission.pending == 5
        assert admission.admit("10.0.0.1") is not None

    asyncio.run(scenario())


def test_a_connection_that_does_not_finish_its_upgrade_is_closed() -> None:
    async def scenario() -> None:
        admission = Admission(upgrade_deadline=0.05)
        slow, fast = admission.admit("10.0.0.1"), admission.admit("10.0.0.1")
        assert slow is not None and fast is not None
        closed: list[str] = []
        slow.close = lambda: closed.append("slow")
        fast.close = lambda: closed.append("fast")
        fast.upgraded = True
        await asyncio.sleep(0.2)
        assert closed == ["slow"] and admission.expired == 1
        assert admission.pending == 1  # the upgraded one waits for its join (or join timeout)

    asyncio.run(scenario())


def test_refused_joins_are_answered_at_the_sources_rate_and_others_are_not_slowed() -> None:
    clock = Clock()
    throttle = JoinThrottle(clock=clock)
    burst, rate = int(join_throttle.SOURCE_BURST), join_throttle.SOURCE_RATE
    delays = [throttle.refusal_delay("10.0.0.9", "room") for _ in range(burst + 3)]
    assert delays == [0.0] * burst + [1 / rate, 2 / rate, 3 / rate]
    assert throttle.refusal_delay("10.0.0.1", "room") == 0.0  # another address
    # Reserved answers beyond the longest wait are not given: the connection is closed.
    while (delay := throttle.refusal_delay("10.0.0.9", "room")) is not None:
        assert delay <= join_throttle.MAX_WAIT
    clock.now += 1000
    assert throttle.refusal_delay("10.0.0.9", "room") == 0.0  # the budget came back


def test_a_room_guessed_from_many_sources_answers_at_the_rooms_rate() -> None:
    clock = Clock()
    throttle = JoinThrottle(clock=clock)
    burst, rate = int(join_throttle.ROOM_BURST), join_throttle.ROOM_RATE
    delays = [throttle.refusal_delay(f"10.0.{n // 250}.{n % 250}", "room") for n in range(25)]
    assert delays[:burst] == [0.0] * burst
    assert delays[burst:] == pytest.approx([n / rate for n in range(1, 25 - burst + 1)])
    assert throttle.refusal_delay("10.9.9.9", "another room") == 0.0


def test_a_record_seen_by_two_handlers_counts_once() -> None:
    limiter = RepeatLimiter(limit=2, interval=60.0, clock=Clock())
    verdicts = []
    for _ in range(3):
        record = _record("the same line")
        verdicts.append((limiter.filter(record), limiter.filter(record)))  # file, console
    assert verdicts == [(True, True), (True, True), (False, False)]


def test_the_host_raises_its_open_file_limit_to_the_hard_limit() -> None:
    def low_soft_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 512))

    script = (
        "import resource; from client.sfu.listener import raise_open_file_limit; "
        "print(raise_open_file_limit(), *resource.getrlimit(resource.RLIMIT_NOFILE))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        preexec_fn=low_soft_limit,
    ).stdout.split()
    assert out == ["512", "512", "512"]
