#!/usr/bin/env bash
# scripts/rgw/users.sh - make sure the local RGW has the three S3 identities the worker uses (idempotent):
#   $RGW_UID          the worker's own identity: owns the bucket, lists / heads / copies / deletes; never signs a URL
#   $RGW_UID-writer   signs presigned PUTs only: no bucket of its own, reads denied by the bucket policy (its op mask
#                     keeps "read": RGW counts the CORS preflight OPTIONS of a presigned PUT as a read)
#   $RGW_UID-reader   signs presigned GETs only: op mask "read", no bucket of its own
# Called by start.sh (fresh and already-running clusters). Keys are fixed local test keys (see common.sh).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"

ensure_user() { # uid display-name access secret op-mask max-buckets
  local uid=$1 name=$2 access=$3 secret=$4 mask=$5 max=$6
  if timeout 60 radosgw-admin user info --uid="$uid" >/dev/null 2>&1; then
    timeout 60 radosgw-admin user modify --uid="$uid" --op-mask="$mask" --max-buckets="$max" >/dev/null
  else
    timeout 60 radosgw-admin user create --uid="$uid" --display-name="$name" \
      --access-key="$access" --secret-key="$secret" --op-mask="$mask" --max-buckets="$max" >/dev/null
  fi
}

ensure_user "$RGW_UID" "NBA Daily local" "$RGW_ACCESS_KEY" "$RGW_SECRET_KEY" "read, write, delete" 1000
ensure_user "$RGW_UID-writer" "NBA Daily presigned PUTs" "$RGW_WRITER_ACCESS_KEY" "$RGW_WRITER_SECRET_KEY" "read, write" -1
ensure_user "$RGW_UID-reader" "NBA Daily presigned GETs" "$RGW_READER_ACCESS_KEY" "$RGW_READER_SECRET_KEY" "read" -1
echo "rgw:users: $RGW_UID, $RGW_UID-writer, $RGW_UID-reader"
