#!/usr/bin/env bash
# po/update.sh — refreshes the message catalogues from the sources.
#
# Extracts every marked sentence (see service/answers/lang.h) into
# po/thidua.pot with xgettext, merges it into po/vi.po and po/en.po with
# msgmerge, and fills new English entries with their msgid (msgen).  Then
# translate the new entries of vi.po (msgfmt --statistics po/vi.po tells how
# many are left); tests/lint_po.sh fails while any is missing.
#
#   po/update.sh            refresh the three files
#   po/update.sh --pot F    only write the template to F (used by the check)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

pot=po/thidua.pot
if [ "${1:-}" = "--pot" ]; then
	pot=$2
fi

# The functions that translate their English argument themselves, and the
# table macros that only mark theirs.
keywords=(
	-k --keyword=_ --keyword=N_ --keyword=LABEL:1c,3
	--keyword=problem_new:2 --flag=problem_new:2:c-format
	--keyword=problem_add_error:3 --flag=problem_add_error:3:c-format
	--keyword=problem_bad_request:2 --keyword=problem_unavailable:1
	--keyword=api_answer_bad_query:3
	--keyword=validation_fail:3 --keyword=validation_failf:3 --flag=validation_failf:3:c-format
)
mapfile -t sources < <(find service -name '*.c' -o -name '*.h' -o -name '*.def' | LC_ALL=C sort)
xgettext --language=C --from-code=UTF-8 --add-comments=TRANSLATORS: \
	--package-name=thidua --msgid-bugs-address=https://example.invalid/thidua \
	--no-wrap "${keywords[@]}" -o "$pot" "${sources[@]}"
# a stable header: no creation date, so the file changes only with its messages
sed -i -e '/^"POT-Creation-Date:/d' -e 's/^"Content-Type: text\/plain; charset=CHARSET\\n"/"Content-Type: text\/plain; charset=UTF-8\\n"/' "$pot"

[ "${1:-}" = "--pot" ] && exit 0

for lang in vi en; do
	po="po/$lang.po"
	if [ ! -f "$po" ]; then
		msginit --no-translator --no-wrap --locale="$lang" -i "$pot" -o "$po"
	fi
	msgmerge --quiet --update --backup=none --no-wrap --no-fuzzy-matching "$po" "$pot"
done
# English: every untranslated entry reads as its msgid
msgen --no-wrap po/en.po -o po/en.po.new && mv po/en.po.new po/en.po
msgattrib --no-wrap --no-obsolete -o po/vi.po po/vi.po
msgattrib --no-wrap --no-obsolete -o po/en.po po/en.po
msgfmt --check --statistics -o /dev/null po/vi.po
