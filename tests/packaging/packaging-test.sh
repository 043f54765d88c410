#!/usr/bin/env bash
# Packaging checks cheap enough for every scripts/test run (ctest -R packaging/):
#   man        the man pages render without a single groff or man warning
#   install    `cmake --install` into a fresh prefix: the installed binaries find
#              their translations and demo there, not in the source tree
#   autostart  the autostart entry starts the kiosk's unit only for users who
#              enabled it, and hands it the desktop's display first
# Usage: packaging-test.sh CHECK SOURCE_DIR BUILD_DIR
set -euo pipefail
check="$1" src="$2" build="$3"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

case "$check" in
  man)
    for page in "$src"/packaging/*.1; do
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
  *) fail "unknown check $check" ;;
esac
