#!/usr/bin/env bash
# deps.sh -- install the Debian packages hrguard's build, tests and demo need.
#
# Idempotent: packages already present are left alone, and apt is not touched
# at all when nothing is missing.  Where it cannot install (not Debian, or not
# root) it prints the exact command to run instead and fails.
set -euo pipefail

packages=(
	build-essential
	pkg-config
	postgresql-15
	postgresql-client-15
	postgresql-server-dev-15
	postgresql-15-postgis-3
	libjansson-dev
	libssl-dev
	libpq-dev
	libipc-run-perl
	faketime
	chromium
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all required packages are installed"
	exit 0
fi

cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"

if [ ! -r /etc/debian_version ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: this is not a Debian system; install the equivalents of:" >&2
	echo "  ${missing[*]}" >&2
	echo "  (PostgreSQL 15 server and PGXS, PostGIS 3 for PostgreSQL 15, jansson," >&2
	echo "   OpenSSL headers, pkg-config, Perl IPC::Run, libfaketime, Chromium)" >&2
	exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run as root:" >&2
	echo "  sudo sh -c '$cmd'" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
