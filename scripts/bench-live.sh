#!/usr/bin/env bash
# npm run bench:live: Hotline's ACD against FreeSWITCH's own mod_callcenter on the lab switch, the
# same registered phone, in one run (bench/live/run.ts). Installs what it needs as the live tier
# does; on a machine without the lab FreeSWITCH, root or ip(8) it says why and exits 0.
set -uo pipefail
cd "$(dirname "$0")/.."
lab=../shared/freeswitch
if [ -f "$lab/install.sh" ] && [ "$(id -u)" = 0 ]; then
  bash "$lab/install.sh" >/tmp/hotline-live-install.log 2>&1 || { tail -20 /tmp/hotline-live-install.log >&2; echo "bench:live: installing the lab FreeSWITCH failed" >&2; exit 1; }
fi
bash scripts/install-live-deps.sh || exit 1
if [ ! -x /usr/local/freeswitch/bin/freeswitch ] || [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
  echo "bench:live skipped: needs the lab FreeSWITCH (/usr/local/freeswitch), root and ip(8)"
  exit 0
fi
exec bash scripts/lab-netns.sh npx tsx bench/live/run.ts "$@"
