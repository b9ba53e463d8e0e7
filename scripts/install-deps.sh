#!/usr/bin/env bash
# Installs the Debian packages Hotline's tools and tests use, only when missing.
# sox + espeak-ng: prompt generation and audio checks; chromium: browser tests.
set -euo pipefail
need=()
command -v sox >/dev/null 2>&1 || need+=(sox)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "install-deps: please install: ${need[*]}" >&2
  fi
fi
