#!/usr/bin/env bash
# Installs the Debian packages Hotline's tests use, only those missing.
#   chromium              the console's browser tests (driven by playwright-core)
#   ghostscript, imagemagick, libtiff-tools   fax conversion (PDF/TIFF, G3/G4 at 204x196)
#   libxml2-utils         xmllint: the FreeSWITCH kit's XML files checked by src/doctor/kit.test.ts
# Without root or apt-get it only says what is missing: the tests that need a tool skip with a message.
set -euo pipefail
need=()
have() { command -v "$1" >/dev/null 2>&1; }
[ -x /usr/bin/chromium ] || need+=(chromium)
have gs || need+=(ghostscript)
# `convert` may be a stand-in on some images: ask dpkg for the real package.
dpkg -s imagemagick >/dev/null 2>&1 || need+=(imagemagick)
have tiffinfo || need+=(libtiff-tools)
have xmllint || need+=(libxml2-utils)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && have apt-get; then
  echo "install-deps: installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "install-deps: missing ${need[*]} (install them with apt-get as root; tests that need them will skip)" >&2
fi
# Prompt generation (sox, espeak-ng) is installed by scripts/gen-prompts.ts itself when run.
