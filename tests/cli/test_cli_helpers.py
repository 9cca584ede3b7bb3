"""The command's pure helpers: terminal QR, file collection, atomic writes, sample images."""

from __future__ import annotations

import itertools
import re
import struct
import zlib
from pathlib import Path

import pytest
import segno
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from apertur_cli._atomic import AtomicFile, safe_name
from apertur_cli._demo_images import make_jpeg, make_png
from apertur_cli._errors import CliError
from apertur_cli._files import collect_files, sniff
from apertur_cli._qr import qr_lines

_TOP = {" ": (False, False), "▀": (True, False), "▄": (False, True), "█": (True, True)}


def test_qr_lines_round_trip_to_the_segno_matrix() -> None:
    url = "http://127.0.0.1:8484/u/0b1c2d3e-aaaa-bbbb-cccc-123456789abc"
    lines = qr_lines(url, border=2)
    decoded: list[list[bool]] = []
    for line in lines:
        rows = [[_TOP[c][0] for c in line], [_TOP[c][1] for c in line]]
        decoded.extend(rows)
    expected = [[bool(m) for m in row] for row in segno.make(url, error="m").matrix_iter(border=2)]
    assert decoded[: len(expected)] == expected
    assert all(not any(row) for row in decoded[len(expected) :])  # padding row, if any


def test_collect_files_judges_folder_contents_not_names(tmp_path: Path) -> None:
    (tmp_path / "d" / ".git").mkdir(parents=True)
    jpeg, png = make_jpeg(4, 2, seed=1), make_png(4, 4, seed=2)
    files = {
        "d/b.JPG": jpeg,
        "d/a.png": png,
        "d/scan": jpeg,  # a real JPEG without an extension is sent
        "d/fake.png": b"not really a png",  # a text file with an image name is not
        "d/.x.png": png,
        "d/readme.md": b"# notes\n",
        "d/blob.dat": bytes(range(256)),
        "d/empty.jpg": b"",
        "d/scan.tif": b"II*\x00" + bytes(60),
        "d/.git/c.png": png,
        "loose.bin": b"x",  # named on the command line: always sent
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    selection = collect_files([tmp_path / "d", tmp_path / "loose.bin", tmp_path / "d" / "a.png"])
    assert [p.relative_to(tmp_path).as_posix() for p in selection.files] == [
        "d/a.png",
        "d/b.JPG",
        "d/scan",
        "loose.bin",
    ]
    assert {s.path.name: s.reason for s in selection.skipped} == {
        ".x.png": "hidden file",
        "blob.dat": "not an image (unrecognised content)",
        "empty.jpg": "empty file",
        "fake.png": "not an image (text)",
        "readme.md": "not an image (text)",
        "scan.tif": "a TIFF image, not a type Apertur accepts",
    }
    with pytest.raises(CliError, match="no such file"):
        collect_files([tmp_path / "nope"])
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.jpg").write_text("hello")
    with pytest.raises(
        CliError, match=r"no image files .*1 file\(s\) skipped: a.jpg: not an image"
    ):
        collect_files([tmp_path / "texts"])


@pytest.mark.parametrize(
    ("head", "accepted"),
    [
        (b"\xff\xd8\xff\xe0", True),
        (b"\x89PNG\r\n\x1a\n", True),
        (b"GIF89a", True),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", True),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", True),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00isommp42", False),
        ("é".encode()[:1], False),  # a cut character: still text, not an image
    ],
)
def test_sniff(head: bytes, accepted: bool) -> None:
    assert (sniff(head) is None) is accepted


def test_atomic_file_commits_or_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / safe_name("img_1", "../../etc/passwd")
    assert target.name == "img_1_passwd"
    with AtomicFile(target) as atomic:
        atomic.file.write(b"data")
        atomic.commit()
    assert target.read_bytes() == b"data"

    def interrupted_write() -> None:
        with AtomicFile(tmp_path / "other") as atomic:
            atomic.file.write(b"partial")
            raise RuntimeError("connection lost")

    with pytest.raises(RuntimeError):
        interrupted_write()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["img_1_passwd"]


SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
TRICKY = st.text(alphabet="ab_. -/\\é写", max_size=8)
IDS = TRICKY | st.text(max_size=40) | st.builds(lambda tail: "img_" + "7" * 250 + tail, TRICKY)
FILENAMES = st.none() | TRICKY | st.text(max_size=300)


@pytest.mark.parametrize(
    ("image_id", "filename", "name"),
    [
        ("img_1", "../../etc/passwd", "img_1_passwd"),
        ("img_01HX3Q9V7Y", "photo.jpg", "img_01HX3Q9V7Y_photo.jpg"),
        ("img_1", "IMG_2024_01.JPG", "img_1_IMG_2024_01.JPG"),
        ("img_1", None, "img_1_image"),
        ("img_1", "写真.png", "img_1_image.png"),
        # not the API's shape (or made safe): a hash of the raw id follows, the same every run
        ("a b", "same.jpg", "a-b__c8687a08aa5d6ed2_same.jpg"),
        ("a_b_c", "x.jpg", "a-b-c__b3f2d26ef3bbdf42_x.jpg"),
    ],
)
def test_safe_name(image_id: str, filename: str | None, name: str) -> None:
    assert safe_name(image_id, filename) == name


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("a b", "same.jpg"), ("a_b", "same.jpg")),  # the same once made safe
        (("img_" + "7" * 300 + "1", "x.jpg"), ("img_" + "7" * 300 + "2", "x.jpg")),  # cut alike
        (("img_1", "2_x.jpg"), ("img_1_2", "x.jpg")),  # one id ends where the other's name goes on
        (("a", "b_c.jpg"), ("a_b", "c.jpg")),
    ],
)
def test_ids_that_read_alike_get_names_of_their_own(
    first: tuple[str, str], second: tuple[str, str]
) -> None:
    assert safe_name(*first) != safe_name(*second)


def test_no_two_short_ids_share_a_name() -> None:
    """Every id and filename of up to 3 characters of "a_ .-": each name has one id."""
    words = ["".join(w) for n in range(4) for w in itertools.product("a_ .-", repeat=n)]
    owners: dict[str, str] = {}
    for image_id in words:
        for filename in words:
            name = safe_name(image_id, filename)
            assert owners.setdefault(name, image_id) == image_id, name


@settings(max_examples=500, deadline=None)
@given(IDS, IDS, FILENAMES, FILENAMES)
def test_distinct_ids_never_share_a_name(
    first: str, second: str, first_file: str | None, second_file: str | None
) -> None:
    assume(first != second)
    assert safe_name(first, first_file) != safe_name(second, second_file)


@settings(max_examples=300, deadline=None)
@given(IDS, FILENAMES)
def test_a_name_is_safe_short_and_stable(image_id: str, filename: str | None) -> None:
    name = safe_name(image_id, filename)
    assert SAFE_NAME.fullmatch(name)
    assert len(name) <= 200
    assert safe_name(image_id, filename) == name


def test_a_long_filename_is_cut_keeping_its_extension() -> None:
    name = safe_name("img_1", "x" * 500 + ".jpeg")
    assert len(name) == 200
    assert name.startswith("img_1_xxx")
    assert name.endswith("x.jpeg")


def test_atomic_file_is_fsynced_before_and_after_the_rename(
    tmp_path: Path, disk_writes: list[str]
) -> None:
    with AtomicFile(tmp_path / "img_1.png") as atomic:
        atomic.file.write(b"data")
        atomic.commit()
    assert disk_writes == ["fsync file of 4 bytes", "rename to img_1.png", "fsync folder True"]


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body)
        chunks.append((kind, body))
        pos += 12 + length
    return chunks


def test_sample_png_is_well_formed() -> None:
    chunks = _png_chunks(make_png(10, 6, seed=2))
    assert [k for k, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    width, height = struct.unpack(">II", chunks[0][1][:8])
    assert (width, height) == (10, 6)
    assert len(zlib.decompress(chunks[1][1])) == height * (1 + 3 * width)
    assert make_png(seed=1) != make_png(seed=2)


def test_sample_jpeg_structure() -> None:
    data = make_jpeg(3, 2, seed=1)
    assert data[:2] == b"\xff\xd8"
    assert data[-2:] == b"\xff\xd9"
    sof = data.index(b"\xff\xc0")
    height, width = struct.unpack(">HH", data[sof + 5 : sof + 9])
    assert (width, height) == (24, 16)
    assert make_jpeg(seed=1) != make_jpeg(seed=2)
