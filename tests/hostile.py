"""A folder of hostile article files, for the robustness tests.

`make_hostile(folder)` writes the files and returns what each must give:
  "article"  parses and is stored (at least one article from it)
  "error"    is reported as `error: PATH: reason` (nothing stored from it)
  "partial"  some records stored, the bad lines reported (JSON Lines)
  "either"   one or the other, never neither, never a crash
Deterministic: the same seed writes the same bytes.
"""
from __future__ import annotations

import codecs
import json
import os
import random
from pathlib import Path

ARTICLE, ERROR, PARTIAL, EITHER = "article", "error", "partial", "either"

_PROSE = (
    "The minister said the budget would be balanced by next year. "
    "Critics argued the plan relied on optimistic growth figures. "
    "“We will not cut pensions,” she told reporters on Tuesday. "
)


def _scraper(title: str, body: str, date: str = "2025-07-01", section: str = "World", stamp: str = "10:15 GMT 01.07.2025") -> str:
    flat = " ".join(line for line in body.splitlines() if line.strip())
    return f"date {date} {section}\n{title}\n{title}\n{flat}\n{title}\n\n{stamp}\n{body}\n"


def make_hostile(folder: Path, *, seed: int = 7, big_mb: int = 50) -> dict[str, str]:
    """Write >= 40 hostile files into `folder`; return {relative path: expectation}."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    expect: dict[str, str] = {}

    def put(name: str, data: bytes | str, outcome: str) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expect[name] = outcome

    # -- not text at all -------------------------------------------------------------
    put("empty.txt", b"", ERROR)
    put("whitespace_only.txt", b"  \n\n\t \r\n  ", ERROR)
    put("binary_random.txt", bytes(rng.randrange(256) for _ in range(65536)), ERROR)
    put("png_named_txt.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, ERROR)
    put("nul_in_prose.txt", ("Plain Title Of A Story\n" + _PROSE).encode() + b"\x00" + _PROSE.encode(), ERROR)
    put("utf16_without_bom.txt", ("Plain Title Without Mark\n" + _PROSE).encode("utf-16-le"), ERROR)
    put("utf16_bom_odd_length.txt", codecs.BOM_UTF16_LE + ("Odd Length Title\n" + _PROSE).encode("utf-16-le") + b"\x41", ERROR)
    put("utf8_bom_then_invalid.txt", codecs.BOM_UTF8 + b"Title Here\n\xff\xfe\xfd broken " + _PROSE.encode(), ERROR)
    put("bom_then_nul.txt", codecs.BOM_UTF8 + b"Some Title\nbody\x00body.", ERROR)
    put(f"big_{big_mb}mb.txt", (_PROSE + "\n").encode() * (big_mb * 2**20 // len((_PROSE + "\n").encode()) + 1), ERROR)
    put("header_only.txt", " date 2025-08-08 International\n", ERROR)
    put("elf_binary", b"\x7fELF\x02\x01\x01" + bytes(rng.randrange(256) for _ in range(4096)), ERROR)

    # -- text in unusual encodings -----------------------------------------------------
    russian = _scraper("Парламент принял новый бюджет", "Депутаты приняли бюджет на следующий год.\n"
                       "«Мы не будем сокращать пенсии», — заявила министр финансов Анна Петрова.\n"
                       "Оппозиция считает, что план опирается на слишком оптимистичный прогноз роста.")
    put("cp1251.txt", russian.encode("cp1251"), ARTICLE)
    put("koi8r.txt", russian.replace("новый", "очередной").replace("«", "\"").replace("»", "\"").replace("—", "-").encode("koi8-r"), EITHER)
    put("utf16_le_bom.txt", codecs.BOM_UTF16_LE + _scraper("Utf Sixteen Little Endian Story", _PROSE).encode("utf-16-le"), ARTICLE)
    put("utf16_be_bom.txt", codecs.BOM_UTF16_BE + _scraper("Utf Sixteen Big Endian Story", _PROSE).encode("utf-16-be"), ARTICLE)
    put("utf32_bom.txt", codecs.BOM_UTF32_LE + _scraper("Utf Thirty Two Story", _PROSE).encode("utf-32-le"), ARTICLE)
    put("latin1_accents.txt", ("Café Owners Protest New Rules\n" + "Les propriétaires de cafés à Montréal ont protesté. " * 20).encode("latin-1"), EITHER)
    put("invalid_utf8_sprinkled.txt", b"Broken Bytes Story Title\n" + b"The mayor said \xff\xfe the plan \xc3\x28 works. " * 40, EITHER)
    put("old_mac_cr_only.txt", _scraper("Carriage Returns Only Story", _PROSE).replace("\n", "\r"), ARTICLE)

    # -- sizes ---------------------------------------------------------------------------
    put("lines_100k.txt", "Hundred Thousand Lines\n" + "".join(f"Line {i}: the council said “item {i}” was fine.\n" for i in range(100_000)), ARTICLE)
    put("one_1mb_line.txt", "One Megabyte Line Story\n" + ("word " * 210_000).strip() + ".", ARTICLE)
    put("one_1mb_word.txt", "One Megabyte Word Story\n" + "x" * (1 << 20), ARTICLE)
    put("blank_lines_1m.txt", "Mostly Blank Lines Story\n" + "\n" * 1_000_000 + "The end came quietly.", ARTICLE)
    put("title_repeated_200k.txt", "date 2025-01-01 World\n" + "Same Title Everywhere\n" * 200_000, ARTICLE)
    put("header_spaces_1mb.txt", "date 2025-01-01 World" + " " * (1 << 20) + "x\nSpaces Title\nSpaces Title\nbody.", ARTICLE)

    # -- quotation marks ------------------------------------------------------------------
    put("only_quotes.txt", ("\"\u201c\u201d\u2018\u2019«»„" * 40 + "\n") * 200, EITHER)
    unbalanced = "".join(rng.choice(["\u201c", "\"", "\u201d", "'", "«", " word ", " said ", ", "]) for _ in range(20_000))
    put("unbalanced_quotes.txt", "Unbalanced Quotes Story\n" + unbalanced + "\n" + _PROSE, ARTICLE)
    put("open_quote_never_closed.txt", "Open Quote Story\n“" + "He kept talking and talking, " * 5000 + "said Jones.", ARTICLE)
    put("nested_quotes.txt", "Nested Quotes Story\n" + "“‘“‘" * 2000 + "deep" + "’”’”" * 2000 + " said the pundit.", ARTICLE)

    # -- markup, scripts, odd Unicode -----------------------------------------------------
    put("html_script.txt", "<html><head><title>x</title></head><body>\n<script>alert('pwned')</script>\n"
        "<p onclick=\"steal()\">The mayor said &amp; <b>nothing</b>.</p>\n<img src=x onerror=alert(1)>\n</body></html>\n", ARTICLE)
    put("rtl_override.txt", "\u202eRight To Left Override Story\u202c\n"
        "قال الوزير إن الميزانية ستكون متوازنة. \u05d0\u05de\u05e8 \u05d4\u05e9\u05e8. \u202e“lesrever”\u202c said Cohen.\n", ARTICLE)
    put("emoji.txt", "Emoji Storm 🚀🔥 Story\n" + "👩‍👩‍👧‍👦 said “🏳️‍🌈 is fine 👍🏽”, the 🤖 added. " * 500, ARTICLE)
    put("control_chars.txt", "Control Characters Story\n" + "".join(
        f"text{chr(c)}more " for c in list(range(1, 9)) + list(range(11, 32)) + [127]) * 50 + "\u0085\u2028\u2029end.", EITHER)
    put("zalgo_zero_width.txt", "Zero Width Story\n" + ("z\u0301\u0302\u0303\u0304\u0305\u200b\u200d\ufeff" * 5000) + ".", ARTICLE)
    put("private_use_noncharacters.txt", "Private Use Story\n" + "\ue000\uf8ff\ufdd0\ufffe\U0010fffd " * 2000 + ".", EITHER)

    # -- the scraper layout, broken ------------------------------------------------------
    put("impossible_dates.txt", _scraper("Impossible Dates Story", _PROSE, date="2025-02-30", stamp="25:99 GMT 31.02.2025"), ARTICLE)
    put("stamp_without_title.txt", "date 2025-01-01 World\nLonely Title\nLonely Title\n\n10:00 GMT 01.01.2025\nbody text.\n", ARTICLE)
    put("many_headings.txt", "Many Headings Story\n" + "".join(f"Heading Number {i}\n" for i in range(20_000)), ARTICLE)
    put("many_colons.txt", "Many Colons Story\n" + "Options include:\n" * 20_000, ARTICLE)
    put("outlet_cue_flood.txt", "Outlet Cue Flood\n" + "tells Sputnik tells " * 50_000 + ".", ARTICLE)

    # -- JSON Lines ------------------------------------------------------------------------
    good = {"title": "Good Record One", "text": _PROSE, "published": "2025-07-01T10:00:00Z", "source": "Wire"}
    lines = [json.dumps(good), "{not json", json.dumps({"title": "No Text"}), "[1, 2, 3]", "",
             json.dumps({"title": "Good Record Two", "text": "Rates held steady, the bank said."}),
             json.dumps({"title": 5, "text": "typed title"}), json.dumps({"text": "x.", "published": "yesterday"}),
             json.dumps({"text": "far.", "published": "9999-12-31T23:59:59-12:00"}), "\ufeff{\"text\": \"mid-file BOM\"}",
             "null", "\"just a string\"", json.dumps({"title": "Lone \ud800", "text": "half \udc00 pair."})]
    put("jsonl_mixed.jsonl", "\n".join(lines) + "\n", PARTIAL)
    put("jsonl_all_bad.jsonl", "{\n}\n[\n]\nnot json at all\n", ERROR)
    put("jsonl_deep_array.jsonl", "[" * 200_000 + "]" * 200_000 + "\n", ERROR)
    put("jsonl_deep_object.jsonl", json.dumps({"title": "Deep Text Field", "text": "ok."})[:-1] + ', "extra": ' + "{\"a\": " * 50_000 + "1" + "}" * 50_000 + "}\n", ERROR)
    put("jsonl_pretty_printed.jsonl", json.dumps(good, indent=2) + "\n", ERROR)
    put("jsonl_huge_number.ndjson", '{"title": "Huge Number", "text": "Numbers.", "count": 1e999999, "n": ' + "9" * 5000 + "}\n", EITHER)
    put("jsonl_many_records.jsonl", "".join(json.dumps({"title": f"Wire Item {i}", "text": f"Item {i} happened."}) + "\n" for i in range(1000)), ARTICLE)
    put("looks_like_json.txt", "{this is a plain text article that starts with a brace}\nand goes on.\n", EITHER)

    # -- file names and the file system -----------------------------------------------
    put("sub/dir/deeply/nested/article.txt", "Nested Folder Story\n" + _PROSE, ARTICLE)
    put("name with spaces & ‘quotes’.txt", "Spaces In Name Story\n" + _PROSE, ARTICLE)
    odd = os.fsdecode(b"latin1-\xe9t\xe9.txt")  # a name that is not UTF-8
    try:
        put(odd, "Undecodable Name Story\n" + _PROSE, ARTICLE)
    except (OSError, UnicodeEncodeError):
        pass
    put("n" * 200 + ".txt", "Long Name Story\n" + _PROSE, ARTICLE)
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "named_pipe.txt")
        expect["named_pipe.txt"] = ERROR
    os.symlink("loop_a.txt", folder / "loop_b.txt")
    os.symlink("loop_b.txt", folder / "loop_a.txt")
    expect["loop_a.txt"] = ERROR
    expect["loop_b.txt"] = ERROR
    os.symlink("self_loop.txt", folder / "self_loop.txt")
    expect["self_loop.txt"] = ERROR
    os.symlink("does-not-exist.txt", folder / "dangling.txt")
    expect["dangling.txt"] = ERROR
    (folder / "sub" / "dir").mkdir(parents=True, exist_ok=True)
    os.symlink("..", folder / "sub" / "dir" / "up")  # a folder loop: not followed
    os.symlink(folder.resolve(), folder / "sub" / "root_again")
    put("ignored.png", b"\x89PNG\r\n", "skipped")  # not an article suffix: not even listed
    put(".hidden.txt", "Hidden File Story\n" + _PROSE, "skipped")
    return expect
