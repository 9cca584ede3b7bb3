"""list_all() over a list that grows during the iteration yields no row twice."""

from __future__ import annotations

from apertur_ext import Apertur
from apertur_local import LocalApertur


def test_uploads_list_all_never_repeats_a_row(apertur_local: LocalApertur) -> None:
    with Apertur(api_key=apertur_local.api_key, base_url=apertur_local.url) as client:
        session = client.sessions.create()
        for n in range(4):
            client.upload.image(
                session.id, b"\xff\xd8\xff\xe0" + bytes([n]) * 64, filename=f"{n}.jpg"
            )
        rows = client.uploads.list_all(page_size=2)
        seen = [next(rows).id, next(rows).id]
        client.upload.image(session.id, b"\xff\xd8\xff\xe0" + b"\x09" * 64, filename="late.jpg")
        seen += [row.id for row in rows]
    assert len(seen) == len(set(seen))
    assert len(seen) >= 4
