"""``--localize-images DIR`` for XHTML: remote images downloaded through the fetch layer
(:mod:`convert.fetch`), stored under a stable name with the extension of their real type."""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from convert.formats import WriteOptions
    from convert.model import Document


def stable_name(url: str, extension: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16] + extension


def localize_images(document: Document, folder: str, options: WriteOptions) -> None:
    """Download each remote image once into ``folder``, point ``src`` at it (relative to the
    output file when there is one). A failed download is reported and the image left as it was."""
    from convert.errors import ConvertError
    from convert.fetch.config import policy_for_options
    from convert.fetch.images import fetch_images, is_remote
    from convert.fsutil import atomic_write

    images = [img for img in document.body.iter("img") if is_remote((img.get("src") or "").strip())]
    if not images:
        return
    def report(line: str) -> None:
        if options.verbose or "failed" in line:
            options.warn(line)

    fetched = fetch_images(((img.get("src") or "").strip() for img in images), policy_for_options(options.extra), report)
    out_dir = os.path.dirname(os.path.abspath(options.path)) if options.path else os.getcwd()
    try:
        os.makedirs(folder, exist_ok=True)
        for img in images:
            src = (img.get("src") or "").strip()
            image = fetched[src]
            if isinstance(image, str):
                options.warn(image)
                continue
            target = os.path.join(folder, stable_name(src, image.extension))
            if not os.path.exists(target):
                atomic_write(target, image.data)
            img.set("src", os.path.relpath(target, out_dir).replace(os.sep, "/"))
    except OSError as err:
        raise ConvertError(f"cannot write images into {folder}: {err.strerror or err}") from None
