"""Where an import writes each resume: the file that already declares its id, else a file
stem made from its title (transliterated, unique in resumes/)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from resumesync.files import RESUME_SUFFIXES, RESUMES_DIR
from resumesync.model import ResumeSummary
from resumesync.problems import ProblemsError
from resumesync.yamlfile import parse_yaml, read_yaml_text

MAX_STEM_LENGTH = 60
FALLBACK_STEM = "resume"


# Russian, Ukrainian and Belarusian letters, as in passports (ICAO 9303) with common
# simplifications: "Программист" -> "programmist", "Щука" -> "shchuka".
_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    "і": "i",
    "ї": "i",
    "є": "ie",
    "ґ": "g",
    "ў": "u",
}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(title: str) -> str:
    """A file stem from a title: lower-case latin letters, digits and single hyphens.

    Cyrillic is transliterated, other accents are stripped; "C++" keeps its meaning as "c-plus-
    plus" would not, so symbols simply separate words. An empty result becomes "resume".
    """
    text = "".join(_CYRILLIC.get(char, char) for char in title.lower())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", text.lower()).strip("-")
    if len(slug) > MAX_STEM_LENGTH:
        cut = slug[:MAX_STEM_LENGTH]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug or FALLBACK_STEM


def unique_stem(title: str, taken: Iterable[str]) -> str:
    """slugify(title), with -2, -3, ... appended when the stem is taken."""
    used = set(taken)
    stem = slugify(title)
    candidate, number = stem, 2
    while candidate in used:
        candidate, number = f"{stem}-{number}", number + 1
    return candidate


def existing_resume_files(directory: Path) -> dict[Path, str]:
    """Resume files already in `directory`/resumes -> the id each declares ("" if none).

    An import with --force refreshes a resume's file in place, even when the title changed.
    """
    folder = directory / RESUMES_DIR
    if not folder.is_dir():
        return {}
    found: dict[Path, str] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix not in RESUME_SUFFIXES or path.name.startswith(("_", ".")):
            continue
        found[path] = ""
        try:
            data = parse_yaml(read_yaml_text(path.read_bytes(), path.name), path.name).data
        except (OSError, ProblemsError):
            continue  # not a resume file we can match: its name stays taken all the same
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found[path] = data["id"]
    return found


def target_paths(
    directory: Path, resumes: Sequence[ResumeSummary], existing: Mapping[Path, str]
) -> dict[str, Path]:
    """resume id -> the file to write: the file that already declares the id, or a new stem
    from the title that no other file in resumes/ uses."""
    paths: dict[str, Path] = {}
    for path, resume_id in existing.items():
        if resume_id:
            paths.setdefault(resume_id, path)
    paths = {
        summary.resume_id: paths[summary.resume_id]
        for summary in resumes
        if summary.resume_id in paths
    }
    taken = {path.stem for path in existing}
    for summary in resumes:
        if summary.resume_id in paths:
            continue
        stem = unique_stem(summary.title, taken)
        taken.add(stem)
        paths[summary.resume_id] = directory / RESUMES_DIR / f"{stem}.yaml"
    return paths
