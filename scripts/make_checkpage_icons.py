"""Draw the check page's home-screen icons (PNG) with Pillow: a magnifying glass over a tick.

Run once after changing the design: `.venv/bin/python scripts/make_checkpage_icons.py`.
The SVG icon (server/static/checkpage/icon.svg) is the same drawing by hand.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "server" / "static" / "checkpage"
BLUE = (31, 95, 191, 255)
WHITE = (255, 255, 255, 255)


def draw_icon(size: int, maskable: bool) -> Image.Image:
    """The icon at `size` px; a maskable icon keeps the drawing inside the central 80 % safe zone."""
    scale = 4  # draw large and shrink, for smooth edges
    big = size * scale
    img = Image.new("RGBA", (big, big), BLUE if maskable else (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    if not maskable:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=BLUE)
    inset = 0.2 if maskable else 0.12
    unit = big * (1 - 2 * inset)
    ox = oy = big * inset

    def p(x: float, y: float) -> tuple[float, float]:
        return ox + x * unit, oy + y * unit

    line = max(2, round(unit * 0.085))
    # Lens, handle and a tick inside the lens.
    cx, cy, r = 0.42, 0.42, 0.32
    draw.ellipse((*p(cx - r, cy - r), *p(cx + r, cy + r)), outline=WHITE, width=line)
    draw.line((*p(0.65, 0.65), *p(0.92, 0.92)), fill=WHITE, width=round(line * 1.4))
    draw.line((*p(0.27, 0.43), *p(0.38, 0.54), *p(0.58, 0.31)), fill=WHITE, width=line, joint="curve")
    return img.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size, maskable, name in ((192, False, "icon-192.png"), (512, False, "icon-512.png"),
                                 (512, True, "icon-maskable-512.png")):
        draw_icon(size, maskable).save(OUT / name, optimize=True)
        print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
