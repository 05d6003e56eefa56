"""The figures and honors an import suggests, read from the sentences of a report.

Every figure on the court's site is an official statement, so what this module finds is only ever
a suggestion (with the sentence it came from) that an editor must read and uncomment. It is the
part of the import most likely to be tuned, and it needs only the number grammar and the
schema's honor levels, not the .docx or the file system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from brandsite.authoring.sections import _QUOTES
from brandsite.content.levels import AMBIGUOUS_LEVELS, HONOR_LEVELS, LEVEL_ORDER
from brandsite.core.script import fold, fold_in_place
from brandsite.model.numbers import NumberError, Qualifier, Quantity, parse_quantity

#: measure words that follow a figure in reports (both scripts); longest tried first
_UNITS = sorted(
    {
        "次", "件", "名", "人", "人次", "个", "個", "场", "場", "场次", "場次", "期", "份", "元", "条", "條", "起",
        "家", "所", "项", "項", "批", "户", "戶", "篇", "案", "位", "支", "处", "處", "部", "张", "張", "本",
        "册", "冊", "封", "笔", "筆", "组", "組", "队", "隊", "座", "间", "間", "面", "节", "節", "堂", "轮", "輪",
        "届", "屆", "类", "類", "种", "種", "个百分点", "個百分點", "小时", "小時", "平方米", "公里", "亩", "畝",
        "余次", "万元", "萬元",
    },
    key=len,
    reverse=True,
)
#: time words: "2023年", "12月", "3天" are dates or durations, not achievements
_TIME_UNITS = ("年", "月", "日", "号", "號", "岁", "歲", "周", "週", "天", "时", "時", "分", "秒", "季度")
_CN = "零〇一二两兩三四五六七八九十百千万萬亿億"
_CANDIDATE = re.compile(
    rf"(?P<pre>将近|將近|接近|近|大约|大約|大概|约|約|超过|超過|超|逾)?(?P<pct>百分之)?"
    rf"(?P<num>[0-9０-９]+(?:[.．][0-9０-９]+)?(?:[,，][0-9]{{3}})*|[{_CN}]+)"
    rf"(?P<qa>余|餘|多)?(?P<scale>万亿|萬億|千万|千萬|百万|百萬|亿|億|万|萬|千)?(?P<q>余|餘|多)?"
    r"(?P<after>[%％]|)"
)
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年(度)?(以来|以來)?")
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_CLAUSE_SPLIT = re.compile(r"[，,、：:（）()“”\"「」]")
_LEADING_FILLER = re.compile(
    r"^(?:\s+|[0-9]{4}年(?:度)?(?:以来)?|如今|现在|至今|其中|同时|并|還|还|又|也|共计|共|累计|先后|已经|已|全年|年均|通过|目前|现有|今年以来|近年来|"
    r"开展|開展|组织|組織|举办|舉辦|召开|召開|提供|发送|發送|发放|發放|办结|辦結|选派|選派|邀请|邀請|制作|製作|"
    r"新建|设立|設立|收集|完成|实现|實現|深入|走访|走訪|回访|回訪|帮助|幫助|为|為|向|在|有|的|达到|達到|达|達)+"
)
_TRAILING_FILLER = re.compile(r"(?:均达|均達|达到|達到|达|達|为|為|保持在|共|累计|共计|约|約|有|了|的)+$")


@dataclass
class Figure:
    """A figure found in a sentence: a suggestion, never a fact until an editor uncomments it."""

    sentence: str
    value: str  # as written in the document
    quantity: Quantity
    metric: str  # suggested name: vocabulary entry when one fits, else words of the sentence
    vocabulary: bool
    year: int | None
    note: str
    wider: str = ""  # "全市法院": the sentence speaks of more than one branch


_WIDER = re.compile(r"全国|全省|全市|全县|全区|全院|两级法院|兩級法院|各支部|各党支部|全體|全体")


@dataclass
class HonorHint:
    sentence: str
    title: str
    level: str  # canonical level, "" when the sentence does not say
    level_note: str
    year: int | None
    to: str = ""  # "法院": the sentence gives the honor to someone other than the branch


#: who else an honor in a court's report goes to (only the brand's own honors are its honors)
_HONOR_TO = re.compile(r"法院|中院|我院|本院|院机关|院領導|院领导|机关党委|機關黨委|党组|黨組|干警|幹警|法官|党员|黨員")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _year_of(sentence: str, at: int | None = None) -> tuple[int | None, str]:
    """(year, note) of the figure at ``at``: a year in its own clause, else one that opens the
    sentence ("2023年，各支部……"); "2022年以来" is a period and "累计" is said only when written.
    A year elsewhere ("成立于2014年，如今已有50多名") belongs to another statement."""
    text = fold(sentence)
    if at is None:
        clause = text
    else:
        lo = max((m.end() for m in _CLAUSE_END.finditer(text, 0, at)), default=0)
        hi = next((m.start() for m in _CLAUSE_END.finditer(text, at)), len(text))
        clause = text[lo:hi]
    note = "累计" if "累计" in clause else ""
    found = _YEAR.findall(clause)
    if not found:
        lead = _LEADING_YEAR.match(text)
        found = _YEAR.findall(lead.group(0)) if lead else []
    years = {int(y) for y, _, _ in found}
    since = [y for y, _, s in found if s]
    if since:
        return None, f"{since[0]}年以来"
    return (years.pop() if len(years) == 1 else None), note


_CLAUSE_END = re.compile(r"[，,；;：:]")
_LEADING_YEAR = re.compile(r"^\s*(?:在|于|自|从)?(?:19|20)[0-9]{2}\s*年(?:度)?(?:以来)?")


def _unit_at(text: str, pos: int) -> str:
    for u in _UNITS:
        if text.startswith(u, pos):
            return u
    return ""


def figures(sentence: str, vocabulary: dict[str, tuple[str, str | None]]) -> list[Figure]:
    """Every figure of one sentence the number grammar reads, with a suggested metric.

    ``vocabulary``: folded name or alias → (vocabulary name, its unit)."""
    out: list[Figure] = []
    for m in _CANDIDATE.finditer(sentence):
        start, end = m.span()
        num = m.group("num")
        if start and sentence[start - 1] in "第0123456789０-９.":
            continue
        if sentence[end:].startswith(("、", "是")) and not m.group("after"):
            continue  # 一、 二是: ordinals, not figures
        is_pct = bool(m.group("after") or m.group("pct"))
        cn = not num[0].isdigit() and not "０" <= num[0] <= "９"
        time_word = next((t for t in _TIME_UNITS if sentence.startswith(t, end)), "")
        if time_word and not is_pct:
            continue
        unit = "" if is_pct else _unit_at(sentence, end)
        if cn and not unit:
            continue
        if cn and len(num) < 2 and not (m.group("q") or m.group("qa")):
            continue  # 一批, 两个维护, 三大目标: words, not figures
        if not (unit or is_pct or m.group("scale")):
            continue  # "832"工作模式, 12368 热线: names and numbers without a measure
        stop = end + len(unit)
        for tail in ("以上", "左右", "上下"):
            if sentence.startswith(tail, stop):
                stop += len(tail)
                break
        written = sentence[start:stop]
        try:
            q = parse_quantity(written)
        except NumberError:
            continue
        metric, in_vocab = _metric(sentence, start, stop, q, vocabulary)
        year, note = _year_of(sentence, start)
        wider = _WIDER.search(fold_in_place(sentence[:start]))
        out.append(Figure(sentence, written, q, metric, in_vocab, year, note, wider.group(0) if wider else ""))
    return out


def _metric(sentence: str, start: int, stop: int, q: Quantity,
            vocabulary: dict[str, tuple[str, str | None]]) -> tuple[str, bool]:
    """The vocabulary entry named in the clause of the figure (unit agreeing), else its words."""
    # the vocabulary is looked for in the whole clause: "开展巡回审判、送法下乡、法治讲堂180余次" counts
    # all three; the free-text name is the last of them
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(sentence, 0, start)), default=0)
    folded = fold_in_place(sentence[clause_start:start])
    before = sentence[max((m.end() for m in _CLAUSE_SPLIT.finditer(sentence, 0, start)), default=0):start]
    best: tuple[int, int, str] | None = None
    for word, (name, unit) in vocabulary.items():
        pos = folded.rfind(word)
        if pos < 0:
            continue
        pct = q.qualifier is Qualifier.PERCENT
        if unit and ((unit == "%") != pct or (not pct and q.unit and fold(q.unit) != unit)):
            continue
        rank = (pos + len(word), len(word))
        if best is None or rank > best[:2]:
            best = (*rank, name)
    if best is not None:
        return best[2], True
    words = _TRAILING_FILLER.sub("", _LEADING_FILLER.sub("", before.strip())).strip()
    if len(words) < 2 or words[-1] in _PREPOSITIONS:  # "有368名干警", "在17个社区": the counted thing follows
        import rjieba

        after = re.split(r"[，,。；;、（(“”]", sentence[stop:], maxsplit=1)[0]
        words = next((w for w in rjieba.cut(after) if len(w) >= 2), "") or words
    return _QUOTES.sub("", words)[-12:].strip(), False


_PREPOSITIONS = "在向到对對给給与與和从從于於把被"


_HONOR_VERB = re.compile(r"(荣获|榮獲|获评|獲評|被评为|被評為|评为|評為|被授予|授予|被表彰为|被表彰為|荣膺|榮膺|入选|入選|获得|獲得)")
_HONOR_WORDS = ("称号", "稱號", "荣誉", "榮譽", "先进", "先進", "模范", "模範", "示范", "示範", "案例", "单位", "單位",
                "集体", "集體", "组织", "組織", "标兵", "標兵", "优秀", "優秀", "品牌", "班子", "之星",
                "文明岗", "文明崗", "文明号", "文明號", "巾帼", "巾幗", "红旗", "紅旗", "先锋", "先鋒", "奖", "獎")


def honors(sentence: str) -> list[HonorHint]:
    out: list[HonorHint] = []
    for m in _HONOR_VERB.finditer(sentence):
        year, _ = _year_of(sentence, m.start())
        rest = sentence[m.end():]
        titles: list[str] = []
        if rest.startswith(("“", "\"", "「")):
            for q in re.finditer(r"[“\"「]([^”\"」]{2,40})[”\"」]([、和及与與]?)", rest):
                titles.append(q.group(1))
                if not q.group(2):
                    break
        else:
            clause = re.split(r"[，,。；;！!？?]", rest, maxsplit=1)[0].strip()
            clause = re.sub(r"(?:等)?(?:荣誉)?(?:称号|稱號)$", "", clause)
            if 4 <= len(clause) <= 40:
                titles.append(clause)
        before = sentence[: m.start()]
        for title in titles:
            if not any(w in title for w in _HONOR_WORDS):
                continue
            level, level_note = _level(title, before)
            clause = before[max((c.end() for c in _CLAUSE_END.finditer(before)), default=0):]
            to = _HONOR_TO.search(fold_in_place(clause))
            out.append(HonorHint(sentence, title, level, level_note, year, to.group(0) if to else ""))
    return out


_LEVEL_WORDS = sorted((k for k in HONOR_LEVELS if len(k) >= 2), key=len, reverse=True)


def _level(title: str, before: str) -> tuple[str, str]:
    folded = fold(title)
    for word in _LEVEL_WORDS:
        if word in folded:
            return HONOR_LEVELS[word], ""
    for word in AMBIGUOUS_LEVELS:
        if word in folded:
            return "", f"“{word}”有歧义：自治区一级写省级，市辖区一级写县级"
    if folded[:1] in ("省", "市", "县"):
        return HONOR_LEVELS[folded[:1]], ""
    fb = fold(before)
    for word in _LEVEL_WORDS:
        if word in fb:
            return HONOR_LEVELS[word], ""
    return "", f"材料中没有写明级别，请填写 {'、'.join(LEVEL_ORDER)} 之一"
