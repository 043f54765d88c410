#!/usr/bin/env bash
# The package on a clean Debian 12, as a door's machine gets it (ctest
# packaging/clean-debian, label "root"): packs this build into a .deb
# (scripts/package --from-build), makes a fresh bookworm with mmdebstrap,
# installs the .deb there with `apt install ./frontdesk_*.deb` (recommends
# included, as apt does by default), and then, as an ordinary user of that
# system:
#   - the installed `frontdesk demo` draws the kiosk on an Xvfb display
#     outside the root (/tmp/.X11-unix bound in): the kiosk's own
#     screenshot of its ready screen and a screenshot of the display are
#     both far from blank, and the same picture;
#   - the kiosk on the console (SDL_VIDEODRIVER=kmsdrm, and with no display
#     at all) where there is no DRM device says so in plain words and exits
#     non-zero within seconds;
#   - frontdesk-setup-door sets up the console kiosk, and its cage variant
#     (installing cage), and every unit passes systemd-analyze verify;
#   - under cage (headless, as its unit starts it) the kiosk draws too.
# Needs root (mmdebstrap, chroot, mount) and Debian's mirror; CI runs as
# root, so a missing piece fails the test. FRONTDESK_SKIP_PACKAGE_TEST=1
# skips it on a developer's machine.
# Usage: clean-debian-test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src="$1" build="$2"
SKIP=77  # ctest's SKIP_RETURN_CODE for this test

if [ "${FRONTDESK_SKIP_PACKAGE_TEST:-}" = 1 ]; then
  echo "skipped: FRONTDESK_SKIP_PACKAGE_TEST=1"
  exit $SKIP
fi
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || fail "this test needs root (mmdebstrap, chroot, mount), as in CI. On a developer \
machine: sudo ctest -R packaging/clean-debian, or FRONTDESK_SKIP_PACKAGE_TEST=1 to skip it."
for tool in mmdebstrap Xvfb import compare dpkg-shlibdeps; do
  command -v "$tool" >/dev/null ||
    fail "$tool is missing: scripts/packages.txt lists its package; scripts/test installs it"
done

work="$build/package-test"
root="$work/root"
# Downloaded .debs, kept between runs of this build folder (a clean clone
# starts without): apt checks each against the fresh index's hashes, so a
# stale or damaged one is fetched again, never installed.
cache="$build/package-test-cache"
mirror="${FRONTDESK_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${FRONTDESK_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
xvfb_pid=""
cleanup() {
  local m
  for m in $(findmnt -rn -o TARGET | grep -F "$root" | sort -r); do umount -l "$m" || true; done
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
cleanup
rm -rf --one-file-system "$work"
mkdir -p "$work" "$cache"
t_start=$SECONDS
step() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - t_start))"; }

step "The .deb, from this build"
"$src/scripts/package" "$(dpkg --print-architecture)" --from-build "$build" >"$work/package.log" 2>&1 ||
  { tail -30 "$work/package.log"; fail "scripts/package --from-build failed"; }
deb="$(ls "$build"/package/frontdesk_*_"$(dpkg --print-architecture)".deb)"
depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
echo "Recommends: $(dpkg-deb -f "$deb" Recommends)"
# What SDL and the kiosk dlopen(): no NEEDED entry names them, so only the
# control file can, and a Recommends chain that happens to bring one today
# must not hide its absence here.
for p in libgl1 libegl1 libgl1-mesa-dri libudev1 fonts-noto-core; do
  grep -qE "(^|, )$p( |,|$)" <<<"$depends" || fail "the package does not depend on $p (Depends: $depends)"
done

step "A clean Debian 12 (mmdebstrap --variant=apt), then apt install ./$(basename "$deb")"
# The chroot's apt installs recommends, as apt on any Debian does; the
# install happens in a hook so that mmdebstrap mounts and unmounts /proc,
# /dev and /sys around it, and before the eatmydata hook's own customize
# step, so that dpkg skips fsync() for it too (a throwaway system).
log="/var/log/frontdesk-apt-install.log"
mmdebstrap --variant=apt --mode=root --format=directory \
  --skip=cleanup/apt/lists,essential/unlink,download/empty \
  --setup-hook='mkdir -p "$1/var/cache/apt/archives"' \
  --setup-hook="sync-in '$cache' /var/cache/apt/archives/" \
  --customize-hook="copy-in '$deb' /tmp" \
  --customize-hook='date +%s >"$1/var/log/frontdesk-t0"' \
  --customize-hook='chroot "$1" env -u APT_CONFIG DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    -o APT::Install-Recommends=true "/tmp/'"$(basename "$deb")"'" >"$1'"$log"'" 2>&1 ||
    { tail -30 "$1'"$log"'"; exit 1; }' \
  --customize-hook='date +%s >"$1/var/log/frontdesk-t1"' \
  --hook-dir=/usr/share/mmdebstrap/hooks/eatmydata \
  --customize-hook="rm -rf '$cache'; mkdir -p '$cache'" \
  --customize-hook="sync-out /var/cache/apt/archives '$cache'" \
  --customize-hook='rm -f "$1"/var/cache/apt/archives/*.deb' \
  bookworm "$root" "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
  "deb $security bookworm-security main" >"$work/mmdebstrap.log" 2>&1 ||
  { tail -40 "$work/mmdebstrap.log"; fail "mmdebstrap or apt install ./$(basename "$deb") failed"; }
echo "apt install ./$(basename "$deb"): $(($(cat "$root/var/log/frontdesk-t1") - $(cat "$root/var/log/frontdesk-t0")))s," \
  "$(grep -c '^Setting up' "$root$log") packages set up"
grep -E '^(Need to get|After this operation)|newly installed' "$root$log" || true
for p in libgl1 libgl1-mesa-dri fonts-noto-cjk; do
  chroot "$root" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    fail "apt did not install $p with the package"
done
mount -t proc proc "$root/proc"
cp /etc/resolv.conf "$root/etc/resolv.conf"
chroot "$root" useradd --create-home --shell /bin/sh door
as_door() {
  chroot --userspec=door:door "$root" env -i HOME=/home/door USER=door LANG=C.UTF-8 \
    PATH=/usr/bin:/bin "$@"
}

step "The installed kiosk on a display: frontdesk demo under Xvfb (outside the root)"
exec 5>"$work/xvfb.display"
Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
exec 5>&-
for _ in $(seq 100); do [ -s "$work/xvfb.display" ] && break; sleep 0.1; done
display=":$(head -1 "$work/xvfb.display")"
[ "$display" != ":" ] || fail "Xvfb did not start: $(cat "$work/xvfb.log")"
mkdir -p "$root/tmp/.X11-unix"
mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"
shots="$root/home/door/shots"
as_door mkdir -p /home/door/shots
# The test takes its screenshot of the display while the kiosk waits on
# its ready screen, then lets it quit.
cat >"$root/home/door/script.txt" <<'EOF'
await-screen ready 60000
shot ready.png
wait 5
signal /home/door/shots/drawn
await-file /home/door/shots/display-shot-taken
quit
EOF
as_door env DISPLAY="$display" timeout 180 frontdesk demo --script /home/door/script.txt \
  --shots /home/door/shots >"$work/demo.log" 2>&1 &
demo_pid=$!
for _ in $(seq 1800); do
  [ -e "$shots/drawn" ] && [ -s "$shots/ready.png" ] && break
  kill -0 "$demo_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -e "$shots/drawn" ]; then
  import -display "$display" -window root "$work/display.png"
fi
touch "$shots/display-shot-taken"
demo_status=0
wait "$demo_pid" || demo_status=$?
cat "$work/demo.log"
[ "$demo_status" = 0 ] || fail "the installed frontdesk demo exited with $demo_status (log above)"
! grep -q "cannot open a window" "$work/demo.log" || fail "the installed kiosk could not open its window"
[ -s "$shots/ready.png" ] || fail "the kiosk took no screenshot of its ready screen"
[ -s "$work/display.png" ] || fail "no screenshot of the display was taken"
cp "$shots/ready.png" "$work/kiosk-ready.png"
# A drawn ready screen has text and a logo: many colours and contrast. A
# blank, black or one-colour window has neither.
for shot in "$work/kiosk-ready.png" "$work/display.png"; do
  read -r colours sd < <(convert "$shot" -format '%k %[fx:standard_deviation]\n' info:)
  echo "$(basename "$shot"): $colours colours, standard deviation $sd"
  [ "$colours" -ge 64 ] || fail "$(basename "$shot") is nearly blank: $colours colours"
  awk -v s="$sd" 'BEGIN { exit !(s > 0.05) }' || fail "$(basename "$shot") is nearly blank: deviation $sd"
done
# The display shows what the kiosk drew: the X server's picture of the
# whole screen and the kiosk's own frame are the same image.
[ "$(identify -format '%wx%h' "$work/display.png")" = "$(identify -format '%wx%h' "$work/kiosk-ready.png")" ] ||
  fail "the kiosk's frame ($(identify -format '%wx%h' "$work/kiosk-ready.png")) does not fill the 1280x800 display"
rmse="$(compare -metric RMSE "$work/display.png" "$work/kiosk-ready.png" null: 2>&1 | sed -n 's/.*(\(.*\)).*/\1/p')"
echo "display against the kiosk's frame: RMSE $rmse"
awk -v e="$rmse" 'BEGIN { exit !(e != "" && e < 0.05) }' ||
  fail "the display does not show the kiosk's frame (RMSE ${rmse:-?}; see $work/display.png)"

step "The kiosk on the console, with no DRM device here"
# The kiosk opens its window only once the store has an event.
as_door frontdesk import /usr/share/frontdesk/demo/attendees.csv --event "Door test" -q >/dev/null ||
  fail "frontdesk import of the installed demo list failed"
for how in "SDL_VIDEODRIVER=kmsdrm" "no display at all"; do
  extra=()
  [ "$how" = "no display at all" ] || extra=(SDL_VIDEODRIVER=kmsdrm)
  t0=$SECONDS
  status=0
  out="$(as_door env "${extra[@]}" timeout 60 frontdesk-kiosk --camera none --no-sound 2>&1)" || status=$?
  echo "[$how] exit $status after $((SECONDS - t0))s: $out"
  [ "$status" != 0 ] || fail "[$how] the kiosk exited 0 without a screen"
  [ "$status" != 124 ] || fail "[$how] the kiosk hung without a screen (killed after 60 s)"
  for words in "kmsdrm" "no DRM device (/dev/dri/card*)" "vc4-kms-v3d" "frontdesk demo --no-kiosk"; do
    grep -qF -- "$words" <<<"$out" || fail "[$how] the kiosk's message does not say '$words'"
  done
done

step "frontdesk-setup-door and the units (systemd as a Raspberry Pi has it)"
if ! chroot "$root" sh -c 'command -v systemctl' >/dev/null; then
  chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    systemd >>"$work/apt-more.log" 2>&1 || { tail -20 "$work/apt-more.log"; fail "could not install systemd"; }
fi
wants=/etc/systemd/system/multi-user.target.wants
chroot "$root" env SUDO_USER=door frontdesk-setup-door | tee "$work/setup.log"
[ -L "$root$wants/frontdesk-door@door.service" ] || fail "setup did not enable frontdesk-door@door.service"
for g in video render input audio; do
  if grep -q "^$g:" "$root/etc/group"; then
    chroot "$root" id -nG door | tr ' ' '\n' | grep -qx "$g" || fail "setup did not add door to the $g group"
  fi
done
grep -q "starts at the next boot" "$work/setup.log" || fail "setup did not say when the kiosk starts"
chroot "$root" frontdesk-setup-door --cage door >"$work/setup-cage.log" 2>&1 ||
  { cat "$work/setup-cage.log"; fail "frontdesk-setup-door --cage failed"; }
[ -L "$root$wants/frontdesk-door-cage@door.service" ] && [ ! -e "$root$wants/frontdesk-door@door.service" ] ||
  fail "setup --cage did not switch to frontdesk-door-cage@door.service: $(ls "$root$wants")"
chroot "$root" dpkg-query -W -f='${Status}' xwayland | grep -q "ok installed" ||
  fail "setup --cage did not install xwayland (Debian 12's cage does not start without it)"
# systemd-analyze verify needs the binaries the units start, as installed.
for unit in /lib/systemd/system/frontdesk-door@.service /lib/systemd/system/frontdesk-door-cage@.service \
  /usr/lib/systemd/user/frontdesk-kiosk.service /usr/lib/systemd/user/frontdesk-serve.service; do
  # (Their man pages are checked by ctest packaging/units; man is not here.)
  out="$(chroot "$root" systemd-analyze verify --man=no "$unit" 2>&1)" || fail "systemd-analyze verify $unit: $out"
  # verify also reports what it merely dislikes without failing: none of it.
  [ -z "$(grep -F "$(basename "$unit" | sed 's/@/@i/')" <<<"$out" || true)" ] ||
    fail "systemd-analyze verify $unit: $out"
  echo "systemd-analyze verify $unit: ok"
done

step "Under cage, as frontdesk-door-cage@.service starts it (wlroots' headless backend)"
chroot "$root" install -d -m 0700 -o door -g door /run/user-door
cat >"$root/home/door/cage-script.txt" <<'EOF'
await-screen ready 60000
shot cage-ready.png
wait 5
quit
EOF
status=0
as_door env XDG_RUNTIME_DIR=/run/user-door WLR_BACKENDS=headless WLR_RENDERER=pixman \
  WLR_LIBINPUT_NO_DEVICES=1 SDL_VIDEODRIVER=wayland timeout 120 \
  cage -d -- /usr/bin/env -u WATCHDOG_PID /usr/bin/frontdesk-kiosk --camera none --no-sound \
  --script /home/door/cage-script.txt --shots /home/door/shots >"$work/cage.log" 2>&1 || status=$?
tail -5 "$work/cage.log"
[ "$status" = 0 ] || fail "cage with the kiosk exited with $status"
[ -s "$shots/cage-ready.png" ] || fail "the kiosk under cage took no screenshot (see $work/cage.log)"
cp "$shots/cage-ready.png" "$work/cage-ready.png"
read -r colours sd < <(convert "$work/cage-ready.png" -format '%k %[fx:standard_deviation]\n' info:)
echo "cage-ready.png: $colours colours, standard deviation $sd"
[ "$colours" -ge 64 ] || fail "the kiosk under cage drew a nearly blank screen"

# The system is 600 MB: kept only when a check failed, for a look inside.
cleanup
trap - EXIT
rm -rf --one-file-system "$root"
step "clean Debian 12: done in $((SECONDS - t_start))s; screenshots in $work"
