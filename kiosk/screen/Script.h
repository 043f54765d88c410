#pragma once
// The kiosk's test driver: a text file of steps (scan CODE, type TEXT, shot
// NAME.png, await-search NAME 1000, ...) run one at a time between frames,
// so tests and screenshots drive the real window the way a person would.
//
// Thread-safety: the UI thread only.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "base/Error.h"
#include "base/Time.h"
#include "engine/Commands.h"
#include "engine/Snapshot.h"
#include "flow/DoorFlow.h"

namespace fd {

// What a step may touch: the flow, the latest snapshot, and a few actions
// of the window around it.
struct ScriptContext {
  DoorFlow& flow;
  const Snapshot& snap;
  TimeMs now = 0;
  std::function<void(Command)> post;
  std::function<void(const std::string&)> language;  // switch to this language
  std::function<void(float, float)> click;           // a tap at (fx, fy) of the window
  std::function<void(const std::string&)> shot;      // screenshot once the frame settles
  // What a person or the window manager does to the window: "close" (the
  // WM's close button, Alt+F4 through the WM), "alt+f4", "ctrl+q"; and
  // "door-checks", the organizer dashboard's button.
  std::function<void(const std::string&)> window_event = [](const std::string&) {};
  // A scanned code as the window routes it (pairing codes never reach the
  // engine); unset: straight to the flow.
  std::function<void(const std::string&)> scan;
};

class Script {
 public:
  // The steps carry on when the door process is opened again (a join, the
  // current event moved): the step `after-restart` checks that it was.
  static Result<Script> load(const std::filesystem::path& file);
  void note_restart() { ++restarts_; }
  Script() = default;

  bool active() const { return !steps_.empty(); }
  bool finished() const { return next_ >= steps_.size() && wait_frames_ <= 0 && !awaiting(); }
  // Runs the next step when the door is idle (nothing in flight, nothing
  // being shot). Returns false when the script asks to quit.
  bool step(ScriptContext& c, bool idle);
  int exit_code() const { return exit_code_; }

 private:
  bool awaiting() const { return !await_verb_.empty(); }
  bool check_await(ScriptContext& c);
  bool door_step(ScriptContext& c, const std::string& verb, const std::string& arg);
  void fail(const std::string& why);

  std::vector<std::string> steps_;
  std::size_t next_ = 0;
  int wait_frames_ = 0;
  TimeMs sleep_until_ = 0;
  // An await-* step polls each frame until it holds or its deadline passes.
  std::string await_verb_, await_arg_;
  TimeMs await_started_ = 0, await_deadline_ = 0;
  TimeMs last_held_at_ = 0;
  bool previous_was_await_ = false;
  int exit_code_ = 0;
  int restarts_ = 0;
};

}  // namespace fd
