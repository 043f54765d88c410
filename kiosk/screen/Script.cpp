#include "screen/Script.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "search/SearchIndex.h"
#include "text/Fold.h"

namespace fd {

Result<Script> Script::load(const std::filesystem::path& file) {
  Script s;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') s.steps_.push_back(line);
  if (s.steps_.empty())
    return Error{"script.empty", "the script " + file.string() + " has no steps"};
  return s;
}

void Script::fail(const std::string& why) {
  std::cout << "expect failed: " << why << "\n" << std::flush;
  exit_code_ = 3;
}

namespace {

// "NAME MS" -> ("NAME", MS); the number is optional (default 1000).
std::pair<std::string, TimeMs> arg_and_ms(const std::string& arg) {
  const auto space = arg.rfind(' ');
  if (space != std::string::npos &&
      arg.find_first_not_of("0123456789", space + 1) == std::string::npos && space + 1 < arg.size())
    return {arg.substr(0, space), std::stoll(arg.substr(space + 1))};
  return {arg, 1000};
}
}  // namespace

// await-search NAME MS: the name is findable; await-checked-in N MS: the
// snapshot counts N people in; await-capacity N MS: the event's capacity;
// await-screen NAME MS: the flow shows that screen; await-file PATH: a
// test's signal.
bool Script::check_await(ScriptContext& c) {
  bool holds = false;
  if (await_verb_ == "await-search") {
    holds = !c.snap.search->find(await_arg_, 1).empty();
  } else if (await_verb_ == "await-checked-in") {
    holds = std::to_string(c.snap.checked_in) == await_arg_;
  } else if (await_verb_ == "await-screen") {
    holds = await_arg_ == to_string(c.flow.screen());
  } else if (await_verb_ == "await-capacity") {
    holds = std::to_string(c.snap.event.capacity) == await_arg_;
  } else if (await_verb_ == "await-file") {
    holds = std::filesystem::exists(await_arg_);
  }
  if (holds) {
    last_held_at_ = c.now;
    std::cout << await_verb_ << " " << await_arg_ << " held after " << c.now - await_started_
              << " ms\n"
              << std::flush;
    await_verb_.clear();
    return true;
  }
  if (c.now > await_deadline_) {
    fail(await_verb_ + " " + await_arg_ + " did not hold within " +
         std::to_string(await_deadline_ - await_started_) + " ms");
    await_verb_.clear();
  }
  return false;
}

// What a person does at the door, or an organizer at the kiosk: false
// when `verb` is none of that.
bool Script::door_step(ScriptContext& c, const std::string& verb, const std::string& arg) {
  DoorFlow& flow = c.flow;
  const TimeMs now = c.now;
  auto post = [&](std::optional<Command> cmd) {
    if (cmd) c.post(std::move(*cmd));
  };
  if (verb == "scan") {
    if (c.scan)
      c.scan(arg);
    else
      post(flow.scanned(arg, Method::Qr, now));
  } else if (verb == "pair") {  // the dashboard's "Pair another door"
    flow.open_pairing(now);
  } else if (verb == "join") {  // Join, on the question a scanned pairing code asks
    flow.join(now);
  } else if (verb == "after-restart") {  // the door process was opened again by now
    if (restarts_ == 0) fail("wanted the door to have restarted, it has not");
  } else if (verb == "expect-joined") {  // ok | failed, once the join has run
    const auto& r = flow.join_result();
    const std::string got = !r ? "none" : r->first ? "ok" : "failed";
    if (r) std::cout << "joined " << got << ": " << r->second << "\n" << std::flush;
    if (arg != got) fail("wanted join " + arg + ", got " + got);
  } else if (verb == "find") {
    flow.open_find_name(now);
  } else if (verb == "organizer-search") {
    flow.open_organizer_search(now);
  } else if (verb == "type") {
    flow.type(arg, now);
  } else if (verb == "pick") {
    const auto hits = c.snap.search->find(flow.query(), 4);
    const std::size_t n = arg.empty() ? 0 : std::stoul(arg);
    if (n < hits.size())
      if (const AttendeeView* a = c.snap.attendee(hits[n].id)) flow.pick(*a, now);
  } else if (verb == "choose") {
    std::string letter = arg;
    if (arg == "right" && flow.picked()) {
      letter = DoorFlow::letter_choices(*flow.picked()).empty() ? "yes" : "";
      for (const auto& choice : flow.choices())
        if (fold(flow.picked()->email_initial).rfind(choice, 0) == 0) letter = choice;
    }
    post(flow.confirm(letter, now));
  } else if (verb == "walkin") {
    flow.open_walk_in(now);
  } else if (verb == "field") {
    flow.focus(arg == "last"      ? DoorFlow::Field::LastName
               : arg == "company" ? DoorFlow::Field::Company
               : arg == "email"   ? DoorFlow::Field::Email
                                  : DoorFlow::Field::FirstName);
  } else if (verb == "consent") {
    WalkInForm f = flow.walk_in();
    f.consent = true;
    flow.set_walk_in(f, now);
  } else if (verb == "submit") {
    post(flow.submit_walk_in(now));
  } else if (verb == "pin") {
    flow.open_pin(now);
    for (char d : arg) flow.pin_digit(d, now);
    flow.pin_submit(now);
  } else if (verb == "notme") {
    post(flow.not_me(now));
  } else if (verb == "back") {
    flow.back(now);
  } else if (verb == "lang") {
    c.language(arg);
  } else {
    return false;
  }
  return true;
}

bool Script::step(ScriptContext& c, bool idle) {
  if (wait_frames_ > 0) --wait_frames_;
  if (awaiting()) {
    check_await(c);
    return true;
  }
  if (next_ >= steps_.size() || !idle || wait_frames_ > 0 || c.now < sleep_until_) return true;
  previous_was_await_ = next_ > 0 && steps_[next_ - 1].rfind("await-", 0) == 0;
  std::istringstream step(steps_[next_++]);
  std::string verb, arg;
  step >> verb;
  std::getline(step >> std::ws, arg);
  wait_frames_ = 3;
  if (door_step(c, verb, arg)) return true;
  DoorFlow& flow = c.flow;
  const TimeMs now = c.now;
  if (verb == "click") {
    float fx = 0, fy = 0;
    std::istringstream(arg) >> fx >> fy;
    c.click(fx, fy);
  } else if (verb == "expect") {
    if (arg != to_string(flow.screen()))
      fail("wanted screen " + arg + ", showing " + to_string(flow.screen()));
  } else if (verb == "expect-result") {
    const std::string got = flow.result() ? to_string(flow.result()->verdict) : "none";
    if (arg != got)
      fail("wanted result " + arg + ", got " + got);
    else
      std::cout << "result " << got << ": " << flow.result()->message << "\n" << std::flush;
  } else if (verb == "signal") {
    std::ofstream(arg) << "ready\n";
  } else if (verb == "await-search" || verb == "await-checked-in" || verb == "await-capacity" ||
             verb == "await-screen" || verb == "await-file") {
    const auto [what, ms] = verb == "await-file" ? std::pair{arg, TimeMs{60000}} : arg_and_ms(arg);
    await_verb_ = verb;
    await_arg_ = what;
    // Right after another await (a test's signal), time runs from when that
    // one held: the change being awaited may have started then.
    await_started_ = previous_was_await_ ? last_held_at_ : now;
    await_deadline_ = await_started_ + ms;
    check_await(c);
  } else if (verb == "wait") {
    wait_frames_ = arg.empty() ? 10 : std::stoi(arg);
  } else if (verb == "sleep") {
    sleep_until_ = now + (arg.empty() ? 1000 : std::stoi(arg));
  } else if (verb == "shot") {
    c.shot(arg);
  } else if (verb == "close" || verb == "key" || verb == "door-checks") {
    c.window_event(verb == "key" ? arg : verb);
  } else if (verb == "large-text") {
    flow.toggle_large_text(now);
  } else if (verb == "high-contrast") {
    flow.toggle_high_contrast(now);
  } else if (verb == "hang") {
    // A hung UI thread, for the watchdog test: the frame loop stops here
    // for good, as it would stuck in a driver or a deadlock.
    std::cout << "hanging the frame loop\n" << std::flush;
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
  } else if (verb == "quit") {
    return false;
  } else {
    std::cerr << "frontdesk-kiosk: unknown script step '" << verb << "'\n";
    exit_code_ = 2;
    return false;
  }
  return true;
}

}  // namespace fd
