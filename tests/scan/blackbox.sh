#!/usr/bin/env bash
# Frontdesk against its peers on zxing-cpp's own QR blackbox sets: every image
# of test/samples/qrcode-1 ... qrcode-6 at 0/90/180/270 degrees (548 images),
# decoded by Frontdesk, Debian's ZXingReader and zbarimg in one run, with
# totals and every wrong text.
#
# Not run in CI: it needs a fetched zxing-cpp checkout, whose images stay out
# of this repository. Usage:
#   tests/scan/blackbox.sh ZXING_CPP_CHECKOUT [FRONTDESK_BINARY] [WORKDIR]
# The images are rotated once (ImageMagick) into WORKDIR, one folder per set
# and rotation, each image next to its expected text, which is the layout
# `frontdesk bench scan` reads.
set -euo pipefail
SRC="${1:?usage: tests/scan/blackbox.sh ZXING_CPP_CHECKOUT [FRONTDESK_BINARY] [WORKDIR]}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FRONTDESK="${2:-$ROOT/build/kiosk/app/frontdesk}"
WORK="${3:-${TMPDIR:-/tmp}/frontdesk-blackbox}"
SAMPLES="$SRC/test/samples"
[ -d "$SAMPLES/qrcode-1" ] || { echo "no $SAMPLES/qrcode-1: give the root of a zxing-cpp checkout" >&2; exit 2; }
[ -x "$FRONTDESK" ] || { echo "no frontdesk binary at $FRONTDESK" >&2; exit 2; }

count=0
for set in qrcode-1 qrcode-2 qrcode-3 qrcode-4 qrcode-5 qrcode-6; do
  for img in "$SAMPLES/$set"/*; do
    case "$img" in *.png | *.jpg | *.jpeg | *.webp | *.gif | *.pgm) ;; *) continue ;; esac
    base="$(basename "${img%.*}")"
    # Like zxing-cpp's runner: an image without a .txt is not a test case.
    [ -f "${img%.*}.txt" ] || continue
    for rot in 0 90 180 270; do
      dir="$WORK/$set-$(printf %03d "$rot")"
      mkdir -p "$dir"
      # '#' in zxing-cpp's file names trips up nothing here, but keep names plain.
      out="$dir/${base//#/n}"
      if [ ! -f "$out.png" ] || [ "$img" -nt "$out.png" ]; then
        convert "$img" -rotate "$rot" "$out.png"
        cp "${img%.*}.txt" "$out.txt"
      fi
      count=$((count + 1))
    done
  done
done
echo "blackbox: $count images (6 QR sets x 4 rotations) in $WORK" >&2
exec "$FRONTDESK" bench scan "$WORK"
