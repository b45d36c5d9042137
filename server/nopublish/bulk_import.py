"""Bulk import for the start of the school year: a CSV of pupils and a ZIP (or folder) of photos.

The CSV has a header row with `name, reference, year_group, reason, review_by` (optional:
`reason_note, parents_notified_on, consent_given_by, consent_given_on`; `problem` and `csv_line`,
which the failed-rows CSV adds, are ignored). Photos are named by
reference: `A123.jpg`, `A123-2.jpg`, `A123 (2).jpg` or `A123/anything.jpg`.

Each pupil is all-or-nothing: the row and every photo for it are checked first, and only if all
pass is the pupil added with their faces, in one transaction. The ZIP is read in memory and is
refused whole, before anything is imported, when a member's path could escape a folder (ZIP
slip), when it holds too many members or too many bytes uncompressed, or is not a ZIP at all.
"""
from __future__ import annotations

import csv
import io
import os
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy.orm import Session

from checks_common import Policy
from image_checks.intake import ACCEPTED_TYPES, sniff
from server import audit
from server.nopublish import records

MB = 1024 * 1024
MAX_CSV_BYTES = 2 * MB
MAX_ROWS = 5000
MAX_MEMBERS = 5000
MAX_TOTAL_BYTES = 500 * MB
MAX_PHOTO_BYTES = 10 * MB

REQUIRED_COLUMNS = ("name", "reference", "year_group", "reason", "review_by")
OPTIONAL_COLUMNS = ("reason_note", "parents_notified_on", "consent_given_by", "consent_given_on")
#: The columns the failed-rows CSV adds in front; ignored on import, so that file, put right, imports as it is.
REPORT_COLUMNS = ("problem", "csv_line")
#: The template CSV's example row (a made-up pupil), in REQUIRED_COLUMNS + OPTIONAL_COLUMNS order.
EXAMPLE_ROW = ("Jordan Example", "A123", "Year 8", "no-consent", "2027-07-31", "",
               "2026-09-01", "A. Parent (mother)", "2026-09-04")
#: CSV column -> pupil field name.
FIELD_OF = {"name": "display_name"}


class ImportRefused(ValueError):
    """The whole import is refused (bad CSV header, unsafe or oversize ZIP): nothing was imported."""


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]

    @property
    def reference(self) -> str:
        return (self.values.get("reference") or "").strip()

    @property
    def label(self) -> str:
        return self.values.get("name") or f"line {self.line}"


@dataclass
class RowReport:
    """What happened to one CSV row, for the page and the CLI."""

    line: int
    name: str
    reference: str
    imported: bool
    problems: list[str] = field(default_factory=list)
    photos: list[tuple[str, str]] = field(default_factory=list)  # (file name, outcome message)
    pupil_id: int | None = None
    values: dict[str, str] = field(default_factory=dict)  # the row as read, for the failed-rows CSV

    @property
    def reason(self) -> str:
        """Why the row was not imported, in one cell: its problems, then what became of its photos."""
        photos = [f"{name}: {message}" for name, message in self.photos if message != "not used"]
        return "; ".join([*self.problems, *photos])


def failed_rows_table(reports: list[RowReport]) -> tuple[tuple[str, ...], list[list[str]]]:
    """The rows that were not imported, as they were read, each with why: (header, rows). The
    header is the template's, after REPORT_COLUMNS, so the file can be put right and imported again."""
    columns = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    rows = [[r.reason, str(r.line), *(r.values.get(c, "") for c in columns)]
            for r in reports if r.line and not r.imported]
    return REPORT_COLUMNS + columns, rows


def _header_key(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def parse_csv(data: bytes) -> list[ImportRow]:
    """Read the CSV (UTF-8, with or without BOM); refuses it whole if the header is wrong."""
    if len(data) > MAX_CSV_BYTES:
        raise ImportRefused(f"The CSV is larger than {MAX_CSV_BYTES // MB} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused("The CSV is not UTF-8 text (save it as 'CSV UTF-8').") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise ImportRefused("The CSV is empty.")
    keys = [_header_key(h) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in keys]
    if missing:
        raise ImportRefused("The CSV's header row lacks: " + ", ".join(missing) + ". Expected columns: "
                            + ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS) + ".")
    unknown = [h for h, k in zip(header, keys) if k not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS + REPORT_COLUMNS]
    if unknown:
        raise ImportRefused("Unknown CSV column(s): " + ", ".join(unknown) + ".")
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportRefused(f"At most {MAX_ROWS} rows per import.")
        rows.append(ImportRow(reader.line_num, {k: (values[i].strip() if i < len(values) else "")
                                                for i, k in enumerate(keys) if k not in REPORT_COLUMNS}))
    return rows


# --- photos -------------------------------------------------------------------------------------------

@dataclass
class Photo:
    name: str
    data: bytes


def _unsafe_path(name: str) -> bool:
    """A member name that could write outside the target folder if anyone ever extracted it."""
    if "\\" in name or "\x00" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    return ".." in name.split("/")


def _reference_keys(path: str) -> set[str]:
    """The references a photo's path can stand for: its folder, its stem, its stem without `-2`."""
    parts = path.strip("/").split("/")
    stem = posixpath.splitext(parts[-1])[0].strip()
    keys = {stem.lower(), re.sub(r"(?:[-_ ]\d{1,3}|\s*\(\d{1,3}\))$", "", stem).lower()}
    if len(parts) > 1:
        keys.add(parts[-2].strip().lower())
    return {k for k in keys if k}


def _ignored(path: str) -> bool:
    base = posixpath.basename(path.rstrip("/"))
    return path.endswith("/") or path.startswith("__MACOSX/") or base.startswith(".") or base.lower() == "thumbs.db"


def read_zip(data: bytes) -> list[Photo]:
    """The ZIP's photos, read in memory (never extracted to disk), after the safety checks."""
    max_members, max_total, max_photo = MAX_MEMBERS, MAX_TOTAL_BYTES, MAX_PHOTO_BYTES
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportRefused("The photos file is not a ZIP archive.") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > max_members:
            raise ImportRefused(f"The ZIP holds {len(infos)} files; at most {max_members} are accepted.")
        for info in infos:
            if _unsafe_path(info.filename):
                raise ImportRefused(f"Unsafe path in the ZIP ({info.filename!r}): refused whole.")
        declared = sum(info.file_size for info in infos)
        if declared > max_total:
            raise ImportRefused(f"The ZIP would unpack to {declared // MB} MB; at most {max_total // MB} MB.")
        photos, total = [], 0
        for info in infos:
            if _ignored(info.filename):
                continue
            if info.file_size > max_photo:
                raise ImportRefused(f"{info.filename} is larger than {max_photo // MB} MB.")
            try:
                with archive.open(info) as member:
                    # Never trust the declared size: read at most one byte past the limit.
                    content = member.read(max_photo + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
                raise ImportRefused(f"{info.filename} cannot be read from the ZIP ({exc}).") from None
            total += len(content)
            if len(content) > max_photo or total > max_total:
                raise ImportRefused("The ZIP unpacks to more than it declares: refused.")
            photos.append(Photo(info.filename, content))
    return photos


def read_folder(folder: Path) -> list[Photo]:
    """The photos in a folder (CLI); symbolic links are not followed out of it."""
    max_members, max_total, max_photo = MAX_MEMBERS, MAX_TOTAL_BYTES, MAX_PHOTO_BYTES
    root = folder.resolve()
    photos, total = [], 0
    for dirpath, _, files in os.walk(root):
        for filename in sorted(files):
            path = Path(dirpath) / filename
            rel = path.relative_to(root).as_posix()
            if _ignored(rel) or path.is_symlink() or not path.resolve().is_relative_to(root):
                continue
            if len(photos) >= max_members:
                raise ImportRefused(f"More than {max_members} files in the folder.")
            size = path.stat().st_size
            if size > max_photo:
                raise ImportRefused(f"{rel} is larger than {max_photo // MB} MB.")
            total += size
            if total > max_total:
                raise ImportRefused(f"The photos add up to more than {max_total // MB} MB.")
            photos.append(Photo(rel, path.read_bytes()))
    return photos


def photos_by_reference(photos: list[Photo], references: set[str]) -> tuple[dict[str, list[Photo]], list[str]]:
    """Match photos to CSV references (case-insensitive); returns (matches, unmatched names)."""
    wanted = {r.lower() for r in references if r}
    matched: dict[str, list[Photo]] = {}
    unmatched = []
    for photo in photos:
        keys = _reference_keys(photo.name) & wanted
        if len(keys) == 1:
            matched.setdefault(keys.pop(), []).append(photo)
        else:
            unmatched.append(photo.name)
    return matched, unmatched


# --- the import ---------------------------------------------------------------------------------------

def import_rows(session_factory: Callable[[], Session], actor: str, rows: list[ImportRow],
                photos: list[Photo], policy: Policy) -> Iterator[tuple[int, int, RowReport]]:
    """Import row by row; yields (done, total, report) after each row so callers can show progress.

    Each pupil is committed on its own, so a failed row leaves nothing behind and does not undo
    the rows before it.
    """
    matched, unmatched = photos_by_reference(photos, {r.reference for r in rows})
    seen_refs: set[str] = set()
    imported = 0
    for done, row in enumerate(rows, start=1):
        with session_factory() as db:
            report = _import_row(db, actor, row, matched.get(row.reference.lower(), []), policy, seen_refs)
            if report.imported:
                imported += 1
        yield done, len(rows), report
    with session_factory() as db:
        audit.record(db, actor, "pupil.import", "no-publish list", rows=len(rows), imported=imported,
                     failed=len(rows) - imported, photos=len(photos), unmatched_photos=len(unmatched))
        db.commit()
    if unmatched:
        yield len(rows), len(rows), RowReport(0, "", "", False, [
            "Photos matching no reference in the CSV (not imported): " + ", ".join(unmatched[:50])
            + (" …" if len(unmatched) > 50 else "")])


def _import_row(db: Session, actor: str, row: ImportRow, photos: list[Photo], policy: Policy,
                seen_refs: set[str]) -> RowReport:
    report = RowReport(row.line, row.values.get("name", ""), row.reference, False, values=dict(row.values))
    raw = {FIELD_OF.get(k, k): v for k, v in row.values.items()}
    try:
        fields = records.validate_fields(raw)
    except records.ListError as exc:
        report.problems = [f"{name.replace('display_name', 'name')}: {msg}" for name, msg in exc.fields.items()]
        return report
    if fields.reference:
        if fields.reference.lower() in seen_refs:
            report.problems.append("reference: appears twice in this CSV.")
            return report
        seen_refs.add(fields.reference.lower())
    try:
        records.refuse_photos_without_consent(fields, bool(photos))
    except records.ListError:
        report.problems.append("photos given but no written consent recorded (parents_notified_on, "
                               "consent_given_by, consent_given_on): nothing imported for this pupil.")
        report.photos = [(p.name, "not used") for p in photos]
        return report
    outcomes = []
    for photo in photos:
        kind = sniff(photo.data) if photo.data else "empty"
        if kind not in ACCEPTED_TYPES:
            outcome = records.EnrolOutcome(photo.name, "not_image", records.ENROL_MESSAGES["not_image"])
        else:
            outcome = records.assess_photo(db, fields, photo.data, policy, photo.name, pending=outcomes)
            if outcome.status == "multiple_faces":
                outcome.message = "More than one face: add this photo on the pupil's page to choose the face."
        outcomes.append(outcome)
    report.photos = [(o.filename, o.message) for o in outcomes]
    if any(not o.accepted for o in outcomes):
        report.problems.append("a photo was not accepted: nothing imported for this pupil.")
        return report
    try:
        pupil = records.add_pupil(db, actor, fields, via="import")
    except records.ListError as exc:
        db.rollback()
        report.problems = [f"{k}: {v}" for k, v in exc.fields.items()] or [str(exc)]
        return report
    for outcome in outcomes:
        records.store_outcome(db, actor, pupil, outcome)
    db.commit()
    report.imported = True
    report.pupil_id = pupil.id
    return report
