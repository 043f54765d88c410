// Several doors, one event, as real processes: `frontdesk serve` doors on
// loopback, each with its own store, every link between two doors going
// through a TCP proxy the test can cut (a partition) and restore (the heal).
// Check-ins are made at each door by an engine in this process, as a kiosk
// at that door would.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "TestSupport.h"
#include "doors/DoorAuth.h"
#include "engine/Engine.h"
#include "import/Csv.h"
#include "store/Store.h"

using namespace fd;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// A TCP forwarder on 127.0.0.1: the link from one door to another. cut()
// drops its connections and refuses new ones, as a pulled cable would.
class Link {
 public:
  Link() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(listener_, 64) == 0);
    socklen_t len = sizeof a;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
  }
  ~Link() {
    thread_.request_stop();
    thread_.join();
    ::close(listener_);
    for (auto& [a, b] : pairs_) {
      ::close(a);
      ::close(b);
    }
  }
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  void target(int port) { target_ = port; }
  void cut() { up_ = false; }
  void restore() { up_ = true; }
  bool up() const { return up_; }
  // A door cut off from the others reaches nobody by any address, also
  // those its peers told it of (another link's way in): requests it sends
  // (they name it in their door header) go nowhere.
  void refuse_from(const std::string& door) {
    std::lock_guard lock(refused_mutex_);
    refused_ = door;
  }

 private:
  bool refused(int client) const {
    std::string door;
    {
      std::lock_guard lock(refused_mutex_);
      door = refused_;
    }
    if (door.empty()) return false;
    // The request head comes right after the connect; a door's request is
    // one per connection, so its first bytes say who sends it.
    pollfd p{client, POLLIN, 0};
    if (::poll(&p, 1, 500) <= 0) return false;
    char head[4096];
    const ssize_t n = ::recv(client, head, sizeof head, MSG_PEEK);
    return n > 0 &&
           std::string_view(head, static_cast<std::size_t>(n)).find(door) != std::string_view::npos;
  }

  int connect_target() const {
    const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(target_.load()));
    if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(s);
      return -1;
    }
    return s;
  }
  void run(std::stop_token stop) {
    char buf[16384];
    while (!stop.stop_requested()) {
      if (!up_) {  // the cable is out: every connection drops
        for (auto& [a, b] : pairs_) {
          ::close(a);
          ::close(b);
        }
        pairs_.clear();
      }
      std::vector<pollfd> fds{{listener_, POLLIN, 0}};
      for (auto& [a, b] : pairs_) {
        fds.push_back({a, POLLIN, 0});
        fds.push_back({b, POLLIN, 0});
      }
      if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
      if (fds[0].revents & POLLIN) {
        const int c = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        const int t = c >= 0 && up_ && target_ && !refused(c) ? connect_target() : -1;
        if (t < 0) {
          if (c >= 0) ::close(c);
        } else {
          pairs_.emplace_back(c, t);
        }
      }
      std::set<std::size_t> dead;
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        const std::size_t pair = (i - 1) / 2;
        const int from = fds[i].fd;
        const int to = (i - 1) % 2 == 0 ? pairs_[pair].second : pairs_[pair].first;
        const ssize_t n = ::read(from, buf, sizeof buf);
        if (n <= 0 || ::send(to, buf, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n)
          dead.insert(pair);
      }
      for (auto it = dead.rbegin(); it != dead.rend(); ++it) {
        ::close(pairs_[*it].first);
        ::close(pairs_[*it].second);
        pairs_.erase(pairs_.begin() + static_cast<long>(*it));
      }
    }
  }
  int listener_ = -1;
  int port_ = 0;
  std::atomic<int> target_{0};
  std::atomic<bool> up_{true};
  mutable std::mutex refused_mutex_;
  std::string refused_;                     // a door id; guarded by refused_mutex_
  std::vector<std::pair<int, int>> pairs_;  // run() only
  std::jthread thread_;
};

std::string fd_binary() {
  const char* b = std::getenv("FD_BINARY");
  REQUIRE_MESSAGE(b, "FD_BINARY must point at the frontdesk binary");
  return b;
}

using fd::test::run;
using fd::test::wait_for;

// One door: a store and config of its own, `frontdesk serve` on loopback,
// and an engine here that checks people in at it (its kiosk).
struct Door {
  int number = 0;
  fs::path dir;
  std::vector<std::string> launcher;  // runs `frontdesk serve` (faketime: a clock off)
  std::unique_ptr<fd::test::Spawned> serve;
  int port = 0;
  std::unique_ptr<Engine> kiosk;
  std::unique_ptr<Store> reader;  // to look into its store

  std::string cli() const {
    return fd::test::frontdesk_at(dir) + "--door 'door " + std::to_string(number) + "' ";
  }
  void configure(const std::vector<std::string>& peers, bool discover = false) const {
    std::ofstream f(dir / "frontdesk.toml");
    f << "[doors]\ndiscover = " << (discover ? "true" : "false") << "\npeers = [";
    for (std::size_t i = 0; i < peers.size(); ++i) f << (i ? ", " : "") << "\"" << peers[i] << "\"";
    f << "]\n";
  }
  // On loopback only; or also on the LAN (as at a venue), where it
  // advertises its LAN address unless told otherwise.
  void start(const std::string& advertise = "none", bool lan = false) {
    const fs::path log = dir / "serve.log";
    std::vector<std::string> args{fd_binary(),
                                  "--data-dir",
                                  dir.string(),
                                  "--config-dir",
                                  dir.string(),
                                  "--door",
                                  "door " + std::to_string(number),
                                  "serve",
                                  "--listen",
                                  lan ? "0.0.0.0" : "127.0.0.1",
                                  "--port",
                                  "0"};
    if (lan) args.insert(args.end(), {"--loopback-port", "0"});
    if (!advertise.empty()) args.insert(args.end(), {"--advertise", advertise});
    args.insert(args.begin(), launcher.begin(), launcher.end());
    const std::size_t earlier = fd::test::read_file(log).size();  // a run before a restart
    serve = std::make_unique<fd::test::Spawned>(args, log);
    port = fd::test::served_port(log, earlier);
    REQUIRE_MESSAGE(port != 0, "door " << number << " did not start: " << fd::test::read_file(log));
  }
  void stop(int sig = SIGTERM) {
    if (!serve) return;
    serve->stop(sig);
    serve.reset();
  }
  void open_kiosk() {
    EngineOptions o;
    o.door = "door " + std::to_string(number);
    o.watch_interval = std::chrono::milliseconds(50);
    auto e = Engine::open(dir / "frontdesk.db", o);
    REQUIRE_MESSAGE(e.ok(), e.error().message);
    kiosk = std::move(*e);
    auto s = Store::open(dir / "frontdesk.db");
    REQUIRE(s.ok());
    reader = std::move(*s);
  }
  bool has(const std::string& uuid) {
    auto tx = reader->begin_read();
    return reader->log_entry(uuid).has_value();
  }
  std::set<std::string> log_uuids() {
    auto tx = reader->begin_read();
    std::set<std::string> out;
    const auto ev = reader->events();
    for (const EventRecord& e : ev)
      for (const LogEntry& l : reader->log(e.id)) out.insert(l.uuid);
    return out;
  }
  nlohmann::json status() { return nlohmann::json::parse(run(cli() + "doors status --json")); }
};

struct Mesh {
  fs::path root;
  std::vector<std::unique_ptr<Door>> doors;
  // links[{from, to}]: how door `from` reaches door `to`.
  std::map<std::pair<int, int>, std::unique_ptr<Link>> links;

  explicit Mesh(int n) {
    std::string t = (fs::temp_directory_path() / "fd-doors-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()));
    root = t;
    for (int i = 1; i <= n; ++i) add_door(i);
  }
  ~Mesh() {
    for (auto& d : doors) d->stop();
    for (auto& d : doors) d->kiosk.reset();
    std::error_code ec;
    // FD_KEEP=1 keeps the doors' stores and serve.log files to look into.
    if (!std::getenv("FD_KEEP")) fs::remove_all(root, ec);
  }
  Door& door(int i) { return *doors[static_cast<std::size_t>(i - 1)]; }
  void add_door(int i) {
    auto d = std::make_unique<Door>();
    d->number = i;
    d->dir = root / ("door" + std::to_string(i));
    fs::create_directories(d->dir);
    doors.push_back(std::move(d));
    for (int j = 1; j < i; ++j) {
      links[{i, j}] = std::make_unique<Link>();
      links[{j, i}] = std::make_unique<Link>();
    }
  }
  std::vector<std::string> peers_of(int i) {
    std::vector<std::string> out;
    for (auto& [k, l] : links)
      if (k.first == i) out.push_back(l->address());
    return out;
  }
  void wire(int i) {  // door i started: its incoming links point at it
    for (auto& [k, l] : links)
      if (k.second == i) l->target(door(i).port);
  }
  // Door i cut off: its links and every way anyone told it of.
  void partition(int i, bool cut) {
    for (auto& [k, l] : links) {
      if (k.first == i || k.second == i) cut ? l->cut() : l->restore();
      l->refuse_from(cut ? door(i).kiosk->device_id() : "");
    }
  }
  // Waits until every door's store holds the same log; returns how long.
  double converge(std::chrono::seconds limit) {
    const auto t0 = Clock::now();
    for (;;) {
      std::set<std::string> first = doors.front()->log_uuids();
      bool same = true;
      for (auto& d : doors) same = same && d->log_uuids() == first;
      if (same) return std::chrono::duration<double>(Clock::now() - t0).count();
      if (Clock::now() - t0 > limit) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
};

void write_list(const fs::path& file, int people) {
  std::vector<std::vector<std::string>> rows{{"ID", "Name", "Email", "Ticket code"}};
  for (int i = 1; i <= people; ++i)
    rows.push_back({std::to_string(i), "Person " + std::to_string(i),
                    "p" + std::to_string(i) + "@example.org", "T" + std::to_string(i)});
  std::ofstream(file, std::ios::binary) << write_csv(rows);
}

std::string check_in(Door& d, std::int64_t attendee) {
  const Decision r = d.kiosk->run(CheckInAttendee{attendee, Method::Search});
  return r.verdict == Verdict::Admitted ? r.checkin_uuid : "";
}

// Three doors: the first imports the list and pairs, the others join.
void bring_up(Mesh& m, int people) {
  write_list(m.root / "list.csv", people);
  Door& first = m.door(1);
  REQUIRE(run(first.cli() + "import '" + (m.root / "list.csv").string() +
              "' --event 'Doors Night' --capacity 0 -q")
              .find("added") != std::string::npos);
  for (std::size_t i = 1; i <= m.doors.size(); ++i)
    m.door(static_cast<int>(i)).configure(m.peers_of(static_cast<int>(i)));
  first.start();
  m.wire(1);
  for (std::size_t i = 2; i <= m.doors.size(); ++i) {
    const int n = static_cast<int>(i);
    const std::string code =
        run(first.cli() + "doors pair --address " + m.links[{n, 1}]->address() + " 2>/dev/null");
    const std::string last = code.substr(code.rfind("FDPAIR1:"));
    int rc = 0;
    const std::string joined =
        run(m.door(n).cli() + "doors join '" + last.substr(0, last.find('\n')) + "'", &rc);
    REQUIRE_MESSAGE(rc == 0, joined);
    CHECK(joined.find("Joined \"Doors Night\"") != std::string::npos);
    CHECK(joined.find(std::to_string(people) + " people") != std::string::npos);
    m.door(n).start();
    m.wire(n);
  }
  for (auto& d : m.doors) d->open_kiosk();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

TEST_CASE(
    "three doors converge - survive a partition - a kill - a late joiner - and list double "
    "entries") {
  Mesh m(3);
  bring_up(m, 300);

  // A burst: 20 people at each door, one after another as fast as a kiosk
  // decides; how long until the other two doors have each check-in.
  // A watcher looks into every store every few ms while the burst goes on,
  // so each delay is measured from the commit to the moment it arrived.
  struct Made {
    std::string uuid;
    int door;
    Clock::time_point at;
  };
  std::vector<Made> made;
  std::mutex made_mutex;
  std::vector<double> delays;
  std::atomic<bool> bursting{true};
  std::thread watcher([&] {
    std::set<std::pair<std::string, int>> seen;
    for (;;) {
      std::vector<Made> now_made;
      {
        std::lock_guard lock(made_mutex);
        now_made = made;
      }
      std::size_t waiting = 0;
      for (const Made& x : now_made)
        for (int d = 1; d <= 3; ++d) {
          if (d == x.door || seen.count({x.uuid, d})) continue;
          if (m.door(d).has(x.uuid)) {
            seen.insert({x.uuid, d});
            delays.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - x.at).count());
          } else {
            ++waiting;
          }
        }
      if (!bursting && waiting == 0) return;
      if (!bursting && now_made.size() * 2 == seen.size()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  for (int k = 0; k < 20; ++k)
    for (int d = 1; d <= 3; ++d) {
      const std::string u = check_in(m.door(d), 1 + k * 3 + (d - 1));
      REQUIRE(!u.empty());
      std::lock_guard lock(made_mutex);
      made.push_back({u, d, Clock::now()});
    }
  bursting = false;
  watcher.join();
  REQUIRE(delays.size() == 120);
  MESSAGE("burst of 60 check-ins at 3 doors: reached the other doors after p50 "
          << percentile(delays, 0.5) << " ms, p99 " << percentile(delays, 0.99) << " ms");
  CHECK(percentile(delays, 0.99) < 1000);
  // "Already checked in at 18:42 (door 2)" names the other door.
  const Decision again = m.door(1).kiosk->run(CheckInAttendee{2, Method::Search});
  CHECK(again.verdict == Verdict::AlreadyIn);
  CHECK(again.door == "door 2");

  // Door 3 is cut off. Both sides go on admitting; five people come in at
  // door 3 and, unknowingly, again at door 1 (double entries).
  const int partition_s = std::getenv("FD_DOORS_PARTITION_SECONDS")
                              ? std::atoi(std::getenv("FD_DOORS_PARTITION_SECONDS"))
                              : 60;
  m.partition(3, true);
  const auto cut_at = Clock::now();
  std::set<std::int64_t> conflicting;
  std::string at_door1;
  for (int k = 0; k < 10; ++k) {
    REQUIRE(!check_in(m.door(3), 100 + k).empty());         // only door 3 has these
    const std::string uuid = check_in(m.door(1), 120 + k);  // and these only doors 1 and 2
    REQUIRE(!uuid.empty());
    if (k == 1) at_door1 = uuid;
  }
  for (int k = 0; k < 5; ++k) {
    REQUIRE(!check_in(m.door(3), 140 + k).empty());
    REQUIRE(!check_in(m.door(1), 140 + k).empty());
    conflicting.insert(140 + k);
  }
  // Door 2 undoes a check-in made at door 1 once it has heard of it.
  wait_for([&] { return m.door(2).has(at_door1); }, std::chrono::seconds(5));
  CHECK(m.door(2).kiosk->run(Undo{"", 121}).verdict == Verdict::Undone);
  std::this_thread::sleep_for(std::chrono::seconds(std::max(35, partition_s)) -
                              (Clock::now() - cut_at));
  {
    // The organizers see it: door 3 not heard from, at door 1; doors 1
    // and 2 not heard from, at door 3.
    const auto s1 = m.door(1).status();
    bool door3_silent = false;
    for (const auto& d : s1["doors"])
      if (d["name"] == "door 3") door3_silent = d["silent_s"].get<int>() >= 30;
    CHECK_MESSAGE(door3_silent, s1.dump());
    const auto s3 = m.door(3).status();
    int others_silent = 0;
    for (const auto& d : s3["doors"]) others_silent += d["silent_s"].get<int>() >= 30;
    CHECK_MESSAGE(others_silent == 2, s3.dump());
  }
  m.partition(3, false);
  const double heal_s = m.converge(std::chrono::seconds(30));
  MESSAGE("partition of door 3 for "
          << std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - cut_at).count()
          << " s; after the heal every store held the same log in " << heal_s << " s");
  REQUIRE(heal_s >= 0);
  for (int d = 1; d <= 3; ++d) {
    // The kiosks' engines catch up with what their stores received.
    wait_for([&] { return m.door(d).kiosk->snapshot()->checked_in == 60 + 20 + 5 - 1; },
             std::chrono::seconds(5));
    const auto snap = m.door(d).kiosk->snapshot();
    std::set<std::int64_t> listed;
    for (const DoubleEntry& e : snap->double_entries) listed.insert(e.attendee_id);
    CHECK_MESSAGE(listed == conflicting,
                  "door " << d << " lists " << listed.size() << " double entries");
    // Nothing doubled in the counts: 60 + 20 + 5 - 1 undone.
    CHECK(snap->checked_in == 60 + 20 + 5 - 1);
  }
  const auto s2 = m.door(2).status();
  CHECK(s2["double_entries"].size() == 5);
  // Sync stays exactly-once across doors: each door's outbox holds the
  // check-ins and undos made at that door, none it received from the others.
  for (int d = 1; d <= 3; ++d) {
    Door& door = m.door(d);
    auto tx = door.reader->begin_read();
    const std::int64_t event_id = door.kiosk->snapshot()->event.id;
    std::set<std::string> own, queued;
    for (const LogEntry& l : door.reader->log(event_id))
      if (l.device_id == door.kiosk->device_id()) own.insert(l.uuid);
    for (const OutboxItem& o :
         door.reader->outbox_due(event_id, "webhook", now_ms() + 86'400'000, 100'000))
      queued.insert(o.key);
    CHECK_MESSAGE(queued == own, "door " << d << ": " << queued.size() << " queued to sync, "
                                         << own.size() << " made there");
    CHECK(!own.empty());
  }

  // Door 2 is killed mid-stream and comes back; nothing is lost.
  std::atomic<bool> busy{true};
  std::vector<std::string> during;
  std::mutex during_mutex;
  std::thread burst([&] {
    for (int k = 0; k < 30 && busy; ++k) {
      const std::string u = check_in(m.door(k % 2 ? 1 : 3), 160 + k);
      std::lock_guard lock(during_mutex);
      if (!u.empty()) during.push_back(u);
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
  });
  const auto made_so_far = [&] {
    std::lock_guard lock(during_mutex);
    return during.size();
  };
  REQUIRE(wait_for([&] { return made_so_far() >= 5; }, std::chrono::seconds(10)));
  m.door(2).stop(SIGKILL);
  // Door 2 stays down while the others admit more people.
  const std::size_t at_kill = made_so_far();
  REQUIRE(wait_for([&] { return made_so_far() >= at_kill + 10; }, std::chrono::seconds(10)));
  m.door(2).start();
  m.wire(2);
  burst.join();
  CHECK(m.converge(std::chrono::seconds(20)) >= 0);
  for (const std::string& u : during) CHECK(m.door(2).has(u));

  // A fourth door joins late with a pairing code: ready at once, then in step.
  m.add_door(4);
  for (int d = 1; d <= 3; ++d) m.wire(d);  // the new links into the doors that run
  Door& late = m.door(4);
  late.configure(m.peers_of(4));
  const std::string code =
      run(m.door(1).cli() + "doors pair --address " + m.links[{4, 1}]->address() + " 2>/dev/null");
  const auto t_join = Clock::now();
  int rc = 0;
  const std::string joined =
      run(late.cli() + "doors join '" +
              code.substr(code.rfind("FDPAIR1:"), code.rfind('\n') - code.rfind("FDPAIR1:")) + "'",
          &rc);
  REQUIRE_MESSAGE(rc == 0, joined);
  MESSAGE("a late door joined with 300 people and "
          << m.door(1).log_uuids().size() << " log entries in "
          << std::chrono::duration<double, std::milli>(Clock::now() - t_join).count() << " ms");
  // The others learn of door 4 from its greeting: it advertises its links' way in.
  late.start(m.links[{1, 4}]->address());
  m.wire(4);
  late.open_kiosk();
  const std::string at4 = check_in(late, 250);
  REQUIRE(!at4.empty());
  CHECK(m.converge(std::chrono::seconds(20)) >= 0);
  for (int d = 1; d <= 3; ++d) CHECK(m.door(d).has(at4));
  // Every store holds the same set of log events.
  const auto all = m.door(1).log_uuids();
  for (int d = 2; d <= 4; ++d) CHECK(m.door(d).log_uuids() == all);
}

TEST_CASE("walk-ins - a re-import and a door's clock travel between doors") {
  Mesh m(2);
  bring_up(m, 20);
  Door& one = m.door(1);
  Door& two = m.door(2);
  const auto named = [](Door& d, const std::string& name) {
    int n = 0;
    for (const AttendeeRecord& a : d.kiosk->attendees().get()) n += a.full_name == name;
    return n;
  };
  // The same walk-in registered at both doors is two people (an organizer
  // merges them); replication itself never makes a third.
  REQUIRE(one.kiosk->run(WalkIn{"Sam", "Walker", "", ""}).verdict == Verdict::Admitted);
  REQUIRE(two.kiosk->run(WalkIn{"Sam", "Walker", "", ""}).verdict == Verdict::Admitted);
  REQUIRE(m.converge(std::chrono::seconds(10)) >= 0);
  // Not synchronisation: the window in which a wrong third copy would
  // arrive (exchanges run every few hundred milliseconds).
  std::this_thread::sleep_for(std::chrono::seconds(1));
  for (Door* d : {&one, &two}) {
    CHECK(named(*d, "Sam Walker") == 2);
    CHECK(wait_for([&] { return d->kiosk->snapshot()->walk_ins == 2; }, std::chrono::seconds(2)));
  }
  // A newer export imported at door 1 (by the command line, as an organizer
  // would): a corrected name and a late registration reach door 2.
  std::vector<std::vector<std::string>> rows{{"ID", "Name", "Email", "Ticket code"}};
  for (int i = 1; i <= 21; ++i)
    rows.push_back({std::to_string(i), i == 5 ? "Persona Cinco" : "Person " + std::to_string(i),
                    "p" + std::to_string(i) + "@example.org", "T" + std::to_string(i)});
  std::ofstream(m.root / "newer.csv", std::ios::binary) << write_csv(rows);
  REQUIRE(run(one.cli() + "import '" + (m.root / "newer.csv").string() + "' -q")
              .find("1 added, 1 updated") != std::string::npos);
  const auto t0 = Clock::now();
  wait_for([&] { return named(two, "Persona Cinco") > 0 && named(two, "Person 21") > 0; },
           std::chrono::seconds(10));
  CHECK(named(two, "Persona Cinco") == 1);
  CHECK(named(two, "Person 5") == 0);
  CHECK(named(two, "Person 21") == 1);
  MESSAGE("a re-import at door 1 reached door 2 in "
          << std::chrono::duration<double, std::milli>(Clock::now() - t0).count() << " ms");
  CHECK(two.kiosk->run(CheckInCode{"T21"}).verdict == Verdict::Admitted);
  // Door 2 comes back with its clock three minutes fast (a Pi without a
  // clock battery): door 1 says so, and still takes its check-ins.
  two.stop();
  // libfaketime preloaded into frontdesk itself: the faketime wrapper would
  // fork, and stopping the door would stop the wrapper, not the door.
  std::string libfaketime;
  for (const auto& d : fs::directory_iterator("/usr/lib"))
    if (fs::exists(d.path() / "faketime" / "libfaketime.so.1"))
      libfaketime = (d.path() / "faketime" / "libfaketime.so.1").string();
  REQUIRE_MESSAGE(!libfaketime.empty(), "libfaketime is not installed (scripts/packages.txt)");
  two.launcher = {"env", "LD_PRELOAD=" + libfaketime, "FAKETIME=+3m",
                  "FAKETIME_DONT_FAKE_MONOTONIC=1"};
  two.start();
  m.wire(2);
  nlohmann::json status;
  for (const auto until = Clock::now() + std::chrono::seconds(10); Clock::now() < until;) {
    status = one.status();
    if (!status["doors"].empty() && status["doors"][0]["last_error"] == "" &&
        std::abs(status["doors"][0]["clock_offset_ms"].get<std::int64_t>() - 180'000) < 10'000)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  REQUIRE(status["doors"].size() == 1);
  CHECK(status["doors"][0]["last_error"] == "");
  CHECK_MESSAGE(
      std::abs(status["doors"][0]["clock_offset_ms"].get<std::int64_t>() - 180'000) < 10'000,
      status.dump());
  const std::string said = run(one.cli() + "doors status");
  CHECK_MESSAGE(said.find("its clock is 3 min ahead") != std::string::npos, said);
  const std::string late = check_in(two, 6);
  REQUIRE(!late.empty());
  CHECK(m.converge(std::chrono::seconds(10)) >= 0);
}

TEST_CASE("a door restored from an older copy - what it admits next still reaches the others") {
  Mesh m(2);
  bring_up(m, 60);
  Door& one = m.door(1);
  Door& two = m.door(2);
  for (int k = 1; k <= 5; ++k) REQUIRE(!check_in(two, k).empty());
  REQUIRE(m.converge(std::chrono::seconds(10)) >= 0);
  const fs::path copies = m.root / "copies";
  int rc = 0;
  const std::string made = run(two.cli() + "backup --to '" + copies.string() + "'", &rc);
  REQUIRE_MESSAGE(rc == 0, made);
  fs::path copy;
  for (const auto& f : fs::directory_iterator(copies)) copy = f.path();
  REQUIRE(!copy.empty());
  // Door 2 goes on after the copy; door 1 reads all of it.
  std::vector<std::string> after_copy;
  for (int k = 6; k <= 25; ++k) after_copy.push_back(check_in(two, k));
  REQUIRE(m.converge(std::chrono::seconds(10)) >= 0);
  // Door 2's disk dies; a volunteer restores the copy and it admits five
  // people before it serves again: its sequence numbers start again from
  // the copy's, below what door 1 had read of it.
  two.stop();
  two.kiosk.reset();
  two.reader.reset();
  const std::string restored = run(two.cli() + "restore --yes '" + copy.string() + "'", &rc);
  REQUIRE_MESSAGE(rc == 0, restored);
  two.open_kiosk();
  std::vector<std::string> after_restore;
  for (int k = 30; k <= 34; ++k) after_restore.push_back(check_in(two, k));
  two.start();
  m.wire(2);
  CHECK(m.converge(std::chrono::seconds(20)) >= 0);
  for (const std::string& u : after_restore) CHECK(one.has(u));  // nothing lost at door 1
  for (const std::string& u : after_copy) CHECK(two.has(u));     // door 2 has it all back
  for (Door* d : {&one, &two})
    CHECK(
        wait_for([&] { return d->kiosk->snapshot()->checked_in == 30; }, std::chrono::seconds(5)));
}

TEST_CASE("a door heard of by many addresses is one door - followed by any that works") {
  Mesh m(2);
  bring_up(m, 60);
  // Door 1 restarts with a config naming door 2 four ways (a LAN that
  // offers several routes, addresses told by other doors) and, by mistake,
  // itself.
  Door& one = m.door(1);
  one.stop();
  std::vector<std::unique_ptr<Link>> ways;
  for (int k = 0; k < 3; ++k) ways.push_back(std::make_unique<Link>());
  Link to_self;
  std::vector<std::string> peers{ways[0]->address(), m.links[{1, 2}]->address(), to_self.address(),
                                 ways[1]->address(), ways[2]->address()};
  one.configure(peers);
  one.start();
  m.wire(1);
  to_self.target(one.port);
  for (auto& w : ways) w->target(m.door(2).port);
  const std::string first = check_in(m.door(2), 1);
  REQUIRE(!first.empty());
  CHECK(m.converge(std::chrono::seconds(10)) >= 0);
  // Wait for the record to settle (saved every few seconds, as exchanges
  // end: people keep coming in at door 2), then look.
  nlohmann::json status;
  std::int64_t next_person = 3;
  for (const auto until = Clock::now() + std::chrono::seconds(20); Clock::now() < until;) {
    status = one.status();
    if (status["doors"].size() == 1 && status["doors"][0]["addresses"].size() == 4) break;
    check_in(m.door(2), next_person++);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  // The organizer sees one door 2, by name, with every way to it; this door
  // itself is not a door it follows.
  REQUIRE_MESSAGE(status["doors"].size() == 1, status.dump());
  const auto& two = status["doors"][0];
  CHECK(two["name"] == "door 2");
  CHECK(two["last_error"] == "");
  std::set<std::string> addresses(two["addresses"].begin(), two["addresses"].end());
  const std::set<std::string> every_way{ways[0]->address(), ways[1]->address(), ways[2]->address(),
                                        m.links[{1, 2}]->address()};
  CHECK_MESSAGE(addresses == every_way, status.dump());
  // Every way but one is cut, the one in use first: check-ins at door 2
  // still arrive, by the one left.
  std::vector<Link*> all{ways[0].get(), ways[1].get(), ways[2].get(), m.links[{1, 2}].get()};
  const std::string in_use = two["addresses"][0];
  std::stable_partition(all.begin(), all.end(), [&](Link* l) { return l->address() == in_use; });
  for (std::size_t k = 0; k + 1 < all.size(); ++k) all[k]->cut();
  const std::string later = check_in(m.door(2), 2);
  REQUIRE(!later.empty());
  const auto t0 = Clock::now();
  CHECK(wait_for([&] { return one.has(later); }, std::chrono::seconds(15)));
  MESSAGE("with three of its four ways cut, door 2's check-in reached door 1 in "
          << std::chrono::duration<double>(Clock::now() - t0).count() << " s");
}

// DNS-SD needs an Avahi daemon on the system D-Bus. The machine's own when
// it runs one (a Debian desktop, Raspberry Pi OS); else a private bus and
// daemon for this test (root, as in CI), on the machine's real interfaces.
struct Avahi {
  // What was started, stopped however the constructor ends.
  struct Started {
    fs::path dir;
    pid_t bus = 0;
    bool daemon = false;
    ~Started() {
      if (daemon) std::system("avahi-daemon -k 2>/dev/null");
      if (bus > 0) ::kill(bus, SIGTERM);
      if (!dir.empty()) {
        ::unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
        std::error_code ec;
        fs::remove_all(dir, ec);
      }
    }
  } started;
  Avahi() {
    if (std::system("avahi-daemon --check 2>/dev/null") == 0) return;
    REQUIRE_MESSAGE(::geteuid() == 0, "no Avahi daemon runs, and only root can start one");
    std::string t = (fs::temp_directory_path() / "fd-avahi-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()));
    const fs::path dir = started.dir = t;
    // The system bus's part Avahi needs: it owns its name, clients call it
    // and get its answers and signals.
    std::ofstream(dir / "bus.conf")
        << "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" "
           "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
           "<busconfig><type>system</type><listen>unix:path="
        << (dir / "bus").string()
        << "</listen><auth>EXTERNAL</auth><policy context=\"default\"><allow user=\"*\"/>"
           "<allow own=\"*\"/><allow send_destination=\"*\" eavesdrop=\"true\"/>"
           "<allow eavesdrop=\"true\"/></policy></busconfig>\n";
    const std::string pid = run("dbus-daemon --config-file='" + (dir / "bus.conf").string() +
                                "' --fork --nopidfile --print-pid=1");
    started.bus = std::atoi(pid.c_str());
    REQUIRE_MESSAGE(started.bus > 0, "dbus-daemon: " << pid);
    ::setenv("DBUS_SYSTEM_BUS_ADDRESS", ("unix:path=" + (dir / "bus").string()).c_str(), 1);
    std::ofstream(dir / "avahi.conf") << "[server]\nuse-ipv4=yes\nuse-ipv6=no\n"
                                         "[publish]\npublish-hinfo=no\npublish-workstation=no\n";
    int rc = 0;
    const std::string out = run("avahi-daemon -f '" + (dir / "avahi.conf").string() +
                                    "' --no-drop-root --no-chroot --no-rlimits -D 2>&1",
                                &rc);
    started.daemon = true;
    REQUIRE_MESSAGE(rc == 0, "avahi-daemon: " << out);
  }
};

TEST_CASE("doors on one LAN find each other by DNS-SD - no address needed") {
  Avahi avahi;
  Mesh m(2);
  write_list(m.root / "list.csv", 20);
  Door& one = m.door(1);
  Door& two = m.door(2);
  REQUIRE(
      run(one.cli() + "import '" + (m.root / "list.csv").string() + "' --event 'Doors Night' -q")
          .find("added") != std::string::npos);
  one.configure({}, true);
  two.configure({}, true);
  one.start("", true);
  // Door 2 joins through an address that is gone right after: from then on
  // it knows no way to door 1 but what the LAN announces.
  Link pairing;
  pairing.target(one.port);
  const std::string code =
      run(one.cli() + "doors pair --address " + pairing.address() + " 2>/dev/null");
  int rc = 0;
  const std::string joined =
      run(two.cli() + "doors join '" +
              code.substr(code.rfind("FDPAIR1:"), code.rfind('\n') - code.rfind("FDPAIR1:")) + "'",
          &rc);
  REQUIRE_MESSAGE(rc == 0, joined);
  pairing.cut();
  // The greeting told door 2 where else door 1 answers: forget that too.
  two.open_kiosk();
  auto known = two.kiosk->peers().get();
  REQUIRE(known.size() == 1);
  known[0].addresses.clear();
  REQUIRE(two.kiosk->run(SavePeer{known[0]}).verdict != Verdict::Failed);
  const auto t0 = Clock::now();
  two.start("", true);
  one.open_kiosk();
  const std::string at1 = check_in(one, 1);
  const std::string at2 = check_in(two, 2);
  REQUIRE(!at1.empty());
  REQUIRE(!at2.empty());
  wait_for([&] { return two.has(at1) && one.has(at2); },
           std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::seconds(20) -
                                                                 (Clock::now() - t0)));
  CHECK_MESSAGE(two.has(at1), fd::test::read_file(two.dir / "serve.log"));
  CHECK_MESSAGE(one.has(at2), fd::test::read_file(one.dir / "serve.log"));
  MESSAGE("door 2 found door 1 by DNS-SD and both check-ins crossed "
          << std::chrono::duration<double>(Clock::now() - t0).count() << " s after it started");
  // What door 2 knows of door 1 now: the address the LAN announced.
  const auto status = two.status();
  REQUIRE(status["doors"].size() == 1);
  CHECK(status["doors"][0]["name"] == "door 1");
  bool lan_address = false;
  for (const auto& a : status["doors"][0]["addresses"])
    lan_address = lan_address || (a != pairing.address() && a.get<std::string>().rfind("127.", 0));
  CHECK_MESSAGE(lan_address, status.dump() << "\npairing " << pairing.address() << " door 1 "
                                           << one.port << "\n"
                                           << fd::test::read_file(two.dir / "serve.log"));
}

TEST_CASE("a door answers nothing to an unpaired process or a wrong signature") {
  Mesh m(1);
  write_list(m.root / "list.csv", 10);
  Door& d = m.door(1);
  REQUIRE(run(d.cli() + "import '" + (m.root / "list.csv").string() + "' --event 'Doors Night' -q")
              .find("added") != std::string::npos);
  run(d.cli() + "doors pair --address 127.0.0.1:1 2>/dev/null");  // makes the secret
  d.configure({});
  d.start();
  const std::string base = "http://127.0.0.1:" + std::to_string(d.port);
  // Unpaired: no signature at all.
  std::string out = run("curl -s -o /dev/null -w '%{http_code}' " + base + "/doors/v1/attendees");
  CHECK(out == "401");
  // Paired with another secret: a well-formed signature that does not verify.
  const std::string wrong(32, 'x'), nonce = new_nonce();
  const std::string sig = door_signature(wrong, "GET /doors/v1/attendees", "intruder", nonce, "");
  out = run("curl -s -w ' %{http_code}' -H 'X-Frontdesk-Door: intruder' -H 'X-Frontdesk-Nonce: " +
            nonce + "' -H 'X-Frontdesk-Signature: " + sig + "' " + base + "/doors/v1/attendees");
  CHECK(out.find("401") != std::string::npos);
  CHECK(out.find("Person") == std::string::npos);  // no names leaked
  // The right secret gets the list.
  std::ifstream in(d.dir / "doors" / "doors-night.secret", std::ios::binary);
  const std::string secret((std::istreambuf_iterator<char>(in)), {});
  REQUIRE(secret.size() == 32);
  const std::string good = door_signature(secret, "GET /doors/v1/attendees", "friend", nonce, "");
  out = run("curl -s -H 'X-Frontdesk-Door: friend' -H 'X-Frontdesk-Nonce: " + nonce +
            "' -H 'X-Frontdesk-Signature: " + good + "' " + base + "/doors/v1/attendees");
  CHECK(out.find("Person 1") != std::string::npos);
  // The secret file is the owner's only.
  CHECK((fs::status(d.dir / "doors" / "doors-night.secret").permissions() &
         (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
}

TEST_CASE("soak: four doors check in one person a second each while links are cut and restored") {
  const int seconds =
      std::getenv("FD_DOORS_SOAK_SECONDS") ? std::atoi(std::getenv("FD_DOORS_SOAK_SECONDS")) : 40;
  Mesh m(4);
  bring_up(m, 3000);
  std::mt19937 rng(2026);
  std::vector<std::string> acked;
  int cuts = 0;
  const auto until = Clock::now() + std::chrono::seconds(seconds);
  for (int tick = 0; Clock::now() < until; ++tick) {
    const auto t0 = Clock::now();
    for (int d = 1; d <= 4; ++d) {
      // Mostly new people; one in ten someone another door may have let in.
      const std::int64_t who = rng() % 10 == 0 ? 1 + rng() % 200 : 1 + rng() % 3000;
      const std::string u = check_in(m.door(d), who);
      if (!u.empty()) acked.push_back(u);
    }
    for (auto& [k, l] : m.links)
      if (rng() % 40 == 0) {
        l->up() ? l->cut() : l->restore();
        ++cuts;
      }
    std::this_thread::sleep_until(t0 + std::chrono::seconds(1));
  }
  for (auto& [k, l] : m.links) l->restore();
  const double heal = m.converge(std::chrono::seconds(30));
  MESSAGE("soak: " << seconds << " s, 4 doors, " << acked.size() << " check-ins, " << cuts
                   << " link cuts/restores; converged " << heal << " s after the last heal");
  REQUIRE(heal >= 0);
  // Zero lost: every acknowledged check-in at every door.
  int lost = 0;
  for (int d = 1; d <= 4; ++d)
    for (const std::string& u : acked) lost += !m.door(d).has(u);
  CHECK(lost == 0);
  // Zero doubled in the counts, every double entry listed: the log's truth.
  std::map<std::int64_t, int> live;
  {
    Store& st = *m.door(1).reader;
    auto tx = st.begin_read();
    const auto ev = st.event_by_slug("doors-night");
    std::set<std::string> annulled;
    const auto log = st.log(ev->id);
    for (const LogEntry& e : log)
      if (e.kind == CheckInKind::Annul) annulled.insert(e.ref_uuid);
    for (const LogEntry& e : log)
      if (e.kind == CheckInKind::CheckIn && !annulled.count(e.uuid)) ++live[e.attendee_id];
  }
  std::set<std::int64_t> doubled_ids;
  for (const auto& [id, n] : live)
    if (n > 1) doubled_ids.insert(id);
  for (int d = 1; d <= 4; ++d) {
    // The kiosk's engine catches up with what its store received.
    wait_for(
        [&] {
          return static_cast<std::size_t>(m.door(d).kiosk->snapshot()->checked_in) == live.size();
        },
        std::chrono::seconds(5));
    const auto snap = m.door(d).kiosk->snapshot();
    CHECK(static_cast<std::size_t>(snap->checked_in) == live.size());
    CHECK(snap->double_entries.size() == doubled_ids.size());
  }
  MESSAGE("people in: " << live.size()
                        << ", double entries listed at every door: " << doubled_ids.size());
}

TEST_CASE("a door that serves another event joins with a code - and switches without a restart") {
  fd::test::TempDir root;
  struct Side {
    fs::path dir;
    std::string cli;
    std::unique_ptr<fd::test::Spawned> serve;
    int port = 0;
  };
  const auto side = [&](const std::string& name, const std::string& door) {
    Side s;
    s.dir = root.path / name;
    fs::create_directories(s.dir);
    std::ofstream(s.dir / "frontdesk.toml") << "[doors]\ndiscover = false\n";
    s.cli = fd::test::frontdesk_at(s.dir) + door;
    return s;
  };
  Side a = side("a", "--door 'Main door' "), b = side("b", "");
  std::ofstream(root.path / "list.csv") << "Name,Ticket code\nAna Lima,T1\nBo Li,T2\n";
  int rc = 0;
  for (auto [s, event] : {std::pair{&a, "Alpha"}, std::pair{&b, "Beta"}}) {
    run(s->cli + "import '" + (root.path / "list.csv").string() + "' --event " + event + " -q",
        &rc);
    REQUIRE(rc == 0);
    const std::vector<std::string> argv{
        fd_binary(), "--data-dir", s->dir.string(), "--config-dir", s->dir.string(),
        "serve",     "--listen",   "127.0.0.1",     "--port",       "0"};
    s->serve = std::make_unique<fd::test::Spawned>(argv, s->dir / "serve.log");
    s->port = fd::test::served_port(s->dir / "serve.log");
    REQUIRE_MESSAGE(s->port != 0, fd::test::read_file(s->dir / "serve.log"));
  }
  // Door B serves Beta; the organizer joins it to Alpha while it runs.
  const std::string paired =
      run(a.cli + "doors pair --address 127.0.0.1:" + std::to_string(a.port) + " 2>/dev/null");
  const std::string code = paired.substr(paired.rfind("FDPAIR1:"));
  const std::string joined =
      run(b.cli + "doors join '" + code.substr(0, code.find('\n')) + "'", &rc);
  REQUIRE_MESSAGE(rc == 0, joined);
  CHECK_MESSAGE(joined.find("switches to it within seconds") != std::string::npos, joined);
  // The running door follows: no restart, no second admission.
  CHECK_MESSAGE(wait_for(
                    [&] {
                      return fd::test::read_file(b.dir / "serve.log").find("switching to it") !=
                             std::string::npos;
                    },
                    std::chrono::seconds(15)),
                fd::test::read_file(b.dir / "serve.log"));
  CHECK(run(a.cli + "checkin T1", &rc).find("admitted") != std::string::npos);
  CHECK_MESSAGE(wait_for(
                    [&] {
                      const std::string s = run(b.cli + "--event alpha stats --json 2>/dev/null");
                      return s.find("\"checked_in\": 1") != std::string::npos ||
                             s.find("\"checked_in\":1") != std::string::npos;
                    },
                    std::chrono::seconds(15), std::chrono::milliseconds(250)),
                fd::test::read_file(b.dir / "serve.log"));
  const std::string again = run(b.cli + "--event alpha checkin T1", &rc);
  CHECK_MESSAGE(again.find("already-in") != std::string::npos, again);
  CHECK_MESSAGE(again.find("(Main door)") != std::string::npos, again);
}
