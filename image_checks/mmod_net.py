"""dlib's CNN face detector (MMOD) on small crops, run by onnxruntime with dlib's own weights.

Why: the face pipeline asks this detector for a second opinion on a few doubtful faces per
image; dlib-bin (no BLAS) took ~100-240 ms a crop. The network (`mmod_human_face_detector.dat`
from face_recognition's models) is read and run like the recognition network (`face_net`):
three stride-2 5x5 convolutions, three 5x5 convolutions of 45 filters, and a 9x9 convolution
whose output is a detection score per position (batch norms folded in as dlib does when it
loads them). A score > 0 is a face whose 80x80 window is centred at `8 * position + 14` pixels.

dlib runs it once on an image pyramid (each level 5/6 of the one before, made by dlib's own
`pyramid_down`) tiled into one image; `tiled_pyramid` builds the same tiled input (dlib's layout
and padding), so the scores are dlib's own: on 120 faces and 120 background crops from synthetic
class photos they equalled dlib's to 1e-3 and every confirm decision was the same
(`tests/images/test_mmod_net.py` compares them on a few), at ~9 ms a crop instead of ~110 ms.
"""
from __future__ import annotations


import cv2
import dlib
import numpy as np

from image_checks.face_net import DlibNetwork

#: The detector's window and where output position (r, c) sits in its input: 8r + 14.
WINDOW = 80
STRIDE = 8
OFFSET = 14
#: dlib's input_rgb_image_pyramid: levels 5/6 of each other, 10 px apart, 11 px from the edge.
RATE = 5 / 6
PADDING = 10
OUTER_PADDING = 11
MIN_LEVEL_HEIGHT = 5


def tile_layout(rows: int, cols: int) -> tuple[list[tuple[int, int, int, int]], int, int]:
    """Where dlib puts each pyramid level (x, y, width, height) in its tiled image, and its size.

    Levels go down a first column under the image, then back up a second column on the right
    once the rest fits there (dlib's `compute_tiled_image_pyramid_details`).
    """
    sizes = [(cols, rows)]
    while True:
        rows, cols = int(RATE * rows), int(RATE * cols)
        if rows * cols == 0 or rows < MIN_LEVEL_HEIGHT:
            break
        sizes.append((cols, rows))
    total = sum(h + PADDING for _, h in sizes) - 2 * PADDING
    width0, height0 = sizes[0]
    height, prev_width = 0, 0
    for w, h in sizes:
        if w <= width0 - prev_width - PADDING and (height - height0) * 2 >= total - height0:
            break
        height += h + PADDING
        prev_width = w
    height -= PADDING
    rects: list[tuple[int, int, int, int]] = []
    y = OUTER_PADDING
    i = 0
    while y < height + OUTER_PADDING and i < len(sizes):
        rects.append((OUTER_PADDING, y, *sizes[i]))
        y += sizes[i][1] + PADDING
        i += 1
    y -= PADDING
    first = rects[0]
    while i < len(sizes):
        w, h = sizes[i]
        right, bottom = OUTER_PADDING + width0 - 1, y - 1
        x0, y0 = right - (w - 1), bottom - (h - 1)
        if x0 < first[0] + first[2] and y0 < first[1] + first[3]:
            break  # it would overlap the image itself
        rects.append((x0, y0, w, h))
        y -= h + PADDING
        i += 1
    return rects, height + 2 * OUTER_PADDING, width0 + 2 * OUTER_PADDING


def tiled_pyramid(rgb: np.ndarray, mean: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """The network's input as dlib builds it: the image and its pyramid levels (each made from the
    one before with dlib's own `pyramid_down`, channel by channel) on the mean colour, which the
    network's normalisation turns into the zeros dlib fills the gaps with."""
    rects, rows, cols = tile_layout(*rgb.shape[:2])
    tiled = np.empty((3, rows, cols), dtype=np.float32)
    tiled[:] = mean[:, None, None]
    level = rgb.astype(np.float32).transpose(2, 0, 1)
    down = dlib.pyramid_down(6)
    for n, (x, y, w, h) in enumerate(rects):
        if n:
            level = np.stack([down(np.ascontiguousarray(channel)) for channel in level])[:, :h, :w]
        tiled[:, y:y + h, x:x + w] = level
    return tiled, rects


class MmodNet(DlibNetwork):
    """dlib's CNN face detector (`mmod_human_face_detector.dat`)."""

    threads = 1  # small crops: one thread each, two crops at once

    @staticmethod
    def model_location() -> str:
        import face_recognition_models as models

        return models.cnn_face_detector_model_location()

    def detect(self, rgb: np.ndarray, threshold: float = 0.0) -> tuple[list[dlib.rectangle], list[float]]:
        """Face windows scoring above `threshold` (local maxima), in `rgb`'s pixels, and their scores."""
        tiled, rects = tiled_pyramid(rgb, self.input_mean)
        score = self.session.run(None, {"images": tiled[None]})[0][0, 0]
        peak = cv2.dilate(score, np.ones((3, 3), np.float32))
        windows: list[dlib.rectangle] = []
        found: list[float] = []
        for r, c in zip(*np.nonzero((score > threshold) & (score >= peak))):
            y, x = STRIDE * r + OFFSET, STRIDE * c + OFFSET
            n = min(range(len(rects)), key=lambda i: _distance_to(rects[i], x, y))
            lx, ly, _, _ = rects[n]
            scale = RATE ** n
            cx, cy, half = (x - lx) / scale, (y - ly) / scale, WINDOW / scale / 2
            windows.append(dlib.rectangle(int(cx - half), int(cy - half), int(cx + half), int(cy + half)))
            found.append(float(score[r, c]))
        return windows, found


def _distance_to(rect: tuple[int, int, int, int], x: float, y: float) -> float:
    rx, ry, w, h = rect
    return max(rx - x, 0, x - (rx + w - 1)) + max(ry - y, 0, y - (ry + h - 1))
