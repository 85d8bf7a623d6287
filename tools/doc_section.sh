#!/usr/bin/env bash
# Put a generated section into a docs page: FILE holds the section with its
# own markers, "<!-- NAME:begin ... -->" first and "<!-- NAME:end -->" last;
# the page's section between the same markers is replaced (or, the first
# time, the section is appended). Benchmarks write their figures this way,
# so a page never keeps a figure no run produced.
#   doc_section.sh PAGE NAME FILE
set -eu
page=$1 name=$2 file=$3
head -1 "$file" | grep -q "<!-- $name:begin" || { echo "doc_section: $file lacks the $name:begin marker" >&2; exit 1; }
tail -1 "$file" | grep -q "<!-- $name:end -->" || { echo "doc_section: $file lacks the $name:end marker" >&2; exit 1; }
if grep -q "<!-- $name:begin" "$page"; then
	grep -q "<!-- $name:end -->" "$page" || { echo "doc_section: $page: $name:begin without end" >&2; exit 1; }
	awk -v f="$file" -v b="<!-- $name:begin" -v e="<!-- $name:end -->" '
		index($0, b) == 1 { while ((getline l < f) > 0) print l; skip = 1; next }
		index($0, e) == 1 { skip = 0; next }
		!skip' "$page" > "$page.tmp" && mv "$page.tmp" "$page"
else
	{ echo; cat "$file"; } >> "$page"
fi
