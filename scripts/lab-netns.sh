#!/usr/bin/env bash
# Runs a command inside a fresh private network namespace that has only loopback (the live tier
# and bench:live use it: FreeSWITCH's fixed ports never collide with anything on the host), with
# HOTLINE_LIVE_NETNS set to its name; on the way out kills whatever is still in it and deletes it.
set -uo pipefail
ns="hotline-live-$$"
cleanup() {
  local pids
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [ -n "$pids" ] && kill -9 $pids 2>/dev/null
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns" || { echo "lab-netns: cannot create network namespace $ns" >&2; exit 1; }
ip netns exec "$ns" ip link set lo up || { echo "lab-netns: cannot bring up loopback in $ns" >&2; exit 1; }
ip netns exec "$ns" env HOTLINE_LIVE_NETNS="$ns" "$@"
