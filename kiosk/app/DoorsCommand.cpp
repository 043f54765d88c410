// frontdesk doors pair | join CODE | status | name NAME: several doors, one event.
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/Advice.h"
#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "doors/DoorExchange.h"
#include "doors/DoorSecret.h"
#include "doors/Join.h"
#include "doors/Pairing.h"
#include "shell/DoorProcess.h"
#include "web/Certificate.h"
#include "web/DoorWeb.h"

namespace fd {
namespace {

int fail(const std::string& message, int code) {
  std::cerr << "frontdesk: " << message << "\n";
  return code;
}

const char* naming_word(DoorNaming n) {
  switch (n) {
    case DoorNaming::Default: return "default";
    case DoorNaming::Joined: return "joined";
    case DoorNaming::Organizer: return "organizer";
    case DoorNaming::Fixed: return "config";
  }
  return "default";
}

std::string ago(TimeMs t) {
  if (!t) return "never";
  const TimeMs s = (now_ms() - t) / 1000;
  if (s < 120) return std::to_string(std::max<TimeMs>(s, 0)) + " s ago";
  if (s < 7200) return std::to_string(s / 60) + " min ago";
  return local_hhmm(t);
}

void add_pair(CLI::App* doors, GlobalOptions& g, int& exit_status) {
  auto* pair = doors->add_subcommand(
      "pair", "Print the code another door joins this event with (the last line)");
  auto addresses = std::make_shared<std::vector<std::string>>();
  pair->add_option("--address", *addresses,
                   "Where this door answers, HOST:PORT (default: where its running door "
                   "really answers)");
  pair->callback([&g, &exit_status, addresses] {
    auto s = Session::open(g);
    if (!s) return void(exit_status = fail(s.error().message, exit_code::of(s.error())));
    // The running door's own word on where it answers (its port, whatever
    // --port it was started with; its address, whatever DHCP gave it).
    ServingDoor serving;
    if (addresses->empty()) {
      serving = serving_door((*s)->engine());
      if (serving.addresses.empty())
        return void(
            exit_status =
                fail("No door of \"" + (*s)->engine().snapshot()->event.name +
                         "\" is serving on this machine, so there is no address to put in a code.\n"
                         "Start it first (`" +
                         frontdesk_command(g) +
                         " serve`, or the kiosk with [web] serve = true), then run `" +
                         frontdesk_command(g) +
                         " doors pair` again; or name where it answers with --address HOST:PORT",
                     exit_code::failure));
    } else {
      serving.addresses = *addresses;
    }
    auto code =
        make_pairing_code((*s)->engine(), (*s)->config_dir(), serving.addresses, serving.host);
    if (!code)
      return void(exit_status = fail(code.error().message, code.error().code == "pairing.address"
                                                               ? exit_code::usage
                                                               : exit_code::failure));
    const auto snap = (*s)->engine().snapshot();
    std::cerr << "Pair another door with \"" << snap->event.name << "\": on it run\n"
              << "  frontdesk doors join CODE\n"
              << "or scan the code on this kiosk's organizer screen. This door answers at:";
    for (const std::string& a : code->addresses) std::cerr << " " << a;
    std::cerr << "\nThe code carries the event's secret: give it only to your own doors.\n";
    std::cout << encode_pairing(*code) << "\n";
    exit_status = exit_code::ok;
  });
}

void add_join(CLI::App* doors, GlobalOptions& g, int& exit_status) {
  auto* join =
      doors->add_subcommand("join", "Join the event of another door with its pairing code");
  auto text = std::make_shared<std::string>();
  join->add_option("code", *text, "The code `frontdesk doors pair` printed")->required();
  join->callback([&g, &exit_status, text] {
    auto code = parse_pairing(*text);
    if (!code) return void(exit_status = fail(code.error().message, exit_code::usage));
    auto joined = join_event(g, *code);
    if (!joined) return void(exit_status = fail(joined.error().message, exit_code::failure));
    std::cout << describe(*joined)
              << ".\nIt is now this store's current event: a door serving here (frontdesk serve, "
                 "or the kiosk with [web] serve = true) switches to it within seconds and keeps "
                 "in step with the others.\n";
    exit_status = exit_code::ok;
  });
}

void add_status(CLI::App* doors, GlobalOptions& g, int& exit_status) {
  auto* status = doors->add_subcommand(
      "status", "The other doors: when each was last heard from, how far behind, double entries");
  auto json = std::make_shared<bool>(false);
  status->add_flag("--json", *json, "Machine-readable output");
  status->callback([&g, &exit_status, json] {
    auto s = Session::open(g);
    if (!s) return void(exit_status = fail(s.error().message, exit_code::of(s.error())));
    Engine& engine = (*s)->engine();
    const auto snap = engine.snapshot();
    const auto peers = engine.peers().get();
    const bool paired = load_door_secret((*s)->config_dir(), snap->event.slug).ok();
    if (*json) {
      nlohmann::json j;
      j["event"] = snap->event.slug;
      j["door"] = {{"id", engine.device_id()},
                   {"name", snap->door},
                   {"named_by", naming_word(snap->door_naming)},
                   {"addresses", serving_door(engine).addresses}};
      j["paired"] = paired;
      j["doors"] = nlohmann::json::array();
      for (const PeerRecord& p : peers)
        j["doors"].push_back({{"id", p.device_id},
                              {"name", p.name},
                              {"addresses", p.addresses},
                              {"last_heard", p.last_heard ? iso8601_utc(p.last_heard) : ""},
                              {"silent_s", p.last_heard ? (now_ms() - p.last_heard) / 1000 : -1},
                              {"behind", p.behind()},
                              {"clock_offset_ms", p.clock_offset_ms},
                              {"last_error", p.last_error}});
      j["double_entries"] = nlohmann::json::array();
      for (const DoubleEntry& d : snap->double_entries) {
        nlohmann::json c = nlohmann::json::array();
        for (const Presence& p : d.checkins)
          c.push_back({{"door", p.door}, {"at", iso8601_utc(p.at)}});
        j["double_entries"].push_back(
            {{"attendee", d.attendee_id}, {"name", d.name}, {"checkins", c}});
      }
      std::cout << j.dump(2) << "\n";
      exit_status = exit_code::ok;
      return;
    }
    std::cout << snap->event.name << ": this is " << snap->door
              << (paired ? ""
                         : " (not paired: `" + frontdesk_command(g) + " doors pair` or `" +
                               frontdesk_command(g) + " doors join CODE`)")
              << "\n";
    if (const auto serving = serving_door(engine); !serving.addresses.empty()) {
      std::cout << "  Serving other doors at";
      for (const std::string& a : serving.addresses) std::cout << " " << a;
      std::cout << "\n";
    }
    if (peers.empty()) std::cout << "  No other door has been heard from.\n";
    for (const PeerRecord& p : peers) {
      if (p.name == snap->door)
        std::cout << "  Another door is also called " << p.name << ": give one a name of its own (`"
                  << frontdesk_command(g) << " doors name 'Side door'`)\n";
      std::cout << "  " << std::left << std::setw(10) << (p.name.empty() ? "a door" : p.name)
                << " last heard " << ago(p.last_heard);
      if (p.behind()) std::cout << ", " << p.behind() << " entries behind";
      if (std::abs(p.clock_offset_ms) > 60'000)
        // Measured at the middle of a round trip: 179.9 s is "3 min".
        std::cout << ", its clock is " << (std::abs(p.clock_offset_ms) + 30'000) / 60'000 << " min "
                  << (p.clock_offset_ms > 0 ? "ahead" : "behind");
      if (!p.last_error.empty()) std::cout << "  (" << p.last_error << ")";
      std::cout << "\n";
    }
    if (snap->double_entries.empty()) {
      std::cout << "  No double entries.\n";
    } else {
      std::cout << "  Double entries (admitted at two doors while they could not reach each "
                   "other; undo one with `"
                << frontdesk_command(g) << " undo CHECKIN-ID`):\n";
      for (const DoubleEntry& d : snap->double_entries) {
        std::cout << "    " << d.name << ":";
        for (const Presence& p : d.checkins)
          std::cout << "  " << p.door << " at " << local_hhmm(p.at) << " (" << p.uuid << ")";
        std::cout << "\n";
      }
    }
    exit_status = exit_code::ok;
  });
}

void add_name(CLI::App* doors, GlobalOptions& g, int& exit_status) {
  auto* name = doors->add_subcommand(
      "name", "Rename this door (its check-ins carry the name; the other doors learn it)");
  auto new_name = std::make_shared<std::string>();
  name->add_option("name", *new_name, "The door's name, e.g. \"Side door\"")->required();
  name->callback([&g, &exit_status, new_name] {
    auto s = Session::open(g);
    if (!s) return void(exit_status = fail(s.error().message, exit_code::of(s.error())));
    Engine& engine = (*s)->engine();
    // A name the config fixes would not take: say so instead of storing it.
    if (engine.snapshot()->door_naming == DoorNaming::Fixed)
      return void(exit_status = fail("This door is called \"" + engine.snapshot()->door +
                                         "\" by --door or door = under [kiosk] in "
                                         "frontdesk.toml, which wins: change it there, or "
                                         "remove it and run this again",
                                     exit_code::usage));
    const Decision d = engine.run(NameDoor{*new_name, true});
    if (d.verdict != Verdict::Updated) return void(exit_status = fail(d.message, exit_code::usage));
    std::cout << d.message
              << ". Check-ins from now on carry it (earlier ones keep the name they were made "
                 "under); a running door and the other doors pick it up within seconds.\n";
    exit_status = exit_code::ok;
  });
}

}  // namespace

void add_doors_commands(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* doors = app.add_subcommand("doors", "Several doors, one event: pair, join, status, name");
  doors->require_subcommand(1);
  add_pair(doors, g, exit_status);
  add_join(doors, g, exit_status);
  add_status(doors, g, exit_status);
  add_name(doors, g, exit_status);
}

}  // namespace fd
