"""The council's logo for the plan's cover: checked by its content, never by its name.

A PNG must open as a PNG. An SVG is a program as much as a picture: one with scripts, event
handlers, foreign HTML, entities, or references to anything outside itself is refused
rather than cleaned, so what is stored is exactly what was checked. An accepted SVG is
also drawn once as a PNG, for Word, which cannot show an SVG on its own.
"""

import hashlib
import io
import re
from dataclasses import dataclass

from workflow.core.audit import record_event
from workflow.core.errors import RuleError
from workflow.models import Authority, User

MAX_BYTES = 1_000_000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# Elements that run code, embed other documents or pull in other files.
REFUSED_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "image"}
HREF = re.compile(r"(^|\})href$")
EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


@dataclass(frozen=True)
class CheckedLogo:
    data: bytes
    mimetype: str
    png: bytes | None  # the SVG drawn as a PNG; None for a PNG


def check_logo(data: bytes) -> CheckedLogo:
    """The logo as stored, or RuleError saying why it cannot be used."""
    if not data:
        raise RuleError("Select a logo file", "logo")
    if len(data) > MAX_BYTES:
        raise RuleError("The logo must be smaller than 1 MB", "logo")
    if data.startswith(PNG_SIGNATURE):
        _check_png(data)
        return CheckedLogo(data, "image/png", None)
    if _looks_like_svg(data):
        _check_svg(data)
        return CheckedLogo(data, "image/svg+xml", svg_to_png(data))
    raise RuleError("The logo must be a PNG or an SVG file", "logo")


def _check_png(data: bytes) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            width, height = image.size
    except Exception as error:  # Pillow raises many kinds for a damaged file
        raise RuleError("The logo file is damaged: it is not a readable PNG", "logo") from error
    if width > 5000 or height > 5000:
        raise RuleError("The logo must be at most 5,000 pixels wide and high", "logo")


def _looks_like_svg(data: bytes) -> bool:
    head = data[:2000].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:4000].lower()


def _check_svg(data: bytes) -> None:
    from lxml import etree

    if b"<!doctype" in data.lower() or b"<!entity" in data.lower():
        raise RuleError(
            "The SVG logo declares a document type or entities: save it as plain SVG", "logo"
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise RuleError("The SVG logo is not well-formed XML", "logo") from error
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise RuleError("The logo must be a PNG or an SVG file", "logo")
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments and processing instructions
            if isinstance(element, etree._ProcessingInstruction):
                raise RuleError("The SVG logo contains processing instructions", "logo")
            continue
        name = etree.QName(element).localname.lower()
        if name in REFUSED_ELEMENTS:
            raise RuleError(
                f"The SVG logo contains a <{etree.QName(element).localname}> element, which "
                "could run code or load other files: export it without one",
                "logo",
            )
        if (
            name == "style"
            and EXTERNAL_URL.search(element.text or "")
            or "@import" in (element.text or "")
        ):
            raise RuleError("The SVG logo's styles refer to other files", "logo")
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname.lower()
            if local.startswith("on"):
                raise RuleError("The SVG logo contains scripts (event handlers)", "logo")
            if HREF.search(local) and not value.strip().startswith("#"):
                raise RuleError("The SVG logo refers to another file or address", "logo")
            if EXTERNAL_URL.search(value):
                raise RuleError("The SVG logo refers to another file or address", "logo")


def svg_to_png(data: bytes, height_px: int = 240) -> bytes:
    """Draw a checked SVG as a PNG: WeasyPrint lays it out, PDFium paints it."""
    import base64

    import pypdfium2
    from weasyprint import HTML

    uri = "data:image/svg+xml;base64," + base64.b64encode(data).decode()
    page = (
        "<style>@page { size: 80mm 30mm; margin: 0 } body { margin: 0 }"
        "img { height: 30mm; max-width: 80mm; display: block }</style>"
        f'<img src="{uri}" alt="">'
    )
    pdf = HTML(string=page).write_pdf()
    document = pypdfium2.PdfDocument(pdf)
    try:
        page_obj = document[0]
        scale = height_px / page_obj.get_height()
        image = page_obj.render(scale=scale).to_pil()
        box = image.convert("L").point(lambda v: 255 if v < 250 else 0).getbbox()
        if box:
            image = image.crop(box)
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
    finally:
        document.close()


def set_logo(actor: User, authority: Authority, data: bytes) -> None:
    """Store the authority's logo after checking it; an audit event records the change."""
    checked = check_logo(data)
    authority.logo, authority.logo_type = checked.data, checked.mimetype
    authority.logo_png = checked.png
    changes = {"logo_type": checked.mimetype, "sha256": hashlib.sha256(data).hexdigest()}
    summary = "Logo for the plan's cover changed"
    record_event(actor, authority.id, authority, "logo_changed", summary, changes)


def remove_logo(actor: User, authority: Authority) -> None:
    """Take the logo off the plan's cover."""
    authority.logo = authority.logo_type = authority.logo_png = None
    summary = "Logo for the plan's cover removed"
    record_event(actor, authority.id, authority, "logo_removed", summary, {})
