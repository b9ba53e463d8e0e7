#!/usr/bin/env bash
# Installs the headless browser the console's browser tests drive (test/browser/): Debian's
# chromium, used by playwright-core through executablePath, so nothing is downloaded by npm; and a
# CJK font (Noto Sans CJK, the console's own font), without which a fresh machine draws every
# Chinese label as a box.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if ! fc-list :lang=zh family 2>/dev/null | grep -q .; then need+=(fonts-noto-cjk); fi
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${need[@]}"
fi
echo "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
echo "CJK font present: $(fc-list :lang=zh family | sort | head -1)"
