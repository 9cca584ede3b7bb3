"""Tests for apertur_ext._bodies.sources: every input kind, replay rules, emptiness and filenames."""

from __future__ import annotations

import io
import pathlib
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import anyio.to_thread
import pytest

from apertur_ext._bodies.sources import (
    ASYNC_READ_SIZE,
    CHUNK_SIZE,
    HEAD_SIZE,
    BodySource,
    BytesSource,
    CountingSource,
    FileObjectSource,
    IterableSource,
    PathSource,
    apeek,
    filename_for,
    peek,
    to_source,
)
from apertur_ext._core.exceptions import InvalidInputError

DATA = bytes(range(256)) * (CHUNK_SIZE // 100)  # a bit over 2.5 chunks


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def collect(source: BodySource) -> bytes:
    chunks = list(source.iter_chunks())
    assert all(0 < len(c) <= CHUNK_SIZE for c in chunks if not isinstance(source, IterableSource))
    return b"".join(chunks)


async def acollect(source: BodySource) -> bytes:
    return b"".join([c async for c in source.aiter_chunks()])


class NonSeekable(io.RawIOBase):
    """A read-only pipe-like stream."""

    def __init__(self, data: bytes) -> None:
        self._buf = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        data = self._buf.read(len(b))
        b[: len(data)] = data
        return len(data)


@pytest.fixture
def image(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "photo.png"
    path.write_bytes(DATA)
    return path


# --- paths ------------------------------------------------------------------------------------


def test_path_source_streams_in_chunks_and_replays(image: pathlib.Path) -> None:
    source = to_source(image)
    assert isinstance(source, PathSource)
    assert source.size == len(DATA)
    assert source.replayable
    assert collect(source) == DATA
    assert collect(source) == DATA  # re-opened


def test_path_given_as_str(image: pathlib.Path) -> None:
    assert collect(to_source(str(image))) == DATA


@pytest.mark.anyio
async def test_path_source_async(image: pathlib.Path) -> None:
    source = to_source(image)
    assert await acollect(source) == DATA
    assert await acollect(source) == DATA


def test_missing_path_names_the_path(tmp_path: pathlib.Path) -> None:
    missing = tmp_path / "nope.jpg"
    with pytest.raises(InvalidInputError, match="not found") as info:
        to_source(missing)
    assert str(missing) in str(info.value)


def test_directory_is_refused(tmp_path: pathlib.Path) -> None:
    with pytest.raises(InvalidInputError, match="directory") as info:
        to_source(tmp_path)
    assert str(tmp_path) in str(info.value)


def test_empty_path_is_refused(tmp_path: pathlib.Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.touch()
    with pytest.raises(InvalidInputError, match="empty upload"):
        to_source(empty)


def test_path_that_shrinks_after_stat_raises(image: pathlib.Path) -> None:
    source = to_source(image)
    image.write_bytes(DATA[:10])
    with pytest.raises(InvalidInputError, match="changed"):
        collect(source)


def test_path_that_grows_after_stat_raises(image: pathlib.Path) -> None:
    source = to_source(image)
    image.write_bytes(DATA + b"more")
    with pytest.raises(InvalidInputError, match="changed"):
        collect(source)


@pytest.mark.anyio
async def test_path_that_grows_raises_async(image: pathlib.Path) -> None:
    source = to_source(image)
    await anyio.Path(image).write_bytes(DATA + b"more")
    with pytest.raises(InvalidInputError, match="changed"):
        await acollect(source)


# --- bytes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [DATA, bytearray(DATA), memoryview(DATA)])
def test_bytes_like(value: bytes | bytearray | memoryview) -> None:
    source = to_source(value)
    assert isinstance(source, BytesSource)
    assert source.size == len(DATA)
    assert source.replayable
    assert collect(source) == DATA
    assert collect(source) == DATA


def test_non_contiguous_memoryview() -> None:
    view = memoryview(b"abcdef")[::2]
    assert collect(to_source(view)) == b"ace"


@pytest.mark.parametrize("value", [b"", bytearray(), memoryview(b"")])
def test_empty_bytes_refused(value: bytes | bytearray | memoryview) -> None:
    with pytest.raises(InvalidInputError, match="empty upload"):
        to_source(value)


@pytest.mark.anyio
async def test_bytes_async() -> None:
    assert await acollect(to_source(DATA)) == DATA


# --- file objects -----------------------------------------------------------------------------


def test_seekable_file_replays_from_recorded_offset() -> None:
    buf = io.BytesIO(b"HEADER" + DATA)
    buf.seek(6)
    source = to_source(buf)
    assert isinstance(source, FileObjectSource)
    assert source.size == len(DATA)
    assert source.replayable
    assert collect(source) == DATA
    assert collect(source) == DATA  # rewound to 6, not to 0


def test_real_file_object(image: pathlib.Path) -> None:
    with image.open("rb") as handle:
        source = to_source(handle)
        assert source.replayable
        assert collect(source) == DATA
        assert collect(source) == DATA


@pytest.mark.anyio
async def test_seekable_file_async() -> None:
    source = to_source(io.BytesIO(DATA))
    assert await acollect(source) == DATA
    assert await acollect(source) == DATA


def test_seekable_file_at_end_is_empty() -> None:
    buf = io.BytesIO(DATA)
    buf.seek(0, io.SEEK_END)
    with pytest.raises(InvalidInputError, match="empty upload"):
        to_source(buf)


def test_non_seekable_file_is_one_shot() -> None:
    source = to_source(NonSeekable(DATA))
    assert source.size is None
    assert not source.replayable
    assert collect(source) == DATA
    with pytest.raises(InvalidInputError, match="one-shot"):
        collect(source)


@pytest.mark.anyio
async def test_non_seekable_file_async_one_shot() -> None:
    source = to_source(NonSeekable(DATA))
    assert await acollect(source) == DATA
    with pytest.raises(InvalidInputError, match="one-shot"):
        await acollect(source)


def test_empty_non_seekable_file_raises_on_first_pull() -> None:
    source = to_source(NonSeekable(b""))
    chunks = source.iter_chunks()
    with pytest.raises(InvalidInputError, match="empty upload"):
        next(chunks)


def test_text_file_refused() -> None:
    with pytest.raises(InvalidInputError, match="binary"):
        to_source(io.StringIO("text"))  # type: ignore[arg-type]


# --- iterators --------------------------------------------------------------------------------


def gen(*chunks: bytes) -> Iterator[bytes]:
    yield from chunks


async def agen(*chunks: bytes) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


def test_iterator_is_one_shot_and_unsized() -> None:
    source = to_source(gen(b"ab", b"", bytearray(b"cd")))  # type: ignore[arg-type]
    assert isinstance(source, IterableSource)
    assert source.size is None
    assert not source.replayable
    assert collect(source) == b"abcd"
    with pytest.raises(InvalidInputError, match="one-shot"):
        collect(source)


def test_list_of_chunks_is_treated_as_one_shot() -> None:
    source = to_source([b"a", b"b"])
    assert collect(source) == b"ab"
    with pytest.raises(InvalidInputError, match="one-shot"):
        collect(source)


def test_empty_iterator_raises_on_first_pull() -> None:
    chunks = to_source(gen(b"", b"")).iter_chunks()
    with pytest.raises(InvalidInputError, match="empty upload"):
        next(chunks)


def test_creating_the_generator_does_not_consume() -> None:
    source = to_source(gen(b"x"))
    source.iter_chunks()  # never pulled
    assert collect(source) == b"x"


def test_non_bytes_chunk_refused() -> None:
    with pytest.raises(InvalidInputError, match="must be bytes"):
        collect(to_source(gen("text")))  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_async_iterator() -> None:
    source = to_source(agen(b"ab", b"cd"))
    assert source.size is None
    assert await acollect(source) == b"abcd"
    with pytest.raises(InvalidInputError, match="one-shot"):
        await acollect(source)


@pytest.mark.anyio
async def test_sync_iterator_through_async_path() -> None:
    assert await acollect(to_source(gen(b"ab"))) == b"ab"


@pytest.mark.anyio
async def test_empty_async_iterator() -> None:
    with pytest.raises(InvalidInputError, match="empty upload"):
        await acollect(to_source(agen()))


def test_async_iterator_refused_by_sync_path() -> None:
    with pytest.raises(InvalidInputError, match="synchronous"):
        collect(to_source(agen(b"x")))


def test_unsupported_type() -> None:
    with pytest.raises(InvalidInputError, match="unsupported upload type: int"):
        to_source(42)  # type: ignore[arg-type]


# --- filenames --------------------------------------------------------------------------------


def test_filename_rules(image: pathlib.Path) -> None:
    assert filename_for(image, "given.webp") == "given.webp"
    assert filename_for(image) == "photo.png"
    assert filename_for(str(image)) == "photo.png"
    assert filename_for(DATA) == "image.jpg"
    assert filename_for(io.BytesIO(DATA)) == "image.jpg"
    with image.open("rb") as handle:  # a file object's own name, as the official SDK
        assert filename_for(handle) == "photo.png"
        assert filename_for(handle, "given.webp") == "given.webp"
    assert filename_for("dir/") == "image.jpg"


def test_to_source_sets_filename(image: pathlib.Path) -> None:
    assert to_source(image).filename == "photo.png"
    assert to_source(image, filename="x.heic").filename == "x.heic"
    assert to_source(DATA).filename == "image.jpg"


def test_repr_has_no_content() -> None:
    assert "abc" not in repr(to_source(b"abc"))
    assert repr(to_source(b"abc")) == "BytesSource(size=3, replayable=True)"


# --- read sizes ---------------------------------------------------------------------------------


class CountingReads(io.BytesIO):
    """A seekable file that records the size of every ``read``."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.reads.append(-1 if size is None else size)
        return super().read(size)


@pytest.mark.parametrize("extra", [-1, 0, 1])
def test_sync_reads_one_chunk_at_a_time_and_notice_growth_without_an_extra_read(
    extra: int,
) -> None:
    data = bytes(range(256)) * ((2 * CHUNK_SIZE + extra) // 256) + b"x" * (
        (2 * CHUNK_SIZE + extra) % 256
    )
    handle = CountingReads(data)
    source = to_source(handle)
    assert collect(source) == data
    assert all(0 < size <= CHUNK_SIZE for size in handle.reads)
    assert len(handle.reads) == -(
        -(len(data) + 1) // CHUNK_SIZE
    )  # the last read asks one byte more


@pytest.mark.anyio
@pytest.mark.parametrize(
    "size", [1, CHUNK_SIZE, ASYNC_READ_SIZE - 1, ASYNC_READ_SIZE + 5, 3 * ASYNC_READ_SIZE]
)
async def test_async_reads_big_blocks_per_thread_hop_and_yields_chunks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path, size: int
) -> None:
    data = (bytes(range(251)) * (size // 251 + 1))[:size]
    path = tmp_path / "big.jpg"
    path.write_bytes(data)
    hops = 0
    real = anyio.to_thread.run_sync

    async def counting(func: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal hops
        hops += 1
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    chunks = [c async for c in to_source(path).aiter_chunks()]
    assert b"".join(chunks) == data
    assert all(0 < len(c) <= CHUNK_SIZE for c in chunks)
    assert hops == 1 + -(-(size + 1) // ASYNC_READ_SIZE)  # open, then one hop per block


@pytest.mark.anyio
async def test_path_that_shrinks_raises_async(image: pathlib.Path) -> None:
    source = to_source(image)
    await anyio.Path(image).write_bytes(DATA[:10])
    with pytest.raises(InvalidInputError, match="changed"):
        await acollect(source)


def test_peek_reads_only_the_head_of_a_replayable_file() -> None:
    handle = CountingReads(b"\x89PNG\r\n\x1a\n" + bytes(3 * CHUNK_SIZE))
    head, same = peek(to_source(handle))
    assert same.replayable
    assert head == (b"\x89PNG\r\n\x1a\n" + bytes(HEAD_SIZE))[:HEAD_SIZE]
    assert handle.reads == [HEAD_SIZE]
    assert collect(same) == handle.getvalue()


@pytest.mark.anyio
async def test_apeek_reads_only_the_head_of_a_path(image: pathlib.Path) -> None:
    head, same = await apeek(to_source(image))
    assert head == DATA[:HEAD_SIZE]
    assert await acollect(same) == DATA


# --- error messages, odd file objects -----------------------------------------------------------


def test_a_chunk_that_is_not_bytes_is_named_in_the_error() -> None:
    with pytest.raises(InvalidInputError) as exc:
        collect(to_source(gen("text")))  # type: ignore[arg-type]
    assert str(exc.value) == (
        "upload chunks must be bytes, got str (open files in binary mode 'rb')"
    )


def test_a_path_that_cannot_be_read_says_why(image: pathlib.Path) -> None:
    inside_a_file = str(image / "child.jpg")
    with pytest.raises(InvalidInputError) as exc:
        to_source(inside_a_file)
    assert str(exc.value) == f"cannot read {inside_a_file}: Not a directory"


def test_a_path_removed_before_it_is_sent_says_why(image: pathlib.Path) -> None:
    source = to_source(image)
    image.unlink()
    with pytest.raises(InvalidInputError) as exc:
        collect(source)
    assert str(exc.value) == f"cannot read {image}: No such file or directory"


def test_text_file_refusal_says_how_to_open_it() -> None:
    with pytest.raises(InvalidInputError) as exc:
        to_source(io.StringIO("text"))  # type: ignore[arg-type]
    assert str(exc.value) == "file objects must be opened in binary mode ('rb')"


class Response(NonSeekable):
    """A streamed HTTP response, as urllib3's: not seekable, but ``tell`` counts the bytes
    read so far."""

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        return self._buf.tell()


class OnlyRead:
    """The least a file-like object can be: ``read`` and nothing else."""

    def __init__(self, data: bytes) -> None:
        self._buf = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._buf.read(size)


@pytest.mark.parametrize("make", [Response, OnlyRead])
def test_file_objects_that_cannot_seek_are_sent_once(make: Any) -> None:
    source = to_source(make(DATA))
    assert (source.size, source.replayable) == (None, False)
    assert collect(source) == DATA
    with pytest.raises(InvalidInputError, match="one-shot"):
        collect(source)


@pytest.mark.parametrize(
    ("extra", "reads"),
    [
        (-1, [CHUNK_SIZE, CHUNK_SIZE]),
        (0, [CHUNK_SIZE, CHUNK_SIZE, 1]),
        (1, [CHUNK_SIZE, CHUNK_SIZE, 2]),
    ],
)
def test_known_size_reads_end_with_what_is_left_plus_one_byte(extra: int, reads: list[int]) -> None:
    """Near the end of a known size a read asks for what is left plus one byte: enough to
    notice a file that grew, no more (and a short read ends it without another)."""
    data = bytes(2 * CHUNK_SIZE + extra)
    handle = CountingReads(data)
    assert collect(to_source(handle)) == data
    assert handle.reads == reads


# --- progress ---------------------------------------------------------------------------------


def test_counting_source_reports_bytes_sent_from_zero_on_every_pass() -> None:
    reports: list[int] = []
    source = CountingSource(to_source(DATA), reports.append)
    assert (source.size, source.replayable, source.filename) == (len(DATA), True, "image.jpg")
    for _ in range(2):  # a retry sends the body again: counted from 0 again
        reports.clear()
        assert collect(source) == DATA
        assert reports == [CHUNK_SIZE, 2 * CHUNK_SIZE, len(DATA)]


@pytest.mark.anyio
async def test_counting_source_reports_async() -> None:
    reports: list[int] = []
    source = CountingSource(to_source(DATA), reports.append)
    for _ in range(2):
        reports.clear()
        assert await acollect(source) == DATA
        assert reports == [CHUNK_SIZE, 2 * CHUNK_SIZE, len(DATA)]


# --- peeking ----------------------------------------------------------------------------------


def test_peek_of_a_wrapped_replayable_source_leaves_it_whole() -> None:
    reports: list[int] = []
    source = CountingSource(to_source(DATA), reports.append)
    head, same = peek(source)
    assert head == DATA[:HEAD_SIZE]
    assert same is source
    assert collect(same) == DATA


class Pulls:
    """A one-shot stream of chunks that records how many were pulled."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks, self.pulled = list(chunks), 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.pulled += 1
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            self.pulled += 1
            yield chunk


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(100))


def test_peek_of_a_stream_joins_small_chunks_and_keeps_the_filename() -> None:
    stream = Pulls(PNG[:4], PNG[4:20], PNG[20:40], PNG[40:])
    head, rest = peek(to_source(iter(stream), filename="scan.png"))
    assert head == PNG[:HEAD_SIZE]
    assert stream.pulled == 3  # 4 + 16 + 20 bytes: enough
    assert rest.filename == "scan.png"
    assert collect(rest) == PNG


def test_peek_pulls_no_chunk_beyond_the_head() -> None:
    """A stream whose first chunk is exactly the head: peek does not wait for the next one
    (a live stream may not have it yet)."""
    stream = Pulls(PNG[:HEAD_SIZE], PNG[HEAD_SIZE:])
    head, rest = peek(to_source(iter(stream)))
    assert head == PNG[:HEAD_SIZE]
    assert stream.pulled == 1
    assert collect(rest) == PNG


@pytest.mark.anyio
async def test_apeek_of_an_async_stream_joins_chunks_pulls_no_more_and_keeps_the_filename() -> None:
    stream = Pulls(PNG[:4], PNG[4:HEAD_SIZE], PNG[HEAD_SIZE:])
    head, rest = await apeek(to_source(stream.__aiter__(), filename="scan.png"))
    assert head == PNG[:HEAD_SIZE]
    assert stream.pulled == 2
    assert rest.filename == "scan.png"
    assert await acollect(rest) == PNG


@pytest.mark.anyio
async def test_apeek_of_bytes_is_only_the_head() -> None:
    head, same = await apeek(to_source(PNG))
    assert head == PNG[:HEAD_SIZE]
    assert await acollect(same) == PNG


@pytest.mark.anyio
async def test_apeek_of_a_one_shot_file_loses_nothing() -> None:
    head, rest = await apeek(to_source(NonSeekable(PNG)))
    assert head == PNG[:HEAD_SIZE]
    assert await acollect(rest) == PNG


# --- filenames and refusals of to_source ---------------------------------------------------------


def test_a_file_opened_by_a_bytes_path_is_named_by_it(tmp_path: pathlib.Path) -> None:
    plain = tmp_path / "photo.png"
    plain.write_bytes(DATA)
    with open(bytes(plain), "rb") as handle:  # its name is bytes
        assert to_source(handle).filename == "photo.png"
    odd = bytes(tmp_path) + b"/ph\xffoto.png"  # not UTF-8: replaced, not refused
    with open(odd, "wb") as out:
        out.write(DATA)
    with open(odd, "rb") as handle:
        assert to_source(handle).filename == "ph\ufffdoto.png"


def test_a_pseudo_file_name_is_not_a_filename() -> None:
    class Stdin(io.BytesIO):
        name = "<stdin>"

    assert to_source(Stdin(DATA)).filename == "image.jpg"


def test_a_filename_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(InvalidInputError) as exc:
        to_source(DATA, filename=b"photo.png")  # type: ignore[arg-type]
    assert str(exc.value) == "filename must be a string"


def test_the_sync_client_refuses_an_async_iterator_at_once() -> None:
    with pytest.raises(InvalidInputError) as exc:
        to_source(agen(b"x"), sync=True)
    assert str(exc.value) == "an async iterator cannot be sent by the synchronous client"


def test_a_stream_that_is_both_sync_and_async_iterable_is_sent_by_the_sync_client() -> None:
    stream = Pulls(b"ab", b"cd")
    assert collect(to_source(stream, sync=True)) == b"abcd"


@pytest.mark.parametrize("kind", [bytes, bytearray])
def test_bytes_content_is_not_copied(kind: type) -> None:
    """In-memory content is sliced as it is sent, never copied whole: wrapping 16 MiB
    allocates next to nothing."""
    data = kind(16 * 1024 * 1024)
    tracemalloc.start()
    try:
        source = BytesSource(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert source.size == len(data)
    assert peak < 1024 * 1024


def test_a_closed_file_object_is_refused_before_anything_is_read() -> None:
    closed = io.BytesIO(b"data")
    closed.close()
    with pytest.raises(InvalidInputError) as info:
        FileObjectSource(closed)
    assert str(info.value) == "the file object is closed"
    assert FileObjectSource(io.BytesIO(b"data")).size == 4  # an open one is read as usual


def test_a_file_object_closed_while_it_is_read_is_invalid_input() -> None:
    class ClosedMidway(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            raise ValueError("I/O operation on closed file")

    source = FileObjectSource(ClosedMidway())
    with pytest.raises(InvalidInputError) as info:
        list(source.iter_chunks())
    assert str(info.value) == (
        "cannot read FileObjectSource(size=None, replayable=False): I/O operation on closed file"
    )


def test_a_path_with_a_nul_character_is_invalid_input() -> None:
    with pytest.raises(InvalidInputError) as info:
        PathSource("a\x00b.png")
    assert str(info.value) == "invalid file path 'a\\x00b.png': embedded null byte"
