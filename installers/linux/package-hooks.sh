#!/bin/sh
# Shared by the .deb and .rpm maintainer scripts, which only translate their
# package manager's hook names into these two steps:
#   configure  after install or upgrade: settings file, enable, (re)start
#   remove     before the package is erased: stop, tell the collector, disable
# $DPKG_ROOT (dpkg --root with --force-script-chrootless: tests, image builds)
# prefixes every path, and then systemd is left alone: it is not the running
# system's package.
set -eu

ROOT=${DPKG_ROOT:-}
ENV_DIR=$ROOT/etc/tally-agent
ENV_FILE=$ENV_DIR/agent.env
UNIT=tally-agent.service

has_systemd() { [ -z "$ROOT" ] && [ -d /run/systemd/system ]; }

# First install only: an RMM may pass the settings in the environment
# (TALLY_COLLECTOR_URL=... TALLY_ENROLL_TOKEN=... apt-get install ./tally-agent.deb).
write_settings_if_missing() {
  umask 077
  mkdir -p "$ENV_DIR"
  chmod 0700 "$ENV_DIR"
  if [ ! -e "$ENV_FILE" ]; then
    {
      echo "# Tally agent settings, read by $UNIT and by tally-agent itself. Root only (0600)."
      printf 'TALLY_COLLECTOR_URL=%s\n' "${TALLY_COLLECTOR_URL:-}"
      printf 'TALLY_ENROLL_TOKEN=%s\n' "${TALLY_ENROLL_TOKEN:-}"
      # Auto-update: the release public key pinned at install time (and the channel), when given.
      if [ -n "${TALLY_UPDATE_PUBLIC_KEY:-}" ]; then printf 'TALLY_UPDATE_PUBLIC_KEY=%s\n' "$TALLY_UPDATE_PUBLIC_KEY"; fi
      if [ -n "${TALLY_UPDATE_CHANNEL:-}" ]; then printf 'TALLY_UPDATE_CHANNEL=%s\n' "$TALLY_UPDATE_CHANNEL"; fi
    } > "$ENV_FILE"
  fi
  chown root:root "$ENV_FILE"
  chmod 0600 "$ENV_FILE"
}

configure() {
  write_settings_if_missing
  has_systemd || return 0
  systemctl daemon-reload
  systemctl enable "$UNIT" >/dev/null 2>&1
  if grep -Eq '^TALLY_COLLECTOR_URL=.+' "$ENV_FILE"; then
    # restart, not start: an upgrade must replace the running old binary.
    systemctl restart "$UNIT"
  else
    echo "tally-agent: set TALLY_COLLECTOR_URL and TALLY_ENROLL_TOKEN in $ENV_FILE, then run: systemctl restart tally-agent" >&2
  fi
}

remove() {
  if has_systemd; then
    systemctl stop "$UNIT" >/dev/null 2>&1 || true
    systemctl disable "$UNIT" >/dev/null 2>&1 || true
  fi
  # After the service stopped, so the outbox is free. Best effort and bounded:
  # an unreachable collector must never block an uninstall.
  timeout 30 "$ROOT"/usr/bin/tally-agent uninstall >/dev/null 2>&1 || true
}

case "${1:-}" in
  configure) configure ;;
  remove) remove ;;
  *) echo "usage: $0 configure|remove" >&2; exit 2 ;;
esac
