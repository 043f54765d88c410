// The headless CLI, driven as a person or a script would: the real binary,
// a throwaway data directory, exit codes and words on the terminal.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;

namespace {

struct Run {
  int code = -1;
  std::string out;
};

struct Cli {
  fs::path dir;
  Cli() {
    std::string t = (fs::temp_directory_path() / "fd-cli-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()));
    dir = t;
  }
  ~Cli() {
    std::error_code ec;  // destructors never throw
    fs::remove_all(dir, ec);
  }

  // Runs frontdesk with XDG dirs inside our temp dir; stdout and stderr together.
  Run operator()(const std::string& args) const {
    const char* bin = std::getenv("FD_BINARY");
    REQUIRE(bin);
    const std::string cmd = "XDG_DATA_HOME='" + (dir / "data").string() + "' XDG_CONFIG_HOME='" +
                            (dir / "config").string() + "' '" + bin + "' " + args + " 2>&1";
    Run r;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p);
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
  }
};

const std::string kSmall = std::string(FD_TEST_DATA_DIR) + "/app/data/small.csv";

bool has(const Run& r, const std::string& s) { return r.out.find(s) != std::string::npos; }

}  // namespace

TEST_CASE("help documents the subcommands and the exit codes") {
  Cli cli;
  const Run r = cli("--help");
  CHECK(r.code == 0);
  for (const char* s : {"import", "checkin", "undo", "walkin", "search", "stats", "export", "bench",
                        "Exit codes", "already checked in"})
    CHECK_MESSAGE(has(r, s), s);
}

TEST_CASE(
    "import reports skipped rows by line and keeps the rest - the store lands in XDG_DATA_HOME") {
  Cli cli;
  const Run r = cli("import '" + kSmall + "' --event 'June Meetup'");
  CHECK(r.code == 5);  // partial: one broken row
  CHECK_MESSAGE(has(r, "5 added"), r.out);
  CHECK_MESSAGE(has(r, "line 6"), r.out);
  CHECK(fs::exists(cli.dir / "data" / "frontdesk" / "frontdesk.db"));
  CHECK((fs::status(cli.dir / "data" / "frontdesk").permissions() & fs::perms::others_all) ==
        fs::perms::none);
  const Run again = cli("import '" + kSmall + "' --event 'June Meetup'");
  CHECK_MESSAGE(has(again, "0 added, 0 updated, 5 unchanged"), again.out);
}

TEST_CASE("check-in - repeat - refusal - undo and walk-in through the CLI") {
  Cli cli;
  cli("import '" + kSmall + "' --event june -q");
  Run r = cli("checkin A1");
  CHECK(r.code == 0);
  CHECK_MESSAGE(has(r, "Welcome, José!"), r.out);
  r = cli("checkin A1");
  CHECK(r.code == 4);
  CHECK(has(r, "Already checked in at"));
  r = cli("checkin NOT-A-TICKET");
  CHECK(r.code == 3);
  CHECK(has(r, "can't find this ticket"));
  r = cli("checkin A3");
  CHECK(r.code == 3);
  CHECK(has(r, "waitlist"));
  r = cli("undo");
  CHECK(r.code == 0);
  CHECK(has(r, "José García"));
  r = cli("undo");
  CHECK(r.code == 6);
  r = cli("walkin --name 'Walk In Person' --email w@example.org --company Delta");
  CHECK(r.code == 0);
  CHECK(has(r, "Welcome, Walk!"));
  r = cli("stats --json");
  CHECK(r.code == 0);
  CHECK_MESSAGE(has(r, "\"walk_ins\": 1"), r.out);
  CHECK(has(r, "\"checked_in\": 0"));
  CHECK(has(r, "\"rsvp_yes\": 3"));
  CHECK(has(r, "\"guests_expected\": 1"));
}

TEST_CASE("search finds people as typed at a door and never shows an email") {
  Cli cli;
  cli("import '" + kSmall + "' --event june -q");
  Run r = cli("search jose");
  CHECK(r.code == 0);
  CHECK(has(r, "José García"));
  CHECK(has(r, "Acme"));
  CHECK_FALSE(has(r, "@"));
  CHECK(has(cli("search mueller"), "Anna Müller"));
  CHECK(has(cli("search muller"), "Anna Müller"));
  CHECK(has(cli("search zoe ang"), "Zoë Ångström"));
  CHECK(cli("search qqqqqq").code == 6);
}

TEST_CASE("stats and export tell the organizer what happened") {
  Cli cli;
  cli("import '" + kSmall + "' --event june --capacity 50 -q");
  cli("checkin A2");
  Run r = cli("stats");
  CHECK(r.code == 0);
  CHECK_MESSAGE(has(r, "Checked in"), r.out);
  CHECK(has(r, "of 50 capacity"));
  CHECK(has(r, "Arrivals per 15 minutes"));
  const fs::path out = cli.dir / "attendance.csv";
  r = cli("export --out '" + out.string() + "'");
  CHECK(r.code == 0);
  REQUIRE(fs::exists(out));
  CHECK((fs::status(out).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
        fs::perms::none);
}

TEST_CASE("an unknown event is a plain message with the known ones") {
  Cli cli;
  cli("import '" + kSmall + "' --event june -q");
  const Run r = cli("--event nope stats");
  CHECK(r.code == 6);
  CHECK(has(r, "No event called 'nope'"));
  CHECK(has(r, "june"));
}

TEST_CASE(
    "signed tickets: issued as QR images - read back by the scanner - admitted once - forgeries "
    "refused") {
  Cli cli;
  cli("import '" + std::string(FD_TEST_DATA_DIR) + "/import/data/meetup.csv' --event june -q");
  const fs::path out = cli.dir / "tickets";
  Run r = cli("tickets --out '" + out.string() + "'");
  CHECK(r.code == 0);
  CHECK_MESSAGE(has(r, "Issued 4 signed tickets"), r.out);
  REQUIRE(fs::exists(out / "qr" / "101.png"));
  CHECK((fs::status(out / "tickets.csv").permissions() & fs::perms::others_all) == fs::perms::none);
  CHECK((fs::status(cli.dir / "config" / "frontdesk" / "keys" / "june.key").permissions() &
         (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
  // What the camera reads from the printed or mailed QR image.
  r = cli("scan '" + (out / "qr" / "101.png").string() + "'");
  REQUIRE(r.code == 0);
  const auto at = r.out.find("FD1:");
  REQUIRE(at != std::string::npos);
  const std::string ticket = r.out.substr(at, r.out.find(' ', at) - at);
  r = cli("checkin '" + ticket + "'");
  CHECK(r.code == 0);
  CHECK(has(r, "Welcome, Ana!"));
  CHECK(cli("checkin '" + ticket + "'").code == 4);
  std::string forged = ticket;
  forged[forged.size() - 3] = forged[forged.size() - 3] == 'x' ? 'y' : 'x';
  r = cli("checkin '" + forged + "'");
  CHECK(r.code == 3);
  CHECK(has(r, "forged"));
  r = cli("checkin 'WIFI:S:venue;T:WPA;P:secret;;'");
  CHECK(r.code == 3);
  CHECK(has(r, "Wi-Fi"));
}

TEST_CASE("frontdesk demo prepares the demo event in a store of its own - and says how to try it") {
  Cli cli;
  Run r = cli("demo --no-kiosk");
  CHECK(r.code == 0);
  CHECK_MESSAGE(has(r, "233 RSVPs, 0 checked in"), r.out);
  const fs::path demo = cli.dir / "data" / "frontdesk-demo";
  CHECK(fs::exists(demo / "frontdesk.db"));
  CHECK(fs::exists(demo / "config" / "organizer.pin"));
  CHECK(fs::exists(demo / "config" / "frontdesk.toml"));
  CHECK_FALSE(fs::exists(cli.dir / "data" / "frontdesk"));  // the user's own store is untouched
  // Again: the list merges, nothing is doubled, and what it suggests works as printed.
  r = cli("demo --no-kiosk");
  CHECK_MESSAGE(has(r, "233 RSVPs, 0 checked in"), r.out);
  const auto at = r.out.find("frontdesk --data-dir");
  REQUIRE(at != std::string::npos);
  const std::string checkin = r.out.substr(at + 10, r.out.find('\n', at) - at - 10);
  REQUIRE(checkin.find(" checkin ") != std::string::npos);
  r = cli(checkin);
  CHECK(r.code == 0);
  CHECK_MESSAGE(has(r, "Welcome"), r.out);
  CHECK(has(cli("demo --no-kiosk"), "233 RSVPs, 1 checked in"));
}

TEST_CASE("a store folder that cannot be written says where to keep the store instead") {
  Cli cli;
  // /proc takes no new folders, as a read-only root takes none (root passes
  // permission checks, so a chmod would not show it when tests run as root).
  const Run r = cli("--data-dir /proc/frontdesk-store stats");
  CHECK(r.code == 1);
  CHECK_MESSAGE(has(r, "Cannot create the store's folder /proc/frontdesk-store"), r.out);
  CHECK(has(r, "writable, durable partition: --data-dir DIR"));
}
