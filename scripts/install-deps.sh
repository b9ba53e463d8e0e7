#!/usr/bin/env bash
# Installs the Debian packages Hotline's tools and tests use, only those missing.
#   sox, espeak-ng        prompt generation (scripts/gen-prompts.ts) and audio checks
#   chromium              the console's browser tests (driven by playwright-core)
#   ghostscript, imagemagick, libtiff-tools   fax conversion (PDF/TIFF, G3/G4 at 204x196)
# Without root or apt-get it only says what is missing: the tests that need a tool skip with a message.
set -euo pipefail
need=()
have() { command -v "$1" >/dev/null 2>&1; }
have sox || need+=(sox)
have espeak-ng || need+=(espeak-ng)
[ -x /usr/bin/chromium ] || need+=(chromium)
have gs || need+=(ghostscript)
have convert || need+=(imagemagick)
have tiffinfo || need+=(libtiff-tools)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && have apt-get; then
  echo "install-deps: installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "install-deps: missing ${need[*]} (install them with apt-get as root; tests that need them will skip)" >&2
fi
