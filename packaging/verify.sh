# Sourced by scripts/package --verify (needs root: debootstrap, chroot, mount).
# Installs the .deb with apt into a fresh Debian 12 made by debootstrap, then,
# as an ordinary user of that system, runs the demo's headless commands from
# the installed copy, `frontdesk demo` and the kiosk in German drawing on an
# Xvfb display outside the root (so nothing installed for the test can bring
# a library the package forgot), and the door again under a read-only root
# with the store on a writable partition. ctest packaging/clean-debian checks
# the same for the developer build, with screenshots compared.

# Runs a command in the chroot as the user "door" with a clean environment.
as_door() {
  local root="$1"
  shift
  chroot --userspec=door:door "$root" env -i HOME=/home/door USER=door LANG=C.UTF-8 \
    PATH=/usr/bin:/bin "$@"
}

# Prints the command, runs it, and counts a failure unless its exit status is
# one of those listed.
VERIFY_FAILURES=0
check() {
  local want="$1" root="$2"
  shift 2
  printf '\n$ %s\n' "$*"
  local got=0
  as_door "$root" "$@" || got=$?
  if [[ " $want " != *" $got "* ]]; then
    echo "verify: exit status $got, wanted $want" >&2
    VERIFY_FAILURES=$((VERIFY_FAILURES + 1))
  fi
}

unmount_under() {
  local dir="$1" m
  # Deepest first.
  for m in $(findmnt -rn -o TARGET | grep -F "$dir" | sort -r); do umount -l "$m" || true; done
}

VERIFY_XVFB_PID=""
stop_xvfb() {
  if [ -n "$VERIFY_XVFB_PID" ]; then
    kill "$VERIFY_XVFB_PID" 2>/dev/null || true
    wait "$VERIFY_XVFB_PID" 2>/dev/null || true
    VERIFY_XVFB_PID=""
  fi
}

verify_in_chroot() {
  local deb="$1" work="$2"
  local base="$work/debian12-minbase.tar" root="$work/chroot" ro="$work/chroot-ro"
  local data="$work/rw-data" mirror="${FRONTDESK_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
  unmount_under "$work/chroot"
  rm -rf --one-file-system "$root" "$ro" "$data"
  trap "stop_xvfb; unmount_under '$work/chroot'" RETURN
  if [ ! -f "$base" ]; then
    # A fresh system once; every later run unpacks this pristine copy.
    log "debootstrap bookworm (minbase) into a folder; kept as $base"
    local t0=$SECONDS
    rm -rf --one-file-system "$work/debootstrap"
    debootstrap --variant=minbase bookworm "$work/debootstrap" "$mirror" >"$work/debootstrap.log" 2>&1 ||
      { tail -20 "$work/debootstrap.log"; return 1; }
    tar -C "$work/debootstrap" -cf "$base" .
    rm -rf --one-file-system "$work/debootstrap"
    log "debootstrap took $((SECONDS - t0))s"
  fi
  mkdir -p "$root"
  tar -C "$root" -xf "$base"
  mount -t proc proc "$root/proc"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # A fresh Debian 12 gets its security and point-release updates too.
  cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
  cp "$deb" "$root/tmp/"
  log "apt install ./$(basename "$deb") in the fresh Debian 12"
  local t0=$SECONDS
  chroot "$root" apt-get update -q >/dev/null
  chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "/tmp/$(basename "$deb")" \
    >"$work/apt-install.log" 2>&1 || { tail -30 "$work/apt-install.log"; return 1; }
  log "apt install took $((SECONDS - t0))s: $(grep -c '^Setting up' "$work/apt-install.log") packages set up"
  grep -E '^(Need to get|After this operation)' "$work/apt-install.log" || true
  chroot "$root" useradd -m -s /bin/sh door

  log "The demo's headless commands, as the user door, from the installed copy"
  local demo=/usr/share/frontdesk/demo/attendees.csv
  check "0" "$root" sh -c 'command -v frontdesk frontdesk-kiosk; frontdesk --version'
  check "0 5" "$root" frontdesk import "$demo" --event "PyMeetup Demo Night" --capacity 320
  check "0" "$root" frontdesk checkin 3YK13ZZC981X
  check "4" "$root" frontdesk checkin 3YK13ZZC981X
  check "3" "$root" frontdesk checkin NOT-A-TICKET
  check "0" "$root" frontdesk walkin --name "Ana García" --company "Hooli"
  check "0" "$root" frontdesk search oikonomou
  check "0" "$root" frontdesk stats
  check "0" "$root" sh -c 'frontdesk export | head -3'
  check "0" "$root" frontdesk badge --name "Ana García" --company Hooli -o /home/door/badge.png
  check "0" "$root" sh -c 'ls -l ~/.local/share/frontdesk ~/.config 2>&1; stat -c "%a %n" ~/.local/share/frontdesk/frontdesk.db'
  if as_door "$root" frontdesk --help | grep -q '^  doctor '; then
    # The door is not ready in a chroot (no camera, no printer): any verdict
    # is fine, as long as it is given in words rather than a crash.
    check "0 1 2 3 4 5 6 7 8 9 10" "$root" frontdesk doctor
  else
    echo "(frontdesk doctor is not in this build)"
  fi
  check "0" "$root" frontdesk demo --no-kiosk

  log "The installed kiosk on a display (Xvfb outside the root): frontdesk demo, then German, a check-in, screenshots"
  # Only the package's own dependencies are in the root: Xvfb runs on this
  # machine and its socket is bound in, as a desktop's would be.
  local display_file="$work/xvfb.display" display=""
  rm -f "$display_file"
  Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp 5>"$display_file" >"$work/xvfb.log" 2>&1 &
  VERIFY_XVFB_PID=$!
  local i
  for i in $(seq 100); do [ -s "$display_file" ] && break; sleep 0.1; done
  if [ -s "$display_file" ]; then
    display=":$(head -1 "$display_file")"
    mkdir -p "$root/tmp/.X11-unix"
    mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"
  else
    echo "verify: Xvfb did not start ($(cat "$work/xvfb.log"))" >&2
    VERIFY_FAILURES=$((VERIFY_FAILURES + 1))
  fi
  printf 'await-screen ready 60000\nshot demo-ready.png\nquit\n' >"$root/home/door/demo-script.txt"
  printf 'expect ready\nshot ready-de.png\nscan 3YK13ZZC981X\nexpect result\nsleep 400\nshot already-in-de.png\nquit\n' \
    >"$root/home/door/script.txt"
  chmod 0644 "$root/home/door/script.txt" "$root/home/door/demo-script.txt"
  if [ -n "$display" ]; then
    check "0" "$root" env DISPLAY="$display" sh -c "cd ~ && frontdesk demo --script demo-script.txt --shots ~"
    check "0" "$root" env DISPLAY="$display" sh -c "cd ~ && mkdir -p ~/.config/frontdesk && \
      printf '[kiosk]\nlogo = \"/usr/share/frontdesk/demo/logo.png\"\n' > ~/.config/frontdesk/frontdesk.toml && \
      frontdesk kiosk --window 800x480 --camera none --no-sound --lang de --script script.txt --shots ~"
    cp "$root"/home/door/*-de.png "$root"/home/door/demo-ready.png "$ROOT/dist/" 2>/dev/null || true
  fi
  stop_xvfb

  log "A read-only root: the store on a writable partition (--data-dir, --config-dir)"
  mkdir -p "$root/media/data" "$ro" "$data"
  chown "$(chroot "$root" id -u door):$(chroot "$root" id -g door)" "$data"
  mount --bind "$root" "$ro"
  mount -o remount,bind,ro "$ro"
  mount -t proc proc "$ro/proc"
  mount --bind "$data" "$ro/media/data"
  local on=(--data-dir /media/data/frontdesk --config-dir /media/data/config)
  check "1 2" "$ro" sh -c 'touch /home/door/x 2>&1 | head -1; exit 1'
  check "0 5" "$ro" frontdesk "${on[@]}" import "$demo" --event "PyMeetup Demo Night" -q
  check "0" "$ro" sh -c "echo 2468 | frontdesk ${on[*]} pin set"
  check "0" "$ro" frontdesk "${on[@]}" checkin 45AE39WV8KOD --organizer
  check "0" "$ro" frontdesk "${on[@]}" stats
  # A store on the read-only root fails in words that say what to do.
  check "1" "$ro" frontdesk stats
  check "1" "$ro" frontdesk --store /home/door/other/frontdesk.db stats
  ls -l "$data" "$data/frontdesk"
  unmount_under "$work/chroot"
  if [ "$VERIFY_FAILURES" != 0 ]; then
    echo "verify: $VERIFY_FAILURES checks failed (see above)" >&2
    return 1
  fi
  log "verify: the package installs on a fresh Debian 12 and works"
}
