// Which event a door opens: the store's current event, which changes only
// when an organizer chooses (`event use`, an import that creates the next
// event, joining another door's event), never because a command looked at
// another event.
#include <doctest/doctest.h>

#include "TestSupport.h"

namespace {
const std::string kSmall = std::string(FD_TEST_DATA_DIR) + "/app/data/small.csv";
// small.csv has one bad row on purpose: imported, with that row skipped (5).
bool imported(const fd::test::CliRun& r) { return r.code == 0 || r.code == 5; }
}  // namespace

TEST_CASE("looking at another event's figures leaves the current event as it was") {
  fd::test::Cli cli;
  REQUIRE(imported(cli("import '" + kSmall + "' --event alpha")));
  REQUIRE(imported(cli("import '" + kSmall + "' --event beta")));
  // The import that created beta made it current: the organizer's next event.
  CHECK(cli("event list").has("* beta"));
  REQUIRE(cli("event use alpha").code == 0);
  CHECK(cli("event list").has("* alpha"));
  // A read-only look at beta does not move the door.
  CHECK(cli("--event beta stats").code == 0);
  const auto list = cli("event list");
  CHECK(list.has("* alpha"));
  CHECK_FALSE(list.has("* beta"));
  // A door opened without --event opens alpha (the figures; the advice in
  // the text carries the --event it was given).
  CHECK(cli("stats --json").out == cli("--event alpha stats --json").out);
  CHECK(cli("stats").has("alpha (alpha)"));
  // Importing again into beta (it exists) does not move it either.
  REQUIRE(imported(cli("import '" + kSmall + "' --event beta")));
  CHECK(cli("event list").has("* alpha"));
}

TEST_CASE("walkin with the name of someone on the list asks first - counts nobody twice") {
  fd::test::Cli cli;
  REQUIRE(imported(cli("import '" + kSmall + "' --event june")));
  const auto asked = cli("walkin --name 'Anna Müller'");
  CHECK(asked.code == 10);
  CHECK_MESSAGE(asked.has("Anna Müller is on the list. Is this you?"), asked.out);
  CHECK_MESSAGE(asked.has("frontdesk checkin --id 2"), asked.out);
  CHECK_MESSAGE(asked.has("--new"), asked.out);
  const auto stats = cli("stats");
  CHECK_MESSAGE(stats.has("Walk-ins              0\n"), stats.out);
  // The advice works: the same person is checked in by her record...
  REQUIRE(cli("checkin --id 2").code == 0);
  CHECK(cli("walkin --name 'anna müller'").has("already checked in"));
  // ...or someone else of that name is a new walk-in.
  const auto other = cli("walkin --name 'Anna Müller' --new");
  CHECK_MESSAGE(other.code == 0, other.out);
  CHECK_MESSAGE(cli("stats").has("Walk-ins              1\n"), cli("stats").out);
}
