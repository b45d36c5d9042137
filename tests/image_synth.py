"""Synthetic group photos for tests and benchmarks: real LFW faces pasted small onto a big canvas.

No public labelled set has class photos of children, so a "class photo" is built here: `n` faces
from ../shared/faces/lfw (each a 250x250 deep-funnelled photo whose face fills the centre) are
scaled so the face is about `face_px` wide and laid out on a grid with jitter over a textured
background, like rows of pupils. The truth returned is each pasted face's box in canvas pixels.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

REPO = Path(__file__).resolve().parents[1]
FACES = REPO / ".." / "shared" / "faces"
LFW = FACES / "lfw"

#: In a 250x250 LFW deep-funnelled photo the face (brow to chin, ear to ear) sits about here.
LFW_FACE = (72, 178, 182, 72)  # top, right, bottom, left
#: The part of the LFW photo pasted: the face and a margin of hair, neck and background.
LFW_CROP = (40, 210, 230, 40)


def lfw_people(min_photos: int = 1) -> dict[str, list[Path]]:
    """LFW people with at least `min_photos` photos, sorted by name (stable across machines)."""
    people = {}
    for folder in sorted(LFW.iterdir()):
        photos = sorted(folder.glob("*.jpg"))
        if len(photos) >= min_photos:
            people[folder.name] = photos
    return people


@dataclass
class GroupPhoto:
    image: Image.Image
    truth: list[tuple[int, int, int, int]]  # (top, right, bottom, left) of each pasted face
    sources: list[Path]

    def jpeg(self, quality: int = 90) -> bytes:
        out = io.BytesIO()
        self.image.save(out, "JPEG", quality=quality)
        return out.getvalue()


def _background(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A wall-and-floor gradient with noise: enough texture to tempt a face detector, no faces."""
    w, h = size
    small = np.zeros((h // 16 + 1, w // 16 + 1, 3), dtype=np.float32)
    top = np.array([rng.randint(120, 200) for _ in range(3)], dtype=np.float32)
    bottom = np.array([rng.randint(40, 120) for _ in range(3)], dtype=np.float32)
    for y in range(small.shape[0]):
        t = y / max(1, small.shape[0] - 1)
        small[y, :, :] = top * (1 - t) + bottom * t
    nprng = np.random.default_rng(rng.randint(0, 2**31))
    small += nprng.normal(0, 12, small.shape)
    img = Image.fromarray(np.clip(small, 0, 255).astype(np.uint8)).resize((w, h), Image.BILINEAR)
    return img


def group_photo(sources: list[Path], size: tuple[int, int] = (4000, 3000), face_px: int = 50,
                seed: int = 0, rows: int | None = None) -> GroupPhoto:
    """Paste `sources` (LFW photos) as rows of people with faces about `face_px` wide."""
    rng = random.Random(seed)
    canvas = _background(size, rng)
    draw = ImageDraw.Draw(canvas)
    w, h = size
    n = len(sources)
    rows = rows or max(1, round((n * h / w) ** 0.5))
    cols = -(-n // rows)
    cell_w, cell_h = w / cols, h / rows
    ct, cr, cb, cl = LFW_CROP
    ft, fr, fb, fl = LFW_FACE
    scale = face_px / (fr - fl)
    crop_w, crop_h = round((cr - cl) * scale), round((cb - ct) * scale)
    truth = []
    for i, src in enumerate(sources):
        r, c = divmod(i, cols)
        cx = int((c + 0.5) * cell_w + rng.uniform(-0.15, 0.15) * cell_w)
        cy = int((r + 0.4) * cell_h + rng.uniform(-0.1, 0.1) * cell_h)
        left, top = cx - crop_w // 2, cy - crop_h // 2
        # a body under the face, in a random jumper colour
        colour = tuple(rng.randint(20, 230) for _ in range(3))
        draw.rounded_rectangle((left - crop_w // 3, top + crop_h, left + crop_w + crop_w // 3,
                                top + crop_h * 3), radius=max(2, crop_w // 4), fill=colour)
        face = Image.open(src).convert("RGB").crop((cl, ct, cr, cb)).resize((crop_w, crop_h), Image.LANCZOS)
        mask = Image.new("L", face.size, 0)
        ImageDraw.Draw(mask).ellipse((0, 0, crop_w - 1, crop_h - 1), fill=255)
        mask = mask.filter(ImageFilter.GaussianBlur(max(1, crop_w // 20)))
        canvas.paste(face, (left, top), mask)
        truth.append((top + round((ft - ct) * scale), left + round((fr - cl) * scale),
                      top + round((fb - ct) * scale), left + round((fl - cl) * scale)))
    return GroupPhoto(image=canvas, truth=truth, sources=list(sources))


def found_share(truth: list[tuple[int, int, int, int]], boxes: list[tuple[int, int, int, int]]) -> tuple[int, int]:
    """(faces found, false boxes): a truth face is found when a box's centre falls inside it."""
    found = 0
    used = set()
    for t, r, b, l in truth:
        for j, (bt, br, bb, bl) in enumerate(boxes):
            cy, cx = (bt + bb) / 2, (bl + br) / 2
            if j not in used and t <= cy <= b and l <= cx <= r:
                found += 1
                used.add(j)
                break
    return found, len(boxes) - len(used)


# --- enrolment shared by the image tests (computed once per test session) -------------------

_ENROLLED: dict[str, list[bytes]] = {}


def enrolled_people(count: int = 3) -> list[str]:
    """LFW people with at least 4 photos, spread over the alphabet (first two photos enrolled)."""
    people = [name for name, photos in lfw_people(4).items()]
    step = max(1, len(people) // count)
    return people[::step][:count]


def strangers(count: int = 6) -> list[Path]:
    """One photo each of LFW people with a single photo (never enrolled anywhere)."""
    singles = [photos[0] for photos in lfw_people(1).values() if len(photos) == 1]
    step = max(1, len(singles) // count)
    return singles[::step][:count]


def enrol_encodings(name: str, policy) -> list[bytes]:  # noqa: ANN001
    """Encodings of a person's first two photos, enrolled as the admin pages would (cached)."""
    from image_checks.enrol import enrol_photo

    if name not in _ENROLLED:
        encodings = []
        for photo in lfw_people(1)[name][:2]:
            result = enrol_photo(photo.read_bytes(), policy)
            assert result.accepted, (photo, result.reason)
            encodings.append(result.encoding)
        _ENROLLED[name] = encodings
    return _ENROLLED[name]


def index_rows(names: list[str], policy) -> list[tuple[int, bytes]]:  # noqa: ANN001
    """(pupil_id, encoding) rows for `names`, pupil ids 1..n in order."""
    return [(i + 1, enc) for i, name in enumerate(names) for enc in enrol_encodings(name, policy)]


def other_photos(name: str) -> list[Path]:
    """A person's photos that were not enrolled."""
    return lfw_people(1)[name][2:]
