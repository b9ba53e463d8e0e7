#!/usr/bin/env bash
# Installs Hotline beside FreeSWITCH on a Debian PBX host (docs/deploy.md). Idempotent: a second
# run changes nothing. It does NOT install FreeSWITCH: that comes from SignalWire's packages first.
#
#   sudo scripts/install-pbx.sh [--dry-run] [--user hotline]
#
# What it does:
#   1. checks: root, FreeSWITCH and Node.js 20+ installed, the kit (freeswitch-conf/) present;
#   2. creates the system user that runs Hotline (and lets FreeSWITCH write into its folders);
#   3. replaces /etc/freeswitch by a link to freeswitch-conf/ (the old one is moved aside once);
#   4. sets a random ESL password in vars.xml if the placeholder is still there, and the same
#      password in /etc/hotline/hotline.yaml (mode 600);
#   5. creates /var/lib/hotline/{recordings,fax,messages}, installs the systemd unit, the `hotline`
#      command (/usr/local/bin/hotline, runs as that user) and log rotation.
#
# Environment: HOTLINE_HOME (the Hotline tree, default: this script's ..), HOTLINE_PBX_ROOT (a
# staging prefix for every system path, for tests and image builds: system commands such as
# useradd, chown and systemctl are then skipped), HOTLINE_FREESWITCH_BIN (default freeswitch).
set -euo pipefail

DRY=0
RUN_USER=hotline
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY=1 ;;
    --user) RUN_USER="${2:?--user needs a name}"; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-pbx: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

HOME_DIR="$(cd "${HOTLINE_HOME:-$(dirname "$0")/..}" && pwd)"
ROOT="${HOTLINE_PBX_ROOT:-}"
FS_BIN="${HOTLINE_FREESWITCH_BIN:-freeswitch}"
KIT="$HOME_DIR/freeswitch-conf"
VARS="$KIT/vars.xml"
FS_CONF="$ROOT/etc/freeswitch"
CONF_DIR="$ROOT/etc/hotline"
CONF_FILE="$CONF_DIR/hotline.yaml"
DATA="$ROOT/var/lib/hotline"
UNIT="$ROOT/etc/systemd/system/hotline.service"
LOGROTATE="$ROOT/etc/logrotate.d/hotline-freeswitch"
WRAPPER="$ROOT/usr/local/bin/hotline"
PLACEHOLDER='change-me-before-first-start'

say() { echo "install-pbx: $*"; }
die() { echo "install-pbx: $*" >&2; exit 1; }
# Runs a command that changes the host, or prints it on --dry-run.
act() { if [ "$DRY" = 1 ]; then echo "would: $*"; else "$@"; fi; }
# Host-wide commands (users, owners, systemd) never run against a staging root.
host() { if [ -n "$ROOT" ] && [ "$DRY" = 0 ]; then say "staging root: skipped: $*"; else act "$@"; fi; }

check_prerequisites() {
  if [ "$DRY" = 0 ] && [ -z "$ROOT" ] && [ "$(id -u)" != 0 ]; then die "run as root (sudo), or try --dry-run"; fi
  command -v "$FS_BIN" >/dev/null 2>&1 || die "FreeSWITCH is not installed. Install FreeSWITCH 1.10+ from SignalWire's official Debian packages first (docs/deploy.md, step 1); this script does not add package repositories."
  say "FreeSWITCH: $("$FS_BIN" -version 2>/dev/null | head -n 1 || echo 'version unknown')"
  command -v node >/dev/null 2>&1 || die "Node.js 20 or newer is needed (apt install nodejs from NodeSource or Debian 13); see docs/deploy.md"
  local major; major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || die "Node.js $major is too old: Hotline needs 20 or newer"
  [ -f "$VARS" ] || die "no $VARS: run this from a Hotline tree (or set HOTLINE_HOME)"
  [ -d "$HOME_DIR/node_modules" ] || say "warning: $HOME_DIR/node_modules is missing: run 'npm ci --omit=dev' there before starting"
}

ensure_user() {
  if id -u "$RUN_USER" >/dev/null 2>&1; then say "user $RUN_USER exists"; else
    host useradd --system --home-dir /var/lib/hotline --no-create-home --shell /usr/sbin/nologin "$RUN_USER"
  fi
  # FreeSWITCH writes recordings and received faxes into Hotline's folders: same group.
  if id -u freeswitch >/dev/null 2>&1 && ! id -nG freeswitch | tr ' ' '\n' | grep -qx "$RUN_USER"; then
    host usermod -a -G "$RUN_USER" freeswitch
  fi
  # Hotline reads the switch's per-call CDR files (paths.switchCdr, /var/log/freeswitch/xml_cdr):
  # the end of calls that ended while it was down. The package's log folder is the freeswitch group's.
  if getent group freeswitch >/dev/null 2>&1 && ! id -nG "$RUN_USER" | tr ' ' '\n' | grep -qx freeswitch; then
    host usermod -a -G freeswitch "$RUN_USER"
  fi
}

# A link, not a copy: vars.xml sets hotline_dialplan_dir=../dialplan, and the kernel resolves
# /etc/freeswitch/../dialplan through the link to $HOME_DIR/dialplan.
link_config() {
  if [ -L "$FS_CONF" ] && [ "$(readlink "$FS_CONF")" = "$KIT" ]; then say "$FS_CONF already links to $KIT"; return; fi
  if [ -e "$FS_CONF" ] || [ -L "$FS_CONF" ]; then
    local backup; backup="$FS_CONF.before-hotline-$(date +%Y%m%d%H%M%S)"
    act mv "$FS_CONF" "$backup"
    [ "$DRY" = 1 ] || say "the previous configuration is kept in $backup"
  fi
  act mkdir -p "$(dirname "$FS_CONF")"
  act ln -s "$KIT" "$FS_CONF"
}

current_password() { sed -n 's/.*data="hotline_esl_password=\([^"]*\)".*/\1/p' "$VARS" | head -n 1; }

set_password() {
  local password; password="$(current_password)"
  if [ "$password" = "$PLACEHOLDER" ] || [ "$password" = ClueCon ] || [ -z "$password" ]; then
    password="$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
    if [ "$DRY" = 1 ]; then echo "would: set a random hotline_esl_password in $VARS"; else
      sed -i "s|data=\"hotline_esl_password=[^\"]*\"|data=\"hotline_esl_password=$password\"|" "$VARS"
      say "set a random ESL password in $VARS"
    fi
  else say "$VARS already has a site ESL password"; fi
  # The kit's prompts and dialplan are found through hotline_home (default /opt/hotline).
  if ! grep -q "data=\"hotline_home=$HOME_DIR\"" "$VARS"; then
    if [ "$DRY" = 1 ]; then echo "would: set hotline_home=$HOME_DIR in $VARS"; else
      sed -i "s|data=\"hotline_home=[^\"]*\"|data=\"hotline_home=$HOME_DIR\"|" "$VARS"
      say "set hotline_home=$HOME_DIR in $VARS"
    fi
  fi
  # vars.xml now holds a secret: root and FreeSWITCH only.
  act chmod 640 "$VARS"
  getent group freeswitch >/dev/null 2>&1 && host chgrp freeswitch "$VARS"
  write_config "$password"
}

# The password goes in on its own line, never on a command line (ps would show it).
write_config() {
  local password="$1"
  act mkdir -p "$CONF_DIR"
  if [ -f "$CONF_FILE" ] && grep -q "^  password: $password\$" "$CONF_FILE"; then say "$CONF_FILE already has the ESL password"
  elif [ -f "$CONF_FILE" ]; then
    if [ "$DRY" = 1 ]; then echo "would: set esl.password in $CONF_FILE"; else
      local tmp; tmp="$(mktemp)"
      # Replace esl.password, or add it under esl:, or add an esl: section.
      awk -v p="$password" '
        /^esl:/ { print; print "  password: " p; inesl = 1; done = 1; next }
        inesl && /^  password:/ { next }
        /^[^ #]/ { inesl = 0 }
        { print }
        END { if (!done) { print "esl:"; print "  password: " p } }' "$CONF_FILE" >"$tmp"
      cat "$tmp" >"$CONF_FILE"; rm -f "$tmp"
      say "set esl.password in $CONF_FILE"
    fi
  else
    if [ "$DRY" = 1 ]; then echo "would: write $CONF_FILE (mode 600)"; else
      (umask 077; cat >"$CONF_FILE" <<EOF
# Hotline on this PBX host (docs/configuration.md). Written by scripts/install-pbx.sh.
esl:
  password: $password
db:
  filename: /var/lib/hotline/hotline.sqlite
ivr:
  scriptsDir: $HOME_DIR/ivr-scripts
  soundsDir: $HOME_DIR/sounds
recording:
  root: /var/lib/hotline/recordings
paths:
  fax: /var/lib/hotline/fax
  messages: /var/lib/hotline/messages
EOF
      )
      say "wrote $CONF_FILE"
    fi
  fi
  act chmod 600 "$CONF_FILE"
  host chown "$RUN_USER:$RUN_USER" "$CONF_FILE"
}

make_folders() {
  # messages: what callers leave in the IVR; FreeSWITCH's record app writes there and makes no folder.
  for d in "$DATA" "$DATA/recordings" "$DATA/fax" "$DATA/messages"; do
    [ -d "$d" ] || act mkdir -p "$d"
    # setgid: files FreeSWITCH writes here stay in Hotline's group, so Hotline can read and prune them.
    act chmod 2770 "$d"
    host chown "$RUN_USER:$RUN_USER" "$d"
  done
  # `hotline phones generate` (run as Hotline's user) writes the phones' directory files here.
  act mkdir -p "$KIT/directory/agents"
  host chown "$RUN_USER:$RUN_USER" "$KIT/directory/agents"
}

# `hotline …` on this host runs as the service's user with the service's config, so files it
# creates (database, directory XML) belong to that user.
install_wrapper() {
  local node; node="$(command -v node)"
  if put_file "$WRAPPER" "#!/bin/sh
# Written by scripts/install-pbx.sh: the hotline CLI as the service runs it.
cd '$HOME_DIR' || exit 1
if [ \"\$(id -u)\" = 0 ]; then exec runuser -u '$RUN_USER' -- env HOTLINE_CONFIG=/etc/hotline/hotline.yaml '$node' bin/hotline.js \"\$@\"; fi
exec env HOTLINE_CONFIG=/etc/hotline/hotline.yaml '$node' bin/hotline.js \"\$@\""; then act chmod 755 "$WRAPPER"; fi
}

# Writes $2 to $1 only when it differs, so a re-run does not touch (or restart) anything.
put_file() {
  if [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; then say "$1 is up to date"; return 1; fi
  if [ "$DRY" = 1 ]; then echo "would: write $1"; return 0; fi
  mkdir -p "$(dirname "$1")"
  printf '%s\n' "$2" >"$1"
  say "wrote $1"
}

install_unit() {
  local node; node="$(command -v node)"
  local unit="[Unit]
Description=Hotline call center (drives FreeSWITCH over its event socket)
After=network-online.target freeswitch.service
Wants=network-online.target freeswitch.service

[Service]
User=$RUN_USER
Group=$RUN_USER
WorkingDirectory=$HOME_DIR
Environment=HOTLINE_CONFIG=/etc/hotline/hotline.yaml
ExecStart=$node $HOME_DIR/bin/hotline.js start
Restart=on-failure
RestartSec=2
# Logs are JSON lines on stdout: journald keeps and rotates them (journalctl -u hotline).
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true
ReadWritePaths=/var/lib/hotline

[Install]
WantedBy=multi-user.target"
  if put_file "$UNIT" "$unit"; then host systemctl daemon-reload; fi
  host systemctl enable hotline.service
  # kit: logfile.conf.xml has rotate-on-hup and no size rollover, so logrotate owns rotation.
  put_file "$LOGROTATE" "/var/log/freeswitch/freeswitch.log {
  daily
  rotate 14
  compress
  delaycompress
  missingok
  notifempty
  postrotate
    /usr/bin/fs_cli -x 'fsctl send_sighup' >/dev/null 2>&1 || true
  endscript
}" || true
}

[ "$DRY" = 1 ] && say "dry run: nothing is changed"
check_prerequisites
ensure_user
link_config
set_password
make_folders
install_wrapper
install_unit
say "done. Next: hotline user add, agents and queues, hotline phones generate --reload, hotline doctor (docs/deploy.md)"
