#!/usr/bin/env bash
# scripts/rgw/stop.sh [--keep] - stop the local Ceph RGW started by start.sh.
# Only PIDs from our own pid files are signalled (checked against /proc/PID/cmdline).
# radosgw goes first, then OSD + mon together. The memstore data is gone once the OSD stops,
# so the cluster directory is removed unless --keep is given (logs are then kept for diagnosis).
set -uo pipefail
. "$(dirname "$0")/common.sh"

stop_group() {  # TERM all given daemons, wait up to 10 s each, then KILL
  local spec name bin pid i waiting=()
  for spec in "$@"; do
    name=${spec%%:*} bin=${spec#*:}
    if pid=$(daemon_pid "$name" "$bin"); then
      kill -TERM "$pid" 2>/dev/null && waiting+=("$pid:$name")
    fi
    rm -f "$CLUSTER/run/$name.pid"
  done
  for spec in "${waiting[@]}"; do
    pid=${spec%%:*}
    for i in $(seq 1 100); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
    if [ -d "/proc/$pid" ]; then
      echo "rgw:stop: ${spec#*:} (pid $pid) ignored TERM for 10 s, sending KILL" >&2
      kill -KILL "$pid" 2>/dev/null; sleep 0.2
    fi
    echo "rgw:stop: stopped ${spec#*:} (pid $pid)"
  done
}

if [ -d "$CLUSTER/run" ]; then
  stop_group "${RGW_DAEMONS[0]}"
  stop_group "${RGW_DAEMONS[1]}" "${RGW_DAEMONS[2]}"
else
  echo "rgw:stop: nothing running under $CLUSTER"
fi
if [ "${1:-}" != "--keep" ] && [ -d "$CLUSTER" ]; then rm -rf "$CLUSTER"; echo "rgw:stop: removed $CLUSTER"; fi
exit 0
