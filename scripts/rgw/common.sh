# scripts/rgw/common.sh - shared settings for start.sh / stop.sh (sourced, not run).
# Everything lives under $RGW_HOME (default: <repo>/.local-rgw, git-ignored).
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RGW_HOME=${RGW_HOME:-$REPO_ROOT/.local-rgw}
RGW_PORT=${RGW_PORT:-7480}
RGW_ACCESS_KEY=${RGW_ACCESS_KEY:-NBADAILYLOCALKEY0001}
RGW_SECRET_KEY=${RGW_SECRET_KEY:-nbadaily-local-secret-key-000000000000001}
RGW_UID=${RGW_UID:-nba-daily}
# the identities that sign presigned URLs (scripts/rgw/users.sh): a PUT-only writer and a GET-only reader
RGW_WRITER_ACCESS_KEY=${RGW_WRITER_ACCESS_KEY:-NBADAILYWRITERKEY01}
RGW_WRITER_SECRET_KEY=${RGW_WRITER_SECRET_KEY:-nbadaily-local-writer-secret-00000000001}
RGW_READER_ACCESS_KEY=${RGW_READER_ACCESS_KEY:-NBADAILYREADERKEY01}
RGW_READER_SECRET_KEY=${RGW_READER_SECRET_KEY:-nbadaily-local-reader-secret-00000000001}
CLUSTER=$RGW_HOME/cluster
export CEPH_CONF=$CLUSTER/ceph.conf

# daemon name -> binary, in stop order (radosgw must go before OSD and mon)
RGW_DAEMONS=("client.rgw.a:radosgw" "osd.0:ceph-osd" "mon.a:ceph-mon")

# pid of a daemon if its pid file points at a live process running the expected binary
daemon_pid() {
  local name=$1 bin=$2 pf="$CLUSTER/run/$1.pid" pid
  [ -f "$pf" ] || return 1
  pid=$(cat "$pf" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$bin" || return 1
  echo "$pid"
}

rgw_http_code() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$RGW_PORT/" 2>/dev/null || true
}
