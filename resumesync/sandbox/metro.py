"""GET /metro/{city_id} (get-metro-stations-in-city): one city's metro lines and stations.

Built from the stations of the bundled dictionary (dictionaries.json `metro`, each with its
`area_id`). A city none of them is in has no metro directory at hh.ru: 404 `not_found`, the
spec's answer for a city it does not know. Dictionaries are public: no token needed.
"""

from __future__ import annotations

from resumesync.sandbox import errors
from resumesync.sandbox.calls import Call
from resumesync.sandbox.state import Response


def city_metro(call: Call) -> Response:
    city = call.state.dictionaries.metro_city(call.params["city_id"])
    if city is None:
        raise errors.not_found()
    return Response(200, city)
