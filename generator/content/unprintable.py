"""The characters no page or feed may carry, wherever they come from.

C0 controls other than tab and line ends, and DEL: XML 1.0 forbids them (a feed holding NUL or
ESC does not parse) and HTML calls them errors. Lone surrogates: no UTF-8 encodes them, so a page
holding one cannot even be written. Noncharacters (U+FDD0..U+FDEF and the last two code points of
every plane): Unicode keeps them for a program's internal use, XML 1.0 forbids U+FFFE and U+FFFF.
"""

from __future__ import annotations

import re

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff" + _NONCHARACTERS + "]")


def unprintable_name(char: str) -> str:
    """How an error names a character UNPRINTABLE finds: its kind and code point."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        kind = "lone surrogate"
    elif 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        kind = "noncharacter"
    else:
        kind = "control character"
    return f"{kind} U+{code:04X}"
