"""Publish-safe text checks: personal information and wrong formulations in every source file.

Before anything is published (``check`` and every ``build``) the *full text* of every content
file - front matter and body, with the file's real line numbers - and of ``data/*.yaml`` is
scanned by :mod:`brandsite.checks.pii` (ID, mobile and bank-card numbers, full names next to case
words) and :mod:`brandsite.checks.terms` (``data/terms.yaml``: wrong → right formulations, matched in
either script). Every finding is an *error*, so a build with one refuses to touch ``site/``.

Drafts are scanned as well: a draft is one flag away from being published, it is shown by
``serve``, and personal information should not sit in the repository in the first place.
``data/terms.yaml`` (it lists the wrong forms on purpose) and ``data/pii.yaml`` (the numbers
that may be published) are the rules themselves and are not scanned.

Results are cached per file, keyed by the file's bytes, the rules' bytes (``data/terms.yaml``
and ``data/pii.yaml``) and the package code (:func:`brandsite.core.cache.key`), in the render cache
on ``build`` and in memory for the life of the process (``serve``, tests): changing a rule file
invalidates every entry. On a cold run with many files the scans run in forked workers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from brandsite.checks import leftovers, pii, terms
from brandsite.content.data import SIGNOFF_RECORD
from brandsite.content.reading import SideTask
from brandsite.content.sources import decode
from brandsite.core import cache as cache_mod
from brandsite.core import workers as workers_mod
from brandsite.core.diagnostics import Diagnostic, Report, Severity
from brandsite.core.script import fold_lines
from brandsite.core.workers import pool as worker_pool

__all__ = ["Rules", "data_files", "load_rules", "renderable", "scan_file", "scan_sources"]

TERMS_FILE = "data/terms.yaml"
PII_FILE = "data/pii.yaml"
#: rule files: they are the configuration of this check, not text to be published
_RULE_FILES = {"terms.yaml", "pii.yaml"}
#: data files that never reach the site either: the sign-off record (its hex digests hold digit
#: runs a personal-information check would take for phone or card numbers)
_UNPUBLISHED = {SIGNOFF_RECORD.rsplit("/", 1)[-1]}
_MIN_PARALLEL = 200
_MEMO_LIMIT = 50_000


@dataclass
class Rules:
    pii: pii.PiiRules
    terms: terms.TermRules
    digest: str  # of the rule files' bytes: part of every cache key
    #: what ran, for the check's output and report: one line per rule set
    sets: tuple[str, ...] = ()


def _bytes(p: Path) -> bytes:
    try:
        return p.read_bytes()
    except OSError:
        return b"\0missing"


_LOADED: dict[str, tuple[Rules, list[Diagnostic]]] = {}


def load_rules(root: Path, report: Report) -> Rules:
    """The shipped rule sets plus the site's ``data/pii.yaml`` and ``data/terms.yaml``; mistakes in
    them are reported in ``report``. Loaded once per content of the rule files."""
    pii_path, terms_path = root / PII_FILE, root / TERMS_FILE
    h = hashlib.blake2b(digest_size=12)
    for p in (pii_path, terms_path, terms.BUILTIN, pii.BUILTIN):
        h.update(_bytes(p))
        h.update(b"\0|")
    digest = h.hexdigest()
    got = _LOADED.get(digest + str(root))
    if got is None:
        found = Report(report.root)
        pii_rules = pii.load_pii_rules(pii_path, found)
        term_rules, counts = terms.load_rule_sets(terms_path, found)
        got = Rules(pii_rules, term_rules, digest, _describe(pii_rules, counts)), found.items
        _LOADED.clear()
        _LOADED[digest + str(root)] = got
    report.extend(got[1])
    return got[0]


def _describe(pii_rules: pii.PiiRules, counts: dict[str, int]) -> tuple[str, ...]:
    term_line = f"表述规范：内置 {counts['builtin']} 条固定提法"
    if counts["added"]:
        term_line += f"，本站增加 {counts['added']} 条"
    if counts["off"]:
        term_line += f"，本站关闭 {counts['off']} 条"
    on = [name for name, code in pii.CHECK_NAMES.items() if code not in pii_rules.off]
    off = [name for name, code in pii.CHECK_NAMES.items() if code in pii_rules.off]
    pii_line = f"个人信息：{'、'.join(on) or '无'}（{len(pii.ROLES)} 个案件角色词）"
    if off:
        pii_line += f"，本站关闭：{'、'.join(off)}"
    if pii_rules.allow:
        pii_line += f"，允许公开的号码 {len(pii_rules.allow)} 个"
    return term_line, pii_line


def describe(root: Path) -> tuple[str, ...]:
    """Which rule sets the publishing checks of ``root`` run, with their sizes."""
    return load_rules(root, Report(root)).sets


def data_files(root: Path) -> list[Path]:
    """``data/*.yaml`` (and ``*.yml``) that are published on the site: all but the rule files."""
    folder = root / "data"
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in (".yaml", ".yml") and p.name not in _RULE_FILES | _UNPUBLISHED
    )


def scan_file(data: bytes, rel: str, rules: Rules) -> list[Diagnostic]:
    """Findings in one file's bytes, reported at ``rel``:line (line 1 = first line of the file)."""
    text = decode(data, Path(rel), Report())  # an undecodable file is reported by its loader
    if text is None:
        return []
    report = Report()
    folded = fold_lines([raw.rstrip("\r") for raw in text.split("\n")])  # one fold for both checks
    pii.scan_text(text, rel, 1, report, rules.pii, folded)
    terms.scan_text(text, rel, 1, report, rules.terms, folded)
    if rel.startswith("content/"):
        if not leftovers.is_draft(text):
            for lo in leftovers.find(text):
                report.error(rel, lo.line, f"要发布的文件里不能留表单内容：{lo.message}（草稿 draft: true 不受此限）", _LEFTOVER)
    else:
        for lo in leftovers.find(text):  # data/*.yaml: refused once the site is published (see _sample_values)
            report.warning(rel, lo.line, lo.message, _SAMPLE)
    return report.items


_LEFTOVER, _SAMPLE = "leftover", "leftover-sample"


def _sample_values(found: list[Diagnostic], publish: bool) -> list[Diagnostic]:
    """``new site``'s sample identity in data/*.yaml: an error on every line once ``publish: true``;
    before that one warning per file, so a new site's first ``check`` is not buried in them."""
    samples = [d for d in found if d.code == _SAMPLE]
    if not samples:
        return found
    rest = [d for d in found if d.code != _SAMPLE]
    if publish:
        return rest + [replace(d, severity=Severity.ERROR, message=f"publish: true 时不能有示例内容：{d.message}")
                       for d in samples]
    out = rest
    for path in dict.fromkeys(d.path for d in samples):
        mine = [d for d in samples if d.path == path]
        lines = "、".join(dict.fromkeys(str(d.line) for d in mine))
        out.append(replace(mine[0], message=f"第 {lines} 行还是新建网站时的示例内容，正式发布（publish: true）前"
                                            f"要换成本院的真实信息。第一处：{mine[0].message}"))
    return out


def renderable(report: Report) -> bool:
    """True when every error so far is a text-scan finding: the site can still be rendered, so
    the checks on the rendered pages run too and the editor sees every problem at once (a missing
    sign-off too: the 审核表 lists what the checks of the rendered pages find)."""
    return all(d.code.startswith(("pii", "term", "signoff", _LEFTOVER)) for d in report.errors)


_MEMO: dict[str, list[Diagnostic]] = {}
def _scan_job(job: tuple[str, str]) -> list[Diagnostic]:
    path, rel = job
    return scan_file(_bytes(Path(path)), rel, workers_mod.SHARED["rules"])


def side_task(root: Path, report: Report) -> SideTask:
    """The scan as the load stage's second per-file task (``reading.load_sources(side=…)``), with
    the rules loaded (their own findings reported) once: the files are scanned in the loaders' own
    worker pass, and ``scan_sources(side=…)`` takes the rules and those findings from it instead of
    starting a second pool over every file."""
    return SideTask(_scan_job, {"rules": load_rules(root, report)})


def scan_sources(
    root: Path,
    report: Report,
    sources: list[tuple[str, Path]],
    cache: cache_mod.RenderCache | None = None,
    reuse: bool = True,
    workers: int = 1,
    digests: dict[Path, str] | None = None,
    publish: bool = False,
    side: SideTask | None = None,
) -> int:
    """Scan every content file in ``sources`` and ``data/*.yaml``; findings go to ``report``.

    Returns the number of files scanned. With a ``cache``, entries are read (when ``reuse``)
    and written, and their keys are added to ``cache.keep`` so the cache's clean-up keeps them.
    ``digests`` are content hashes the build already took (each file is then not read again
    unless it has to be scanned). ``publish`` is ``data/site.yaml``'s: sample values are refused.
    ``side``: the :func:`side_task` the load stage ran, whose rules are used and whose findings
    (made with them in the loaders' workers) are taken as they are.
    """
    rules: Rules = load_rules(root, report) if side is None else side.shared["rules"]
    scanned: dict[Path, list[Diagnostic]] = {} if side is None else side.results
    paths = [p for _, p in sources] + data_files(root)
    keys: list[str] = []
    known = digests or {}
    for p in paths:
        digest = known.get(p) or hashlib.blake2b(_bytes(p), digest_size=16).hexdigest()
        keys.append(cache_mod.key("publishcheck", report.rel(p), digest, rules.digest))
    found: dict[str, list[Diagnostic]] = {}
    if cache is not None and reuse:
        found.update(cache.get_many(keys))
    on_disk = set(found)
    found.update((k, _MEMO[k]) for k in keys if k not in found and k in _MEMO)
    found.update((k, scanned[p]) for p, k in zip(paths, keys, strict=True) if k not in found and p in scanned)
    missing = [i for i, k in enumerate(keys) if k not in found]
    if workers > 1 and workers_mod.worth(len(missing), _MIN_PARALLEL):
        jobs = [(str(paths[i]), report.rel(paths[i])) for i in missing]
        with worker_pool(workers, shared={"rules": rules}) as pool:
            chunk = max(8, len(jobs) // (workers * 8))
            for i, got in zip(missing, pool.map(_scan_job, jobs, chunksize=chunk), strict=True):
                found[keys[i]] = got
    else:
        for i in missing:
            found[keys[i]] = scan_file(_bytes(paths[i]), report.rel(paths[i]), rules)
    if len(_MEMO) > _MEMO_LIMIT:
        _MEMO.clear()
    for k in keys:
        _MEMO[k] = found[k]
        report.extend(_sample_values(found[k], publish))
    if cache is not None:
        for k in dict.fromkeys(keys):
            if k not in on_disk:
                cache.put(k, found[k])
        cache.keep = (cache.keep or set()) | set(keys)
    return len(paths)
