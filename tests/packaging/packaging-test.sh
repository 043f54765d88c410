#!/usr/bin/env bash
# Packaging checks cheap enough for every scripts/test run (ctest -R packaging/):
#   man        the man pages render without a single groff or man warning
#   install    `cmake --install` into a fresh prefix: the installed binaries find
#              their translations and demo there, not in the source tree
#   autostart  the autostart entry starts the kiosk's unit only for users who
#              enabled it, and hands it the desktop's display first
#   units      every unit passes systemd-analyze verify (with this build's
#              binaries where the units name the installed ones)
#   kmsdrm     the kiosk on a console without a DRM device says so in plain
#              words and exits non-zero within seconds, also with no display
#   cage       the kiosk draws under cage (headless), started as
#              frontdesk-door-cage@.service starts it
# Usage: packaging-test.sh CHECK SOURCE_DIR BUILD_DIR
set -euo pipefail
check="$1" src="$2" build="$3"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

case "$check" in
  man)
    for page in "$src"/packaging/*.1 "$src"/packaging/*.8; do
      out="$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)"
      [ -z "$out" ] || fail "$(basename "$page"): $out"
      # Every subcommand of `frontdesk --help` is documented.
      if [ "$(basename "$page")" = frontdesk.1 ]; then
        text="$(MANWIDTH=200 man -l "$page" 2>/dev/null)"
        for cmd in $("$build/kiosk/app/frontdesk" --help | sed -n '/^Subcommands:/,/^$/s/^  \([a-z-]*\) .*/\1/p'); do
          grep -qE "^ {7}$cmd( |$)" <<<"$text" || fail "frontdesk.1 does not document '$cmd' (COMMANDS)"
        done
      fi
    done
    echo "man pages: no warnings, every subcommand documented"
    ;;
  install)
    cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
    for f in bin/frontdesk bin/frontdesk-kiosk share/frontdesk/i18n/de.toml share/frontdesk/demo/attendees.csv \
      share/frontdesk/demo/logo.png share/doc/frontdesk/examples/frontdesk.toml share/man/man1/frontdesk.1 \
      lib/systemd/user/frontdesk-kiosk.service libexec/frontdesk/kiosk-session \
      lib/systemd/system/frontdesk-door@.service lib/systemd/system/frontdesk-door-cage@.service \
      sbin/frontdesk-setup-door share/man/man8/frontdesk-setup-door.8 \
      etc/xdg/autostart/frontdesk-kiosk.desktop; do
      [ -e "$tmp/prefix/$f" ] || fail "not installed: $f"
    done
    # The demo written by the installed binary points at the installed logo.
    XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" "$tmp/prefix/bin/frontdesk" demo --no-kiosk \
      >"$tmp/demo.out" 2>&1 || { cat "$tmp/demo.out"; fail "installed frontdesk demo failed"; }
    grep -q "logo = \"$tmp/prefix/share/frontdesk/demo/logo.png\"" "$tmp/data/frontdesk-demo/config/frontdesk.toml" ||
      fail "the installed demo does not use the installed files: $(cat "$tmp/data/frontdesk-demo/config/frontdesk.toml")"
    echo "installed into a fresh prefix: the binaries use its share/frontdesk"
    ;;
  autostart)
    mkdir -p "$tmp/bin"
    # A stand-in systemctl that records its calls; "enabled" when the file says so.
    cat >"$tmp/bin/systemctl" <<STUB
#!/bin/sh
echo "\$*" >>"$tmp/calls"
case "\$*" in *is-enabled*) [ -e "$tmp/enabled" ] ;; esac
STUB
    chmod +x "$tmp/bin/systemctl"
    session="$build/packaging/kiosk-session"
    grep -q "^Exec=.*/frontdesk/kiosk-session$" "$build/packaging/frontdesk-kiosk.desktop" ||
      fail "the autostart entry does not run kiosk-session"
    PATH="$tmp/bin:$PATH" DISPLAY=:7 sh "$session" || fail "kiosk-session failed for a user without the kiosk"
    ! grep -q "start" "$tmp/calls" || fail "started the kiosk for a user who did not enable it: $(cat "$tmp/calls")"
    touch "$tmp/enabled"
    : >"$tmp/calls"
    PATH="$tmp/bin:$PATH" DISPLAY=:7 sh "$session" || fail "kiosk-session failed"
    [ "$(sed -n 2p "$tmp/calls" | cut -d' ' -f1-3)" = "--user import-environment DISPLAY" ] ||
      fail "display not handed over first: $(cat "$tmp/calls")"
    [ "$(sed -n 3p "$tmp/calls")" = "--user start frontdesk-kiosk.service" ] || fail "not started: $(cat "$tmp/calls")"
    echo "autostart: nothing for other users; for the kiosk's user the display, then the unit"
    ;;
  units)
    command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (package systemd)"
    command -v cage >/dev/null || fail "cage is missing: scripts/packages.txt lists it; scripts/test installs it"
    mkdir -p "$tmp/units" "$tmp/man/man1" "$tmp/man/man8"
    # verify runs man for each Documentation= page: the ones from this tree.
    ln -s "$src"/packaging/*.1 "$tmp/man/man1/"
    ln -s "$src"/packaging/*.8 "$tmp/man/man8/"
    export MANPATH="$tmp/man:"
    # verify checks that the programs a unit starts exist: this build's.
    for unit in "$src"/packaging/systemd/*.service; do
      sed -e "s|/usr/bin/frontdesk-kiosk|$build/kiosk/screen/frontdesk-kiosk|g" \
        -e "s|/usr/bin/frontdesk |$build/kiosk/app/frontdesk |g" "$unit" >"$tmp/units/$(basename "$unit")"
    done
    for unit in "$tmp"/units/*.service; do
      # Anything verify says, even without failing, is a finding.
      out="$(cd "$tmp/units" && systemd-analyze verify "$unit" 2>&1)" || fail "$(basename "$unit"): $out"
      [ -z "$out" ] || fail "$(basename "$unit"): $out"
    done
    echo "units: $(ls "$tmp/units" | tr '\n' ' ')pass systemd-analyze verify"
    ;;
  kmsdrm)
    kiosk="$build/kiosk/screen/frontdesk-kiosk"
    run=()
    if ls /dev/dri/card* >/dev/null 2>&1; then
      # A machine with a GPU: hide its DRM devices from the kiosk.
      unshare --map-root-user --mount true 2>/dev/null ||
        { echo "skipped: /dev/dri has devices and no user namespace to hide them"; exit 77; }
      run=(unshare --map-root-user --mount sh -c 'mount -t tmpfs none /dev/dri && exec "$@"' sh)
    fi
    # The kiosk opens its window only once the store has an event.
    XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" "$build/kiosk/app/frontdesk" import \
      "$src/assets/demo/attendees.csv" --event "Door test" -q >/dev/null || fail "import failed"
    for how in "SDL_VIDEODRIVER=kmsdrm" "no display at all"; do
      extra=()
      [ "$how" = "no display at all" ] || extra=(SDL_VIDEODRIVER=kmsdrm)
      t0=$SECONDS
      status=0
      out="$(env -i HOME="$tmp" USER=door XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
        PATH=/usr/bin:/bin "${extra[@]}" "${run[@]}" timeout 60 "$kiosk" --camera none --no-sound 2>&1)" ||
        status=$?
      echo "[$how] exit $status after $((SECONDS - t0))s: $out"
      [ "$status" != 0 ] || fail "[$how] the kiosk exited 0 without a screen"
      [ "$status" != 124 ] || fail "[$how] the kiosk hung without a screen (killed after 60 s)"
      for words in "kmsdrm" "no DRM device (/dev/dri/card*)" "vc4-kms-v3d" "frontdesk demo --no-kiosk"; do
        grep -qF -- "$words" <<<"$out" || fail "[$how] the message does not say '$words'"
      done
    done
    ;;
  cage)
    command -v cage >/dev/null || fail "cage is missing: scripts/packages.txt lists it; scripts/test installs it"
    command -v convert >/dev/null || fail "ImageMagick is missing (scripts/packages.txt)"
    # The unit's own command line, with this build's kiosk.
    unit="$src/packaging/systemd/frontdesk-door-cage@.service"
    read -r -a cmd <<<"$(sed -n 's/^ExecStart=//p' "$unit" | sed -e 's/\$FRONTDESK_CAGE_OPTIONS//' \
      -e "s|/usr/bin/frontdesk-kiosk|$build/kiosk/screen/frontdesk-kiosk|")"
    env_line="$(sed -n 's/^Environment=SDL_VIDEODRIVER=//p' "$unit")"
    [ "$env_line" = wayland ] || fail "the cage unit does not ask SDL for wayland"
    printf 'await-screen ready 60000\nshot cage-ready.png\nwait 5\nquit\n' >"$tmp/script.txt"
    XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" "$build/kiosk/app/frontdesk" import \
      "$src/assets/demo/attendees.csv" --event "Door test" -q >/dev/null || fail "import failed"
    mkdir -p "$tmp/run" "$tmp/shots"
    chmod 0700 "$tmp/run"
    as=()
    # cage refuses to run as root (it could not drop privileges for good).
    if [ "$(id -u)" = 0 ]; then
      chown -R nobody:nogroup "$tmp"
      chmod 0755 "$tmp"
      as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    fi
    status=0
    "${as[@]}" env -i HOME="$tmp" PATH=/usr/bin:/bin XDG_RUNTIME_DIR="$tmp/run" XDG_DATA_HOME="$tmp/data" \
      XDG_CONFIG_HOME="$tmp/config" WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
      SDL_VIDEODRIVER="$env_line" timeout 120 "${cmd[@]}" --camera none --no-sound \
      --script "$tmp/script.txt" --shots "$tmp/shots" >"$tmp/cage.log" 2>&1 || status=$?
    [ "$status" = 0 ] || { tail -20 "$tmp/cage.log"; fail "cage with the kiosk exited with $status"; }
    [ -s "$tmp/shots/cage-ready.png" ] || { tail -20 "$tmp/cage.log"; fail "the kiosk under cage drew nothing"; }
    read -r colours sd < <(convert "$tmp/shots/cage-ready.png" -format '%k %[fx:standard_deviation]\n' info:)
    [ "$colours" -ge 64 ] || fail "the kiosk under cage drew a nearly blank screen ($colours colours)"
    cp "$tmp/shots/cage-ready.png" "$build/packaging/cage-ready.png"
    echo "cage: the kiosk drew its ready screen ($colours colours, deviation $sd): $build/packaging/cage-ready.png"
    ;;
  *) fail "unknown check $check" ;;
esac
