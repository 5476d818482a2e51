#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (secure-form page: axe-core,
# keyboard-only, phone width), driven by playwright-core. Idempotent: does
# nothing when /usr/bin/chromium is already there. Needs root on Debian (as
# developers' machines and CI are); playwright's own browser download is not
# used because only the package registries are reachable.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "[ensure-chromium] $CHROMIUM present: $("$CHROMIUM" --version 2>/dev/null || echo 'version unknown')"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "[ensure-chromium] $CHROMIUM is missing and this is not root: run 'sudo apt-get install chromium' (Debian) yourself" >&2
  exit 1
fi

echo "[ensure-chromium] $CHROMIUM missing: apt-get update"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
echo "[ensure-chromium] apt-get install chromium (a minute or two)"
apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null

if [ ! -x "$CHROMIUM" ]; then
  echo "[ensure-chromium] apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "[ensure-chromium] installed: $("$CHROMIUM" --version 2>/dev/null || echo 'version unknown')"
