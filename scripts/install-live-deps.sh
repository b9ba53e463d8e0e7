#!/usr/bin/env bash
# The Debian packages the live tier uses, only those missing:
#   baresip-core   the agents' SIP desk phones (test/live/support/sip-phone.ts)
#   sox            makes and measures the audio the phones and the carrier play and record
#   iproute2       ip netns: the tier's private network namespace
set -euo pipefail
need=()
have() { command -v "$1" >/dev/null 2>&1; }
have baresip || need+=(baresip-core)
have sox || need+=(sox)
have ip || need+=(iproute2)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && have apt-get; then
  echo "install-live-deps: installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "install-live-deps: missing ${need[*]} (install them with apt-get as root; the live tier skips without them)" >&2
fi
