#!/usr/bin/env bash
# Installs or upgrades the Tally agent on Linux, for RMM tools. Safe to run
# again: it only changes what differs (package version, settings) and makes
# sure the service is enabled and running.
#
#   sudo ./install-tally-agent.sh --package tally-agent_0.1.0_amd64.deb --server-url wss://collector.example --token tet_... [--proxy http://proxy.corp:3128] [--update-key ed25519:...]
#   sudo TALLY_COLLECTOR_URL=... TALLY_ENROLL_TOKEN=... ./install-tally-agent.sh --package-dir /path/with/packages
#
# Exit codes: 0 success, 1 failure, 2 usage error.
set -euo pipefail

ENV_FILE=/etc/tally-agent/agent.env
server_url=${TALLY_COLLECTOR_URL:-}
token=${TALLY_ENROLL_TOKEN:-}
proxy=${TALLY_PROXY:-}
update_key=${TALLY_UPDATE_PUBLIC_KEY:-}
update_channel=${TALLY_UPDATE_CHANNEL:-}
package=
package_dir=

usage() { sed -n '2,10s/^# \{0,1\}//p' "$0" >&2; exit 2; }
fail() { echo "install-tally-agent: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --package) package=${2:?}; shift 2 ;;
    --package-dir) package_dir=${2:?}; shift 2 ;;
    --server-url) server_url=${2:?}; shift 2 ;;
    --token) token=${2:?}; shift 2 ;;
    --proxy) proxy=${2:?}; shift 2 ;;
    --update-key) update_key=${2:?}; shift 2 ;;
    --update-channel) update_channel=${2:?}; shift 2 ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done

[ "$(id -u)" -eq 0 ] || fail "run as root"
[ -z "$server_url" ] || [[ "$server_url" =~ ^(wss|https|ws|http)://[^[:space:]]+$ ]] || { echo "not a URL: $server_url" >&2; exit 2; }
[ -z "$token" ] || [[ "$token" =~ ^tet_[A-Za-z0-9_-]{43}$ ]] || { echo "the token does not look like an enrolment token (tet_...)" >&2; exit 2; }

# Pick the package for this machine's package manager and architecture.
if [ -z "$package" ]; then
  [ -n "$package_dir" ] || usage
  case "$(uname -m)" in
    x86_64) deb_arch=amd64; rpm_arch=x86_64 ;;
    aarch64|arm64) deb_arch=arm64; rpm_arch=aarch64 ;;
    *) fail "unsupported architecture $(uname -m)" ;;
  esac
  if command -v dpkg >/dev/null 2>&1; then
    package=$(ls "$package_dir"/tally-agent_*_"$deb_arch".deb 2>/dev/null | sort -V | tail -n 1)
  elif command -v rpm >/dev/null 2>&1; then
    package=$(ls "$package_dir"/tally-agent-*."$rpm_arch".rpm 2>/dev/null | sort -V | tail -n 1)
  fi
  [ -n "$package" ] || fail "no tally-agent package for this machine in $package_dir"
fi
[ -f "$package" ] || fail "package not found: $package"

# Settings first, so the package's own configure step starts the service with them.
settings_changed=no
write_setting() { # name value
  local name=$1 value=$2 current
  [ -n "$value" ] || return 0
  current=$(sed -n "s/^$name=//p" "$ENV_FILE" 2>/dev/null | tail -n 1)
  [ "$current" = "$value" ] && return 0
  local tmp
  tmp=$(mktemp "$ENV_FILE.XXXXXX")
  { grep -v "^$name=" "$ENV_FILE" 2>/dev/null || true; printf '%s=%s\n' "$name" "$value"; } > "$tmp"
  chmod 0600 "$tmp"
  mv "$tmp" "$ENV_FILE"
  settings_changed=yes
}
umask 077
mkdir -p "$(dirname "$ENV_FILE")"
chmod 0700 "$(dirname "$ENV_FILE")"
[ -e "$ENV_FILE" ] || : > "$ENV_FILE"
chmod 0600 "$ENV_FILE"
write_setting TALLY_COLLECTOR_URL "$server_url"
write_setting TALLY_ENROLL_TOKEN "$token"
write_setting TALLY_PROXY "$proxy"
# Auto-update: the release public key to pin, and the channel (only when given).
[ -z "$update_key" ] || write_setting TALLY_UPDATE_PUBLIC_KEY "$update_key"
[ -z "$update_channel" ] || write_setting TALLY_UPDATE_CHANNEL "$update_channel"

installed_version() {
  case "$package" in
    *.deb) dpkg-query -W -f='${Version}' tally-agent 2>/dev/null || true ;;
    *.rpm) rpm -q --qf '%{VERSION}-%{RELEASE}' tally-agent 2>/dev/null | grep -v 'not installed' || true ;;
  esac
}
package_version() {
  case "$package" in
    *.deb) dpkg-deb -f "$package" Version ;;
    *.rpm) rpm -qp --qf '%{VERSION}-%{RELEASE}' "$package" 2>/dev/null ;;
  esac
}

if [ "$(installed_version)" = "$(package_version)" ]; then
  echo "tally-agent $(package_version) is already installed"
else
  echo "installing $package"
  case "$package" in
    *.deb)
      if command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y "$(readlink -f "$package")"
      else
        dpkg -i "$package"
      fi ;;
    *.rpm)
      if command -v dnf >/dev/null 2>&1; then dnf install -y "$package"
      elif command -v yum >/dev/null 2>&1; then yum install -y "$package"
      elif command -v zypper >/dev/null 2>&1; then zypper --non-interactive install --allow-unsigned-rpm "$package"
      else rpm -Uvh "$package"
      fi ;;
    *) fail "not a .deb or .rpm: $package" ;;
  esac
  settings_changed=no # the package's configure step has just (re)started the service
fi

systemctl enable tally-agent.service >/dev/null 2>&1
if [ "$settings_changed" = yes ] || ! systemctl is-active --quiet tally-agent.service; then
  systemctl restart tally-agent.service
fi
systemctl is-active --quiet tally-agent.service || fail "tally-agent.service is not running: journalctl -u tally-agent"
echo "tally-agent is running"
