"""Metadata rules: location in the file, and an author or copyright holder who is not the school."""
from __future__ import annotations

from typing import Iterable

from checks_common import Finding
from image_checks.exif import is_school_author
from image_checks.rule import ImageAnalysis, ImageContext, ImageRule


class ImageLocation(ImageRule):
    """What it does: warns when the file carries where it was taken (EXIF GPS, XMP location or a
    location text chunk), and offers a copy with the metadata removed (`stripped_images` in the
    answer; `fix` points at it).

    Why: clause 2.5 (data protection) and the Appendix ("Keep your personal information
    private"): a photo's GPS can give away a pupil's or a colleague's home.

    Example: a phone photo with GPSLatitude/GPSLongitude in its EXIF.

    Passes: the stripped copy; screenshots and photos whose camera saved no location.
    """

    id = "image-location"
    severity = "warn"
    clause = "2.5, Appendix"
    title = "Location in the image file"
    description = "EXIF GPS or location data"
    mask = "[location]"
    message = "This image's file records where it was taken."
    suggestion = "Use the copy with the location removed."

    def find(self, image: ImageAnalysis, ctx: ImageContext) -> Iterable[Finding]:
        if image.metadata.has_location:
            yield self.finding(image, explanation={"kind": "+".join(image.metadata.location_sources)},
                               fix={"stripped_image": image.index})


class ImageAttribution(ImageRule):
    """What it does: advises when the file names an author or copyright holder (EXIF Artist or
    Copyright, XMP dc:creator/dc:rights) that is not one of the school's `image_authors`.

    Why: clause 2.5 — "consider the copyright of the content they are sharing and, where
    necessary, seek permission from the copyright holder".

    Example: EXIF Copyright "© Harrogate Advertiser 2024".

    Passes: Copyright "King James's School"; files with no author at all.
    """

    id = "image-attribution"
    severity = "advice"
    clause = "2.5"
    title = "Someone else's photo"
    description = "EXIF author/copyright that is not the school's"
    mask = "[image author]"
    message = "This image's file names {who} as its author or copyright holder."
    suggestion = "Make sure you have permission to share it, and credit the author."

    def find(self, image: ImageAnalysis, ctx: ImageContext) -> Iterable[Finding]:
        others = [a for a in image.metadata.authors if not is_school_author(a, ctx.policy.image_authors)]
        if others:
            who = "; ".join(f"“{a[:80]}”" for a in others[:2])
            yield self.finding(image, message=self.message.format(who=who), explanation={"kind": "author"})
