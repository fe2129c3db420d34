"""QR codes as inline SVG (segno), so a page loads nothing more: certificates, two-step setup."""

import segno
from markupsafe import Markup


def qr_svg(url: str, label: str) -> Markup:
    """An <svg> whose QR code holds `url`, named `label` for screen readers.

    Inline markup rather than an image URL: nothing to fetch, nothing from another site, and no
    inline style (segno writes a viewBox and a stroke, which the CSP allows); the stylesheet
    sizes it. A quiet zone of four modules is part of the drawing, as scanners need.
    """
    code = segno.make_qr(url, error="m")  # "m" at least; segno raises it while it fits
    svg = code.svg_inline(
        scale=1,
        border=4,
        omitsize=True,
        svgclass="qr-code",
        lineclass="qr-code-modules",
        title=label,  # segno escapes it
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))
