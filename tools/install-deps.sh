#!/usr/bin/env bash
# Install the Debian packages listed in deps/debian-packages.txt that are
# missing. Needs root (apt-get); does nothing when everything is present.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
list="$here/deps/debian-packages.txt"
missing=()
while read -r pkg; do
	pkg=${pkg%%#*}; pkg=${pkg//[[:space:]]/}
	[ -z "$pkg" ] && continue
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done < "$list"
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}"
SUDO=
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
