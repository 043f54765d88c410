// Printing to a real IPP printer: ippeveprinter (CUPS's reference printer)
// on loopback, with its own D-Bus, keeping every job it receives.
#include <cairo.h>
#include <cups/cups.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "badge/BadgeRenderer.h"
#include "badge/IppPrinter.h"  // tests/badge
#include "badge/PrintSink.h"

extern char** environ;
using namespace fd;
using namespace fd::testing;
namespace fs = std::filesystem;

namespace {

PrintStatus follow(PrintSink& sink, const std::string& job) {
  PrintStatus st;
  for (int i = 0; i < 100; ++i) {
    st = sink.status(job);
    if (st.state == PrintState::Done || st.state == PrintState::Failed) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return st;
}

const BadgeData kAna{"Ana",     "García",   "Ana García", "Acme Corp", "",
                     "Speaker", "PyMeetup", "A1",         ""};

}  // namespace

TEST_CASE("a badge printed to an IPP printer arrives as a label-sized PDF with the name in it") {
  IppPrinter printer;
  const BadgeTemplate t = default_badge_template("dymo-99014");
  auto pdf = render_badge_pdf(kAna, t);
  REQUIRE(pdf.ok());
  auto sink = make_ipp_sink(printer.uri());
  auto job = sink->submit(*pdf, "badge-ana");
  REQUIRE_MESSAGE(job.ok(), (job.ok() ? "" : job.error().message));
  CHECK(follow(*sink, *job).state == PrintState::Done);
  const auto got = printer.received();
  REQUIRE(got.size() == 1);
  const std::string info = run("pdfinfo '" + got[0].string() + "'");
  double w = 0, h = 0;
  const auto at = info.find("Page size:");
  REQUIRE(at != std::string::npos);
  REQUIRE(std::sscanf(info.c_str() + at, "Page size: %lf x %lf", &w, &h) == 2);
  CHECK(std::abs(w - 54 * 72 / 25.4) < 0.5);
  CHECK(std::abs(h - 101 * 72 / 25.4) < 0.5);
  CHECK(run("pdftotext '" + got[0].string() + "' -").find("Ana") != std::string::npos);
  // Rendered as the printer would: nothing in the margin the printer cannot reach.
  const fs::path png = printer.dir / "page";
  run("pdftoppm -r 150 -gray -singlefile -png '" + got[0].string() + "' '" + png.string() + "'");
  cairo_surface_t* img = cairo_image_surface_create_from_png((png.string() + ".png").c_str());
  REQUIRE(cairo_surface_status(img) == CAIRO_STATUS_SUCCESS);
  const int iw = cairo_image_surface_get_width(img), ih = cairo_image_surface_get_height(img);
  const int stride = cairo_image_surface_get_stride(img);
  const unsigned char* px = cairo_image_surface_get_data(img);
  const int margin = static_cast<int>(t.label.margin_mm / 25.4 * 150) - 1;
  long inked_in_margin = 0, inked = 0;
  for (int y = 0; y < ih; ++y)
    for (int x = 0; x < iw; ++x) {
      const bool ink = px[y * stride + x * 4] < 200;
      inked += ink;
      if (ink && (x < margin || y < margin || x >= iw - margin || y >= ih - margin))
        ++inked_in_margin;
    }
  cairo_surface_destroy(img);
  CHECK(inked > 1000);
  CHECK(inked_in_margin == 0);
}

TEST_CASE(
    "a printer that is gone is a quick plain error - and printing works again when it is back") {
  IppPrinter printer;
  auto pdf = render_badge_pdf(kAna, default_badge_template());
  REQUIRE(pdf.ok());
  auto sink = make_ipp_sink(printer.uri());
  REQUIRE(sink->submit(*pdf, "first").ok());
  printer.stop();  // unplugged mid-evening
  const auto t0 = std::chrono::steady_clock::now();
  auto failed = sink->submit(*pdf, "second");
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message.find("offline") != std::string::npos);
  CHECK(secs < 12);  // a dead printer never hangs the print worker
  const PrintStatus gone = sink->status("1");
  CHECK(gone.reason == "offline");
  CHECK(gone.retryable);
  printer.start();  // plugged back in
  auto again = sink->submit(*pdf, "second");
  REQUIRE_MESSAGE(again.ok(), (again.ok() ? "" : again.error().message));
  CHECK(follow(*sink, *again).state == PrintState::Done);
}

TEST_CASE("printer problems in plain words") {
  CHECK(printer_problem_in_words("media-empty-error") == "Printer out of labels");
  CHECK(printer_problem_in_words("media-jam-warning") == "Labels jammed in the printer");
  CHECK(printer_problem_in_words("door-open") == "The printer's cover is open");
  CHECK(printer_problem_in_words("none").empty());
}

TEST_CASE(
    "a printer asked directly tells its state and media - without CUPS the list says how to fix "
    "it") {
  IppPrinter printer;
  auto info = query_printer(printer.uri());
  REQUIRE_MESSAGE(info.ok(), (info.ok() ? "" : info.error().message));
  CHECK(info->state == "idle");
  CHECK(info->accepting);
  CHECK_FALSE(info->media.empty());
  printer.stop();
  auto gone = query_printer(printer.uri());
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().message.find("offline") != std::string::npos);
  // This machine runs no CUPS scheduler: the list must say so in plain words, not hang.
  auto all = list_printers();
  if (!all.ok()) CHECK(all.error().message.find("CUPS is not reachable") != std::string::npos);
}

TEST_CASE(
    "printers: a print server that answers with no queue is 'add one' - none is 'start CUPS'") {
  // Something answers IPP at the address CUPS is asked at, with no queue
  // to list (ippeveprinter lists none): the organizer is told to add the
  // label printer, not to start a CUPS that runs.
  IppPrinter answering;
  cupsSetServer(("localhost:" + std::to_string(answering.port)).c_str());
  const auto none = list_printers();
  CHECK_MESSAGE(none.ok(), (none.ok() ? "" : none.error().message));
  if (none.ok()) CHECK(none->empty());
  // Nothing answers there: CUPS is not running, and that is what is said.
  cupsSetServer(("localhost:" + std::to_string(free_port())).c_str());
  const auto down = list_printers();
  REQUIRE_FALSE(down.ok());
  CHECK(down.error().message.find("CUPS is not reachable") != std::string::npos);
  cupsSetServer(nullptr);
}
