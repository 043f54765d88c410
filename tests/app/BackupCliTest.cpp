// frontdesk backup and restore as an organizer types them, and a door whose
// root filesystem is read-only with the store on a writable partition.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;

namespace {

struct Out {
  int code = -1;
  std::string text;
};

Out sh(const std::string& cmd) {
  Out r;
  FILE* p = ::popen((cmd + " 2>&1 </dev/null").c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.text.append(buf, n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

struct Dir {
  fs::path path;
  Dir() {
    std::string t = (fs::temp_directory_path() / "fd-backupcli-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()));
    path = t;
  }
  ~Dir() {
    std::error_code ec;  // destructors never throw
    fs::remove_all(path, ec);
  }
};

const std::string kSmall = std::string(FD_TEST_DATA_DIR) + "/app/data/small.csv";

}  // namespace

TEST_CASE("backup copies the store to a folder - restore says what a copy holds before replacing") {
  Dir d;
  const std::string fd = std::string("'") + std::getenv("FD_BINARY") + "' --data-dir '" +
                         (d.path / "data").string() + "' --config-dir '" +
                         (d.path / "config").string() + "' ";
  sh(fd + "import '" + kSmall + "' --event 'June Meetup'");
  REQUIRE(sh(fd + "checkin --id 1").code == 0);
  Out none = sh(fd + "backup");
  CHECK(none.code == 2);
  CHECK(none.text.find("--to DIR") != std::string::npos);
  Out b = sh(fd + "backup --to '" + (d.path / "usb").string() + "'");
  REQUIRE_MESSAGE(b.code == 0, b.text);
  CHECK(b.text.find("1 checked in") != std::string::npos);
  CHECK(b.text.find("intact") != std::string::npos);
  fs::path copy;
  for (const auto& e : fs::directory_iterator(d.path / "usb")) copy = e.path();
  REQUIRE_FALSE(copy.empty());
  // [backup] dir and keep from the config.
  fs::create_directories(d.path / "config");
  std::ofstream(d.path / "config" / "frontdesk.toml")
      << "[backup]\ndir = \"" << (d.path / "stick").string() << "\"\nkeep = 1\n";
  CHECK(sh(fd + "backup").code == 0);
  CHECK(fs::exists(d.path / "stick"));

  REQUIRE(sh(fd + "checkin --id 2").code == 0);
  // Without a terminal and without --yes: shows both, replaces nothing.
  Out ask = sh(fd + "restore '" + copy.string() + "'");
  CHECK(ask.code == 2);
  CHECK(ask.text.find("The copy holds") != std::string::npos);
  CHECK(ask.text.find("It replaces the current store") != std::string::npos);
  CHECK(ask.text.find("2 checked in") != std::string::npos);
  CHECK(ask.text.find("--yes") != std::string::npos);
  Out r = sh(fd + "restore --yes '" + copy.string() + "'");
  REQUIRE_MESSAGE(r.code == 0, r.text);
  CHECK(r.text.find("kept at") != std::string::npos);
  CHECK(sh(fd + "stats").text.find("Checked in            1") != std::string::npos);
  // The replaced store is kept aside with its two check-ins.
  int aside = 0;
  for (const auto& e : fs::directory_iterator(d.path / "data"))
    aside += e.path().filename().string().find("before-restore") != std::string::npos;
  CHECK(aside == 1);
  // A file that is not a store is refused plainly.
  std::ofstream(d.path / "junk.db") << "not a store";
  Out junk = sh(fd + "restore --yes '" + (d.path / "junk.db").string() + "'");
  CHECK(junk.code == 1);
}

TEST_CASE("a read-only root: HOME cannot be written - the store lives on a writable partition") {
  Dir d;
  // /proc stands in for a read-only home: nothing can be created under it.
  const std::string env = "env -u XDG_DATA_HOME -u XDG_CONFIG_HOME HOME=/proc ";
  const std::string fd =
      env + "'" + std::getenv("FD_BINARY") + "' --data-dir '" + (d.path / "data").string() + "' ";
  Out imp = sh(fd + "import '" + kSmall + "' --event 'June Meetup'");
  CHECK_MESSAGE(imp.code == 5, imp.text);  // one broken row, as always with this file
  CHECK(sh(fd + "checkin --id 1").code == 0);
  CHECK(fs::exists(d.path / "data" / "frontdesk.db"));
  Out doctor = sh(fd + "doctor --camera none --no-display");
  CHECK(doctor.text.find("Writable: " + (d.path / "data").string()) != std::string::npos);
}
