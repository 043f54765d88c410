#pragma once
// The kiosk's door, without a window: everything the screen shows and why,
// so that the screen (kiosk/screen) only draws this and turns taps and keys
// into calls here. It drains the shell's inbox (scans, decisions) and its
// own background tasks once per frame, tells door pairing codes from
// tickets, checks the organizer PIN, asks for badge previews, the forecast
// and the door checks off the frame loop, words them in the door's
// language, and notices when a worker's health changes. Tested headless
// (tests/flow/KioskFlowTest.cpp).
//
// Thread-safety: the owner's thread only (the kiosk's main thread), apart
// from the tasks it runs, which touch only what they captured.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "badge/BadgeTemplate.h"
#include "base/Worker.h"
#include "doors/Pairing.h"
#include "flow/DoorFlow.h"
#include "flow/KeyboardWedge.h"
#include "flow/Tasks.h"
#include "i18n/Catalog.h"
#include "model/DoorChecks.h"
#include "shell/Shell.h"

namespace fd {

class LiveForecast;

struct KioskFlowOptions {
  DoorTimings timings;
  // The door's language: the screen starts in it, and each person who
  // switched to another for their check-in leaves it to the next in this one.
  std::string language = "en";
  std::vector<std::filesystem::path> i18n_dirs;    // <lang>.toml catalogues (Catalog::load_all)
  bool large_text = false, high_contrast = false;  // the door's default modes
  BadgeTemplate badge = default_badge_template();  // for the welcome screen's preview
  std::filesystem::path pin_file;                  // the organizer PIN's hash
  // This door's pairing code, made on the task thread when an organizer
  // asks for it; null when the door runs no exchange (pairing_problem says
  // why).
  std::function<Result<PairingCode>()> pairing_code;
  std::string pairing_problem;
  // The door checks (`frontdesk doctor`), run on the task thread.
  std::function<DoctorReport()> run_checks;
  // The store's current event when an organizer made another one current
  // (DoorProcess::moved_to), asked on the task thread every few seconds;
  // null: the door stays on its event.
  std::function<std::optional<std::string>()> moved_to;
  // The door process was opened again to join a door's event: how that
  // went, shown on the pairing screen.
  std::optional<std::pair<bool, std::string>> joined;
  // Called from other threads when something for the flow arrived (a task
  // result): the frame loop wakes up to drain it.
  std::function<void()> wake;
};

// What the person at the door should hear.
enum class Cue { None, Welcome, Refuse };

class KioskFlow {
 public:
  KioskFlow(Shell& shell, KioskFlowOptions options);
  ~KioskFlow();
  KioskFlow(const KioskFlow&) = delete;
  KioskFlow& operator=(const KioskFlow&) = delete;

  // --- once per frame, in this order ---------------------------------------
  // Scans, decisions and task results that arrived; true when any did.
  bool drain(TimeMs now);
  // Timeouts, the handheld scanner's bursts, the PIN to check, pairing and
  // forecast tasks, worker health.
  void tick(TimeMs now);

  // --- input ----------------------------------------------------------------
  // Every scan (camera, handheld scanner, test script) comes through here:
  // a door pairing code is never a ticket, so it never reaches the engine.
  void scanned(const std::string& text, Method method, TimeMs now);
  void key_text(const std::string& utf8, TimeMs now);  // typed characters
  void key_enter(TimeMs now);
  void key_backspace(TimeMs now);
  void key_escape(TimeMs now);
  void open_pin(TimeMs now);                  // F2, Ctrl+O, a long press on the corner
  void post(std::optional<Command> command);  // a screen's tap that became a command
  void run_checks(TimeMs now);                // the dashboard's "Door checks"
  // An attendee's choice of language, until they are done (their result
  // went, or the ready screen stood untouched for the idle time).
  void next_language(TimeMs now);
  bool use_language(const std::string& language, TimeMs now);

  // --- what the screen draws --------------------------------------------------
  DoorFlow& flow() { return flow_; }
  const DoorFlow& flow() const { return flow_; }
  const Catalog& words() const { return languages_[language_]; }
  bool several_languages() const { return languages_.size() > 1; }
  const std::string& pin_problem() const { return pin_problem_; }  // no PIN set: how to set one
  // The badge being printed, as PNG bytes, for the welcome screen; its
  // number changes with each new preview.
  const std::string& badge_png() const { return badge_png_; }
  std::uint64_t badge_generation() const { return badge_generation_; }
  // The headcount forecast in the door's language ("" when there is none).
  std::string forecast_words(int capacity) const;
  const std::vector<WorkerHealth>& health() const { return health_; }
  const std::optional<DoctorReport>& checks() const { return checks_; }
  bool checks_running() const { return checks_running_; }
  // Pairing: this door's code ("" while it is made, or when there is none:
  // pairing_problem() says why), and a scanned code's question or why it
  // cannot be used.
  std::string pairing_code() const;
  std::string pairing_problem() const;
  const std::string& join_question() const { return join_question_; }
  const std::string& join_problem() const { return join_problem_; }
  // The sound to play since the last call.
  Cue take_cue();

  // --- the frame loop's questions -----------------------------------------------
  // Something is on its way that a test script should wait for: a command
  // at the engine, a PIN being checked, a pairing code being made or a join.
  bool busy() const;
  // When tick() must run again at the latest (a timeout, a scanner burst,
  // a blinking cursor); the loop may sleep until then.
  TimeMs next_tick(TimeMs now) const;
  // The door process must be closed and opened again (shell/DoorProcess.h):
  // to join the code's event an organizer confirmed (a moment after the
  // confirmation, once "Joining…" was seen), or because another event was
  // made the store's current one.
  bool restart() const { return restart_to_join_.has_value() || !moved_to_event_.empty(); }
  const std::optional<PairingCode>& restart_to_join() const { return restart_to_join_; }
  const std::string& moved_to_event() const { return moved_to_event_; }

 private:
  void on(const ShellEvent& event, TimeMs now);
  void decided(const Decision& d, TimeMs now);
  void pairing(TimeMs now);
  void ask_forecast(TimeMs now);
  void watch_health(TimeMs now);
  void watch_event(TimeMs now);
  void watch_language(TimeMs now);

  Shell& shell_;
  KioskFlowOptions o_;
  DoorFlow flow_;
  KeyboardWedge wedge_;
  std::vector<Catalog> languages_;
  std::size_t language_ = 0, door_language_ = 0;
  TimeMs language_at_ = 0;  // chosen, or the screen last changed
  Screen language_screen_ = Screen::Ready;
  std::string pin_problem_;
  Cue cue_ = Cue::None;

  std::string badge_for_;  // the check-in whose badge the preview shows
  std::string badge_png_;
  std::uint64_t badge_generation_ = 0;

  // Shared with the task that uses it: a task may still run when this goes.
  std::shared_ptr<LiveForecast> live_forecast_;
  struct Forecast;
  std::shared_ptr<const Forecast> forecast_;
  TimeMs forecast_asked_ = -30'000;

  std::vector<WorkerHealth> health_;
  TimeMs health_checked_ = -1000;
  std::string camera_line_, print_problem_;

  std::optional<DoctorReport> checks_;
  bool checks_running_ = false;

  std::optional<Result<std::string>> own_code_;
  bool own_code_asked_ = false;
  std::string join_question_, join_problem_;
  std::optional<PairingCode> joining_;
  TimeMs restart_at_ = 0;
  std::optional<PairingCode> restart_to_join_;
  TimeMs event_checked_ = 0;
  bool event_asked_ = false;
  std::string moved_to_event_;

  Tasks tasks_;  // last: its thread stops before the rest goes
};

}  // namespace fd
