"""Fuzzing the two parsers of untrusted files: the policy loader and the image intake.

Only the documented error may escape: `PolicyError` from `parse_policy`, `IntakeError` from the
image intake and decode (and nothing at all from reading metadata of an image that decoded). A
different exception would reach the API as a 500, or stop the service from starting with a
traceback instead of a message naming the bad key.
"""
from __future__ import annotations

import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from checks_common import Draft, PolicyError
from checks_common.policy import default_policy, default_policy_text, parse_policy
from image_checks import ImageInput, check_images
from image_checks.decode import decode
from image_checks.intake import ACCEPTED_TYPES, IntakeError, check_upload
from server.api.intake import http_status
from image_checks.exif import read_metadata, stripped_copy

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- policy file -------------------------------------------------------------------------------

POLICY_LINES = default_policy_text().splitlines()
TOML_VALUES = st.one_of(
    st.integers(-10**20, 10**20).map(str), st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.booleans().map(lambda b: "true" if b else "false"),
    st.text(max_size=20).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'),
    st.sampled_from(["[]", "[1, \"a\"]", "{}", "{ a = 1 }", "1979-05-27", "nan", "-inf", '""', "[[]]",
                     '"\\ud800"', "'''\n'''", "0x7f", "1e400"]),
)


@st.composite
def mutated_policy(draw) -> str:
    lines = list(POLICY_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["value", "delete", "duplicate", "garbage", "key"]))
        if action == "value" and "=" in lines[i]:
            lines[i] = lines[i].split("=", 1)[0] + "= " + draw(TOML_VALUES)
        elif action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "key":
            lines.insert(i, draw(st.from_regex(r"[a-z_]{1,12}", fullmatch=True)) + " = " + draw(TOML_VALUES))
        else:
            lines[i] = draw(st.text(max_size=30))
    return "\n".join(lines)


@SETTINGS
@given(text=st.one_of(mutated_policy(), st.text(max_size=200)))
def test_policy_loader_raises_only_policy_error(text):
    try:
        policy = parse_policy(text, source="fuzz.toml")
    except PolicyError as exc:
        assert str(exc).startswith("fuzz.toml")
        return
    # Whatever loads must be usable: the checker relies on these.
    assert policy.school_name and policy.aliases
    policy.clause("2.8")


def test_policy_mutations_do_get_refused():
    """The property above is not vacuous: a broken key is refused with its name."""
    broken = re.sub(r"(?m)^match_threshold\s*=.*$", 'match_threshold = "close"', default_policy_text())
    try:
        parse_policy(broken, source="p.toml")
    except PolicyError as exc:
        assert "match_threshold" in str(exc)
    else:
        raise AssertionError("a string threshold was accepted")


# --- image intake ------------------------------------------------------------------------------

def _seed(fmt: str, mode: str = "RGB", **kwargs) -> bytes:
    img = Image.new(mode, (24, 16), (10, 200, 30) if mode == "RGB" else 1)
    out = io.BytesIO()
    img.save(out, fmt, **kwargs)
    return out.getvalue()


def _jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (24, 16), (120, 30, 30))
    exif = Image.Exif()
    exif[0x010E] = "fuzz seed"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (54.0, 0.0, 0.0), 3: "W", 4: (1.0, 28.0, 0.0)})
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


SEEDS = [_seed("PNG"), _seed("JPEG"), _seed("GIF", "P"), _seed("WEBP"), _jpeg_with_gps(),
         _seed("PNG", "RGBA"), _seed("JPEG", "L")]
HEADERS = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", b"\xff\xd8\xff\xe1", b"GIF89a", b"GIF87a",
           b"RIFF\x10\x00\x00\x00WEBPVP8 ", b"RIFF\x10\x00\x00\x00WEBPVP8X", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"]


@st.composite
def image_bytes(draw) -> bytes:
    kind = draw(st.sampled_from(["header", "mutate", "truncate", "splice"]))
    if kind == "header":
        return draw(st.sampled_from(HEADERS)) + draw(st.binary(max_size=400))
    data = bytearray(draw(st.sampled_from(SEEDS)))
    if kind == "truncate":
        return bytes(data[: draw(st.integers(0, len(data)))])
    if kind == "splice":
        other = draw(st.sampled_from(SEEDS))
        cut = draw(st.integers(0, len(data)))
        return bytes(data[:cut]) + other[draw(st.integers(0, len(other))):]
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, len(data) - 1))
        data[i] = draw(st.integers(0, 255))
    return bytes(data)


@SETTINGS
@given(data=image_bytes())
def test_intake_and_decode_raise_only_intake_error(data):
    try:
        kind = check_upload(data, 1024 * 1024)
        assert kind in ACCEPTED_TYPES
        decoded = decode(data)
    except IntakeError as exc:
        assert exc.code in {"invalid_request", "invalid_image", "unsupported_media_type", "payload_too_large"}
        assert http_status(exc) in {413, 415, 422}
        return
    assert decoded.rgb.shape == (decoded.height, decoded.width, 3)
    read_metadata(decoded.original)  # whatever the EXIF holds, reading it never raises
    copy, media_type = stripped_copy(decoded.original, decoded.media_type)
    assert copy and media_type.startswith("image/")


FUZZ_DRAFT = Draft(text="Sports day", platform="x", account_type="personal", audience="public")


@settings(SETTINGS, max_examples=60)
@given(data=image_bytes())
def test_check_images_raises_only_intake_error(data):
    """The whole image pipeline (decode, metadata, faces, rules) on mangled files."""
    try:
        findings = check_images([ImageInput(index=2, data=data)], FUZZ_DRAFT, default_policy(), None)
    except IntakeError as exc:
        assert exc.index == 2
        return
    assert all(f.image is None or f.image.index == 2 for f in findings)


def test_the_image_fuzzer_reaches_decoded_images():
    """Not vacuous: the unmutated seeds decode, and their metadata is read."""
    for seed in SEEDS:
        decoded = decode(seed)
        read_metadata(decoded.original)
    assert read_metadata(decode(_jpeg_with_gps()).original).has_location
