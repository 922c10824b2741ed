#!/usr/bin/env bash
# Runs every fuzz target of the module for SECONDS each, one after another,
# and stops at the first failure (its input is then in the package's
# testdata/fuzz/<Target>/ directory; `go test -run=<Target>/<file> <pkg>`
# replays it).
#
# usage: scripts/fuzz.sh SECONDS [PACKAGE...]
#   PACKAGE defaults to ./... ; targets are found with `go test -list '^Fuzz'`.
#   FUZZ_PARALLEL=n sets the fuzzing workers per target (default: GOMAXPROCS).
set -euo pipefail

if [[ $# -lt 1 || ! $1 =~ ^[0-9]+$ || $1 -eq 0 ]]; then
	echo "usage: $0 SECONDS [PACKAGE...]" >&2
	exit 2
fi
secs=$1
shift
cd "$(dirname "$0")/.."
pkgs=("$@")
[[ ${#pkgs[@]} -gt 0 ]] || pkgs=(./...)

parallel=()
[[ -n ${FUZZ_PARALLEL:-} ]] && parallel=(-parallel "$FUZZ_PARALLEL")

targets=0
start=$SECONDS
for pkg in $(go list "${pkgs[@]}"); do
	# -list prints the matching names, then "ok <pkg> ...".
	names=$(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
	for name in $names; do
		targets=$((targets + 1))
		echo "=== $pkg $name (${secs}s)"
		if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "${secs}s" "${parallel[@]}" "$pkg"; then
			echo "FAIL: $pkg $name; the failing input is under $(go list -f '{{.Dir}}' "$pkg")/testdata/fuzz/$name/" >&2
			exit 1
		fi
	done
done
if [[ $targets -eq 0 ]]; then
	echo "no fuzz targets found in ${pkgs[*]}" >&2
	exit 1
fi
echo "PASS: $targets fuzz targets, ${secs}s each, $((SECONDS - start))s in all"
