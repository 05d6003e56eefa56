"""No lone last character in headings, card titles and slogans ("…成 / 长", "…法 / 院").

Browsers that know ``text-wrap: balance`` / ``pretty`` (style.css) already avoid it; many
that court visitors use do not (older Chromium cores of domestic browsers, in-app browsers).
For them the last two characters of such a text are joined at build time: they are wrapped
in ``<span class="nobr">`` (``white-space: nowrap``), so the line breaks before the pair.
This runs on the finished page (after the Traditional conversion, whose protected names must
stay contiguous), changes no visible text and leaves short texts alone (they never wrap).
"""

from __future__ import annotations

import re

#: elements whose text must not end in a lone character
_ELEMENT = re.compile(r'(<(h[1-3])\b[^>]*>)(.*?)(</\2>)|(<p class="(?:slogan|card-slogan)"[^>]*>)(.*?)(</p>)', re.S)
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: the last two Han characters (with closing punctuation), followed only by closing tags
_TAIL = re.compile(rf"([{_HAN}][{_HAN}][」』”’）》〉。，、！？：；…]*)((?:</[a-z]+>)*)$")
_TAG = re.compile(r"<[^>]*>")
#: texts shorter than this fit on one line of any of these elements at 320 px
MIN_CHARS = 5


def _tail(inner: str) -> str:
    if len(_TAG.sub("", inner).strip()) < MIN_CHARS or 'class="nobr"' in inner:
        return inner
    return _TAIL.sub(r'<span class="nobr">\1</span>\2', inner, count=1)


def _element(m: re.Match[str]) -> str:
    if m.group(1):
        return m.group(1) + _tail(m.group(3)) + m.group(4)
    return m.group(5) + _tail(m.group(6)) + m.group(7)


def keep_tails(html: str) -> str:
    """``html`` with the last two characters of every heading and slogan kept on one line."""
    return _ELEMENT.sub(_element, html)
