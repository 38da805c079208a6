#!/usr/bin/env bash
# Installs the Debian packages the build needs (libyaml and libxml2 headers, pkg-config) when they
# are missing. Safe to run again: it does nothing once they are there.
set -euo pipefail
missing=()
for pkg in libyaml-dev libxml2-dev pkg-config; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null 2>&1 || { echo "setup: Swift 6 is required on PATH (https://www.swift.org/install/linux/)" >&2; exit 1; }
