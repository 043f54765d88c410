// frontdesk bench store|search|import|latency|badge|ui|web (scan: BenchScan.cpp): medians and p99s
// of what the door waits for. Benchmarks, not tests: they print figures and never fail on them.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "app/BenchFixtures.h"
#include "app/BenchKiosk.h"
#include "app/BenchScan.h"
#include "app/BenchStats.h"
#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "app/WebBench.h"
#include "badge/BadgeRenderer.h"
#include "camera/Camera.h"
#include "camera/FrameSource.h"
#include "import/Csv.h"
#include "import/Importer.h"
#include "scan/Scanner.h"
#include "search/SearchIndex.h"
#include "search/Synthetic.h"
#include "sync/SyncWorker.h"

namespace fd {
namespace {

// A webhook receiver on loopback, for `bench store --with-sync`: the sync
// worker delivers every check-in while the door keeps checking people in.
class BenchReceiver {
 public:
  BenchReceiver() {
    server_.Post("/hook", [this](const httplib::Request&, httplib::Response& res) {
      ++received_;
      res.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ~BenchReceiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  int received() const { return received_; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::atomic<int> received_{0};
  std::thread thread_;
};

int bench_store(const std::string& dir, int checkins, std::size_t attendees,
                bool with_sync = false) {
  const auto tmp = make_temp_dir(dir);
  int rc = exit_code::ok;
  {
    auto opened = Engine::open(tmp / "bench.db", bench_options("Bench night", true));
    if (!opened) throw std::runtime_error(opened.error().message);
    Engine& engine = **opened;
    engine.run(MergeImport{synthetic_batch(attendees, 7), "synthetic", false});
    std::unique_ptr<BenchReceiver> receiver;
    std::unique_ptr<SyncWorker> sync;
    if (with_sync) {
      receiver = std::make_unique<BenchReceiver>();
      Config c;
      c.webhook = WebhookSettings{receiver->url(), "bench-secret"};
      SyncWorkerOptions so;
      so.idle_poll = std::chrono::milliseconds(100);
      sync = std::make_unique<SyncWorker>(
          engine, [c] { return make_connectors(c, ConnectorOptions{}); }, so);
    }
    const auto snap = engine.snapshot();
    std::vector<double> times;
    const int n = std::min<int>(checkins, static_cast<int>(snap->roster->size()));
    for (int i = 0; i < n; ++i) {
      const std::int64_t id = (*snap->roster)[static_cast<std::size_t>(i)].id;
      const auto t0 = Clock::now();
      const Decision d = engine.run(CheckInAttendee{id, Method::Search});
      times.push_back(ms_since(t0));
      if (d.verdict != Verdict::Admitted) rc = exit_code::failure;
    }
    std::cout << "bench store: " << n << " check-ins on " << attendees
              << " attendees, each acknowledged after a durable (WAL, synchronous=FULL) commit"
              << (with_sync ? ", a sync worker delivering each to a loopback webhook" : "") << "\n"
              << "  store: " << (tmp / "bench.db").string() << "\n";
    print_summary(
        with_sync ? "check-in decision incl. commit, sync on" : "check-in decision incl. commit",
        summarize(times), "p99 <= 10 ms");
    if (sync) {
      for (int i = 0; i < 300 && engine.snapshot()->queues.outbox_pending; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      std::cout << "  the sync worker delivered " << receiver->received() << " of " << n
                << " check-ins meanwhile\n";
    }
  }
  std::filesystem::remove_all(tmp);
  return rc;
}

// The cost of one truth across processes: another process (engine B, its
// own connection, as the CLI or a second kiosk) writes; the kiosk's engine
// (A) catches up. Reports what A's catch-up costs and how long until A's
// snapshot shows the change, for check-ins and for a re-import.
int bench_refresh(const std::string& dir, std::size_t attendees, int checkins, int imports) {
  const auto tmp = make_temp_dir(dir);
  const auto db = tmp / "refresh.db";
  {
    auto b = Engine::open(db, bench_options("Bench night", true));
    if (!b) throw std::runtime_error(b.error().message);
    Engine& writer = **b;
    ImportBatch batch = synthetic_batch(attendees, 7);
    writer.run(MergeImport{batch, "synthetic", false});
    auto a = Engine::open(db, bench_options("Bench night", true));
    if (!a) throw std::runtime_error(a.error().message);
    Engine& kiosk = **a;
    const auto roster = kiosk.snapshot()->roster;
    // Waits for the kiosk's snapshot to change; returns the delay.
    const auto await_change = [&](std::uint64_t version) {
      const auto t0 = Clock::now();
      while (kiosk.snapshot()->version == version)
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      return ms_since(t0);
    };
    std::vector<double> cost, delay;
    for (int i = 0; i < checkins; ++i) {
      const std::uint64_t v = kiosk.snapshot()->version;
      writer.run(CheckInAttendee{(*roster)[static_cast<std::size_t>(i) % roster->size()].id,
                                 Method::Search});
      delay.push_back(await_change(v));
      cost.push_back(kiosk.snapshot()->catch_up_ms);
    }
    std::vector<double> import_cost, import_delay;
    std::mt19937_64 rng(3);
    for (int r = 0; r < imports; ++r) {
      // A newer export: 1% changed (RSVPs, companies), 1% new people.
      for (std::size_t k = 0; k < attendees / 100; ++k) {
        AttendeeRow& row = batch.rows[rng() % batch.rows.size()];
        row.company = "Changed " + std::to_string(r);
      }
      ImportBatch more = synthetic_batch(attendees / 100, 1000 + r);
      for (AttendeeRow& row : more.rows) {
        row.external_id = "new-" + std::to_string(r) + "-" + row.external_id;
        row.ticket_code = "N" + std::to_string(r) + row.ticket_code;
        batch.rows.push_back(row);
      }
      const std::uint64_t v = kiosk.snapshot()->version;
      writer.run(MergeImport{batch, "newer export", false});
      import_delay.push_back(await_change(v));
      import_cost.push_back(kiosk.snapshot()->catch_up_ms);
    }
    std::cout << "  " << attendees
              << " attendees (the kiosk's engine looks every 200 ms when idle):\n";
    print_summary("catch-up after another's check-in", summarize(cost), "");
    print_summary("  until the kiosk shows it", summarize(delay), "<= 1000 ms");
    print_summary("catch-up after another's re-import", summarize(import_cost), "");
    print_summary("  until the kiosk shows it", summarize(import_delay), "<= 1000 ms");
  }
  std::filesystem::remove_all(tmp);
  return exit_code::ok;
}

// Splits a UTF-8 string into its prefixes at code point boundaries: what a
// person has typed after each keystroke.
std::vector<std::string> keystrokes(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t i = 1; i <= s.size(); ++i)
    if (i == s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80)
      out.push_back(s.substr(0, i));
  return out;
}

void bench_search_size(std::size_t n) {
  auto docs = synthetic_people(n, 42);
  std::mt19937_64 rng(1);
  std::vector<std::string> typed;
  for (int q = 0; q < 300; ++q) {
    const std::string& name = docs[rng() % docs.size()].name;
    for (auto& k : keystrokes(name)) typed.push_back(std::move(k));
    // A typo in the middle of a surname, as people type in a hurry.
    std::string typo = name;
    if (typo.size() > 6) std::swap(typo[typo.size() - 2], typo[typo.size() - 3]);
    typed.push_back(typo);
  }
  const auto t0 = Clock::now();
  const auto index = SearchIndex::build(std::move(docs));
  const double build_ms = ms_since(t0);
  std::vector<double> times;
  times.reserve(typed.size());
  std::size_t found = 0;
  for (const std::string& q : typed) {
    const auto t1 = Clock::now();
    found += index->find(q, 10).size();
    times.push_back(ms_since(t1));
  }
  std::cout << "  " << n << " attendees: index built in " << std::fixed << std::setprecision(1)
            << build_ms << " ms; " << typed.size() << " keystrokes, " << found << " results\n";
  print_summary("find() per keystroke, " + std::to_string(n), summarize(times),
                n <= 3000 ? "p99 <= 2 ms" : "p99 <= 20 ms");
}

int bench_import(const std::string& dir, std::size_t rows, int runs) {
  const auto tmp = make_temp_dir(dir);
  const auto csv_path = tmp / "attendees.csv";
  {
    std::vector<std::vector<std::string>> table;
    table.push_back({"Ticket code", "First name", "Last name", "Email", "Company", "Ticket type",
                     "Role", "RSVP", "Guests", "Member ID"});
    std::size_t i = 0;
    for (const SearchDoc& d : synthetic_people(rows, 3)) {
      const auto space = d.name.find(' ');
      table.push_back({"C" + std::to_string(5000000 + i), d.name.substr(0, space),
                       space == std::string::npos ? "" : d.name.substr(space + 1),
                       "p" + std::to_string(i) + "@example.org", d.company, "General admission", "",
                       i % 10 == 0 ? "waitlist" : "yes", i % 7 == 0 ? "1" : "0",
                       "m" + std::to_string(i)});
      ++i;
    }
    std::ofstream(csv_path, std::ios::binary) << write_csv(table);
  }
  const auto bytes = std::filesystem::file_size(csv_path);
  std::vector<double> parse, merge, total;
  for (int r = 0; r < runs; ++r) {
    const auto db = tmp / ("run" + std::to_string(r) + ".db");
    auto opened = Engine::open(db, bench_options("Bench night", false));
    if (!opened) throw std::runtime_error(opened.error().message);
    Engine& engine = **opened;
    const auto t0 = Clock::now();
    auto batch = read_attendee_file(csv_path, ImportOptions{});
    if (!batch) throw std::runtime_error(batch.error().message);
    const double p = ms_since(t0);
    const auto t1 = Clock::now();
    const Decision d = engine.run(MergeImport{std::move(*batch), csv_path.string(), false});
    merge.push_back(ms_since(t1));
    parse.push_back(p);
    total.push_back(ms_since(t0));
    if (d.import.added != static_cast<int>(rows))
      throw std::runtime_error("imported " + std::to_string(d.import.added) + " of " +
                               std::to_string(rows));
  }
  std::cout << "bench import: " << rows << "-row CSV (" << bytes / 1024 << " KiB), " << runs
            << " runs, each into a fresh store (merge includes the search index build)\n";
  print_summary("read + decode + parse + map", summarize(parse), "");
  print_summary("merge in one transaction + index", summarize(merge), "");
  print_summary("total", summarize(total), "<= 2000 ms");
  std::filesystem::remove_all(tmp);
  return exit_code::ok;
}

// From the first camera frame in which a ticket is in view to the engine's
// committed decision, with the synthetic 30 fps camera: what a person at
// the door waits for.
int bench_latency(const std::string& dir, int count) {
  const auto tmp = make_temp_dir(dir);
  int rc = exit_code::ok;
  {
    auto opened = Engine::open(tmp / "latency.db", bench_options("Latency night", true));
    if (!opened) throw std::runtime_error(opened.error().message);
    Engine& engine = **opened;
    ImportBatch batch = synthetic_batch(static_cast<std::size_t>(count), 5);
    SyntheticOptions o;
    for (const auto& r : batch.rows) o.codes.push_back(r.ticket_code);
    engine.run(MergeImport{std::move(batch), "synthetic", false});
    o.fps = 30;
    o.show_frames = 4;
    o.gap_frames = 2;
    std::mutex m;
    std::condition_variable cv;
    std::deque<ScanEvent> events;
    Camera camera([o] { return Result<std::unique_ptr<FrameSource>>(make_synthetic(o)); });
    Scanner scanner(camera, [&](const ScanEvent& e) {
      std::lock_guard lock(m);
      events.push_back(e);
      cv.notify_one();
    });
    std::vector<double> ms, frames;
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < o.codes.size(); ++i) index[o.codes[i]] = i;
    const double frame_ms = 1000.0 / o.fps;
    std::cerr << "bench latency: " << count << " tickets shown one after another (about "
              << count * (o.show_frames + o.gap_frames) / 30 << " s)...\n";
    const auto deadline =
        Clock::now() + std::chrono::seconds(count * (o.show_frames + o.gap_frames) / 30 + 10);
    while (static_cast<int>(ms.size()) < count && Clock::now() < deadline) {
      ScanEvent e;
      {
        std::unique_lock lock(m);
        if (!cv.wait_for(lock, std::chrono::milliseconds(500), [&] { return !events.empty(); }))
          continue;
        e = events.front();
        events.pop_front();
      }
      const auto it = index.find(e.text);
      if (it == index.end()) continue;
      const Decision d = engine.run(CheckInCode{e.text, Method::Qr});
      if (d.verdict != Verdict::Admitted) rc = exit_code::failure;
      // The frame where the code first appeared was captured this long before the decoded one.
      const auto first = synthetic_first_frame(o, it->second % o.codes.size());
      const double late_frames = static_cast<double>(e.frame_source_sequence - first);
      frames.push_back(late_frames);
      ms.push_back(static_cast<double>(now_ms() - e.frame_at) + late_frames * frame_ms);
    }
    std::cout << "bench latency: synthetic camera at 30 fps, " << ms.size()
              << " tickets; from the first frame showing\n"
              << "  a ticket to the committed decision (decode + engine + durable commit)\n";
    print_summary("latency", summarize(ms), "within one frame: 33 ms");
    const Summary f = summarize(frames);
    std::printf("  %-44sframes late: median %.0f  p99 %.0f  max %.0f\n",
                "decoded in frame (0 = the first one)", f.median, f.p99, f.max);
  }
  std::filesystem::remove_all(tmp);
  return rc;
}

int bench_badge(int iterations) {
  const std::vector<BadgeData> people = {
      {"Ana", "García", "Ana García", "Acme Corp", "she/her", "Speaker", "PyMeetup", "A1", ""},
      {"María de los Ángeles", "Fernández-Villaverde y Castellanos", "", "Universidad Complutense",
       "", "", "PyMeetup", "A2", ""},
      {"芳", "王", "王芳", "東京ソフト株式会社", "", "", "PyMeetup", "A3", ""},
      {"محمد", "العلي", "محمد العلي", "Initech", "", "Organizer", "PyMeetup", "A4", ""}};
  std::cout
      << "bench badge: " << iterations
      << " renders per preset and format, cycling through four names (Latin, long, CJK, Arabic)\n";
  for (const char* preset : {"brother-62x100", "dymo-99014"}) {
    BadgeTemplate t = default_badge_template(preset);
    t.show_qr = true;
    std::vector<double> pdf, png;
    for (int i = 0; i < iterations; ++i) {
      const BadgeData& d = people[static_cast<std::size_t>(i) % people.size()];
      auto t0 = Clock::now();
      if (!render_badge_pdf(d, t)) return exit_code::failure;
      pdf.push_back(ms_since(t0));
      t0 = Clock::now();
      if (!render_badge_png(d, t)) return exit_code::failure;
      png.push_back(ms_since(t0));
    }
    print_summary(std::string(preset) + " PDF (for the printer)", summarize(pdf),
                  "median <= 50 ms");
    print_summary(std::string(preset) + " PNG at 300 dpi", summarize(png), "median <= 50 ms");
  }
  return exit_code::ok;
}

using Dir = std::shared_ptr<std::string>;

// bench store, refresh, search, import: the store and the list.
void add_bench_list(CLI::App* cmd, const Dir& dir, int& exit_status) {
  auto* store = cmd->add_subcommand("store", "Durable check-in commit latency");
  auto checkins = std::make_shared<int>(1000);
  auto attendees = std::make_shared<std::size_t>(3000);
  store->add_option("--checkins", *checkins, "How many check-ins");
  store->add_option("--attendees", *attendees, "List size");
  auto with_sync = std::make_shared<bool>(false);
  store->add_flag("--with-sync", *with_sync,
                  "Measure again with a sync worker delivering every check-in");
  store->callback([&exit_status, dir, checkins, attendees, with_sync] {
    exit_status = bench_store(*dir, *checkins, *attendees);
    if (*with_sync && exit_status == exit_code::ok)
      exit_status = bench_store(*dir, *checkins, *attendees, true);
  });

  auto* refresh = cmd->add_subcommand(
      "refresh", "What a kiosk pays to see other processes' check-ins and re-imports");
  auto refresh_sizes =
      std::make_shared<std::vector<std::size_t>>(std::vector<std::size_t>{3000, 100000});
  auto refresh_checkins = std::make_shared<int>(200);
  auto refresh_imports = std::make_shared<int>(5);
  refresh->add_option("--sizes", *refresh_sizes, "List sizes");
  refresh->add_option("--checkins", *refresh_checkins, "Check-ins by the other process");
  refresh->add_option("--imports", *refresh_imports, "Re-imports by the other process");
  refresh->callback([&exit_status, dir, refresh_sizes, refresh_checkins, refresh_imports] {
    std::cout
        << "bench refresh: another process writes to the store; the kiosk's engine catches up\n";
    for (std::size_t n : *refresh_sizes)
      exit_status = bench_refresh(*dir, n, *refresh_checkins, *refresh_imports);
  });

  auto* search =
      cmd->add_subcommand("search", "Search per keystroke on 3,000 and 100,000 attendees");
  auto sizes = std::make_shared<std::vector<std::size_t>>(std::vector<std::size_t>{3000, 100000});
  search->add_option("--sizes", *sizes, "List sizes");
  search->callback([&exit_status, sizes] {
    std::cout
        << "bench search: every prefix of 300 names as typed, plus a transposition typo each\n";
    for (std::size_t n : *sizes) bench_search_size(n);
    exit_status = exit_code::ok;
  });

  auto* import_cmd = cmd->add_subcommand("import", "Import of a 100,000-row CSV");
  auto rows = std::make_shared<std::size_t>(100000);
  auto runs = std::make_shared<int>(5);
  import_cmd->add_option("--rows", *rows, "Rows in the generated CSV");
  import_cmd->add_option("--runs", *runs, "Repetitions");
  import_cmd->callback(
      [&exit_status, dir, rows, runs] { exit_status = bench_import(*dir, *rows, *runs); });
}

// bench scan, latency, badge: the camera's tickets and the printer's badges.
void add_bench_door(CLI::App* cmd, const Dir& dir, int& exit_status) {
  auto* scan = cmd->add_subcommand(
      "scan",
      "QR codes read per condition and what each decoder pass adds, against zbarimg and "
      "ZXingReader");
  auto scan_opts = std::make_shared<BenchScanOptions>();
  scan_opts->samples = default_scan_samples();
  scan->add_option("dirs", scan_opts->dirs,
                   "More sets: one folder per condition, IMAGE.png|jpg + IMAGE.txt "
                   "(tests/scan/make-testset.sh, tests/scan/blackbox.sh)")
      ->check(CLI::ExistingDirectory);
  scan->add_option("--samples", scan_opts->samples, "The stored real-world set")
      ->capture_default_str();
  auto no_stored = std::make_shared<bool>(false), no_peers = std::make_shared<bool>(false);
  scan->add_flag("--no-samples", *no_stored, "Only the sets given as DIRS");
  scan->add_flag("--no-peers", *no_peers, "Frontdesk only (faster)");
  scan->add_flag("--list-misses", scan_opts->list_misses, "Name the images Frontdesk missed");
  scan->add_flag("--each-pass", scan_opts->each_pass,
                 "Also run each decoder pass alone: what it reads, and what only it reads");
  scan->callback([&exit_status, scan_opts, no_stored, no_peers] {
    scan_opts->stored = !*no_stored;
    scan_opts->peers = !*no_peers;
    exit_status = bench_scan(*scan_opts);
  });

  auto* latency = cmd->add_subcommand(
      "latency", "From a ticket appearing in the camera to the committed decision");
  auto lcount = std::make_shared<int>(520);
  latency->add_option("--count", *lcount, "Tickets to show");
  latency->callback([&exit_status, dir, lcount] { exit_status = bench_latency(*dir, *lcount); });

  auto* badge = cmd->add_subcommand("badge", "Badge render time (PDF and 300 dpi PNG)");
  auto biters = std::make_shared<int>(100);
  badge->add_option("--iterations", *biters, "Renders per preset and format");
  badge->callback([&exit_status, biters] { exit_status = bench_badge(*biters); });
}

// bench ui, idle, web: the kiosk's screen and the organizer web.
void add_bench_screens(CLI::App* cmd, const Dir& dir, int& exit_status) {
  auto* ui = cmd->add_subcommand(
      "ui", "Kiosk frame times with 3,000 attendees while searching (needs a display)");
  auto frames = std::make_shared<int>(600);
  auto ui_attendees = std::make_shared<std::size_t>(3000);
  ui->add_option("--frames", *frames, "Frames to render");
  ui->add_option("--attendees", *ui_attendees, "List size");
  ui->callback([&exit_status, dir, frames, ui_attendees] {
    exit_status = bench_ui(*dir, *ui_attendees, *frames);
  });

  auto* idle = cmd->add_subcommand(
      "idle", "Kiosk CPU with nobody at the door: no camera, and a camera on an empty hall");
  auto idle_seconds = std::make_shared<int>(10);
  idle->add_option("--seconds", *idle_seconds, "How long to measure each");
  idle->callback([&exit_status, dir, ui_attendees, idle_seconds] {
    exit_status = bench_idle(*dir, *ui_attendees, *idle_seconds);
  });

  auto* web = cmd->add_subcommand(
      "web", "Door check-ins with 50 phones on live views and 20 searches/s (loopback)");
  auto web_seconds = std::make_shared<int>(60);
  auto web_phones = std::make_shared<int>(50);
  auto web_searches = std::make_shared<int>(20);
  web->add_option("--seconds", *web_seconds, "Seconds of check-ins per phase (one a second)");
  web->add_option("--phones", *web_phones, "Live views held open");
  web->add_option("--searches", *web_searches, "Searches per second");
  web->callback([&exit_status, dir, web_seconds, web_phones, web_searches] {
    exit_status = bench_web(*dir, *web_seconds, *web_phones, *web_searches);
  });
}

}  // namespace

void add_bench_command(CLI::App& app, GlobalOptions&, int& exit_status) {
  auto* cmd = app.add_subcommand("bench", "Measure: store, search, import (medians and p99)");
  cmd->require_subcommand(1);
  auto dir = std::make_shared<std::string>(std::filesystem::temp_directory_path().string());
  cmd->add_option("--dir", *dir, "Where to put the throwaway stores (measures that disk)");
  add_bench_list(cmd, dir, exit_status);
  add_bench_door(cmd, dir, exit_status);
  add_bench_screens(cmd, dir, exit_status);
}

}  // namespace fd
