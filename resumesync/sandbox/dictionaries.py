"""The small built-in hh.ru dictionaries and where their entries sit in a resume.

A resume refers to dictionary entries by `id` only; on save the server fills in `name`
(and `url` for areas). DICTIONARY_FIELDS lists every such place once, so that validation
(unknown ids) and normalisation (names filled in) cannot disagree about them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from resumesync.sandbox import resources

API_ROOT = "https://api.hh.ru"  # stored dictionary links point at hh.ru, as on the real server
SITE_ROOT = "https://hh.ru"

ANY = "*"  # a path step matching every item of a list


@dataclass(frozen=True)
class Place:
    """Where dictionary entries sit: a path of keys (ANY for list items) and the dictionary."""

    path: tuple[str, ...]
    dictionary: str
    id_only: bool = False  # the API shows these entries without a name


DICTIONARY_FIELDS: tuple[Place, ...] = (
    Place(("access", "type"), "access_types"),
    Place(("area",), "areas"),
    Place(("business_trip_readiness",), "trip_readiness"),
    Place(("citizenship", ANY), "areas"),
    Place(("contact", ANY, "type"), "contact_types"),
    Place(("driver_license_types", ANY), "driver_license_types", id_only=True),
    Place(("education", "level"), "education_levels"),
    Place(("employment_form", ANY), "employment_form"),
    Place(("employments", ANY), "employment"),
    Place(("experience", ANY, "area"), "areas"),
    Place(("experience", ANY, "industries", ANY), "industries"),
    Place(("gender",), "gender"),
    Place(("hidden_fields", ANY), "hidden_fields"),
    Place(("language", ANY), "languages"),
    Place(("language", ANY, "level"), "language_levels"),
    Place(("professional_roles", ANY), "professional_roles"),
    Place(("relocation", "area", ANY), "areas"),
    Place(("relocation", "type"), "relocation_types"),
    Place(("resume_locale",), "locales"),
    Place(("schedules", ANY), "schedule"),
    Place(("site", ANY, "type"), "site_types"),
    Place(("travel_time",), "travel_time"),
    Place(("work_format", ANY), "work_format"),
    Place(("work_ticket", ANY), "areas"),
)


def entries_at(document: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """(location, value) for every value at `path` in `document` (absent places are skipped)."""

    def walk(node: Any, rest: tuple[str, ...], at: tuple[str | int, ...]) -> Iterator[Any]:
        if not rest:
            yield at, node
            return
        step, tail = rest[0], rest[1:]
        if step == ANY:
            if isinstance(node, list):
                for index, item in enumerate(node):
                    yield from walk(item, tail, (*at, index))
        elif isinstance(node, dict) and node.get(step) is not None:
            yield from walk(node[step], tail, (*at, step))

    yield from walk(document, path, ())


@dataclass(frozen=True)
class Dictionaries:
    data: dict[str, Any]

    @classmethod
    def builtin(cls) -> Dictionaries:
        return cls(resources.load(resources.DICTIONARIES))

    def name(self, dictionary: str, entry_id: str) -> str | None:
        value = self.data[dictionary].get(entry_id)
        if isinstance(value, dict):
            return value["name"]
        return value

    def entry(self, dictionary: str, entry_id: str) -> dict[str, Any]:
        """The entry as the API shows it; the id must exist."""
        name = self.name(dictionary, entry_id)
        if name is None:
            raise KeyError(f"{dictionary}: {entry_id}")
        entry = {"id": entry_id, "name": name}
        if dictionary == "areas":
            entry["url"] = f"{API_ROOT}/areas/{entry_id}"
        return entry

    def is_leaf_area(self, area_id: str) -> bool:
        return not any(area["parent_id"] == area_id for area in self.data["areas"].values())

    def metro(self, station_id: str) -> dict[str, Any] | None:
        station = self.data["metro"].get(station_id)
        if station is None:
            return None
        shown = {key: value for key, value in station.items() if key != "area_id"}
        return {"id": station_id, **shown}

    def metro_area(self, station_id: str) -> str | None:
        station = self.data["metro"].get(station_id)
        return station["area_id"] if station else None

    def metro_city(self, area_id: str) -> dict[str, Any] | None:
        """The city as `GET /metro/{city_id}` shows it (MetroCityMetroItem): its lines, each
        with its stations in line order; None when no station of the dictionary is there."""
        stations = [
            station
            for station_id, entry in self.data["metro"].items()
            if entry["area_id"] == area_id and (station := self.metro(station_id)) is not None
        ]
        if not stations:
            return None
        lines: dict[str, dict[str, Any]] = {}
        for station in sorted(stations, key=_line_order):
            line = lines.setdefault(station["line"]["id"], {**station["line"], "stations": []})
            line["stations"].append(station)
        return {"id": area_id, "name": self.name("areas", area_id), "lines": list(lines.values())}

    def employer_name(self, employer_id: str) -> str | None:
        return self.data["employers"].get(employer_id)

    def employer_area(self, employer_id: str) -> str:
        """The employer's area id (Moscow unless the data says otherwise)."""
        return self.data.get("employer_areas", {}).get(employer_id, "1")


def _line_order(station: dict[str, Any]) -> tuple[int, str, int]:
    """Lines by id, numeric ids in numeric order ("2" before "14"); stations by `order`."""
    line = station["line"]["id"]
    return (int(line) if line.isdigit() else 1 << 62, line, station["order"])
