#!/usr/bin/env bash
# make install / make uninstall into a DESTDIR, and the man page.
# - the installed files are exactly the expected list (default PREFIX
#   /usr/local, then PREFIX=/opt/snic), the installed snicctl runs, and a
#   program built only against the installed headers and library links;
# - `man` finds and renders the installed page; mandoc's lint (and groff's
#   warnings) report nothing;
# - the page documents every command and subcommand `snicctl --help` lists,
#   so the two cannot drift apart;
# - make uninstall leaves nothing behind.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d /tmp/snic-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# A make of our own, not the jobserver of a make that may have started us.
unset MAKEFLAGS MFLAGS MAKELEVEL
mk() { make -C "$top" --no-print-directory "$@" >>"$tmp/make.log" 2>&1; }
page=$top/docs/snicctl.8

echo "1..13"

expected() { # expected PREFIX: the file list make install must produce
	local p=${1#/}
	printf '%s\n' "$p/bin/snicctl" "$p/bin/snic-bookd" "$p/bin/snic-sim" "$p/bin/snic-fwimg" \
		"$p/lib/libsnic.a" "$p/include/snic.h" "$p/include/snic_verbs.h" \
		"$p/share/man/man8/snicctl.8"
	for h in "$top"/include/snic/*.h; do echo "$p/include/snic/$(basename "$h")"; done
	[ -f "$top/build/rv32/snic-fw.img" ] && echo "$p/share/snic/snic-fw.img"
}
installed() { (cd "$1" && find . -type f | sed 's|^\./||' | sort); }

root=$tmp/root
mk install DESTDIR="$root"
expected /usr/local | sort >"$tmp/want"
installed "$root" >"$tmp/got"
check "make install DESTDIR: exactly the expected files under /usr/local" \
	diff -u "$tmp/want" "$tmp/got"
usr=$root/usr/local
check "the installed snicctl runs (--help, exit 0)" \
	bash -c "'$usr/bin/snicctl' --help | grep -q '^usage: snicctl'"
check "tools are executable, headers and library are not" \
	bash -c "[ -x '$usr/bin/snic-sim' ] && [ -x '$usr/bin/snic-fwimg' ] &&
		[ ! -x '$usr/lib/libsnic.a' ] && [ ! -x '$usr/include/snic.h' ]"
# The verbs example, built with nothing but what was installed.
cc -std=c11 -Wall -Werror -I"$usr/include" -o "$tmp/verbs_steer" \
	"$top/examples/verbs_steer.c" "$usr/lib/libsnic.a" -lpthread 2>"$tmp/cc.log"
check "a program builds and links against the installed headers and libsnic.a" \
	test -x "$tmp/verbs_steer"
"$tmp/verbs_steer" /nonexistent 1 10.0.0.1 80 >/dev/null 2>"$tmp/run.log"
rc=$?
check "and runs (a missing window is a clear error, exit 1)" \
	bash -c "[ $rc -eq 1 ] && grep -q 'cannot open window' '$tmp/run.log'"
MANPATH=$usr/share/man man -w snicctl >"$tmp/manw" 2>&1
check "man finds the installed page" grep -q "$usr/share/man/man8/snicctl.8" "$tmp/manw"
MANWIDTH=80 MANPATH=$usr/share/man man snicctl 2>"$tmp/man.err" >"$tmp/man.txt"
check "man renders it, without messages" \
	bash -c "grep -q 'SNICCTL(8)' '$tmp/man.txt' && grep -q 'EXIT STATUS' '$tmp/man.txt' &&
		[ ! -s '$tmp/man.err' ]"
if command -v mandoc >/dev/null; then
	mandoc -T lint -W warning "$page" >"$tmp/lint" 2>&1
	check "mandoc -T lint: no warnings" bash -c "[ ! -s '$tmp/lint' ]"
else
	n=$((n + 1)); echo "ok $n # SKIP mandoc not installed (apt-get install mandoc)"
fi
groff -mandoc -ww -z "$page" >"$tmp/groff" 2>&1
check "groff -mandoc -ww: no warnings" bash -c "[ ! -s '$tmp/groff' ]"
sed 's/^/# /' "$tmp/lint" "$tmp/groff" 2>/dev/null

# Every command of the usage text is an item of the page: "vnic add",
# "team del", "caps"... (a usage line, split at " | ", starts with one).
"$bin/snicctl" --help | grep -E '^  [a-z]' | sed 's/^  //' | sed 's/ | /\n/g' |
	grep -oE '^[a-z]+( [a-z][a-z0-9-]*\b)?' | sort -u >"$tmp/cmds"
missing=
while read -r c; do
	w=$(echo "$c" | awk '{ print NF }')
	if [ "$w" -eq 1 ]; then re="^\.It Cm $c( |$)"; else re="^\.It Cm ${c% *} ${c#* }( |$)"; fi
	grep -qE "$re" "$page" || missing="$missing '$c'"
done <"$tmp/cmds"
echo "# usage commands: $(wc -l <"$tmp/cmds"); not in the man page:${missing:- none}"
check "the man page has an item for every command in snicctl --help" \
	test -z "$missing" -a "$(wc -l <"$tmp/cmds")" -gt 30

mk uninstall DESTDIR="$root"
check "make uninstall leaves no file behind" test -z "$(installed "$root")"

make -C "$top" --no-print-directory -n install >"$tmp/dry" 2>&1
check "without PREFIX and DESTDIR it installs under /usr/local" \
	grep -q "install -m 755 .*snicctl.* /usr/local/bin/$" "$tmp/dry"

root2=$tmp/opt
mk install DESTDIR="$root2" PREFIX=/opt/snic
expected /opt/snic | sort >"$tmp/want2"
installed "$root2" >"$tmp/got2"
check "PREFIX=/opt/snic: the same files under /opt/snic" diff -u "$tmp/want2" "$tmp/got2"
