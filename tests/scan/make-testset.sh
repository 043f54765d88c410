#!/usr/bin/env bash
# Builds the scanner's test set: ticket QR codes as a laptop webcam sees them,
# one folder per condition, each image next to a .txt with the expected text.
# Deterministic (fixed seeds). Usage: tests/scan/make-testset.sh OUTDIR [COUNT]
set -euo pipefail
OUT="${1:?usage: tests/scan/make-testset.sh OUTDIR [COUNT]}"
N="${2:-8}"
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

payload() {  # realistic ticket texts: pretix secrets, signed tickets, URLs
  local i=$1
  case $((i % 3)) in
    0) printf 'vx6zn4jmf3dpjk2q%016d' "$((i * 7919))" ;;
    1) printf 'FD1:%s' "$(printf 'frontdesk-signed-ticket-%04d-' "$i" | base64 -w0 | tr '+/' '-_')AbCdEfGhIjKlMnOpQrStUvWxYz0123456789" ;;
    2) printf 'https://pretix.eu/demo/meetup/ticket/%05d/secret=%s' "$i" "q2w4e6r8t2y4u6i8o2p4a6s8d2f4g6h$((i % 10))" ;;
  esac
}

scene() {  # condition index qr.png out.jpg
  local cond=$1 i=$2 qr=$3 out=$4
  local seed=$((1000 + i))
  local bg=(-seed "$seed" -size 1280x720 gradient:gray35-gray55 -attenuate 0.4 +noise Gaussian)
  case $cond in
    plain)       convert "${bg[@]}" "$qr" -gravity center -geometry +$((i*23 % 200 - 100))+$((i*17 % 120 - 60)) -composite -quality 92 "$out" ;;
    small)       convert "${bg[@]}" \( "$qr" -filter point -resize 45% \) -gravity center -geometry +$((i*31 % 400 - 200))+0 -composite -quality 92 "$out" ;;
    rotated)     convert "${bg[@]}" \( "$qr" -background gray45 -rotate $((15 + i * 37 % 60)) \) -gravity center -composite -quality 92 "$out" ;;
    perspective) convert "${bg[@]}" \( "$qr" -virtual-pixel background -background gray45 -distort Perspective "0,0 $((20 + i % 5 * 8)),$((10 + i % 3 * 10))  %w,0 %[fx:w-15],0  0,%h 0,%[fx:h-$((10 + i % 4 * 8))]  %w,%h %[fx:w-$((30 + i % 3 * 12))],%h" \) -gravity center -composite -quality 92 "$out" ;;
    blurred)     convert "${bg[@]}" \( "$qr" -blur 0x$((2 + i % 3)).$((i * 3 % 10)) \) -gravity center -composite -quality 92 "$out" ;;
    noisy)       convert "${bg[@]}" "$qr" -gravity center -composite -seed "$seed" -attenuate $((2 + i % 3)) +noise Gaussian -quality 92 "$out" ;;
    lowcontrast) convert "${bg[@]}" \( "$qr" +level 38%,62% \) -gravity center -composite \( -size 1280x720 radial-gradient:white-black -evaluate multiply 0.35 \) -compose screen -composite -quality 92 "$out" ;;
    jpeg)        convert "${bg[@]}" "$qr" -gravity center -composite -quality $((6 + i % 4 * 3)) "$out" ;;
    inverted)    convert -seed "$seed" -size 1280x720 xc:gray15 -attenuate 0.4 +noise Gaussian \( "$qr" -negate \) -gravity center -composite -quality 92 "$out" ;;
    phone)       convert -seed "$seed" -size 1280x720 gradient:"#c89f7a"-"#7a5a40" -attenuate 0.3 +noise Gaussian \
                   -fill black -draw "roundrectangle 420,60 860,700 40,40" \
                   \( "$qr" -resize 380x380 \) -gravity center -geometry +0+10 -composite -quality 90 "$out" ;;
  esac
}

for cond in plain small rotated perspective blurred noisy lowcontrast jpeg inverted phone; do
  mkdir -p "$OUT/$cond"
  for i in $(seq 1 "$N"); do
    text=$(payload "$i")
    qrencode -l M -s 6 -m 4 -o "$tmp/qr.png" "$text"
    scene "$cond" "$i" "$tmp/qr.png" "$OUT/$cond/$(printf %02d "$i").jpg"
    printf '%s' "$text" > "$OUT/$cond/$(printf %02d "$i").txt"
  done
done
mkdir -p "$OUT/negative"
for i in $(seq 1 "$N"); do  # scenes with no code: must decode to nothing
  convert -seed "$i" -size 1280x720 gradient:gray30-gray70 -attenuate 1.2 +noise Gaussian \
    -fill white -draw "rectangle $((100 + i*40)),200 $((300 + i*40)),400" -quality 90 "$OUT/negative/$(printf %02d "$i").jpg"
done
echo "scan test set: $(find "$OUT" -name '*.jpg' | wc -l) images in $OUT"
