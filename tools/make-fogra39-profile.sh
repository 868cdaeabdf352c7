#!/usr/bin/env bash
# Rebuilds publish/assets/icc/FOGRA39L-argyll.icc from the FOGRA39 characterisation data.
# Not part of the build: the profile is committed. Needs Debian's argyll and icc-profiles-free.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp /usr/share/color/icc/FOGRA39L.ti3 "$work/"
(cd "$work" && colprof -qm -kr -l330 -L95 \
  -D "Coated FOGRA39 (ISO 12647-2:2004) - built by ArgyllCMS from FOGRA39L.ti3" \
  -C "Data: Fogra (FOGRA39L.ti3, Zlib licence, Debian icc-profiles-free); profile: publish" FOGRA39L)
cp "$work/FOGRA39L.icc" publish/assets/icc/FOGRA39L-argyll.icc
