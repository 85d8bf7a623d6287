#!/usr/bin/env bash
# Install the Debian packages listed in deps/debian-packages.txt (or in the
# list files given as arguments) that are missing. Needs root (apt-get);
# does nothing when everything is present.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[ $# -eq 0 ] && set -- "$here/deps/debian-packages.txt"
missing=()
for list in "$@"; do
	while read -r pkg; do
		pkg=${pkg%%#*}; pkg=${pkg//[[:space:]]/}
		[ -z "$pkg" ] && continue
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
	done < "$list"
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}"
SUDO=
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
