#!/usr/bin/env bash
# The live tier (npm run test:live): the project's kit on the lab FreeSWITCH, a second FreeSWITCH
# as the E1 gateway and the carrier, and Debian's baresip as the agents' phones, all inside one
# private network namespace that has only loopback. The tests start and stop every process
# themselves (by pid); this script makes the namespace, runs tap inside it, and on the way out
# kills whatever is still in it and deletes it.
#
# Where ../shared/freeswitch is beside the checkout, the lab build is installed from it
# (its install.sh is idempotent). In CI (CI=true) the tier must run: a missing switch, a missing
# phone or no namespace is a failure, not a skip. Elsewhere the tests skip, saying why.
set -uo pipefail
cd "$(dirname "$0")/.."
lab=../shared/freeswitch
fail() { echo "live-tier: $*" >&2; exit 1; }
if [ -f "$lab/install.sh" ] && [ "$(id -u)" = 0 ]; then
  bash "$lab/install.sh" >/tmp/hotline-live-install.log 2>&1 || { tail -20 /tmp/hotline-live-install.log >&2; fail "installing the lab FreeSWITCH failed"; }
fi
bash scripts/install-live-deps.sh || fail "installing the live tier's Debian packages failed"
# The fax tests make and read fax pages the way a site does (Ghostscript, libtiff).
if [ "$(id -u)" = 0 ]; then bash scripts/install-fax-tools.sh >/dev/null || fail "installing the fax tools failed"; fi
tapargs=(--jobs=1 --timeout=600 --include='test/live/*.test.ts')
if [ ! -x /usr/local/freeswitch/bin/freeswitch ] || [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
  [ "${CI:-}" = true ] && fail "CI must run the live tier, but this machine has no FreeSWITCH, no root or no ip(8)"
  exec npx tap "${tapargs[@]}"   # the tests say why they skip
fi
exec bash scripts/lab-netns.sh npx tap "${tapargs[@]}" "$@"
