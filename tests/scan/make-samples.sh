#!/usr/bin/env bash
# Makes the stored set of real-world QR pictures in tests/scan/samples: what a
# door's webcam sees when people hold up their tickets. One folder per
# condition, IMAGE.jpg next to IMAGE.txt (the expected text; IMAGE.2.txt a
# second code), and must-not-decode/ with pictures that hold no code.
#
# Made here from scratch (qrencode + ImageMagick, fixed seeds), then stored,
# so that `frontdesk bench scan` and the tests read the same pictures on
# every machine whatever its ImageMagick. Run it again only to change the
# set, and commit the result. Usage: tests/scan/make-samples.sh [OUTDIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$ROOT/tests/scan/samples}"
N=5  # pictures per condition
# The folder is emptied first: refuse one that does not look like a set
# made here (a mistyped argument must not cost a folder).
if [ -d "$OUT" ] && [ -n "$(ls -A "$OUT")" ] && [ ! -d "$OUT/must-not-decode" ]; then
  echo "make-samples: $OUT is not empty and holds no earlier set; give a new folder" >&2
  exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$OUT"
mkdir -p "$OUT"

# Ticket texts as the services print them, varied by index.
payload() {
  local i=$1
  case $((i % 6)) in
    0) printf '%s' "$(printf 'ticket-%04d-secret' "$i" | sha256sum | cut -c1-32)" ;;  # pretix secret
    1) printf 'FD1:%s' "$(printf 'frontdesk-%04d' "$i" | sha512sum | xxd -r -p | base64 -w0 | tr '+/' '-_' | cut -c1-86)" ;;
    2) printf 'https://pretix.eu/meetup/night%02d/ticket/%05d/%s/' "$i" "$((i * 37))" "$(printf 'p%d' "$i" | sha1sum | cut -c1-16)" ;;
    3) printf 'https://lu.ma/check-in/evt-%s?pk=g-%s' "$(printf 'e%d' "$i" | md5sum | cut -c1-12)" "$(printf 'g%d' "$i" | md5sum | cut -c1-14)" ;;
    4) printf '%019d%03d' "$((4200000000000000 + i * 7919))" "$((i % 1000))" ;;  # a numeric barcode-style order
    5) printf 'MEETUP:RSVP:%s:Ana Garc\xc3\xada Fern\xc3\xa1ndez' "$(printf 'r%d' "$i" | md5sum | cut -c1-10)" ;;
  esac
}

# A long text for the dense codes: a contact card with a ticket.
dense_payload() {
  local i=$1
  printf 'BEGIN:VCARD\nVERSION:3.0\nN:Example%02d;Person\nFN:Person Example%02d\nORG:Meetup Group %02d\nTEL:+49301234%04d\nEMAIL:person%02d@example.org\nURL:https://example.org/people/%02d\nNOTE:ticket %s\nEND:VCARD' \
    "$i" "$i" "$i" "$((i * 13))" "$i" "$i" "$(payload "$i")$(payload "$((i + 2))")"
}

# A room behind the person: a soft gradient, a few darker and lighter shapes.
background() {  # seed out
  local s=$1
  convert -size 1280x720 "gradient:gray$((38 + s % 15))-gray$((58 + s % 20))" \
    -fill "gray$((25 + s % 10))" -draw "rectangle $((60 + s * 37 % 200)),$((120 + s * 11 % 80)) $((260 + s * 37 % 200)),720" \
    -fill "gray$((70 + s % 12))" -draw "rectangle $((880 + s * 23 % 150)),60 $((1180 - s * 7 % 60)),$((360 + s * 13 % 90))" \
    -blur 0x3 "$2"
}

# What the webcam does to it: defocus, noise, a little vignetting, JPEG.
webcam() {  # in out seed blur noise quality
  convert "$1" -blur "0x$4" -seed "$3" -attenuate "$5" +noise Gaussian \
    \( -size 1280x720 radial-gradient:white-gray60 \) -compose multiply -composite \
    -colorspace Gray -quality "$6" "$2"
}

qr() {  # text level module out
  qrencode -l "$2" -s "$3" -m 4 -o "$4" -- "$1"
}

# A phone holding `code` (a PNG) on its screen, `light` or `dark` screen.
phone() {  # code out screen
  local fg='#f3f3f3'
  [ "$3" = dark ] && fg='#101010'
  convert -size 380x720 xc:none -fill '#1c1c20' -draw "roundrectangle 0,0 379,719 44,44" \
    -fill "$fg" -draw "rectangle 18,74 361,646" \
    \( "$1" -resize 310x310 \) -gravity center -geometry +0+10 -composite "$2"
}

# Tilts a picture with transparency: the corners moved by seeded amounts.
tilt() {  # in out seed strength
  local w h s=$3 k=$4
  w=$(identify -format %w "$1")
  h=$(identify -format %h "$1")
  convert "$1" -virtual-pixel transparent -background none -distort Perspective \
    "0,0 $((s * 17 % k)),$((s * 7 % k))  $w,0 $((w - s * 5 % k)),$((s * 13 % k))  0,$h $((s * 11 % k)),$((h - s * 3 % k))  $w,$h $((w - s * 19 % k)),$((h - s * 23 % k))" \
    +repage "$2"
}

place() {  # background layer out x y angle
  convert "$1" \( "$2" -background none -rotate "$6" \) -gravity center -geometry "+$4+$5" -composite "$3"
}

write() {  # condition index text [second text]
  local dir="$OUT/$1" name
  name=$(printf %02d "$2")
  mkdir -p "$dir"
  mv "$tmp/final.jpg" "$dir/$name.jpg"
  printf '%s' "$3" >"$dir/$name.txt"
  if [ $# -ge 4 ]; then printf '%s' "$4" >"$dir/$name.2.txt"; fi
}

for i in $(seq 1 $N); do
  t=$(payload "$i")
  background "$i" "$tmp/bg.png"
  levels=(L M Q H)
  lvl=${levels[$((i % 4))]}

  # A phone held up at an angle, light screen.
  qr "$t" "$lvl" 8 "$tmp/qr.png"
  phone "$tmp/qr.png" "$tmp/phone.png" light
  tilt "$tmp/phone.png" "$tmp/t.png" "$i" 90
  place "$tmp/bg.png" "$tmp/t.png" "$tmp/s.png" $((i * 41 % 240 - 120)) $((i * 17 % 60 - 30)) $((i * 13 % 50 - 25))
  webcam "$tmp/s.png" "$tmp/final.jpg" "$i" 1.0 0.35 64
  write phone-angle "$i" "$t"

  # The same in dark mode: a light code on a black screen.
  convert "$tmp/qr.png" -negate "$tmp/qrn.png"
  phone "$tmp/qrn.png" "$tmp/phone.png" dark
  tilt "$tmp/phone.png" "$tmp/t.png" "$((i + 3))" 80
  place "$tmp/bg.png" "$tmp/t.png" "$tmp/s.png" $((i * 29 % 200 - 100)) 0 $((i * 19 % 40 - 20))
  webcam "$tmp/s.png" "$tmp/final.jpg" "$((i + 50))" 1.1 0.4 64
  write phone-dark "$i" "$t"

  # A crumpled print-out: the sheet waves and bends, shaded, held at an angle.
  qr "$t" "$lvl" 7 "$tmp/qr.png"
  convert -size 520x640 xc:'#f1efe8' \( "$tmp/qr.png" -fill '#2a2a2a' -opaque black \) -gravity north \
    -geometry +0+40 -composite -gravity south -font DejaVu-Sans -pointsize 22 -fill '#555' -annotate +0+40 "Meetup night $i - admit one" \
    -background none -wave "$((3 + i % 4))x$((160 + i * 30))" \
    \( -size 520x660 gradient:'#ffffff'-"gray$((70 + i * 3))" -rotate $((i * 60)) -resize 520x660! \) -compose multiply -composite \
    "$tmp/sheet.png"
  tilt "$tmp/sheet.png" "$tmp/t.png" "$((i + 7))" 110
  place "$tmp/bg.png" "$tmp/t.png" "$tmp/s.png" $((i * 53 % 200 - 100)) 10 $((i * 23 % 60 - 30))
  webcam "$tmp/s.png" "$tmp/final.jpg" "$((i + 100))" 1.2 0.35 62
  write printout "$i" "$t"

  # A ticket code in a mail's footer, on a phone: small modules among text.
  qr "$t" M 3 "$tmp/qr.png"
  convert -size 340x560 xc:'#fafafa' -fill '#333' -font DejaVu-Sans -pointsize 15 \
    -annotate +16+40 "Your ticket for Meetup night $i" -annotate +16+70 "Show this code at the door." \
    -annotate +16+100 "Doors open 18:30. See you there!" \( "$tmp/qr.png" \) -gravity southwest -geometry +16+90 -composite \
    -gravity northwest -pointsize 11 -fill '#777' -annotate +16+500 "You receive this mail because you registered." \
    -annotate +16+516 "Unsubscribe | Privacy | Imprint" "$tmp/mail.png"
  convert -size 380x720 xc:none -fill '#1c1c20' -draw "roundrectangle 0,0 379,719 44,44" \
    "$tmp/mail.png" -gravity center -geometry +0+10 -composite "$tmp/phone.png"
  tilt "$tmp/phone.png" "$tmp/t.png" "$((i + 11))" 50
  place "$tmp/bg.png" "$tmp/t.png" "$tmp/s.png" $((i * 31 % 160 - 80)) 0 $((i * 7 % 20 - 10))
  webcam "$tmp/s.png" "$tmp/final.jpg" "$((i + 150))" 0.6 0.25 72
  write mail-footer "$i" "$t"

  # Dense codes (a contact card with a ticket), printed, at a slight angle.
  d=$(dense_payload "$i")
  qr "$d" "$lvl" 4 "$tmp/qr.png"
  tilt "$tmp/qr.png" "$tmp/t.png" "$((i + 13))" 40
  place "$tmp/bg.png" "$tmp/t.png" "$tmp/s.png" $((i * 37 % 200 - 100)) 0 $((i * 11 % 16 - 8))
  webcam "$tmp/s.png" "$tmp/final.jpg" "$((i + 200))" 0.7 0.25 74
  write dense "$i" "$d"

  # Mirrored: a phone seen through a mirror, or a selfie camera's view.
  qr "$t" "$lvl" 8 "$tmp/qr.png"
  phone "$tmp/qr.png" "$tmp/phone.png" light
  convert "$tmp/phone.png" -flop "$tmp/phone.png"
  tilt "$tmp/phone.png" "$tmp/t.png" "$((i + 17))" 60
  place "$tmp/bg.png" "$tmp/t.png" "$tmp/s.png" $((i * 43 % 200 - 100)) 0 $((i * 17 % 30 - 15))
  webcam "$tmp/s.png" "$tmp/final.jpg" "$((i + 250))" 0.9 0.3 67
  write mirrored "$i" "$t"

  # Two people at once: two phones in one picture.
  t2=$(payload "$((i + 20))")
  qr "$t2" M 7 "$tmp/qr2.png"
  phone "$tmp/qr2.png" "$tmp/phone2.png" light
  convert "$tmp/phone.png" -flop -resize 70% "$tmp/p1.png"
  convert "$tmp/phone2.png" -resize 70% "$tmp/p2.png"
  place "$tmp/bg.png" "$tmp/p1.png" "$tmp/s.png" -300 0 $((i * 7 % 20 - 10))
  place "$tmp/s.png" "$tmp/p2.png" "$tmp/s2.png" 300 20 $((i * 11 % 24 - 12))
  webcam "$tmp/s2.png" "$tmp/final.jpg" "$((i + 300))" 0.8 0.3 67
  write two-codes "$i" "$t" "$t2"

  # A photo of a screen: moire, washed-out contrast, soft focus.
  qr "$t" "$lvl" 9 "$tmp/qr.png"
  convert "$tmp/qr.png" -resize 420x420 \( -size 420x420 xc: -fx "0.5+0.5*sin((i+j*0.3)*$((2 + i % 3)).1)" \) \
    -compose multiply -composite -level 0%,100%,1.0 +level 18%,88% "$tmp/screen.png"
  tilt "$tmp/screen.png" "$tmp/t.png" "$((i + 23))" 70
  place "$tmp/bg.png" "$tmp/t.png" "$tmp/s.png" $((i * 19 % 160 - 80)) 0 $((i * 29 % 30 - 15))
  webcam "$tmp/s.png" "$tmp/final.jpg" "$((i + 350))" 1.4 0.35 62
  write photo-of-screen "$i" "$t"

  # Blur and perspective together, the combination that used to be missed.
  qr "$t" "$lvl" 8 "$tmp/qr.png"
  phone "$tmp/qr.png" "$tmp/phone.png" light
  tilt "$tmp/phone.png" "$tmp/t.png" "$((i + 29))" 130
  place "$tmp/bg.png" "$tmp/t.png" "$tmp/s.png" $((i * 47 % 200 - 100)) 0 $((i * 31 % 40 - 20))
  webcam "$tmp/s.png" "$tmp/final.jpg" "$((i + 400))" "$((2 + i % 2)).$((i * 3 % 10))" 0.3 64
  write blur-perspective "$i" "$t"

  # Small codes at an angle: a ticket held far from the camera.
  qr "$t" "$lvl" 3 "$tmp/qr.png"
  tilt "$tmp/qr.png" "$tmp/t.png" "$((i + 31))" 30
  place "$tmp/bg.png" "$tmp/t.png" "$tmp/s.png" $((i * 61 % 500 - 250)) $((i * 23 % 200 - 100)) $((i * 37 % 60 - 30))
  webcam "$tmp/s.png" "$tmp/final.jpg" "$((i + 450))" 0.7 0.3 72
  write small-angle "$i" "$t"

  # A dim door: dark, low contrast, noisy, heavily compressed.
  qr "$t" "$lvl" 7 "$tmp/qr.png"
  convert "$tmp/bg.png" -level 0%,180% "$tmp/dim.png"
  convert "$tmp/qr.png" +level 20%,45% "$tmp/q.png"
  tilt "$tmp/q.png" "$tmp/t.png" "$((i + 37))" 40
  place "$tmp/dim.png" "$tmp/t.png" "$tmp/s.png" $((i * 13 % 100 - 50)) 0 $((i * 41 % 30 - 15))
  webcam "$tmp/s.png" "$tmp/final.jpg" "$((i + 500))" 0.9 0.9 47
  write low-light "$i" "$t"

  # Glare: a bright reflection across part of a phone's screen.
  qr "$t" H 8 "$tmp/qr.png"
  phone "$tmp/qr.png" "$tmp/phone.png" light
  convert "$tmp/phone.png" \( -size 380x720 radial-gradient:white-black -level 30%,100% \
    -roll +$((i * 40 % 160 - 80))+$((i * 70 % 200 - 100)) \) -compose screen -composite \
    \( "$tmp/phone.png" -alpha extract \) -compose copy-opacity -composite "$tmp/phone.png"
  tilt "$tmp/phone.png" "$tmp/t.png" "$((i + 41))" 60
  place "$tmp/bg.png" "$tmp/t.png" "$tmp/s.png" $((i * 23 % 200 - 100)) 0 $((i * 17 % 30 - 15))
  webcam "$tmp/s.png" "$tmp/final.jpg" "$((i + 550))" 1.0 0.3 64
  write glare "$i" "$t"
done

# Pictures that must not decode: drawn faces, text, patterns, and
# code-like noise. Any text read from them is a false read.
neg="$OUT/must-not-decode"
mkdir -p "$neg"
k=0
negative() {
  k=$((k + 1))
  webcam "$tmp/n.png" "$neg/$(printf %02d $k).jpg" "$((900 + k))" 1.0 0.2 55
}
for i in 1 2 3; do  # faces: a head, eyes, a mouth, hair, in front of the room
  background "$((i + 60))" "$tmp/bg.png"
  convert "$tmp/bg.png" -fill "gray$((55 + i * 8))" -draw "ellipse 640,360 150,190 0,360" \
    -fill gray15 -draw "ellipse 640,220 160,90 180,360" \
    -fill white -draw "ellipse 585,330 26,14 0,360" -draw "ellipse 695,330 26,14 0,360" \
    -fill gray10 -draw "circle 585,330 585,340" -draw "circle 695,330 695,340" \
    -fill none -stroke gray20 -strokewidth 6 -draw "arc 590,400 690,460 20,160" "$tmp/n.png"
  negative
done
convert -size 1280x720 xc:'#f4f4f4' -fill '#222' -font DejaVu-Serif -pointsize 26 \
  -annotate +60+80 "Welcome to the meetup! Tonight's talks:" -annotate +60+130 "18:30  Doors, pizza and a queue at the kiosk" \
  -annotate +60+180 "19:00  Reading every ticket a phone can show" -annotate +60+230 "19:45  Offline-first check-in for small groups" \
  -annotate +60+280 "20:30  Lightning talks, then the bar around the corner" -pointsize 14 \
  -annotate +60+660 "Please have your ticket ready. Wi-Fi: meetup-guest / password on the board." "$tmp/n.png"
negative
convert -size 1280x720 xc:white -fill black -font DejaVu-Sans-Mono -pointsize 18 \
  -annotate +40+60 "$(for r in $(seq 1 24); do printf '%s\n' "$(printf 'row%d' "$r" | sha256sum | cut -c1-60)"; done)" "$tmp/n.png"
negative
convert -size 320x180 pattern:checkerboard -threshold 60% -scale 400% "$tmp/n.png"  # a checkerboard
negative
convert -size 640x360 pattern:hs_diagcross -scale 200% "$tmp/n.png"  # cross-hatching
negative
convert -size 320x180 pattern:bricks -scale 400% "$tmp/n.png"  # a brick wall
negative
convert -size 64x36 xc: -seed 42 +noise Random -channel G -separate -threshold 50% -scale 2000% "$tmp/n.png"  # random blocks like code data
negative
# Three finder-like squares around random modules: a code without a code.
convert -size 33x33 xc: -seed 43 +noise Random -channel G -separate -threshold 50% \
  -fill white -draw "rectangle 0,0 7,7" -draw "rectangle 25,0 32,7" -draw "rectangle 0,25 7,32" \
  -fill black -draw "rectangle 0,0 6,6" -draw "rectangle 26,0 32,6" -draw "rectangle 0,26 6,32" \
  -fill white -draw "rectangle 1,1 5,5" -draw "rectangle 27,1 31,5" -draw "rectangle 1,27 5,31" \
  -fill black -draw "rectangle 2,2 4,4" -draw "rectangle 28,2 30,4" -draw "rectangle 2,28 4,30" \
  -bordercolor white -border 4 -scale 1000% "$tmp/fake.png"
background 70 "$tmp/bg.png"
convert "$tmp/bg.png" "$tmp/fake.png" -gravity center -composite "$tmp/n.png"
negative
bars=()  # a 1D barcode's bars: stripes of four widths
for x in $(seq 200 7 1080); do [ $((x * 7 % 3)) -eq 0 ] && bars+=(-draw "rectangle $x,220 $((x + 2 + x % 4)),500"); done
convert -size 1280x720 xc:white -fill black "${bars[@]}" "$tmp/n.png"
negative
echo "stored samples: $(find "$OUT" -name '*.jpg' | wc -l) pictures, $(du -sh "$OUT" | cut -f1) in $OUT"
