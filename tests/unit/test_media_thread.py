"""The media loop runs beside the caller's loop: results, errors and cancellation cross over."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

from client.call.media_thread import MediaThread


@pytest.fixture
def media_thread() -> Iterator[MediaThread]:
    thread = MediaThread()
    yield thread
    thread.stop()


def test_a_coroutine_runs_on_the_media_thread_and_its_result_comes_back(
    media_thread: MediaThread,
) -> None:
    async def where() -> str:
        await asyncio.sleep(0)
        return threading.current_thread().name

    assert asyncio.run(media_thread.run(where())) == "runde-media"


def test_an_error_there_is_raised_here(media_thread: MediaThread) -> None:
    async def fail() -> None:
        raise ConnectionError("the meeting host closed the connection")

    with pytest.raises(ConnectionError, match="closed the connection"):
        asyncio.run(media_thread.run(fail()))


def test_cancelling_the_caller_cancels_the_work_there(media_thread: MediaThread) -> None:
    cancelled = threading.Event()

    async def long_work() -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    async def caller() -> None:
        waiting = asyncio.ensure_future(media_thread.run(long_work()))
        await asyncio.sleep(0.1)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting

    asyncio.run(caller())
    assert cancelled.wait(2), "the media loop's task was not cancelled"


def test_stop_cancels_what_still_runs_and_ends_the_thread() -> None:
    thread = MediaThread()
    ended = threading.Event()

    async def forever() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            ended.set()

    thread.submit(forever())
    thread.stop()
    assert ended.is_set()
    assert thread.loop.is_closed()
