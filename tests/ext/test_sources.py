"""Tests for apertur_ext._bodies.sources: every input kind, replay rules, emptiness and filenames."""

from __future__ import annotations

import io
import pathlib
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
