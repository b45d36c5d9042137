"""image-attribution: the file names an author or copyright holder that is not the school."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from checks_common import Draft, default_policy
from image_checks import ImageInput, check_images

DRAFT = Draft(text="Match report", account_type="school", account_handle="@KJSSport")


@pytest.fixture(scope="module")
def policy():
    return default_policy()


def jpeg(artist: str | None = None, copyright_: str | None = None, xmp_creator: str | None = None) -> bytes:
    exif = Image.Exif()
    if artist:
        exif[0x013B] = artist
    if copyright_:
        exif[0x8298] = copyright_
    params = {"exif": exif.tobytes()}
    if xmp_creator:
        params["xmp"] = (
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq>'
            f'<rdf:li>{xmp_creator}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>'
        ).encode()
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 140, 90)).save(out, "JPEG", **params)
    return out.getvalue()


def found(data: bytes, policy):
    return [f for f in check_images([ImageInput(0, data)], DRAFT, policy, None) if f.rule == "image-attribution"]


def test_someone_elses_copyright_is_advised(policy):
    hits = found(jpeg(copyright_="(c) Harrogate Advertiser 2024"), policy)
    assert len(hits) == 1
    assert hits[0].severity == "advice" and hits[0].clause.ref == "2.5" and "Harrogate Advertiser" in hits[0].message


def test_exif_artist_and_xmp_creator(policy):
    assert found(jpeg(artist="Jo Photographer"), policy)
    assert found(jpeg(xmp_creator="Press Agency Ltd"), policy)


def test_the_schools_own_name_passes(policy):
    assert not found(jpeg(artist="King James's School", copyright_="© KJS 2025"), policy)


def test_no_author_passes(policy):
    assert not found(jpeg(), policy)
