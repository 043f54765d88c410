// An organizer's first evening without a label printer or a sync service:
// nothing claims badges wait to print or check-ins wait to sync, and a
// reprint says why it cannot print instead of queueing a label for later.
#include <doctest/doctest.h>

#include <fstream>

#include "TestSupport.h"

namespace {
const std::string kSmall = std::string(FD_TEST_DATA_DIR) + "/app/data/small.csv";
bool imported(const fd::test::CliRun& r) { return r.code == 0 || r.code == 5; }
}  // namespace

TEST_CASE("no printer and no service: stats and reprint say so - no badge is queued") {
  fd::test::Cli cli;
  REQUIRE(imported(cli("import '" + kSmall + "' --event june")));
  REQUIRE(cli("checkin --id 1").code == 0);
  REQUIRE(cli("checkin --id 2").code == 0);
  const auto stats = cli("stats");
  CHECK_MESSAGE(stats.has("no printer is set up"), stats.out);
  CHECK_MESSAGE(!stats.has("Badges waiting"), stats.out);
  CHECK_MESSAGE(stats.has("no service set up"), stats.out);
  CHECK_MESSAGE(!stats.has("To sync"), stats.out);
  const auto reprint = cli("reprint 1");
  CHECK(reprint.code != 0);
  CHECK_MESSAGE(reprint.has("No printer is set up"), reprint.out);
  CHECK_MESSAGE(reprint.has("[printer]"), reprint.out);
  CHECK(cli("reprint").has("No badges are held back"));

  // A printer is set up (a folder, as the example config shows): the two
  // who came in before get no label; the next person does.
  std::filesystem::create_directories(cli.config());
  const auto labels = cli.dir.path / "labels";
  std::ofstream(cli.config() / "frontdesk.toml")
      << "[printer]\nname = \"folder:" << labels.string() << "\"\n";
  REQUIRE(cli("checkin A6").code == 0);
  const auto after = cli("stats");
  CHECK_MESSAGE(after.has("Badges waiting"), after.out);
  CHECK_MESSAGE(!after.has("no printer is set up"), after.out);
  CHECK_MESSAGE(cli("reprint 1").code == 0, cli("reprint 1").out);
}
