"""Cleaning a photo before it enters the registry: the EXIF orientation is applied to the pixels,
then the picture is rebuilt from its pixels alone, so no EXIF (GPS, device, owner), XMP, ICC
profile (converted to sRGB first) or comment survives. Also the web-sized copy and the thumbnail."""

from __future__ import annotations

import io

from PIL import Image, ImageCms, ImageOps

WEB_MAX, THUMB_MAX = 1280, 400
SAVE_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}


def _to_srgb(image: Image.Image) -> Image.Image:
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        srgb = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(image, source, srgb, outputMode=image.mode)
    except ImageCms.PyCMSError:
        return image  # a broken profile: keep the pixels as they are, the profile is dropped anyway
    return converted if converted is not None else image


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding nothing but the pixels (no ``info``: no EXIF, XMP, ICC, comments)."""
    if image.mode not in ("RGB", "RGBA", "L"):
        has_alpha = image.mode in ("LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    return Image.frombytes(image.mode, image.size, image.tobytes())


def _flat(image: Image.Image) -> Image.Image:
    """RGB on white, for JPEG copies."""
    if image.mode == "RGBA":
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def _jpeg(image: Image.Image, longest: int, quality: int) -> bytes:
    copy = _flat(image)
    copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def clean(data: bytes, kind: str) -> tuple[bytes, bytes, bytes, tuple[int, int]]:
    """(cleaned file, web copy, thumbnail, upright size) of an image's bytes."""
    with Image.open(io.BytesIO(data)) as opened:
        opened.load()
        upright = ImageOps.exif_transpose(opened) or opened
        upright.info.setdefault("icc_profile", opened.info.get("icc_profile"))
        image = _pixels_only(_to_srgb(upright))
    out = io.BytesIO()
    if kind == "jpeg":
        _flat(image).save(out, "JPEG", quality=92, optimize=True)
    else:
        image.save(out, SAVE_FORMAT[kind], **({"lossless": False, "quality": 90} if kind == "webp" else {}))
    return out.getvalue(), _jpeg(image, WEB_MAX, 80), _jpeg(image, THUMB_MAX, 70), image.size
