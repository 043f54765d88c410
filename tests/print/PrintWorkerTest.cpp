// The print worker against a real IPP printer: every check-in's badge is
// printed once; a printer that goes away stops no check-in, and the waiting
// badges print when it is back.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include "TestEngine.h"
#include "TestSupport.h"
#include "badge/IppPrinter.h"  // tests/badge
#include "print/PrintWorker.h"
#include "store/Store.h"

using namespace fd;
namespace fs = std::filesystem;
using namespace fd::testing;
using fd::test::engine_with_people;
using fd::test::wait_for;

TEST_CASE("each check-in's badge prints once - through a printer that goes away and comes back") {
  IppPrinter printer;
  auto engine = engine_with_people(":memory:", {.people = 6});
  PrintOptions o;
  o.printer = printer.uri();
  o.idle_wait = std::chrono::milliseconds(100);
  PrintWorker worker(*engine, o);

  for (int i = 1; i <= 3; ++i)
    CHECK(engine->run(CheckInCode{"T" + std::to_string(i), Method::Qr}).verdict ==
          Verdict::Admitted);
  CHECK(wait_for([&] { return printer.received().size() == 3; }, std::chrono::seconds(40)));
  CHECK(wait_for([&] { return engine->snapshot()->queues.badge_jobs_open == 0; },
                 std::chrono::seconds(30)));

  printer.stop();  // the USB cable is pulled
  for (int i = 4; i <= 5; ++i)
    CHECK(engine->run(CheckInCode{"T" + std::to_string(i), Method::Qr}).verdict ==
          Verdict::Admitted);
  CHECK(wait_for([&] { return !engine->snapshot()->print_problem.empty(); },
                 std::chrono::seconds(30)));
  CHECK(engine->snapshot()->print_problem.find("offline") != std::string::npos);
  CHECK(engine->snapshot()->queues.badge_jobs_open == 2);  // waiting, not lost
  CHECK(engine->snapshot()->checked_in == 5);              // the door went on

  printer.start();  // plugged back in
  CHECK(wait_for([&] { return engine->snapshot()->queues.badge_jobs_open == 0; },
                 std::chrono::seconds(30)));
  // Five badges in the spool, one per check-in: the two that waited, once each.
  std::set<std::string> names;
  for (const auto& f : printer.received())
    names.insert(f.filename().string().substr(f.filename().string().find('-') + 1));
  CHECK(printer.received().size() == 5);
  CHECK(names.size() == 5);
  CHECK(engine->snapshot()->print_problem.empty());
}

TEST_CASE("a reprint asked in a terminal while the door serves prints at once") {
  const fd::test::Cli cli;
  const fs::path labels = cli.dir.path / "labels";
  fs::create_directories(cli.config());
  fs::create_directories(labels);
  std::ofstream(cli.config() / "frontdesk.toml")
      << "[printer]\nname = \"folder:" << labels.string() << "\"\n[doors]\ndiscover = false\n";
  const auto printed = [&] {
    return std::distance(fs::directory_iterator(labels), fs::directory_iterator());
  };
  std::ofstream(cli.dir.path / "list.csv") << "Name,Ticket code\nAna Lima,T1\nBo Li,T2\n";
  REQUIRE(cli("import '" + (cli.dir.path / "list.csv").string() + "' --event Night -q").code == 0);
  ::setenv("XDG_DATA_HOME", cli.data().c_str(), 1);
  ::setenv("XDG_CONFIG_HOME", (cli.dir.path / "config").c_str(), 1);
  const fs::path log = cli.dir.path / "serve.log";
  fd::test::Spawned serve(
      {std::getenv("FD_BINARY"), "serve", "--listen", "127.0.0.1", "--port", "0"}, log);
  REQUIRE_MESSAGE(fd::test::served_port(log) != 0, fd::test::read_file(log));
  REQUIRE(cli("checkin T1").code == 0);
  REQUIRE(wait_for([&] { return printed() == 1; }, std::chrono::seconds(40)));
  // The badge was creased: `frontdesk reprint 1` in a terminal. Nothing but
  // the print queue changes on the store; the serving door still hears of it.
  const auto reprint = cli("reprint 1");
  REQUIRE_MESSAGE(reprint.code == 0, reprint.out);
  CHECK_MESSAGE(wait_for([&] { return printed() == 2; }, std::chrono::seconds(20)),
                cli("stats").out);
}

TEST_CASE("without a printer the badges go to a folder") {
  std::string t = (std::filesystem::temp_directory_path() / "fd-badges-XXXXXX").string();
  REQUIRE(::mkdtemp(t.data()));
  auto engine = engine_with_people(":memory:", {.people = 2});
  PrintOptions o;
  o.printer = "folder:" + t;
  o.idle_wait = std::chrono::milliseconds(50);
  {
    PrintWorker worker(*engine, o);
    engine->run(CheckInCode{"T1", Method::Qr});
    CHECK(wait_for([&] { return engine->snapshot()->queues.badge_jobs_open == 0; },
                   std::chrono::seconds(30)));
  }
  int pdfs = 0;
  for (const auto& e : std::filesystem::directory_iterator(t))
    pdfs += e.path().extension() == ".pdf";
  CHECK(pdfs == 1);
  std::filesystem::remove_all(t);
}

TEST_CASE("a job the printer aborts is marked failed with a reason - the door goes on") {
  IppPrinter printer("#!/bin/sh\nexit 1\n");  // e.g. the driver chokes on the job
  auto engine = engine_with_people(":memory:", {.people = 2});
  PrintOptions o;
  o.printer = printer.uri();
  o.idle_wait = std::chrono::milliseconds(100);
  PrintWorker worker(*engine, o);
  CHECK(engine->run(CheckInCode{"T1", Method::Qr}).verdict == Verdict::Admitted);
  CHECK(wait_for([&] { return engine->snapshot()->queues.badge_jobs_failed == 1; },
                 std::chrono::seconds(40)));
  CHECK(engine->snapshot()->print_problem.find("gave up") != std::string::npos);
  CHECK(engine->run(CheckInCode{"T2", Method::Qr}).verdict == Verdict::Admitted);
}

TEST_CASE("a printer that dies mid-job gets the badge again when it is back - once") {
  IppPrinter printer("#!/bin/sh\nsleep 3\nexit 0\n");  // a slow label printer
  auto engine = engine_with_people(":memory:", {.people = 1});
  PrintOptions o;
  o.printer = printer.uri();
  o.idle_wait = std::chrono::milliseconds(100);
  PrintWorker worker(*engine, o);
  CHECK(engine->run(CheckInCode{"T1", Method::Qr}).verdict == Verdict::Admitted);
  CHECK(wait_for([&] { return printer.received().size() == 1; },
                 std::chrono::seconds(30)));  // it is printing
  printer.stop();                             // and the power goes
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  CHECK(engine->snapshot()->queues.badge_jobs_open == 1);  // still owed
  for (const auto& f : printer.received()) std::filesystem::remove(f);
  printer.start();
  CHECK(wait_for([&] { return engine->snapshot()->queues.badge_jobs_open == 0; },
                 std::chrono::seconds(40)));
  CHECK(printer.received().size() == 1);  // sent again once, not twice
}
