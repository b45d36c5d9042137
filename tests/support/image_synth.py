"""Synthetic group photos for tests and benchmarks: real LFW faces pasted small onto a big canvas.

No public labelled set has class photos of children, so a "class photo" is built here: `n` faces
from ../shared/faces/lfw (each a 250x250 deep-funnelled photo whose face fills the centre) are
scaled so the face is about `face_px` wide and laid out on a grid with jitter over a textured
background, like rows of pupils. The truth returned is each pasted face's box in canvas pixels.

The default background is a smooth gradient, which flatters OpenCV's Haar cascade: its cost per
megapixel is 3-7x higher on real photos and on textures (foliage, grass, brick), where many more
windows pass its first stages. `background="foliage"` or `"bricks"` gives such a texture, and
`faceless_scene` gives whole photos with no face at all (for counting false detections).
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

REPO = Path(__file__).resolve().parents[2]
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
    #: (top, right, bottom, left) of each whole pasted LFW crop: some hold a second, real face
    #: (a person behind the famous one), which a detector rightly finds.
    pasted: list[tuple[int, int, int, int]] = field(default_factory=list)

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


def _noise(h: int, w: int, cell: int, rng: np.random.Generator) -> np.ndarray:
    small = rng.normal(0, 1, (h // cell + 2, w // cell + 2)).astype(np.float32)
    return np.asarray(Image.fromarray(small).resize((w + cell, h + cell), Image.BICUBIC))[:h, :w]


def _fractal(h: int, w: int, rng: np.random.Generator, cells: tuple[int, ...]) -> np.ndarray:
    """Smooth noise summed over several grain sizes (cloud, rock and grass textures)."""
    out = np.zeros((h, w), np.float32)
    for i, cell in enumerate(cells):
        out += _noise(h, w, cell, rng) / (1.5 ** i)
    return out


def _to_image(a: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def _foliage(size: tuple[int, int], seed: int) -> Image.Image:
    """A hedge or trees behind the pupils: thousands of leaves over fine noise."""
    w, h = size
    r, rng = random.Random(seed), np.random.default_rng(seed)
    img = Image.new("RGB", size, (30, 60, 25))
    draw = ImageDraw.Draw(img)
    for _ in range(6000 * w * h // 12_000_000 + 1):
        x, y, s, g = r.randint(0, w), r.randint(0, h), r.randint(6, 60), r.randint(60, 200)
        draw.ellipse((x - s, y - s // 2, x + s, y + s // 2), fill=(g // 3, g, g // 4))
    a = np.asarray(img).astype(np.float32) + _fractal(h, w, rng, (64, 8, 2))[..., None] * 15
    return _to_image(a).filter(ImageFilter.GaussianBlur(1.2))


def _bricks(size: tuple[int, int], seed: int) -> Image.Image:
    """A brick wall: a regular pattern of edges and corners."""
    w, h = size
    r, rng = random.Random(seed), np.random.default_rng(seed)
    img = Image.new("RGB", size, (200, 200, 195))
    draw = ImageDraw.Draw(img)
    bh, bw = 60, 150
    for row in range(h // bh + 1):
        off = (row % 2) * bw // 2
        for col in range(-1, w // bw + 1):
            colour = (r.randint(130, 180), r.randint(50, 80), r.randint(40, 60))
            draw.rectangle((col * bw + off + 4, row * bh + 4, col * bw + off + bw - 4, row * bh + bh - 4), fill=colour)
    return _to_image(np.asarray(img).astype(np.float32) + _fractal(h, w, rng, (32, 8, 2))[..., None] * 12)


def _landscape(size: tuple[int, int], seed: int) -> Image.Image:
    """Sky with clouds, a rocky ridge, a meadow with trees: an outdoor photo with nobody in it."""
    w, h = size
    r, rng = random.Random(seed), np.random.default_rng(seed)
    y = np.linspace(0, 1, h)[:, None, None]
    img = np.broadcast_to(np.array([110, 160, 230], np.float32) * (1 - y * 0.4), (h, w, 3)).copy()
    img += np.clip(_fractal(h, w, rng, (512, 128, 32)), 0, None)[..., None] * 60
    ridge = h * 0.45 + np.cumsum(rng.normal(0, 3, w))
    ridge -= ridge.mean() - h * 0.45
    rows = np.arange(h)[:, None]
    rock = (90 + _fractal(h, w, rng, (128, 32, 8, 2)) * 25)[..., None] * np.array([1.0, 0.95, 0.9], np.float32)
    img = np.where((rows > ridge[None, :])[..., None], rock, img)
    g = _fractal(h, w, rng, (64, 16, 4, 2))
    grass = np.stack([60 + g * 10, 120 + g * 30, 40 + g * 8], -1)
    img = np.where((rows > h * 0.65 + 40 * np.sin(np.arange(w)[None, :] / 300))[..., None], grass, img)
    out = _to_image(img)
    draw = ImageDraw.Draw(out)
    for _ in range(60):
        x, base, s = r.randint(0, w), r.randint(int(h * 0.6), h), r.randint(20, 160)
        draw.ellipse((x - s, base - 3 * s, x + s, base - s), fill=(r.randint(10, 60), r.randint(60, 120), r.randint(10, 50)))
        draw.rectangle((x - s // 8, base - s, x + s // 8, base), fill=(80, 50, 30))
    return out.filter(ImageFilter.GaussianBlur(1))


def _toy_shelf(size: tuple[int, int], seed: int) -> Image.Image:
    """Round things, many with two dark dots (buttons, balls, clocks): face-detector bait."""
    w, h = size
    r = random.Random(seed)
    img = Image.new("RGB", size, (220, 210, 190))
    draw = ImageDraw.Draw(img)
    for _ in range(500 * w * h // 12_000_000 + 1):
        x, y, s = r.randint(0, w), r.randint(0, h), r.randint(10, 120)
        draw.ellipse((x - s, y - s, x + s, y + s), fill=tuple(r.randint(40, 250) for _ in range(3)))
        if r.random() < 0.5:
            e = max(1, s // 6)
            for dx in (-s // 3, s // 3):
                draw.ellipse((x + dx - e, y - s // 4 - e, x + dx + e, y - s // 4 + e), fill=(20, 20, 20))
        if r.random() < 0.3:
            draw.line((x - s // 3, y + s // 3, x + s // 3, y + s // 3), fill=(30, 30, 30), width=max(1, s // 10))
    return img.filter(ImageFilter.GaussianBlur(1))


FACELESS_SCENES = {"landscape": _landscape, "foliage": _foliage, "bricks": _bricks, "toy_shelf": _toy_shelf}


def faceless_scene(name: str, size: tuple[int, int] = (4000, 3000), seed: int = 0) -> Image.Image:
    """A photo with no face in it (see FACELESS_SCENES); any face found in it is a false detection."""
    return FACELESS_SCENES[name](size, seed)


def group_photo(sources: list[Path], size: tuple[int, int] = (4000, 3000), face_px: int = 50,
                seed: int = 0, rows: int | None = None, background: str = "plain",
                tilt_deg: float = 0.0) -> GroupPhoto:
    """Paste `sources` (LFW photos) as rows of people with faces about `face_px` wide.

    background: "plain" (a smooth gradient), "foliage" or "bricks" (textures, see the module doc).
    tilt_deg: each head is turned in the image plane by up to this many degrees either way.
    """
    rng = random.Random(seed)
    canvas = _background(size, rng) if background == "plain" else FACELESS_SCENES[background](size, seed)
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
    truth, pasted = [], []
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
        if tilt_deg:
            # about the face's centre, so the face box stays where it was (its size too, near enough)
            angle = rng.uniform(-tilt_deg, tilt_deg)
            centre = ((fl + fr) / 2 - cl) * scale, ((ft + fb) / 2 - ct) * scale
            face = face.rotate(angle, Image.BICUBIC, center=centre)
            mask = mask.rotate(angle, Image.BICUBIC, center=centre)
        canvas.paste(face, (left, top), mask)
        truth.append((top + round((ft - ct) * scale), left + round((fr - cl) * scale),
                      top + round((fb - ct) * scale), left + round((fl - cl) * scale)))
        pasted.append((top, left + crop_w, top + crop_h, left))
    return GroupPhoto(image=canvas, truth=truth, sources=list(sources), pasted=pasted)


def found_share(truth: list[tuple[int, int, int, int]], boxes: list[tuple[int, int, int, int]],
                ignore: list[tuple[int, int, int, int]] = ()) -> tuple[int, int]:
    """(faces found, false boxes): a truth face is found when a box's centre falls inside it.

    A box that found no truth face but whose centre lies in one of `ignore` (e.g. a GroupPhoto's
    `pasted` crops, where a second real face may be) is not counted as false.
    """
    found = 0
    used = set()
    for t, r, b, l in truth:
        for j, (bt, br, bb, bl) in enumerate(boxes):
            cy, cx = (bt + bb) / 2, (bl + br) / 2
            if j not in used and t <= cy <= b and l <= cx <= r:
                found += 1
                used.add(j)
                break
    def _in(box: tuple[int, int, int, int], region: tuple[int, int, int, int]) -> bool:
        cy, cx = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        return region[0] <= cy <= region[2] and region[3] <= cx <= region[1]
    false = sum(1 for j, box in enumerate(boxes) if j not in used and not any(_in(box, r) for r in ignore))
    return found, false


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


def enrol_encodings(name: str, policy) -> list[tuple[bytes, bytes, bytes]]:  # noqa: ANN001
    """(dlib, ArcFace, SFace) encodings of a person's first two photos, enrolled as the admin pages
    would (cached)."""
    from image_checks.enrol import enrol_photo

    if name not in _ENROLLED:
        encodings = []
        for photo in lfw_people(1)[name][:2]:
            result = enrol_photo(photo.read_bytes(), policy)
            if result.status == "multiple_faces":  # as IT would: the face at the centre is theirs
                boxes = [c.box for c in result.candidates]
                centre = min(range(len(boxes)), key=lambda i: abs(boxes[i].left + boxes[i].right - 250)
                             + abs(boxes[i].top + boxes[i].bottom - 250))
                result = enrol_photo(photo.read_bytes(), policy, choose=centre)
            assert result.accepted, (photo, result.reason)
            encodings.append((result.encoding, result.arc_encoding, result.sface_encoding))
        _ENROLLED[name] = encodings
    return _ENROLLED[name]


def list_pupil(app, name: str, policy, display_name: str = "Listed Pupil") -> int:  # noqa: ANN001
    """Put LFW person `name` on `app`'s no-publish list (templates as `enrol_encodings`); the pupil id."""
    from server.db import session_factory
    from server.nopublish.state import bump_version
    from server.models import FaceTemplate, Pupil
    from tests.support.helpers import CONSENTED  # matching uses no template without recorded consent

    with app.app_context(), session_factory(app)() as db:
        pupil = Pupil(display_name=display_name, **CONSENTED)
        db.add(pupil)
        db.flush()
        for enc, arc, sface in enrol_encodings(name, policy):
            db.add(FaceTemplate(pupil_id=pupil.id, encoding=enc, arc_encoding=arc, sface_encoding=sface))
        bump_version(db)
        db.commit()
        return pupil.id


def index_rows(names: list[str], policy, arcface: bool = True) -> list[tuple]:  # noqa: ANN001
    """(pupil_id, dlib, ArcFace, SFace encodings) rows for `names`, pupil ids 1..n in order;
    without `arcface`, dlib-only rows as templates enrolled before the ArcFace network are."""
    return [(i + 1, enc, arc, sface) if arcface else (i + 1, enc)
            for i, name in enumerate(names) for enc, arc, sface in enrol_encodings(name, policy)]


def other_photos(name: str) -> list[Path]:
    """A person's photos that were not enrolled."""
    return lfw_people(1)[name][2:]
