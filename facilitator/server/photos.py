"""Residents' photos: size-limited, decoded and re-encoded as a fresh JPEG, so no EXIF, GPS or
other metadata of the original survives, and stored under a name made of their content's hash."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024  # what a phone camera sends; more is refused before decoding
MAX_SIDE = 1600  # plenty to see a dark lamp; keeps the folder small
MAX_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded
NAME = re.compile(r"[0-9a-f]{32}\.jpg")


class PhotoRefused(Exception):
    """The upload is not a photo we keep; ``code`` says why (``photo_too_large`` …)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def reencode(data: bytes) -> bytes:
    """A clean JPEG of ``data``: turned upright by its EXIF orientation, then every metadata
    dropped; at most ``MAX_SIDE`` pixels a side."""
    if len(data) > MAX_BYTES:
        raise PhotoRefused("photo_too_large")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise PhotoRefused("photo_too_large")
            upright = ImageOps.exif_transpose(image)
            clean = upright.convert("RGB")  # a new image: pixels only
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise PhotoRefused("photo_unreadable") from None
    clean.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=82, optimize=True)  # no exif= argument: none is written
    return out.getvalue()


def store_photo(folder: Path, data: bytes) -> str:
    """Re-encode ``data`` and keep it in ``folder``; returns its file name."""
    clean = reencode(data)
    name = hashlib.sha256(clean).hexdigest()[:32] + ".jpg"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if not path.exists():
        partial = path.with_suffix(".part")
        partial.write_bytes(clean)
        partial.replace(path)
    return name
