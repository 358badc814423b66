#!/usr/bin/env bash
# scripts/rgw/start.sh - start a throw-away single-node Ceph cluster for local S3:
# 1 mon + 1 memstore OSD + radosgw (beast) on 127.0.0.1:$RGW_PORT, with the worker's three S3 users (users.sh)
# whose keys are fixed (RGW_ACCESS_KEY / RGW_SECRET_KEY, RGW_WRITER_* / RGW_READER_*). Config, keyrings, pid files, sockets and logs live
# under $RGW_HOME/cluster (default .local-rgw/cluster). Idempotent: if our cluster is already up it
# just prints the endpoint; a half-dead cluster is stopped and recreated.
# Needs Debian's ceph-mon ceph-osd radosgw ceph-common, curl, uuidgen. Ports 3300/6789 (mon) are fixed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"

T0=$EPOCHREALTIME
log() { printf '[rgw:start %5.2fs] %s\n' "$(awk -v a="$EPOCHREALTIME" -v b="$T0" 'BEGIN{print a-b}')" "$*"; }
die() { echo "rgw:start: ERROR: $*" >&2; exit 1; }
ready() {
  log "READY"
  echo "S3_ENDPOINT=http://127.0.0.1:$RGW_PORT"
  echo "S3_REGION=us-east-1"
  echo "S3_FORCE_PATH_STYLE=true"
  echo "S3_ACCESS_KEY_ID=$RGW_ACCESS_KEY"
  echo "S3_SECRET_ACCESS_KEY=$RGW_SECRET_KEY"
  echo "S3_WRITER_ACCESS_KEY_ID=$RGW_WRITER_ACCESS_KEY"
  echo "S3_WRITER_SECRET_ACCESS_KEY=$RGW_WRITER_SECRET_KEY"
  echo "S3_READER_ACCESS_KEY_ID=$RGW_READER_ACCESS_KEY"
  echo "S3_READER_SECRET_ACCESS_KEY=$RGW_READER_SECRET_KEY"
}
all_alive() { local s; for s in "${RGW_DAEMONS[@]}"; do daemon_pid "${s%%:*}" "${s#*:}" >/dev/null || return 1; done; }
need_alive() { daemon_pid "$1" "$2" >/dev/null || die "$1 exited - see $CLUSTER/log/$1.log"; }

for bin in ceph-mon ceph-osd radosgw ceph ceph-authtool monmaptool radosgw-admin curl uuidgen; do
  command -v "$bin" >/dev/null || die "$bin not found (apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common curl)"
done

if [ -d "$CLUSTER" ]; then
  if all_alive && [ "$(rgw_http_code)" = 200 ]; then log "already running"; "$HERE/users.sh" >/dev/null; ready; exit 0; fi
  log "stale cluster under $CLUSTER - stopping and recreating"
  "$HERE/stop.sh" >/dev/null
fi
code=$(rgw_http_code)
[ "$code" = 000 ] || die "something else already answers on 127.0.0.1:$RGW_PORT (HTTP $code); set RGW_PORT or stop it"

# from here on, a failure stops whatever was started (logs are kept)
trap 'rc=$?; if [ $rc -ne 0 ]; then echo "rgw:start: failed (rc=$rc); logs in $CLUSTER/log" >&2; "$HERE/stop.sh" --keep >&2; fi' EXIT
mkdir -p "$CLUSTER"/{log,run,osd.0,rgw.a}
FSID=$(uuidgen)
MON_ADDR='[v2:127.0.0.1:3300,v1:127.0.0.1:6789]'

cat > "$CEPH_CONF" <<CONF
[global]
fsid = $FSID
mon host = $MON_ADDR
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $CLUSTER/keyring
run dir = $CLUSTER/run
admin socket = $CLUSTER/run/\$name.asok
pid file = $CLUSTER/run/\$name.pid
log file = $CLUSTER/log/\$name.log
log to stderr = false
err to stderr = true
mon cluster log file = $CLUSTER/log/cluster.log
crash dir = $CLUSTER/crash
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000

[mon]
mon data = $CLUSTER/mon.\$id
mon data avail warn = 1
mon data avail crit = 0
# propose map changes every 50 ms instead of 1 s: pool creation is then near-instant
paxos propose interval = 0.05
mon warn on insecure global id reclaim allowed = false

[osd]
osd data = $CLUSTER/osd.\$id
keyring = $CLUSTER/osd.\$id/keyring
osd objectstore = memstore
memstore device bytes = 1073741824
osd memory target = 536870912
osd crush initial weight = 1
# exit at once on SIGTERM instead of waiting for the mon to acknowledge
osd fast shutdown notify mon = false

[client.admin]
admin socket =
log file = $CLUSTER/log/client.admin.log

[client.rgw.a]
keyring = $CLUSTER/rgw.a/keyring
rgw data = $CLUSTER/rgw.a
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw thread pool size = 64
CONF

# --- mon ---
ceph-authtool --create-keyring "$CLUSTER/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool --create-keyring "$CLUSTER/keyring" --gen-key -n client.admin \
  --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
ceph-authtool "$CLUSTER/mon.keyring" --import-keyring "$CLUSTER/keyring" >/dev/null
monmaptool --create --fsid "$FSID" --addv a "$MON_ADDR" "$CLUSTER/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$CLUSTER/monmap" --keyring "$CLUSTER/mon.keyring"
ceph-mon -i a 2>>"$CLUSTER/log/mon.a.stderr" || die "ceph-mon failed to start (is another cluster using ports 3300/6789?)"
for i in $(seq 1 60); do
  need_alive mon.a ceph-mon
  timeout 10 ceph --connect-timeout 5 mon stat >/dev/null 2>&1 && break
  [ "$i" = 60 ] && die "mon did not answer"; sleep 0.25
done
log "mon up"

# --- osd (memstore) ---
OSD_UUID=$(uuidgen)
[ "$(timeout 30 ceph osd new "$OSD_UUID")" = 0 ] || die "unexpected osd id"
ceph-osd -i 0 --mkfs --mkkey --no-mon-config --osd-uuid "$OSD_UUID" >"$CLUSTER/log/osd.0.mkfs.out" 2>&1 \
  || { cat "$CLUSTER/log/osd.0.mkfs.out" >&2; die "osd mkfs failed"; }
timeout 30 ceph auth add osd.0 osd 'allow *' mon 'allow profile osd' mgr 'allow profile osd' \
  -i "$CLUSTER/osd.0/keyring" >/dev/null 2>&1 || die "osd auth add failed"
ceph-osd -i 0 2>>"$CLUSTER/log/osd.0.stderr"
for i in $(seq 1 120); do
  need_alive osd.0 ceph-osd
  timeout 10 ceph osd dump 2>/dev/null | grep -q '^osd\.0 up' && break
  [ "$i" = 120 ] && die "osd.0 did not come up"; sleep 0.25
done
log "osd.0 up"

# pre-create RGW's pools so the first requests do not pay for lazy pool creation
POOLS=(.rgw.root default.rgw.log default.rgw.control default.rgw.meta
       default.rgw.buckets.index default.rgw.buckets.data default.rgw.buckets.non-ec)
pids=()  # each ceph CLI call costs ~0.3 s of Python start-up, so run them in parallel
for pool in "${POOLS[@]}"; do
  ( timeout 30 ceph osd pool create "$pool" 8 8 >/dev/null 2>&1 &&
    timeout 30 ceph osd pool application enable "$pool" rgw >/dev/null 2>&1 ) & pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || die "creating the RGW pools failed"; done
log "pools created"

# --- radosgw ---
timeout 30 ceph auth get-or-create client.rgw.a mon 'allow rw' osd 'allow rwx' mgr 'allow rw' \
  -o "$CLUSTER/rgw.a/keyring" >/dev/null 2>&1 || die "rgw auth failed"
radosgw -n client.rgw.a 2>>"$CLUSTER/log/rgw.a.stderr"
for i in $(seq 1 240); do
  need_alive client.rgw.a radosgw
  [ "$(rgw_http_code)" = 200 ] && break
  [ "$i" = 240 ] && die "radosgw did not answer on 127.0.0.1:$RGW_PORT"; sleep 0.25
done
log "radosgw answering on http://127.0.0.1:$RGW_PORT"

"$HERE/users.sh" >"$CLUSTER/log/user-create.out" 2>"$CLUSTER/log/user-create.err" \
  || { cat "$CLUSTER/log/user-create.err" >&2; die "S3 user create failed"; }
log "S3 users '$RGW_UID' (worker), '$RGW_UID-writer' (PUT URLs), '$RGW_UID-reader' (GET URLs) created"


trap - EXIT
ready
