"""How the API answers an upload the image checks cannot read: the one place where an
`IntakeError`'s stable code becomes an HTTP status (image_checks knows nothing of HTTP)."""
from __future__ import annotations

from image_checks.budget import TooManyPixels
from image_checks.intake import ImageTooLarge, IntakeError, UnsupportedImage
from server.errors import ApiError

#: Codes with a status of their own; every other intake error (invalid_request) is 422.
STATUS_BY_CODE = {UnsupportedImage.code: 415, ImageTooLarge.code: 413, TooManyPixels.code: 413}


def http_status(err: IntakeError) -> int:
    return STATUS_BY_CODE.get(err.code, 422)


def intake_api_error(err: IntakeError) -> ApiError:
    """The API's answer naming the upload (`images.N`) and why it cannot be checked."""
    return ApiError(http_status(err), f"Image {err.index} cannot be checked: {err.reason}.",
                    {f"images.{err.index}": [err.reason]}, code=err.code)
