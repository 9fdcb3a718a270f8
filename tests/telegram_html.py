"""A strict checker for Telegram's HTML parse mode (what `sendMessage(parse_mode="HTML")` accepts).

`problems(text)` lists what Telegram would refuse or show wrongly; `check_reply(reply)` asserts a whole
`briefs.replies.Reply` (text and buttons). Rules (https://core.telegram.org/bots/api#html-style):

- only the tags b, strong, i, em, u, ins, s, strike, del, a href="...", code, pre, tg-spoiler,
  span class="tg-spoiler", blockquote (optionally `expandable`); `code class="language-..."` inside pre;
- tags balanced and properly nested; nothing nested inside code, only code inside pre, no a inside a;
- `<`, `>` and `&` of the text escaped; only the named entities &lt; &gt; &amp; &quot; and numeric ones;
- the text as Telegram counts it (tags removed, entities decoded, UTF-16 code units) non-blank and
  under 4096; the whole text encodable as UTF-8 (no lone surrogates);
- each button: a label, callback data of 1 to 64 bytes in UTF-8.
"""
from __future__ import annotations

import re

MAX_TEXT = 4096
MAX_CALLBACK = 64

_PLAIN_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "tg-spoiler", "blockquote"}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

_TOKEN = re.compile(r"<[^<>]*>|[<>]|&[^&<>\s]*")
_TAG = re.compile(r'<(/?)([a-z][a-z0-9-]*)((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*>')
_ATTR = re.compile(r'\s+([a-z-]+)(?:="([^"]*)")?')
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")


def _decode_entity(token: str) -> tuple[str | None, int]:
    """(the character, the token's length) or (None, 0) for an invalid entity."""
    match = _ENTITY.match(token)
    if not match:
        return None, 0
    if match[1]:
        return _NAMED[match[1]], match.end()
    code = int(match[2]) if match[2] else int(match[3], 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None, 0
    return chr(code), match.end()


def _attribute_problems(name: str, attrs: list[tuple[str, str | None]]) -> list[str]:
    found = dict(attrs)
    if len(found) != len(attrs):
        return [f"<{name}> repeats an attribute"]
    for value in found.values():  # attribute values are HTML too: entities must be valid
        if value is not None and re.search(r"&(?![a-z]+;|#[0-9]+;|#x[0-9a-f]+;)", value, re.I):
            return [f"<{name}>: unescaped & in an attribute"]
        if value is not None:
            for entity in re.findall(r"&[^;]*;", value):
                if _decode_entity(entity)[0] is None:
                    return [f"<{name}>: bad entity {entity!r} in an attribute"]
    if name == "a":
        return [] if set(found) == {"href"} and found["href"] else [f"<a> needs exactly an href, got {found}"]
    if name == "span":
        return [] if found == {"class": "tg-spoiler"} else [f'<span> is allowed only as class="tg-spoiler": {found}']
    if name == "code":
        ok = not found or (set(found) == {"class"} and (found["class"] or "").startswith("language-"))
        return [] if ok else [f"<code> attributes {found}"]
    if name == "blockquote":
        return [] if set(found) <= {"expandable"} and found.get("expandable") is None else [f"<blockquote> {found}"]
    return [f"<{name}> takes no attributes: {found}"] if found else []


def parse(text: str) -> tuple[str, list[str]]:
    """(the text Telegram shows, the problems found)."""
    problems: list[str] = []
    shown: list[str] = []
    stack: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        shown.append(text[position:match.start()])
        position = match.end()
        token = match[0]
        if token in ("<", ">"):
            problems.append(f"raw {token!r} at {match.start()}")
            shown.append(token)
            continue
        if token.startswith("&"):
            char, length = _decode_entity(text[match.start():match.start() + 12])
            if char is None:
                problems.append(f"bad or unescaped entity {token[:12]!r} at {match.start()}")
                shown.append(token)
            else:
                shown.append(char)
                position = match.start() + length
            continue
        tag = _TAG.fullmatch(token)
        if not tag:
            problems.append(f"not a tag Telegram reads: {token[:60]!r}")
            continue
        closing, name, rest = tag[1] == "/", tag[2], tag[3]
        if name not in _PLAIN_TAGS | {"a", "span"}:
            problems.append(f"tag <{name}> is not allowed")
            continue
        if closing:
            if rest.strip():
                problems.append(f"closing </{name}> has attributes")
            if not stack or stack[-1] != name:
                problems.append(f"</{name}> closes {stack[-1] if stack else 'nothing'}")
            else:
                stack.pop()
            continue
        problems += _attribute_problems(name, [(m[1], m[2]) for m in _ATTR.finditer(rest)])
        if stack and stack[-1] == "code":
            problems.append(f"<{name}> inside <code>")
        if stack and stack[-1] == "pre" and name != "code":
            problems.append(f"<{name}> inside <pre>")
        if name == "a" and "a" in stack:
            problems.append("<a> inside <a>")
        stack.append(name)
    shown.append(text[position:])
    if stack:
        problems.append(f"unclosed tags {stack}")
    plain = "".join(shown)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        problems.append(f"not encodable as UTF-8 (lone surrogate?): {exc}")
    if not plain.strip():
        problems.append("the message is blank")
    length = len(plain.encode("utf-16-le", "surrogatepass")) // 2
    if length >= MAX_TEXT:
        problems.append(f"{length} UTF-16 code units (limit {MAX_TEXT})")
    return plain, problems


def problems(text: str) -> list[str]:
    return parse(text)[1]


def check_reply(reply) -> None:
    """Assert one `briefs.replies.Reply` is what Telegram accepts (text and buttons)."""
    found = problems(reply.text)
    assert not found, f"{found}\n--- in ---\n{reply.text[:3000]!r}"
    for row in reply.buttons:
        assert row, "an empty row of buttons"
        for button in row:
            assert button.label and button.label.strip(), f"a button without a label: {button}"
            size = len(button.data.encode("utf-8"))
            assert 1 <= size <= MAX_CALLBACK, f"callback data of {size} bytes: {button.data!r}"


def check_replies(replies) -> None:
    assert replies, "no reply at all"
    for reply in replies:
        check_reply(reply)
