"""Canonical names of the divisions of a local administration, their aliases, and the splitting of
a report's "responsible" cell into canonical names."""
from __future__ import annotations

import re

# canonical name -> other spellings seen in reports
DIVISIONS: dict[str, tuple[str, ...]] = {
    "สำนักปลัด": ("สำนักงานปลัด", "สำนักปลัดองค์การบริหารส่วนตำบล", "สำนักงานปลัดองค์การบริหารส่วนตำบล",
                  "สำนักปลัดเทศบาล", "สำนักงานปลัดเทศบาล", "สป."),
    "กองคลัง": ("ส่วนการคลัง",),
    "กองช่าง": ("ส่วนโยธา",),
    "กองการศึกษา ศาสนาและวัฒนธรรม": ("กองการศึกษาศาสนาและวัฒนธรรม", "กองการศึกษา"),
    "กองสวัสดิการสังคม": (),
    "กองสาธารณสุขและสิ่งแวดล้อม": ("กองสาธารณสุข",),
    "กองส่งเสริมการเกษตร": (),
    "กองยุทธศาสตร์และงบประมาณ": (),
    "กองการประปา": (),
    "หน่วยตรวจสอบภายใน": ("ตรวจสอบภายใน",),
}

# where an unknown division name starts, once spaces are gone
_STARTS = ("สำนัก", "กอง", "หน่วย", "ส่วน", "งาน")
_SEPARATORS = re.compile(r"(?:และ|,|/|、|;|\(|\)|\d+\.|-|•)+")
_STOPS = ("ฯ", ",", "/", "、", ";", "(", ")")


def key(name: str) -> str:
    """The comparison key of a name: no spaces, no dots at the ends."""
    return re.sub(r"\s+", "", name).strip(".")


def alias_table() -> dict[str, str]:
    """Every known spelling (as a key) -> canonical name."""
    table = {}
    for canonical, aliases in DIVISIONS.items():
        table[key(canonical)] = canonical
        for alias in aliases:
            table[key(alias)] = canonical
    return table


ALIASES = alias_table()
_BY_LENGTH = sorted(ALIASES, key=len, reverse=True)


def _expand_abbreviation(prefix: str) -> str | None:
    """"กองสาธารณสุข" + "ฯ" -> the one canonical name the prefix starts."""
    found = {c for k, c in ALIASES.items() if k.startswith(prefix)}
    return found.pop() if len(found) == 1 else None


def split_divisions(cell: str) -> tuple[list[str], list[str]]:
    """Split a responsible-divisions cell into canonical names, in order, without repeats.
    Returns (names, warnings); a warning says what was written and what it became. A name not in
    the list is kept as written (its spaces too, each run of them as one space)."""
    where = [i for i, ch in enumerate(cell) if not ch.isspace()]  # squashed index -> cell index
    text = "".join(cell[i] for i in where)
    # squashed indices where the cell had a space or a separator before: where words begin
    words = {k for k in range(len(text))
             if k == 0 or where[k] - where[k - 1] > 1 or text[k - 1] in _STOPS or text[k - 1] == "-"}
    names: list[str] = []
    seen: set[str] = set()  # keys of the names found: no repeats, however spaced
    warnings: list[str] = []
    pos = 0
    while pos < len(text):
        sep = _SEPARATORS.match(text, pos)
        if sep and sep.end() > pos:
            pos = sep.end()
            continue
        hit = next((k for k in _BY_LENGTH if text.startswith(k, pos)), None)
        end = pos + len(hit) if hit else _next_start(text, pos, words)
        name = ALIASES.get(text[pos:end])
        if text.startswith("ฯ", end):
            name = _expand_abbreviation(text[pos:end]) or name
            end += 1
        raw = cell[where[pos]:where[end - 1] + 1]
        if name is None:
            name = " ".join(raw.split())  # as written; runs of spaces (a wrapped line) are one space
            warnings.append(f'หน่วยงานรับผิดชอบ "{raw}" ไม่อยู่ในรายชื่อกอง/สำนักที่รู้จัก: เก็บไว้ตามที่เขียน')
        elif raw != name:
            warnings.append(f'หน่วยงานรับผิดชอบ "{raw}" อ่านเป็น "{name}"')
        if key(name) not in seen:
            seen.add(key(name))
            names.append(name)
        pos = end
    return names, warnings


def _next_start(text: str, pos: int, words: set[int]) -> int:
    """Where the next division name starts after `pos` (an unknown name runs up to it): a known
    name, a separator, or a word that begins with สำนัก/กอง/หน่วย/ส่วน/งาน. "งาน" inside a word
    ("คณะทำงาน", "หน่วยงาน") does not start a name."""
    ends = [text.find(s, pos + 1) for s in _STOPS]
    ends += [text.find(k, pos + 1) for k in _BY_LENGTH if len(k) >= 5]
    for start in _STARTS:
        at = text.find(start, pos + 1)
        while at != -1 and at not in words:
            at = text.find(start, at + 1)
        ends.append(at)
    ends = [e for e in ends if e != -1]
    return min(ends) if ends else len(text)


def completions(name: str) -> tuple[str, ...]:
    """The known divisions an unknown name is the cut-off start of: "กองสาธารณสุ" ->
    ("กองสาธารณสุขและสิ่งแวดล้อม",). Empty for a known name and for one that starts no known name."""
    start = key(name)
    if not start or start in ALIASES:
        return ()
    return tuple(sorted({c for k, c in ALIASES.items() if k.startswith(start)}, key=list(DIVISIONS).index))


def canonical(name: str) -> str:
    """The canonical form of one division name (itself when unknown)."""
    names, _ = split_divisions(name)
    return names[0] if len(names) == 1 else name.strip()
