// The headless CLI, driven as a person or a script would: the real binary,
// a throwaway data directory, exit codes and words on the terminal.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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
  CHECK_MESSAGE(has(r, "Issued 2 signed tickets"), r.out);  // RSVP yes only: Ana and Jürgen
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

// ---------------------------------------------------------------------------
// An organizer's first evening (issue #22): what a person reads
// ---------------------------------------------------------------------------

namespace {

const std::string kMeetupHeader =
    "Name,User ID,Title,Event Host,RSVP,Guests,RSVPed on,Joined Group on,URL of Member Profile\n";

// A Meetup export of `n` members, all coming, the newest RSVP at `newest`.
std::string meetup_export(int n, const std::string& newest = "2026-11-03 12:30") {
  std::string csv = kMeetupHeader;
  for (int i = 1; i <= n; ++i)
    csv += "Member " + std::to_string(i) + "," + std::to_string(100 + i) + ",,No,Yes,0," +
           (i == n ? newest : "2026-11-01 10:00") + ",2024-01-01,\n";
  return csv;
}

fs::path write(const Cli& cli, const std::string& name, const std::string& text) {
  const fs::path f = cli.dir / name;
  std::ofstream(f, std::ios::binary) << text;
  return f;
}

// The command a message suggests, after "prefix", up to the end of its line.
std::string suggested(const Run& r, const std::string& prefix) {
  const auto at = r.out.find(prefix);
  REQUIRE_MESSAGE(at != std::string::npos, r.out);
  const auto from = at + prefix.size();
  std::string cmd = r.out.substr(from, r.out.find('\n', from) - from);
  REQUIRE(cmd.rfind("frontdesk ", 0) == 0);
  return cmd.substr(10);
}

}  // namespace

TEST_CASE("a header-only export with --prune changes nothing - says what it would do and how") {
  Cli cli;
  const fs::path list = write(cli, "rsvps.csv", meetup_export(30));
  REQUIRE(cli("import '" + list.string() + "' --event 'PyData Nov' -q").code == 0);
  REQUIRE(cli("checkin --id 1").code == 0);
  const fs::path cut = write(cli, "rsvps-cut.csv", kMeetupHeader);
  Run r = cli("import '" + cut.string() + "' --prune");
  CHECK(r.code == 10);
  CHECK_MESSAGE(has(r, "Held back, nothing was changed: " + cut.string() +
                           "\n"
                           "  The file holds no attendees (a header and no rows: a download cut "
                           "short?); importing it would cancel 30 people of the 30 on the list. "
                           "Nothing was changed.\n"),
                r.out);
  CHECK(has(r, "Cancelled or declined: Member 1 (not in this file), Member 2 (not in this file)"));
  CHECK(has(r, "… and 25 more (--verbose lists everyone)"));
  CHECK(has(r,
            "Download the export again (it may have been cut short) and import that.\n"
            "  To cancel everyone on the list anyway:\n    frontdesk import "));
  // Nothing changed: the next valid ticket is still welcome.
  r = cli("checkin --id 2");
  CHECK_MESSAGE(r.code == 0, r.out);
  CHECK(has(cli("stats"), "Checked in            2"));
  // Without --prune too: no list is no list.
  CHECK(cli("import '" + cut.string() + "'").code == 10);
  // Into an event that does not exist yet, it creates none.
  r = cli("import '" + cut.string() + "' --event 'Other night'");
  CHECK(r.code == 10);
  CHECK(has(r, "Held back, nothing was imported"));
  CHECK_FALSE(has(cli("event list"), "other-night"));
}

TEST_CASE("cancelling more than a tenth is held - the printed command goes ahead") {
  Cli cli;
  const fs::path list = write(cli, "rsvps.csv", meetup_export(30));
  REQUIRE(cli("import '" + list.string() + "' --event nov -q").code == 0);
  const fs::path twenty = write(cli, "rsvps-20.csv", meetup_export(20, "2026-11-04 09:00"));
  Run r = cli("import '" + twenty.string() + "' --prune --verbose");
  CHECK(r.code == 10);
  CHECK_MESSAGE(has(r,
                    "It would cancel 10 people of the 30 on the list (more than a tenth): "
                    "checked-in people would count as let in off the list and their tickets "
                    "would be refused. Nothing was changed."),
                r.out);
  CHECK(has(r, "  Cancelled or declined:\n    Member 21 (not in this file)\n"));
  CHECK(has(r, "    Member 30 (not in this file)\n"));
  const std::string again =
      suggested(r, "If the list really changed this much, go ahead with:\n    ");
  CHECK(again == "import " + twenty.string() + " --event nov --prune --yes");
  r = cli(again);
  CHECK_MESSAGE(r.code == 0, r.out);
  CHECK(has(r, "0 added, 0 updated, 20 unchanged, 10 newly cancelled/declined"));
  CHECK(has(r, "Cancelled or declined: Member 21 (not in this file)"));
}

TEST_CASE("a newer export names who was added and changed - an older one is recognised") {
  Cli cli;
  const fs::path nov3 = write(cli, "nov3.csv", meetup_export(5, "2026-11-03 12:30"));
  REQUIRE(cli("import '" + nov3.string() + "' --event nov -q").code == 0);
  std::string newer = meetup_export(6, "2026-11-05 09:10");
  newer.replace(newer.find("Member 2,102,,No,Yes,0"), 22, "Member 2,102,,No,Yes,1");
  const fs::path nov5 = write(cli, "nov5.csv", newer);
  Run r = cli("import '" + nov5.string() + "'");
  CHECK_MESSAGE(r.code == 0, r.out);
  CHECK(has(r, "1 added, 1 updated, 4 unchanged"));
  CHECK(has(r, "  Added: Member 6\n"));
  CHECK(has(r, "  Changed: Member 2 (guests 0 → 1)\n"));
  // The Nov 3 export again: it would put the guest back to 0.
  r = cli("import '" + nov3.string() + "'");
  CHECK(r.code == 10);
  CHECK_MESSAGE(has(r,
                    "This export is older than the list: its newest RSVP is from 2026-11-03 "
                    "12:30, the list already has RSVPs up to 2026-11-05 09:10; importing it "
                    "would put back 1 change. Nothing was changed."),
                r.out);
  CHECK(has(r, "Changed: Member 2 (guests 1 → 0)"));
  CHECK(suggested(r,
                  "Import the newest export instead, or to put these changes back anyway:\n    ") ==
        "import " + nov3.string() + " --event nov --yes");
  CHECK(has(cli("search member 2"), "Member 2"));
}

TEST_CASE("a workbook or a PDF is named for what it is - with how to save it as CSV") {
  Cli cli;
  const fs::path xlsx = write(cli, "rsvps.xlsx",
                              std::string("PK\x03\x04\x14\x00\x06\x00", 8) + "[Content_Types].xml" +
                                  std::string(100, '\0') + "xl/");
  Run r = cli("import '" + xlsx.string() + "' --event nov");
  CHECK(r.code == 1);
  CHECK_MESSAGE(has(r, "frontdesk: " + xlsx.string() +
                           ": this is an Excel workbook (.xlsx), not a CSV file: save it as CSV: "
                           "in Excel File → Save As → \"CSV UTF-8 (Comma delimited)\""),
                r.out);
  const fs::path pdf = write(cli, "rsvps.pdf", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
  CHECK(has(cli("import '" + pdf.string() + "' --event nov"), "this is a PDF document"));
  CHECK_FALSE(fs::exists(cli.dir / "data" / "frontdesk" / "frontdesk.db"));
}

TEST_CASE("checkin --id of someone not coming says how an organizer lets them in") {
  Cli cli;
  cli("import '" + kSmall + "' --event june -q");
  Run r = cli("checkin --id 3");  // Li "Lucky" 王: waitlisted
  CHECK(r.code == 3);
  const std::string cmd = suggested(r, "An organizer can let them in anyway: ");
  CHECK(cmd == "checkin --id 3 --organizer");
  r = cli(cmd);
  CHECK_MESSAGE(r.code == 0, r.out);
  CHECK(has(r, "Welcome, Li"));
}

TEST_CASE("walk-ins: an empty name is a usage error - a title is no first name") {
  Cli cli;
  cli("import '" + kSmall + "' --event june -q");
  Run r = cli("walkin --name ''");
  CHECK(r.code == 2);
  CHECK(has(r, "give the walk-in's name"));
  r = cli("walkin --name 'Dr. Jane Smith'");
  CHECK(r.code == 0);
  CHECK_MESSAGE(has(r, "Welcome, Jane!"), r.out);
  CHECK(has(cli("search jane"), "Dr. Jane Smith"));
}

TEST_CASE("undoing an undone check-in says when and where it was undone") {
  Cli cli;
  cli("import '" + kSmall + "' --event june -q");
  const Run in = cli("checkin A1");
  REQUIRE(in.code == 0);
  REQUIRE(cli("undo").code == 0);
  Run r = cli("undo");
  CHECK(r.code == 6);
  CHECK_MESSAGE(has(r, "The check-in of José García at "), r.out);
  CHECK(has(r, " (door 1) was already undone at "));
  r = cli("undo --id 1");
  CHECK(has(r, "was already undone at"));
  const auto at = in.out.find("check-in ");
  const std::string uuid = in.out.substr(at + 9, 36);
  CHECK(has(cli("undo " + uuid), "was already undone at"));
  CHECK(has(cli("undo --id 2"), "Anna Müller is not checked in"));
}

TEST_CASE("search tells namesakes apart without e-mails - and says when it stopped") {
  Cli cli;
  std::string csv = "Name,Company,Email\n";
  for (int i = 0; i < 14; ++i)
    csv += "Alex Kim,,alex" + std::string(1, static_cast<char>('a' + i)) + "@example.org\n";
  csv += "Sam Lee,Acme,sam1@example.org\nSam Lee,Initech,sam2@example.org\n";
  const fs::path f = write(cli, "names.csv", csv);
  REQUIRE(cli("import '" + f.string() + "' --event june -q").code == 0);
  Run r = cli("search sam lee");
  CHECK(r.code == 0);
  CHECK_MESSAGE(has(r, "  Sam Lee — Acme\n"), r.out);  // the company tells them apart
  CHECK(has(r, "  Sam Lee — Initech\n"));
  CHECK_FALSE(has(r, "@"));
  r = cli("search alex");
  CHECK_MESSAGE(has(r, "Alex Kim  (e-mail a…a at e….org)"), r.out);
  CHECK_FALSE(has(r, "@"));
  const std::string more = suggested(r,
                                     "Showing the first 10; more match. Type more of the name, "
                                     "or see more with: ");
  CHECK(more == "search alex --limit 50");
  r = cli(more);
  CHECK_FALSE(has(r, "Showing the first"));
  int lines = 0;
  for (char c : r.out) lines += c == '\n';
  CHECK(lines == 14);
}

TEST_CASE("each subcommand names its own exit codes - only the top level lists them all") {
  Cli cli;
  CHECK(has(cli("--help"), "10  import held back"));
  for (const char* sub : {"import", "search", "pin set", "checkin", "stats"}) {
    const Run r = cli(std::string(sub) + " --help");
    INFO(sub);
    CHECK(r.code == 0);
    CHECK_FALSE(has(r, "9  doctor: the door is not ready"));
  }
  CHECK(has(cli("import --help"), "Exit codes: 0 imported, 5 imported but some rows were skipped"));
  CHECK(has(cli("pin set --help"), "easy to guess without --yes"));
}

TEST_CASE("event set --starts says back what it set - event list shows it") {
  Cli cli;
  cli("import '" + kSmall + "' --event june -q");
  Run r = cli("event set --starts '2026-11-05 18:30' --capacity 80");
  CHECK(r.code == 0);
  CHECK_MESSAGE(has(r, "Event updated: june (june)\n  starts   2026-11-05 18:30"), r.out);
  CHECK(has(r, "  capacity 80\n"));
  CHECK(has(cli("event list"), "* june  june  starts 2026-11-05 18:30  capacity 80"));
}

TEST_CASE("tickets go to those coming - owner-only files - the skipped are counted") {
  Cli cli;
  cli("import '" + std::string(FD_TEST_DATA_DIR) + "/import/data/meetup.csv' --event june -q");
  const fs::path out = cli.dir / "tickets";
  const Run r = cli("tickets --out '" + out.string() + "'");
  CHECK(r.code == 0);
  CHECK_MESSAGE(has(r, "Issued 2 signed tickets"), r.out);
  CHECK(has(r, "No ticket for 2 people (1 waitlisted, 1 said no): only RSVP yes gets one."));
  CHECK_FALSE(fs::exists(out / "qr" / "103.png"));  // waitlisted
  const auto private_only = [](const fs::path& p) {
    return (fs::status(p).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
           fs::perms::none;
  };
  CHECK(private_only(cli.dir / "config" / "frontdesk"));
  CHECK(private_only(out));
  CHECK(private_only(out / "qr" / "101.png"));
  CHECK(private_only(out / "tickets.csv"));
}

TEST_CASE("the CLI export and the organizer pages' export have the same columns") {
  Cli cli;
  cli("import '" + kSmall + "' --event june -q");
  cli("checkin A1");
  const Run r = cli("export");
  CHECK(r.code == 0);
  CHECK_MESSAGE(r.out.rfind("Name,E-mail,Company,Ticket type,RSVP,Walk-in,Status,Checked in at,"
                            "Method,Door,In the room now,Check-in ID,Source,External ID\r\n",
                            0) == 0,
                r.out);
}

TEST_CASE("a config typo is exit 2 with the line, the problem and the fix - unknown names too") {
  Cli cli;
  cli("import '" + kSmall + "' --event june -q");
  fs::create_directories(cli.dir / "config" / "frontdesk");
  const fs::path toml = cli.dir / "config" / "frontdesk" / "frontdesk.toml";
  std::ofstream(toml) << "[printer]\nname = \"Brother_QL\n";
  Run r = cli("stats");
  CHECK(r.code == 2);
  CHECK_MESSAGE(has(r, "frontdesk: " + toml.string() +
                           " line 2: a text in quotes is not closed; add the closing \" at the "
                           "end of the value (the line reads: name = \"Brother_QL)"),
                r.out);
  CHECK_FALSE(has(r, "Error while parsing"));
  // doctor reports the file first, and goes on.
  r = cli("doctor --camera synthetic --camera-seconds 1 --no-display");
  CHECK(r.code == 9);
  CHECK_MESSAGE(
      r.out.find("Config\n  FAIL  File: " + toml.string() + " line 2:") != std::string::npos,
      r.out);
  CHECK(has(r, "Camera\n"));
  std::ofstream(toml, std::ios::trunc) << "[printr]\nname = \"Brother_QL\"\n";
  r = cli("stats");
  CHECK(r.code == 0);
  CHECK(has(r, "frontdesk: warning: " + toml.string() +
                   " line 1: there is no section [printr], so it is ignored; did you mean "
                   "[printer]?"));
  r = cli("doctor --camera synthetic --camera-seconds 1 --no-display");
  CHECK_MESSAGE(has(r, "Config\n  ok    File: " + toml.string() +
                           " reads without errors\n"
                           "  WARN  Unknown setting: " +
                           toml.string() +
                           " line 1: there is no "
                           "section [printr]"),
                r.out);
}

TEST_CASE("pin set refuses the demo's 1234 and other easy PINs - unless told --yes") {
  Cli cli;
  const auto typed = [&](const std::string& pin) {
    return "< '" + write(cli, "pin.txt", pin + "\n").string() + "'";
  };
  Run r = cli("pin set " + typed("1234"));
  CHECK(r.code == 2);
  CHECK_MESSAGE(has(r,
                    "frontdesk: not saved: this organizer PIN is easy to guess (1234 is the "
                    "demo's PIN and the first one anyone tries)."),
                r.out);
  CHECK_FALSE(fs::exists(cli.dir / "config" / "frontdesk" / "organizer.pin"));
  CHECK(suggested(r, "to keep it anyway: ") == "pin set --yes");
  for (const char* easy : {"0000", "2580", "1212", "987654", "1991"}) {
    INFO(easy);
    CHECK(cli("pin set " + typed(easy)).code == 2);
  }
  r = cli("pin set --yes " + typed("1234"));
  CHECK(r.code == 0);
  CHECK(has(r, "warning: this organizer PIN is easy to guess"));
  r = cli("pin set " + typed("582039"));
  CHECK(r.code == 0);
  CHECK_FALSE(has(r, "easy to guess"));
}
