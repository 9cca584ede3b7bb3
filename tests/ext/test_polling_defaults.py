"""``poll_and_process`` with its real defaults: the real clock, the real waits, the public
``interval``, no injected sleep. What users meet when they call it with no tuning: an empty poll
waits ``interval`` and polls again (neither at once, nor never), an idle run does not spin, a
stop ends it, an acknowledgement's retry really waits, and a run leaves no thread behind.

Time is only ever bounded from below here (a wait never ends early) or generously from above
for liveness (something that should happen within seconds happens within a minute), so a loaded
machine cannot make these tests fail.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from apertur_api.models.poll_image import PollImage
from apertur_api.models.poll_result import PollResult
from apertur_ext import Apertur, PollSummary
from apertur_ext._polling.engine import run_sync
from apertur_ext._polling.state import Calls, Options

KEY = "aptr_test_defaults"
UUID = "0b7f4c1e-6a53-4c43-9d55-3f0e1a2b3c4d"
LIVENESS = 60.0  # seconds: far beyond anything below, only reached when something hangs
DEFAULT_INTERVAL = 3.0  # the documented default of poll_and_process(interval=...)


class QueueServer:
    """The pull-queue endpoints of one session, over ``httpx.MockTransport``; records when each
    list call came (``time.monotonic``) and every request."""

    def __init__(self, images: dict[str, bytes] | None = None) -> None:
        self.images = dict(images or {})
        self.acked: list[str] = []
        self.lists: list[float] = []
        self.acks: list[float] = []
        self.ack_faults: list[int] = []  # status codes answered to the next ack attempts
        self.changed = threading.Condition()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.split("/")  # ['', 'api', 'v1', 'upload-sessions', uuid, ...]
        assert parts[4] == UUID
        with self.changed:
            try:
                if parts[5:] == ["poll"]:
                    self.lists.append(time.monotonic())
                    pending = [i for i in self.images if i not in self.acked]
                    return httpx.Response(200, json={"images": [{"id": i} for i in pending]})
                image_id = parts[6]
                if parts[7:] == ["ack"]:
                    self.acks.append(time.monotonic())
                    if self.ack_faults:
                        return httpx.Response(self.ack_faults.pop(0), json={"error": "busy"})
                    self.acked.append(image_id)
                    return httpx.Response(200, json={"status": "acknowledged"})
                return httpx.Response(200, content=self.images[image_id])
            finally:
                self.changed.notify_all()

    def wait_for(self, predicate: Any, run: threading.Thread) -> bool:
        """Whether ``predicate()`` came true while ``run`` was still going (within LIVENESS)."""
        deadline = time.monotonic() + LIVENESS
        with self.changed:
            while not predicate():
                if not run.is_alive() or time.monotonic() > deadline:
                    return False
                self.changed.wait(0.05)
        return True


@pytest.fixture
def server() -> QueueServer:
    return QueueServer()


@pytest.fixture
def client(server: QueueServer) -> Iterator[Apertur]:
    http = httpx.Client(transport=httpx.MockTransport(server))
    with Apertur(KEY, base_url="https://api.example", http_client=http, max_retries=0) as client:
        yield client
    http.close()


def threads_left_behind(before: set[threading.Thread]) -> list[threading.Thread]:
    """Threads started since ``before`` that are still alive once given 20 seconds to end
    (worker threads of a finished run end on their own, soon after it)."""
    deadline = time.monotonic() + 20
    while True:
        alive = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def in_thread(target: Any) -> tuple[threading.Thread, list[Any]]:
    """Run ``target()`` in a thread; its result (or exception) lands in the list."""
    outcome: list[Any] = []

    def main() -> None:
        try:
            outcome.append(target())
        except BaseException as exc:  # handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=main, name="test-poll-run")
    thread.start()
    return thread, outcome


def test_an_empty_poll_waits_the_default_interval_then_polls_again(
    client: Apertur, server: QueueServer
) -> None:
    """No interval, timeout, clock or sleep given: after an empty poll the run waits (it
    neither returns, nor re-polls at once, nor waits for ever) and polls again; a stop set
    while it waits ends it; nothing it started is left running."""
    before = set(threading.enumerate())
    stop = threading.Event()
    thread, outcome = in_thread(
        lambda: client.polling.poll_and_process(UUID, lambda image, data: None, stop=stop)
    )
    assert server.wait_for(lambda: len(server.lists) >= 2, thread), "the second poll never came"
    stop.set()
    thread.join(LIVENESS)
    assert not thread.is_alive(), "a stop set during the idle wait did not end the run"
    (summary,) = outcome
    assert isinstance(summary, PollSummary)
    assert summary.stopped_reason == "stop_event"
    assert summary.polls == len(server.lists)
    first, second = server.lists[:2]
    assert second - first >= DEFAULT_INTERVAL - 0.01  # the interval was waited, not skipped
    assert threads_left_behind(before | {thread}) == []


def test_an_idle_run_does_not_spin() -> None:
    """Between two empty polls the engine sleeps: over a few idle intervals it looks at the
    (real) clock a handful of times per poll, where a busy loop would look millions of times.
    Counted, not timed: the ratio holds on a machine of any speed or load."""
    looks, lists = [0], list[float]()
    polled = threading.Condition()

    def clock() -> float:
        looks[0] += 1
        return time.monotonic()

    def list_images() -> PollResult:
        with polled:
            lists.append(time.monotonic())
            polled.notify_all()
        return PollResult(images=[])

    stop = threading.Event()
    calls = Calls(list_images, print, print, print)  # an empty queue: only lists are made
    thread, outcome = in_thread(lambda: run_sync(calls, Options(interval=0.2, clock=clock), stop))
    deadline = time.monotonic() + LIVENESS
    with polled:
        while len(lists) < 4 and thread.is_alive() and time.monotonic() < deadline:
            polled.wait(0.05)
    assert len(lists) >= 4, "the idle run stopped polling"
    stop.set()
    thread.join(LIVENESS)
    (summary,) = outcome
    assert isinstance(summary, PollSummary)
    assert summary.polls >= 4
    assert looks[0] <= 20 * (summary.polls + 1)  # a few looks per poll: no busy loop between
    # and no poll came before its interval was over
    assert all(b - a >= 0.2 - 0.01 for a, b in zip(lists, lists[1:], strict=False))


@pytest.mark.parametrize("concurrency", [1, 2])
def test_the_ack_backoff_really_waits(
    client: Apertur, server: QueueServer, concurrency: int
) -> None:
    """An acknowledgement that meets a 503 is retried after the default loop backoff (1 s,
    jittered down by at most a quarter), really waited: no injected sleep (above
    concurrency=1, by the image's job in its worker thread)."""
    server.images = {"img_a": b"\xff\xd8 a jpeg"}
    server.ack_faults = [503]
    handled: list[str] = []
    summary = client.polling.poll_and_process(
        UUID, lambda image, data: handled.append(image.id), max_images=1, concurrency=concurrency
    )
    assert handled == ["img_a"]
    assert server.acked == ["img_a"]
    assert summary.acknowledged == 1
    assert len(server.acks) == 2
    assert server.acks[1] - server.acks[0] >= 0.75 - 0.01


def test_ctrl_c_in_the_handler_leaves_no_thread_behind(
    client: Apertur, server: QueueServer
) -> None:
    """KeyboardInterrupt from the handler (run in the calling thread at concurrency=1) ends
    the run, acknowledges nothing, and every thread the run started ends."""
    server.images = {"img_a": b"a", "img_b": b"b"}
    before = set(threading.enumerate())

    def handler(image: PollImage, data: bytes) -> None:
        # The run waits for this handler from one of its worker threads: let that wait begin
        # (or give up after a while) so that the interrupt finds it waiting.
        deadline = time.monotonic() + 5
        while not _waiting_on_a_future() and time.monotonic() < deadline:
            time.sleep(0.01)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        client.polling.poll_and_process(UUID, handler)
    assert server.acked == []
    assert threads_left_behind(before) == []


def test_a_failed_run_leaves_no_thread_behind(client: Apertur, server: QueueServer) -> None:
    """A run ended by an error (a handler failing under the "stop" policy, at concurrency 3 with
    downloads ahead) raises it, and every thread it started ends."""
    server.images = {f"img_{n}": b"x" for n in range(8)}
    before = set(threading.enumerate())

    def handler(image: PollImage, data: bytes) -> None:
        raise RuntimeError(f"cannot handle {image.id}")

    with pytest.raises(RuntimeError, match="cannot handle"):
        client.polling.poll_and_process(UUID, handler, concurrency=3)
    assert server.acked == []
    assert threads_left_behind(before) == []


def _waiting_on_a_future() -> bool:
    """Whether some thread is blocked in ``concurrent.futures.Future.result``."""
    for frame in sys._current_frames().values():
        while frame is not None:
            code = frame.f_code
            if code.co_name == "result" and code.co_filename.endswith("_base.py"):
                return True
            frame = frame.f_back  # type: ignore[assignment]
    return False
