// Two doors on two machines, as two Raspberry Pis at a venue: two network
// namespaces joined by a veth pair (addresses from 198.51.100.0/24, a
// documentation range), each with its own mount namespace (a tmpfs over
// /run), hostname, system D-Bus and Avahi daemon, and each door's own HOME
// and XDG folders. The doors serve on ports of their own choosing, pair
// with the code `doors pair` prints, find each other by DNS-SD, and keep in
// step while the venue's DHCP renumbers them.
//
// It needs root, iproute2, util-linux (unshare, nsenter, setpriv), dbus and
// avahi-daemon; without them it fails and says so (CI runs it as root).
// Nothing outlives it: each machine is held by a shell that stops its
// daemons and exits when the test's end of its stdin closes, and the
// namespaces (with the veth pair) go with their last process.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "TestSupport.h"
#include "doors/Pairing.h"
#include "import/Csv.h"
#include "store/Store.h"

using namespace fd;
using fd::test::run;
using fd::test::Spawned;
using fd::test::wait_for;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string fd_binary() {
  const char* b = std::getenv("FD_BINARY");
  REQUIRE_MESSAGE(b, "FD_BINARY must point at the frontdesk binary");
  return b;
}

void require_tools() {
  REQUIRE_MESSAGE(::geteuid() == 0,
                  "this test makes network namespaces and starts system daemons: run it as root "
                  "(CI does)");
  for (const char* tool : {"ip", "unshare", "nsenter", "setpriv", "dbus-daemon", "avahi-daemon"}) {
    int rc = 0;
    run(std::string("command -v ") + tool + " >/dev/null", &rc);
    REQUIRE_MESSAGE(rc == 0, tool << " is missing: apt-get install iproute2 util-linux dbus "
                                     "avahi-daemon");
  }
}

// The shell that holds one machine's namespaces: /run of its own, a system
// bus and an Avahi daemon on it, until its stdin closes.
constexpr const char* kHolder = R"sh(
set -e
name=$1; dir=$2
hostname "fd-$name"
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/dbus /run/avahi-daemon
ip link set lo up
# As systemd sets it on every Debian machine (sysctl.d/50-default.conf): the
# next address takes over when DHCP removes the first, instead of going too.
echo 1 > /proc/sys/net/ipv4/conf/all/promote_secondaries
dbus-daemon --system --nofork --nopidfile & bus=$!
i=0; while [ ! -S /run/dbus/system_bus_socket ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
printf '[server]\nhost-name=fd-%s\nuse-ipv4=yes\nuse-ipv6=no\n[publish]\npublish-hinfo=no\npublish-workstation=no\n' "$name" > "$dir/$name-avahi.conf"
avahi-daemon -f "$dir/$name-avahi.conf" --no-chroot --no-drop-root --no-rlimits ${FD_AVAHI_DEBUG:+--debug} & avahi=$!
i=0; while [ ! -S /run/avahi-daemon/socket ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
[ -S /run/avahi-daemon/socket ] && echo ready
read line || true
kill $avahi $bus 2>/dev/null || true
wait
)sh";

class Machine {
 public:
  Machine(const std::string& name, const fs::path& dir)
      : name_(name),
        log_(dir / (name + "-machine.log")),
        holder_({"unshare", "--net", "--mount", "--uts", "--propagation", "private", "/bin/sh",
                 "-c", kHolder, "holder", name, dir.string()},
                log_) {
    REQUIRE_MESSAGE(
        wait_for([&] { return fd::test::read_file(log_).find("ready") != std::string::npos; },
                 std::chrono::seconds(20)),
        "machine " << name << " did not come up: " << fd::test::read_file(log_));
  }
  ~Machine() {
    holder_.close_stdin();  // it stops its daemons and ends
    holder_.wait(std::chrono::seconds(10));
  }
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  pid_t pid() const { return holder_.pid(); }
  void wait_for_mdns() const {
    REQUIRE_MESSAGE(wait_for(
                        [&] {
                          return fd::test::read_file(log_).find("Server startup complete") !=
                                 std::string::npos;
                        },
                        std::chrono::seconds(20)),
                    fd::test::read_file(log_));
  }
  // What runs a command on this machine.
  std::vector<std::string> enter() const {
    return {"nsenter", "-t", std::to_string(pid()), "-n", "-m", "-u", "--"};
  }
  std::string shell() const {
    std::string s;
    for (const std::string& a : enter()) s += a + " ";
    return s;
  }
  void ip(const std::string& args) const {
    int rc = 0;
    const std::string out = run(shell() + "ip " + args, &rc);
    REQUIRE_MESSAGE(rc == 0, "ip " << args << " on " << name_ << ": " << out);
  }

 private:
  std::string name_;
  fs::path log_;
  Spawned holder_;
};

// 127.0.0.1:port inside a machine: a door there that dials another
// machine's loopback address (which names the dialling machine itself)
// reaches this, and is counted.
class LoopbackTrap {
 public:
  LoopbackTrap(const Machine& m, int port) {
    thread_ = std::jthread([this, pid = m.pid(), port](std::stop_token stop) {
      // A network namespace is a thread's: only this thread enters it.
      const int ns = ::open(("/proc/" + std::to_string(pid) + "/ns/net").c_str(), O_RDONLY);
      const bool entered = ns >= 0 && ::setns(ns, CLONE_NEWNET) == 0;
      if (ns >= 0) ::close(ns);
      const int s = entered ? ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0) : -1;
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(static_cast<std::uint16_t>(port));
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      const bool up = s >= 0 && ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                      ::listen(s, 16) == 0;
      state_ = up ? 1 : -1;
      while (up && !stop.stop_requested()) {
        pollfd p{s, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        const int c = ::accept4(s, nullptr, nullptr, SOCK_CLOEXEC);
        if (c >= 0) {
          ++hits_;
          ::close(c);
        }
      }
      if (s >= 0) ::close(s);
    });
    REQUIRE(wait_for([&] { return state_ != 0; }, std::chrono::seconds(5)));
    REQUIRE_MESSAGE(state_ == 1, "cannot listen on 127.0.0.1:" << port << " in the namespace");
  }
  int hits() const { return hits_; }

 private:
  std::atomic<int> state_{0};
  std::atomic<int> hits_{0};
  std::jthread thread_;  // last: stopped first
};

// A door on a machine: `frontdesk serve` on ports of its own, its HOME and
// XDG folders, and the command line at it.
struct Door {
  const Machine& machine;
  fs::path home;
  int port = 0, loopback_port = 0;
  std::unique_ptr<Spawned> serve;
  std::unique_ptr<Store> reader;

  Door(const Machine& m, const fs::path& dir, int p, int lp)
      : machine(m), home(dir), port(p), loopback_port(lp) {
    fs::create_directories(home);
  }
  std::vector<std::string> env() const {
    return {"env",
            "HOME=" + home.string(),
            "XDG_CONFIG_HOME=" + (home / "config").string(),
            "XDG_DATA_HOME=" + (home / "data").string(),
            "XDG_STATE_HOME=" + (home / "state").string(),
            "XDG_CACHE_HOME=" + (home / "cache").string()};
  }
  std::string cli(const std::string& args, int* rc = nullptr) const {
    std::string prefix = machine.shell();
    for (const std::string& e : env()) prefix += "'" + e + "' ";
    return run(prefix + "'" + fd_binary() + "' " + args, rc);
  }
  void start() {
    std::vector<std::string> argv = machine.enter();
    for (const std::string& e : env()) argv.push_back(e);
    // The door goes with the test, however the test ends.
    for (const std::string& a :
         {std::string("setpriv"), std::string("--pdeathsig"), std::string("TERM"), fd_binary(),
          std::string("serve"), std::string("--port"), std::to_string(port),
          std::string("--loopback-port"), std::to_string(loopback_port)})
      argv.push_back(a);
    serve = std::make_unique<Spawned>(argv, home / "serve.log", SIGTERM);
    REQUIRE_MESSAGE(wait_for([&] { return log().find("Ctrl+C stops") != std::string::npos; },
                             std::chrono::seconds(20)),
                    "the door did not start: " << log());
  }
  std::string log() const { return fd::test::read_file(home / "serve.log"); }
  bool has(const std::string& uuid) {
    if (!reader) {
      auto s = Store::open(home / "data" / "frontdesk" / "frontdesk.db");
      REQUIRE(s.ok());
      reader = std::move(*s);
    }
    auto tx = reader->begin_read();
    return reader->log_entry(uuid).has_value();
  }
  // A check-in at this door by the command line, as a volunteer would: its UUID.
  std::string check_in(int id, const std::string& door_name) const {
    int rc = 0;
    const std::string out = cli("checkin --id " + std::to_string(id), &rc);
    REQUIRE_MESSAGE(rc == 0, out);
    CHECK_MESSAGE(out.find("(" + door_name + ")") != std::string::npos, out);
    std::smatch m;
    REQUIRE_MESSAGE(std::regex_search(out, m, std::regex("check-in ([0-9a-f-]{36})")), out);
    return m[1];
  }
  nlohmann::json status() const { return nlohmann::json::parse(cli("doors status --json")); }
};

// Where `door`'s record at another door says it answers.
std::vector<std::string> addresses_of(const nlohmann::json& status, const std::string& door) {
  std::vector<std::string> out;
  for (const auto& d : status["doors"])
    if (d["name"] == door)
      for (const auto& a : d["addresses"]) out.push_back(a);
  return out;
}

bool any_loopback(const std::vector<std::string>& addresses) {
  for (const std::string& a : addresses)
    if (a.rfind("127.", 0) == 0 || a.rfind("[::1]", 0) == 0 || a.rfind("localhost", 0) == 0)
      return true;
  return false;
}

}  // namespace

TEST_CASE("two machines: pair on their own ports - renumbered by DHCP - still in step") {
  require_tools();
  fd::test::TempDir root;
  // FD_KEEP=1: the machines' and doors' logs stay (copied next to the folder).
  struct Keep {
    const fs::path& dir;
    ~Keep() {
      std::error_code ec;
      if (std::getenv("FD_KEEP"))
        fs::copy(dir, dir.string() + "-kept", fs::copy_options::recursive, ec);
    }
  } keep{root.path};
  Machine ma("a", root.path), mb("b", root.path);
  // The cable between them, made inside the first machine: the machine's
  // own network is never touched.
  const std::string tag = std::to_string(::getpid() % 100000);
  const std::string va = "fda" + tag, vb = "fdb" + tag;
  ma.ip("link add " + va + " type veth peer name " + vb + " netns " + std::to_string(mb.pid()));
  ma.ip("addr add 198.51.100.1/24 dev " + va);
  mb.ip("addr add 198.51.100.2/24 dev " + vb);
  ma.ip("link set " + va + " up");
  mb.ip("link set " + vb + " up");
  // Each Avahi daemon has claimed its host name on the cable (it probes
  // first), as on a Pi that has been up for a while.
  ma.wait_for_mdns();
  mb.wait_for_mdns();

  // Ports of their own (8443 and 8080 taken, as at many venues), and
  // different ones, so a door that dialled the other's loopback address
  // would find nothing of its own there, only the trap.
  Door a(ma, root.path / "a", 17443, 17080);
  Door b(mb, root.path / "b", 17543, 17180);
  LoopbackTrap a_sees_b_lan(ma, b.port), a_sees_b_local(ma, b.loopback_port);
  LoopbackTrap b_sees_a_lan(mb, a.port), b_sees_a_local(mb, a.loopback_port);

  std::vector<std::vector<std::string>> rows{{"ID", "Name", "Email", "Ticket code"}};
  for (int i = 1; i <= 40; ++i)
    rows.push_back({std::to_string(i), "Person " + std::to_string(i),
                    "p" + std::to_string(i) + "@example.org", "T" + std::to_string(i)});
  std::ofstream(root.path / "list.csv", std::ios::binary) << write_csv(rows);
  int rc = 0;
  const std::string imported =
      a.cli("import '" + (root.path / "list.csv").string() + "' --event 'Venue Night' -q", &rc);
  REQUIRE_MESSAGE(rc == 0, imported);
  // Before the door serves there is no address to pair with: said plainly.
  const std::string early = a.cli("doors pair", &rc);
  CHECK(rc != 0);
  CHECK_MESSAGE(early.find("is serving on this machine") != std::string::npos, early);
  CHECK_MESSAGE(early.find("frontdesk serve") != std::string::npos, early);
  a.start();

  // `doors pair` without --address names where the running door answers.
  std::string paired;
  REQUIRE_MESSAGE(wait_for(
                      [&] {
                        paired = a.cli("doors pair 2>/dev/null", &rc);
                        return rc == 0;
                      },
                      std::chrono::seconds(10), std::chrono::milliseconds(200)),
                  paired);
  const std::string text = paired.substr(paired.rfind("FDPAIR1:"));
  auto code = parse_pairing(text.substr(0, text.find('\n')));
  REQUIRE_MESSAGE(code.ok(), paired);
  CHECK_MESSAGE(code->addresses.front() == "198.51.100.1:17443", paired);
  const std::string joined = b.cli("doors join '" + encode_pairing(*code) + "'", &rc);
  REQUIRE_MESSAGE(rc == 0, joined);
  CHECK_MESSAGE(joined.find("with door 1 at 198.51.100.1:17443") != std::string::npos, joined);
  CHECK_MESSAGE(joined.find("; this is door 2") != std::string::npos, joined);
  b.start();

  // A check-in at each door reaches the other, carrying its door's name.
  const std::string at_a = a.check_in(1, "door 1");
  const std::string at_b = b.check_in(2, "door 2");
  CHECK_MESSAGE(wait_for([&] { return b.has(at_a) && a.has(at_b); }, std::chrono::seconds(20)),
                "A: " << a.log() << "\nB: " << b.log());

  // DHCP gives each door another address in turn, several times an evening:
  // the other sees its next check-in through DNS-SD and its greeting.
  const int renumbers = std::clamp(std::getenv("FD_TWO_MACHINES_RENUMBERS")
                                       ? std::atoi(std::getenv("FD_TWO_MACHINES_RENUMBERS"))
                                       : 2,
                                   1, 90);
  struct Side {
    Door* door;
    Door* other;
    std::string dev, name;
    int last, base;
  };
  std::vector<Side> sides{{&a, &b, va, "door 1", 1, 20}, {&b, &a, vb, "door 2", 2, 120}};
  std::vector<double> seen_after;
  int person = 3;
  for (int k = 1; k <= renumbers; ++k)
    for (Side& s : sides) {
      const int next = s.base + k;
      s.door->machine.ip("addr add 198.51.100." + std::to_string(next) + "/24 dev " + s.dev);
      s.door->machine.ip("addr del 198.51.100." + std::to_string(s.last) + "/24 dev " + s.dev);
      s.last = next;
      const std::string uuid = s.door->check_in(person++, s.name);
      const auto t0 = Clock::now();
      const bool seen = wait_for([&] { return s.other->has(uuid); }, std::chrono::seconds(15));
      const double took = std::chrono::duration<double>(Clock::now() - t0).count();
      seen_after.push_back(took);
      MESSAGE(s.name << " renumbered to 198.51.100." << next << ": its next check-in reached the "
                     << "other door after " << took << " s");
      CHECK_MESSAGE(seen, s.name << " renumbered: its check-in never arrived\nA: " << a.log()
                                 << "\nB: " << b.log());
      CHECK(took < 10.0);
    }
  double worst = 0;
  for (double t : seen_after) worst = std::max(worst, t);
  MESSAGE("renumbered " << seen_after.size() << " times: worst " << worst << " s");

  const std::string a_now = "198.51.100." + std::to_string(sides[0].last) + ":17443";
  const std::string b_now = "198.51.100." + std::to_string(sides[1].last) + ":17543";
  // DNS-SD follows too: Avahi resolves each door at its last address.
  const bool lan_followed = wait_for(
      [&] {
        return b.log().find("the LAN says door 1 answers at " + a_now) != std::string::npos &&
               a.log().find("the LAN says door 2 answers at " + b_now) != std::string::npos;
      },
      std::chrono::seconds(10));
  CHECK_MESSAGE(lan_followed, "DNS-SD did not follow\nA: " << a.log() << "\nB: " << b.log());
  // Each knows the other at its new address (saved as the round that
  // reached it there ends), and never at a loopback one.
  nlohmann::json sa, sb;
  std::vector<std::string> a_at_b, b_at_a;
  CHECK(wait_for(
      [&] {
        sa = a.status();
        sb = b.status();
        a_at_b = addresses_of(sb, "door 1");
        b_at_a = addresses_of(sa, "door 2");
        return !a_at_b.empty() && a_at_b.front() == a_now && !b_at_a.empty() &&
               b_at_a.front() == b_now;
      },
      std::chrono::seconds(5), std::chrono::milliseconds(100)));
  CHECK_MESSAGE(!a_at_b.empty(), sb.dump());
  CHECK_MESSAGE(!b_at_a.empty(), sa.dump());
  if (!a_at_b.empty()) CHECK(a_at_b.front() == a_now);
  if (!b_at_a.empty()) CHECK(b_at_a.front() == b_now);
  CHECK(sa["door"]["name"] == "door 1");
  CHECK(sb["door"]["name"] == "door 2");
  CHECK(sb["door"]["named_by"] == "joined");
  CHECK_MESSAGE(!any_loopback(a_at_b), sb.dump());
  CHECK_MESSAGE(!any_loopback(b_at_a), sa.dump());
  // No door ever dialled the other's loopback address (it is its own).
  CHECK(a_sees_b_lan.hits() + a_sees_b_local.hits() == 0);
  CHECK(b_sees_a_lan.hits() + b_sees_a_local.hits() == 0);
  CHECK_MESSAGE(a.log().find("127.0.0.1:17180") == std::string::npos, a.log());
  CHECK_MESSAGE(b.log().find("127.0.0.1:17080") == std::string::npos, b.log());

  // Both renumbered at once (the venue's router restarted): neither can
  // greet the other at an address it knows; DNS-SD brings them together.
  for (Side& s : sides) {
    const int next = s.base + renumbers + 1;
    s.door->machine.ip("addr add 198.51.100." + std::to_string(next) + "/24 dev " + s.dev);
    s.door->machine.ip("addr del 198.51.100." + std::to_string(s.last) + "/24 dev " + s.dev);
    s.last = next;
  }
  const std::string both_a = a.check_in(person++, "door 1");
  const std::string both_b = b.check_in(person++, "door 2");
  const auto both_at = Clock::now();
  CHECK_MESSAGE(wait_for([&] { return b.has(both_a) && a.has(both_b); }, std::chrono::seconds(10)),
                "both renumbered: not in step within 10 s\nA: " << a.log() << "\nB: " << b.log());
  MESSAGE("both doors renumbered at once: each had the other's check-in after "
          << std::chrono::duration<double>(Clock::now() - both_at).count() << " s");

  // The attendance export of either door says which door admitted whom.
  const std::string exported = b.cli("export", &rc);
  REQUIRE_MESSAGE(rc == 0, exported);
  CHECK_MESSAGE(std::regex_search(exported, std::regex("(^|\n)Person 1,[^\n]*,door 1,")), exported);
  CHECK_MESSAGE(std::regex_search(exported, std::regex("(^|\n)Person 2,[^\n]*,door 2,")), exported);
  CHECK(b.cli("doors status").find("this is door 2") != std::string::npos);

  // A name of its own, changed at the running door: refused when the other
  // door has it; taken by the next check-in and told to the other door.
  CHECK(b.cli("doors name 'door 1'", &rc).find("Another door") != std::string::npos);
  CHECK(rc != 0);
  const std::string renamed = b.cli("doors name 'Side door'", &rc);
  CHECK_MESSAGE(rc == 0, renamed);
  const std::string side = b.check_in(person++, "Side door");
  CHECK(wait_for([&] { return a.has(side); }, std::chrono::seconds(10)));
  CHECK_MESSAGE(wait_for([&] { return !addresses_of(a.status(), "Side door").empty(); },
                         std::chrono::seconds(10)),
                a.status().dump());

  a.serve.reset();  // stopped before their machines go
  b.serve.reset();
}
