#!/usr/bin/env bash
# Installs the system tools the tests talk to, when missing: GDAL's command line (to check that
# our GeoTIFFs read back in GDAL) and Chromium (the web map's browser tests), with apt; and
# moto_server (a local S3 for the S3 store tests), with pip. Elsewhere it says what to install
# and fails, so a missing tool is never a silently skipped test.
set -euo pipefail

missing=()
command -v gdalinfo >/dev/null 2>&1 || missing+=(gdal-bin)
# Debian's Chromium, driven headless by playwright-core in the web map's browser tests.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-tools: installing ${missing[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "ensure-tools: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if ! command -v moto_server >/dev/null 2>&1; then
  pip=$(command -v pip || command -v pip3 || true)
  if [ -n "$pip" ]; then
    echo 'ensure-tools: installing moto[server] with pip' >&2
    "$pip" install -q "moto[server]" || true
    command -v pyenv >/dev/null 2>&1 && pyenv rehash
  fi
  if ! command -v moto_server >/dev/null 2>&1; then
    echo 'ensure-tools: missing moto_server; install with: pip install "moto[server]"' >&2
    exit 1
  fi
fi
