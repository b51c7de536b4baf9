#!/bin/sh
# Removes the Tally agent from this Mac. Run as root: sudo, a Jamf policy
# script, or an Intune shell script. Installed as /Library/Tally/Agent/uninstall.sh.
set -u
if [ "$(id -u)" -ne 0 ]; then
  echo "uninstall.sh: run as root (sudo $0)" >&2
  exit 1
fi
AGENT=/Library/Tally/Agent/tally-agent

launchctl bootout system/com.tally.agent >/dev/null 2>&1 || true

# Tell the collector this device is gone: best effort, at most 30 s (macOS has no `timeout`).
if [ -x "$AGENT" ]; then
  "$AGENT" uninstall >/dev/null 2>&1 &
  agent_pid=$!
  ( sleep 30; kill "$agent_pid" >/dev/null 2>&1 ) &
  watchdog_pid=$!
  wait "$agent_pid" 2>/dev/null
  kill "$watchdog_pid" >/dev/null 2>&1
fi

rm -f /Library/LaunchDaemons/com.tally.agent.plist
rm -rf /Library/Tally/Agent "/Library/Application Support/Tally/agent" /Library/Logs/Tally
rmdir /Library/Tally "/Library/Application Support/Tally" 2>/dev/null
pkgutil --forget com.tally.agent >/dev/null 2>&1
echo "Tally agent removed. Remove the com.tally.agent profile from your MDM as well."
exit 0
