#!/usr/bin/env bash
# Installs the system tools the tests talk to, when missing: GDAL's command line (to check that
# our GeoTIFFs read back in GDAL). Needs root and apt (as on the CI machine); elsewhere it says
# what to install and fails, so a missing tool is never a silently skipped test.
set -euo pipefail

missing=()
command -v gdalinfo >/dev/null 2>&1 || missing+=(gdal-bin)

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-tools: installing ${missing[*]}" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "ensure-tools: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
