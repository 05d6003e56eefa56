"""Which lines of a text the publishing scans have to look at: one search over the whole text.

The formulation and personal-information scans report per line, and calling a regular
expression once per line cost more than the search itself (a story has dozens of lines, nearly
none of which holds a finding). Here each pattern searches the text joined with "\\n" once; the
line a match starts in is marked and the search goes on at the next line, so only marked lines
get the exact per-line check. That check decides every finding: a pattern used here only has to
match somewhere in a line wherever its per-line check would find something (see
``marked_lines``), which holds for the same pattern run on the whole text because a line is a
part of it between two "\\n" (a lookaround across a line's edge sees a "\\n" where the line alone
has its end or start: none of the patterns here tells the two apart).

The formulation matcher is a prefix tree over about 250 first characters, and the regex engine
tries those branches one by one at every character that starts one of them (a quarter of a
story's characters). Split into groups of ``PER_GROUP`` first characters, each group its own
pattern, every search skips in C to the next character of its own group and tries only its
branches there: 0.45 → 0.15 s over the 1,000-branch corpus (groups of 32; 16 and 64: slower).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate

__all__ = ["PER_GROUP", "by_first_char", "marked_lines"]

#: first characters per pattern: fewer means more passes over the text, more means longer branches
PER_GROUP = 32


def by_first_char(words: Iterable[str], per_group: int | None = None) -> list[list[str]]:
    """``words`` split so that no two groups share a first character, at most ``per_group`` first
    characters in each (every ``k``-th first character in order, so each group is spread alike)."""
    words = list(words)
    firsts = sorted({w[0] for w in words if w})
    count = max(1, -(-len(firsts) // (per_group or PER_GROUP)))
    group_of = {ch: i % count for i, ch in enumerate(firsts)}
    groups: list[list[str]] = [[] for _ in range(count)]
    for w in words:
        if w:
            groups[group_of[w[0]]].append(w)
    return [g for g in groups if g]


def marked_lines(patterns: Iterable[re.Pattern[str]], text: str, lines: Sequence[str] | None = None) -> list[int]:
    """Indices, in order, of the ``lines`` in which a match of some pattern starts (``text`` is
    ``"\\n".join(lines)``; when ``lines`` is not given, it is split only if something matched).

    A line in which a pattern matches when searched on its own is always among them: the search
    from the start of that line (or of an earlier unmarked one) finds a match no later than that
    one, since the line's characters are the same in ``text``; a match found earlier marks its own
    line and the search goes on from the next line."""
    starts: list[int] | None = None
    marked: set[int] = set()
    for pattern in patterns:
        pos = 0
        while (m := pattern.search(text, pos)) is not None:
            if starts is None:  # most texts have no match at all: no offsets for them
                lines = text.split("\n") if lines is None else lines
                starts = [0, *accumulate(len(line) + 1 for line in lines)]
            i = bisect_right(starts, m.start()) - 1
            marked.add(i)
            if i + 1 == len(starts) - 1:
                break
            pos = starts[i + 1]
    return sorted(marked)
