#!/bin/sh
# autogen.sh - generate configure and Makefile.in from a fresh checkout.
# Needs the Debian packages autoconf, automake, libtool and pkg-config
# (scripts/deps installs them).
set -e
cd "$(dirname "$0")"
for tool in autoreconf libtoolize pkg-config; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "autogen.sh: $tool not found; run scripts/deps (as root) first" >&2
		exit 1
	fi
done
mkdir -p m4
autoreconf -fi
