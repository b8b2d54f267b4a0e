"""A minimal reader for gettext .po files, enough to check that a catalogue is complete."""

import ast
from dataclasses import dataclass, field


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: dict = field(default_factory=dict)
    flags: set = field(default_factory=set)
    context: str = ""


def _unquote(text):
    return ast.literal_eval(text)


def read_po(path):
    entries, current, target = [], Entry(), None

    def flush():
        nonlocal current
        if current.msgid or current.msgstr:
            entries.append(current)
        current = Entry()

    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    for raw in lines:
        line = raw.strip()
        if not line:
            flush()
            target = None
        elif line.startswith("#,"):
            current.flags.update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            current.context, target = _unquote(line[8:]), ("context", None)
        elif line.startswith("msgid_plural "):
            current.msgid_plural, target = _unquote(line[13:]), ("msgid_plural", None)
        elif line.startswith("msgid "):
            current.msgid, target = _unquote(line[6:]), ("msgid", None)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            current.msgstr[index], target = _unquote(line[line.index("]") + 2 :]), ("msgstr", index)
        elif line.startswith("msgstr "):
            current.msgstr[0], target = _unquote(line[7:]), ("msgstr", 0)
        elif line.startswith('"') and target:
            kind, index = target
            if kind == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, kind, getattr(current, kind) + _unquote(line))
    flush()
    return [e for e in entries if e.msgid]  # the header has an empty msgid
