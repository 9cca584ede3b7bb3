"""The route table: no two routes match one path, so their order (the busiest first) only
changes how soon a request finds its route."""

from __future__ import annotations

import re

from starlette.routing import Route

from apertur_local._fault_plan import FaultPlan
from apertur_local._routes import API_ROUTES, build_routes


def test_no_two_routes_match_the_same_request() -> None:
    routes = [r for r in build_routes(FaultPlan()) if isinstance(r, Route)]
    assert len(routes) == len(build_routes(FaultPlan()))
    for route in routes:
        for value in ("x1", "recent", "images", "session"):
            path = re.sub(r"\{[^}]+\}", value, route.path)
            matching = [
                other.path
                for other in routes
                if other.path_regex.match(path)
                and (other.methods or set()) & (route.methods or set())
            ]
            assert matching == [route.path], path


def test_the_busiest_routes_come_first() -> None:
    first = [(r.path, sorted(r.methods or ())) for r in API_ROUTES[:4] if isinstance(r, Route)]
    assert first == [
        ("/api/v1/upload/{uuid}/images", ["POST"]),
        ("/api/v1/upload-sessions/{uuid}/poll", ["GET", "HEAD"]),
        ("/api/v1/upload-sessions/{uuid}/images/{imageId}", ["GET", "HEAD"]),
        ("/api/v1/upload-sessions/{uuid}/images/{imageId}/ack", ["POST"]),
    ]
