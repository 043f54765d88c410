// The print worker against a real IPP printer: every check-in's badge is
// printed once; a printer that goes away stops no check-in, and the waiting
// badges print when it is back.
#include <doctest/doctest.h>

#include <set>

#include "badge/IppPrinter.h"  // tests/badge
#include "print/PrintWorker.h"
#include "store/Store.h"

using namespace fd;
using namespace fd::testing;

namespace {

std::unique_ptr<Engine> door(int people) {
  auto store = Store::open(":memory:");
  REQUIRE(store.ok());
  const auto ev = (*store)->create_event("june", "June meetup");
  ImportBatch b;
  b.source = "csv";
  for (int i = 1; i <= people; ++i) {
    AttendeeRow r;
    r.external_id = std::to_string(i);
    r.ticket_code = "T" + std::to_string(i);
    r.full_name = "Person Number" + std::to_string(i);
    r.first_name = "Person";
    r.last_name = "Number" + std::to_string(i);
    b.rows.push_back(r);
  }
  (*store)->merge_attendees(ev.id, b, "list.csv", false);
  return std::make_unique<Engine>(std::move(*store), EngineOptions::for_event(ev.id));
}

bool wait_for(const std::function<bool()>& done, int seconds) {
  for (int i = 0; i < seconds * 20; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

}  // namespace

TEST_CASE("each check-in's badge prints once - through a printer that goes away and comes back") {
  IppPrinter printer;
  auto engine = door(6);
  PrintOptions o;
  o.printer = printer.uri();
  o.idle_wait = std::chrono::milliseconds(100);
  PrintWorker worker(*engine, o);

  for (int i = 1; i <= 3; ++i)
    CHECK(engine->run(CheckInCode{"T" + std::to_string(i), Method::Qr}).verdict ==
          Verdict::Admitted);
  CHECK(wait_for([&] { return printer.received().size() == 3; }, 40));
  CHECK(wait_for([&] { return engine->snapshot()->queues.badge_jobs_open == 0; }, 30));

  printer.stop();  // the USB cable is pulled
  for (int i = 4; i <= 5; ++i)
    CHECK(engine->run(CheckInCode{"T" + std::to_string(i), Method::Qr}).verdict ==
          Verdict::Admitted);
  CHECK(wait_for([&] { return !engine->snapshot()->print_problem.empty(); }, 30));
  CHECK(engine->snapshot()->print_problem.find("offline") != std::string::npos);
  CHECK(engine->snapshot()->queues.badge_jobs_open == 2);  // waiting, not lost
  CHECK(engine->snapshot()->checked_in == 5);              // the door went on

  printer.start();  // plugged back in
  CHECK(wait_for([&] { return engine->snapshot()->queues.badge_jobs_open == 0; }, 30));
  // Five badges in the spool, one per check-in: the two that waited, once each.
  std::set<std::string> names;
  for (const auto& f : printer.received())
    names.insert(f.filename().string().substr(f.filename().string().find('-') + 1));
  CHECK(printer.received().size() == 5);
  CHECK(names.size() == 5);
  CHECK(engine->snapshot()->print_problem.empty());
}

TEST_CASE("without a printer the badges go to a folder") {
  std::string t = (std::filesystem::temp_directory_path() / "fd-badges-XXXXXX").string();
  REQUIRE(::mkdtemp(t.data()));
  auto engine = door(2);
  PrintOptions o;
  o.printer = "folder:" + t;
  o.idle_wait = std::chrono::milliseconds(50);
  {
    PrintWorker worker(*engine, o);
    engine->run(CheckInCode{"T1", Method::Qr});
    CHECK(wait_for([&] { return engine->snapshot()->queues.badge_jobs_open == 0; }, 30));
  }
  int pdfs = 0;
  for (const auto& e : std::filesystem::directory_iterator(t))
    pdfs += e.path().extension() == ".pdf";
  CHECK(pdfs == 1);
  std::filesystem::remove_all(t);
}

TEST_CASE("a job the printer aborts is marked failed with a reason - the door goes on") {
  IppPrinter printer("#!/bin/sh\nexit 1\n");  // e.g. the driver chokes on the job
  auto engine = door(2);
  PrintOptions o;
  o.printer = printer.uri();
  o.idle_wait = std::chrono::milliseconds(100);
  PrintWorker worker(*engine, o);
  CHECK(engine->run(CheckInCode{"T1", Method::Qr}).verdict == Verdict::Admitted);
  CHECK(wait_for([&] { return engine->snapshot()->queues.badge_jobs_failed == 1; }, 40));
  CHECK(engine->snapshot()->print_problem.find("gave up") != std::string::npos);
  CHECK(engine->run(CheckInCode{"T2", Method::Qr}).verdict == Verdict::Admitted);
}

TEST_CASE("a printer that dies mid-job gets the badge again when it is back - once") {
  IppPrinter printer("#!/bin/sh\nsleep 3\nexit 0\n");  // a slow label printer
  auto engine = door(1);
  PrintOptions o;
  o.printer = printer.uri();
  o.idle_wait = std::chrono::milliseconds(100);
  PrintWorker worker(*engine, o);
  CHECK(engine->run(CheckInCode{"T1", Method::Qr}).verdict == Verdict::Admitted);
  CHECK(wait_for([&] { return printer.received().size() == 1; }, 30));  // it is printing
  printer.stop();                                                       // and the power goes
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  CHECK(engine->snapshot()->queues.badge_jobs_open == 1);  // still owed
  for (const auto& f : printer.received()) std::filesystem::remove(f);
  printer.start();
  CHECK(wait_for([&] { return engine->snapshot()->queues.badge_jobs_open == 0; }, 40));
  CHECK(printer.received().size() == 1);  // sent again once, not twice
}
