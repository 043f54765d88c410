#!/usr/bin/env bash
# What decoding a frame costs, in instructions (callgrind), the stand-in for
# a Raspberry Pi's slower core: decode_frame only, not loading the image.
# Prints one line per image and the median and maximum. Not run in CI (a
# minute for a dozen frames). Usage:
#   tests/scan/frame-cost.sh [--binary FRONTDESK] IMAGE...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FRONTDESK="$ROOT/build/kiosk/app/frontdesk"
if [ "${1:-}" = --binary ]; then
  FRONTDESK="$2"
  shift 2
fi
[ $# -gt 0 ] || { echo "usage: tests/scan/frame-cost.sh [--binary FRONTDESK] IMAGE..." >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for img in "$@"; do
  valgrind --tool=callgrind --callgrind-out-file="$work/cg" --toggle-collect='fd::decode_frame*' \
    "$FRONTDESK" scan "$img" >"$work/out" 2>/dev/null || true
  ir=$(callgrind_annotate "$work/cg" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  # The pass that read it, or "-" when nothing was read.
  pass=$(sed -n 's/.*ms, \([a-z-]*\) pass).*/\1/p' "$work/out" | head -1)
  printf '%12s  %-10s %s\n' "$ir" "${pass:--}" "$img"
done | tee "$work/all"
sort -n "$work/all" | awk '{ v[NR] = $1 } END {
  printf "frames: %d, instructions median %.1f M, max %.1f M\n", NR, v[int((NR + 1) / 2)] / 1e6, v[NR] / 1e6 }'
