# Sourced by scripts/package arm64. Runs the arm64 build's headless test
# binaries under user-mode qemu (qemu-aarch64-static) and says which test
# cases ran, which failed, and which could not run here and why.
#
# User-mode qemu runs one arm64 process; without binfmt_misc (not mounted on
# this machine, and registering it would change the whole host) an arm64
# process cannot exec another arm64 binary directly. Tests that do are listed
# below with that reason; the tests that run `frontdesk` through FD_BINARY get
# a wrapper that starts it under qemu too.

# binary|test case (doctest wildcard)|why it cannot run under user-mode qemu here
QEMU_SKIPS=(
  "test_screen|*|it starts the arm64 frontdesk-kiosk (under Xvfb) directly by its path: needs binfmt_misc"
  "test_engine|*SIGKILL*|it starts its arm64 crash_child directly and kills it mid-commit: needs binfmt_misc"
  "test_engine|*race on one store*|it starts four arm64 store_racer children directly by their path: needs binfmt_misc"
  "test_report|file:*ReportCliTest.cpp|its demo store is made by the arm64 report_demo_store, started directly by its path: needs binfmt_misc"
  "test_service|file:*SupervisorTest.cpp|it starts the arm64 frontdesk-kiosk (under Xvfb and a supervisor) directly by its path: needs binfmt_misc"
)
# A case field "file:PATTERN" leaves out a whole source file's test cases.

run_qemu_tests() {
  local build="$1" stage="$2"
  # Without -L: the multiarch libc6:arm64 and its own ld.so (see the toolchain file).
  local qemu=(qemu-aarch64-static)
  local wrap="$build/frontdesk-under-qemu"
  # The tests drive the staged binary, the one in the package: it finds its
  # translations and demo beside it, as it will on the Pi.
  printf '#!/bin/sh\nexec qemu-aarch64-static %q "$@"\n' \
    "$stage/usr/bin/frontdesk" >"$wrap"
  chmod +x "$wrap"
  log "arm64 tests under $("${qemu[0]}" --version | head -1)"
  "$wrap" --version
  file -b "$stage/usr/bin/frontdesk" | cut -d, -f1-2
  # Fixtures the test binaries need (the scan test set): host tools, via ctest.
  local setups
  setups="$(cd "$build" && ctest --show-only=json-v1 | python3 -c '
import json, sys
for t in json.load(sys.stdin)["tests"]:
    if any(p["name"] == "FIXTURES_SETUP" for p in t.get("properties", [])):
        print(t["name"])')"
  local s
  for s in $setups; do
    (cd "$build" && ctest -R "^${s}\$" >/dev/null) || echo "fixture $s failed" >&2
  done
  local total_cases=0 total_passed=0 total_failed=0 total_skipped=0 status=0 report="$build/qemu-tests.txt"
  : >"$report"
  local t
  for t in "$build"/tests/*/test_*; do
    [ -x "$t" ] && [ -f "$t" ] || continue
    local name exclude=() files=() reasons=() s
    name="$(basename "$t")"
    for s in "${QEMU_SKIPS[@]}"; do
      IFS='|' read -r bin cases why <<<"$s"
      if [ "$bin" = "$name" ]; then
        if [[ "$cases" == file:* ]]; then files+=("${cases#file:}"); else exclude+=("$cases"); fi
        reasons+=("$cases: $why")
      fi
    done
    if [[ " ${exclude[*]} " == *" * "* ]]; then
      printf '%-14s not run: %s\n' "$name" "${reasons[0]#*: }" | tee -a "$report"
      continue
    fi
    local args=(--no-colors=true --no-version=true)
    if [ ${#exclude[@]} -gt 0 ]; then args+=("--test-case-exclude=$(IFS=,; echo "${exclude[*]}")"); fi
    if [ ${#files[@]} -gt 0 ]; then args+=("--source-file-exclude=$(IFS=,; echo "${files[*]}")"); fi
    local out="$build/qemu-$name.log" t0=$SECONDS rc=0
    (cd "$(dirname "$t")" && FD_BINARY="$wrap" timeout 1800 "${qemu[@]}" "$t" "${args[@]}") >"$out" 2>&1 || rc=$?
    local line cases passed failed skipped
    line="$(grep -E '^\[doctest\] test cases:' "$out" | tail -1)"
    cases="$(sed -E 's/.*test cases: *([0-9]+).*/\1/' <<<"$line")"
    passed="$(sed -E 's/.*\| *([0-9]+) passed.*/\1/' <<<"$line")"
    failed="$(sed -E 's/.*\| *([0-9]+) failed.*/\1/' <<<"$line")"
    skipped="$(sed -E 's/.*\| *([0-9]+) skipped.*/\1/' <<<"$line")"
    if [ -z "$line" ]; then cases=0 passed=0 failed=1 skipped=0; fi
    total_cases=$((total_cases + cases)) total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed)) total_skipped=$((total_skipped + skipped))
    printf '%-14s %3s passed, %s failed, %4ss%s\n' "$name" "$passed" "$failed" "$((SECONDS - t0))" \
      "$([ ${#reasons[@]} -gt 0 ] && printf '; not run: %s' "${reasons[*]}")" | tee -a "$report"
    if [ "$rc" != 0 ] || [ "$failed" != 0 ]; then
      status=1
      grep -E '^TEST CASE:|ERROR|FATAL|timeout' "$out" | head -20 | sed 's/^/    /' | tee -a "$report"
      if [ -z "$line" ]; then tail -5 "$out" | sed 's/^/    /' | tee -a "$report"; fi
    fi
  done
  echo "arm64 under qemu: $total_passed of $total_cases test cases passed, $total_failed failed" \
    "(the case counts exclude the ones listed as not run)" | tee -a "$report"
  return $status
}
