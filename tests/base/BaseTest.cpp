#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "base/Log.h"
#include "base/Paths.h"
#include "base/Time.h"
#include "base/Utf8.h"
#include "base/Uuid.h"

using namespace fd;

TEST_CASE("UUIDs are version 4 - well-formed and distinct") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string u = new_uuid();
    CHECK(is_uuid(u));
    CHECK(u[14] == '4');
    seen.insert(u);
  }
  CHECK(seen.size() == 1000);
  CHECK_FALSE(is_uuid("not-a-uuid"));
}

TEST_CASE("times parse with and without zones - and bad ones are refused") {
  CHECK(parse_datetime("2026-11-23T17:42:05Z") == 1795455725000);
  CHECK(parse_datetime("2026-11-23T18:42:05+01:00") == 1795455725000);
  CHECK(parse_datetime("2026-11-23 17:42:05.250Z") == 1795455725000);
  CHECK(parse_datetime("2026-13-01 10:00") == -1);
  CHECK(parse_datetime("yesterday") == -1);
  CHECK(iso8601_utc(1795455725123) == "2026-11-23T17:42:05.123Z");
}

TEST_CASE("files go where Linux users expect them (XDG)") {
  ::setenv("XDG_DATA_HOME", "/tmp/xdg-data", 1);
  ::setenv("XDG_CONFIG_HOME", "/tmp/xdg-config", 1);
  CHECK(default_data_dir() == "/tmp/xdg-data/frontdesk");
  CHECK(default_config_dir() == "/tmp/xdg-config/frontdesk");
  ::setenv("XDG_DATA_HOME", "relative/is/ignored", 1);  // the spec says relative paths are invalid
  ::setenv("HOME", "/home/ana", 1);
  CHECK(default_data_dir() == "/home/ana/.local/share/frontdesk");
}

TEST_CASE("excerpt keeps a short valid UTF-8 prefix of anything - property over random bytes") {
  std::srand(7);
  for (int round = 0; round < 2000; ++round) {
    std::string s(static_cast<std::size_t>(std::rand() % 400), '\0');
    for (char& c : s) c = static_cast<char>(std::rand() % 256);
    const std::string e = excerpt(s, 40);
    CHECK(is_valid_utf8(e));
    CHECK(decode_utf8(e).size() <= 41);  // 40 and the ellipsis
    for (char c : e) CHECK((static_cast<unsigned char>(c) >= 0x20 && c != 0x7f));
  }
  CHECK(excerpt("García", 40) == "García");
  CHECK(excerpt(std::string(5u << 20, 'x'), 10) == "xxxxxxxxxx…");
  CHECK(excerpt("王芳王芳王芳", 2) == "王芳…");
}

TEST_CASE("shipped files are found beside an installed binary - else in the source tree") {
  namespace fs = std::filesystem;
  std::string t = (fs::temp_directory_path() / "fd-share-XXXXXX").string();
  REQUIRE(::mkdtemp(t.data()));
  const fs::path prefix = t;
  fs::create_directories(prefix / "bin");
  fs::create_directories(prefix / "share/frontdesk/i18n");
  const fs::path exe = prefix / "bin/frontdesk";
  std::ofstream(exe) << "";
  // An installed copy (any prefix: /usr, /usr/local, an unpacked package).
  CHECK(shipped_path(exe, "i18n", "config/i18n") == prefix / "share/frontdesk/i18n");
#if FD_SHIPPED_SOURCE_FALLBACK
  // Not installed there: a developer build finds the source tree's copy.
  CHECK(shipped_path(exe, "demo", "assets/demo") == fs::path(FD_SOURCE_DIR) / "assets/demo");
  CHECK(fs::exists(demo_dir() / "attendees.csv"));
  CHECK(fs::exists(translations_dir() / "de.toml"));
#endif
  // Nowhere: the installed path, so a message says where it should be.
  CHECK(shipped_path(exe, "nothing", "no/such/dir") == prefix / "share/frontdesk/nothing");
  std::error_code ec;
  fs::remove_all(prefix, ec);
}

TEST_CASE("log lines never carry e-mail addresses or tokens") {
  CHECK(fd::redact("walk-in ana.lopez+meetup@example.co.uk added") == "walk-in <e-mail> added");
  CHECK(fd::redact("token kR9sLm2QxW8vTz4YbN7cPd3F in header") == "token <secret> in header");
  CHECK(fd::redact("pretix secret: abcDEF123ghiJKL456mnoPQR=") == "pretix secret: <secret>");
  // What a log needs stays readable: paths, UUIDs, times, @ on its own.
  const std::string plain =
      "Backed up to /media/usb/frontdesk-20261129-183012.db at 18:30 "
      "(check-in 4ac4f868-7c79-45b2-8b38-061dadd2f016, @door 1)";
  CHECK(fd::redact(plain) == plain);
}
