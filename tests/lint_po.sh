#!/usr/bin/env bash
# tests/lint_po.sh — the message catalogues cover every sentence, and
# keep what must not be translated.
#
# 1. po/thidua.pot is what xgettext extracts from the sources now (run
#    po/update.sh after adding or changing a sentence);
# 2. po/vi.po and po/en.po translate every message of it, none fuzzy
#    (msgcmp), and msgfmt --check accepts them (printf formats kept);
# 3. every translation keeps the {placeholders} of its msgid.
set -euo pipefail
ROOT=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$ROOT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

po/update.sh --pot "$tmp/thidua.pot"
msgids() { msgcat --no-wrap --sort-output "$1" | grep -E '^(msgctxt|msgid) ' ; }
if ! diff <(msgids po/thidua.pot) <(msgids "$tmp/thidua.pot") >"$tmp/pot.diff"; then
	echo "po/thidua.pot is not current (run po/update.sh):"
	cat "$tmp/pot.diff"
	exit 1
fi
for lang in vi en; do
	msgcmp "po/$lang.po" "$tmp/thidua.pot"
	msgfmt --check --output-file=/dev/null "po/$lang.po"
done

python3 - po/vi.po po/en.po <<'PY'
import re, sys

def entries(path):
    """(msgctxt, msgid, msgstr) of a PO file (no plural forms here)."""
    out, cur, key = [], {}, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r'^(msgctxt|msgid|msgstr) "(.*)"$', line)
        if m:
            if m.group(1) in ("msgctxt", "msgid") and "msgstr" in cur:
                out.append(cur)
                cur = {}
            key = m.group(1)
            cur[key] = m.group(2)
        elif line.startswith('"') and key:
            cur[key] += line[1:-1]
        else:
            key = None
    if "msgstr" in cur:
        out.append(cur)
    return out

bad = 0
for path in sys.argv[1:]:
    for e in entries(path):
        want = sorted(re.findall(r"\{[a-z_]+(?:\|[a-z_]+)?\}", e["msgid"]))
        got = sorted(re.findall(r"\{[a-z_]+(?:\|[a-z_]+)?\}", e["msgstr"]))
        if e["msgid"] and want != got:
            bad += 1
            print(f"{path}: placeholders of {e['msgid']!r}: want {want}, translation has {got}")
print(f"lint_po: placeholders checked, {bad} problems")
sys.exit(1 if bad else 0)
PY
echo "lint_po: catalogues complete"
