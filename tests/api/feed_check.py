#!/usr/bin/env python3
"""Checks that a news feed is what its format says it is.

    check_atom(xml_bytes)  an Atom 1.0 feed: valid against RFC 4287's own
                           schema (tests/fixtures/atom.rng, from its
                           Appendix B) by `xmllint --relaxng`, plus the two
                           rules of that appendix a RELAX NG schema cannot
                           say (its Schematron): the feed has an author
                           unless every entry has one; every entry has a
                           link rel="alternate" (or no rel) or a content.
                           Returns the parsed root element.
    check_json_feed(text)  a JSON Feed 1.1 document: valid against
                           tests/fixtures/jsonfeed-1.1.schema.json with
                           python3-jsonschema, the formats uri and
                           date-time checked here (jsonschema checks a
                           format only when an optional package for it is
                           installed; these checks do not depend on that).
                           Returns the parsed document.

Both raise AssertionError saying every fault found, with where it is, so an
API test can call them as assertions:

    feed = feed_check.check_json_feed(body)

Needs xmllint (Debian: libxml2-utils) and python3-jsonschema, both in
THIDUA_PKGS_TEST (deploy/packages.sh).  From the command line, it checks
files (Atom when the first character is '<', JSON Feed otherwise):

    python3 tests/api/feed_check.py news.atom news.json
"""

import datetime
import json
import re
import shutil
import subprocess
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ATOM_RNG = FIXTURES / "atom.rng"
JSON_FEED_SCHEMA = FIXTURES / "jsonfeed-1.1.schema.json"
ATOM = "{http://www.w3.org/2005/Atom}"

# RFC 3339 §5.6 date-time; "T" and "Z" may be lower case (§5.6, NOTE).
DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?"
    r"([Zz]|[+-](\d{2}):(\d{2}))$")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*$")
BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def check_atom(xml_bytes):
    if shutil.which("xmllint") is None:
        raise RuntimeError("feed_check: xmllint is missing (Debian: libxml2-utils)")
    out = subprocess.run(["xmllint", "--noout", "--nonet", "--relaxng", str(ATOM_RNG), "-"],
                         input=xml_bytes, capture_output=True)
    if out.returncode != 0:
        raise AssertionError("Atom feed invalid (RFC 4287 schema):\n"
                             + out.stderr.decode("utf-8", "replace"))
    root = ET.fromstring(xml_bytes)
    faults = atom_rule_faults(root)
    if faults:
        raise AssertionError("Atom feed invalid (RFC 4287):\n" + "\n".join(faults))
    return root


def atom_rule_faults(root):
    """The faults against RFC 4287's Schematron rules (Appendix B)."""
    if root.tag != ATOM + "feed":
        return []  # an entry document: the schema has said what can be said
    faults = []
    entries = root.findall(ATOM + "entry")
    if root.find(ATOM + "author") is None and any(
            e.find(ATOM + "author") is None for e in entries):
        faults.append("/feed: no author, and an entry has none either (§4.1.1)")
    for i, e in enumerate(entries, 1):
        links = e.findall(ATOM + "link")
        if not any(l.get("rel", "alternate") == "alternate" for l in links) \
                and e.find(ATOM + "content") is None:
            faults.append(f"/feed/entry[{i}]: neither a link rel=\"alternate\" nor a content"
                          " (§4.1.1)")
    return faults


def is_date_time(value):
    """RFC 3339 date-time, with a real date, time of day and offset."""
    m = DATE_TIME.match(value) if isinstance(value, str) else None
    if m is None:
        return False
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    try:
        datetime.datetime(year, month, day, hour, minute, min(second, 59))
    except ValueError:
        return False
    offset_ok = m.group(9) is None or (int(m.group(9)) <= 23 and int(m.group(10)) <= 59)
    return second <= 60 and offset_ok  # 60: a leap second, which RFC 3339 admits


def is_uri(value):
    """An absolute URI (RFC 3986): a scheme, ASCII without spaces or
    controls, well-formed escapes; http(s) with a host."""
    if not isinstance(value, str) or not value.isascii() or BAD_ESCAPE.search(value):
        return False
    if any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F or c in '<>"{}|\\^`' for c in value):
        return False
    parts = urllib.parse.urlsplit(value)
    if not SCHEME.match(parts.scheme or ""):
        return False
    return bool(parts.netloc) or parts.scheme.lower() not in ("http", "https")


def _format_checker(jsonschema):
    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date-time")(is_date_time)
    checker.checks("uri")(is_uri)
    return checker


def check_json_feed(text):
    try:
        import jsonschema
    except ImportError as e:
        raise RuntimeError("feed_check: python3-jsonschema is missing") from e
    if isinstance(text, (bytes, bytearray)):
        text = text.decode("utf-8")
    doc = json.loads(text)
    schema = json.loads(JSON_FEED_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=_format_checker(jsonschema))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        raise AssertionError("JSON Feed 1.1 invalid:\n" + "\n".join(
            f"/{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in errors))
    return doc


def main(paths):
    if not paths:
        print(__doc__.strip().splitlines()[0])
        print("usage: feed_check.py FILE...", file=sys.stderr)
        return 2
    failed = 0
    for path in paths:
        data = Path(path).read_bytes()
        try:
            if data.lstrip()[:1] == b"<":
                root = check_atom(data)
                print(f"{path}: Atom 1.0, valid ({len(root.findall(ATOM + 'entry'))} entries)")
            else:
                doc = check_json_feed(data)
                print(f"{path}: JSON Feed 1.1, valid ({len(doc.get('items', []))} items)")
        except (AssertionError, ValueError) as e:
            print(f"{path}: {e}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
