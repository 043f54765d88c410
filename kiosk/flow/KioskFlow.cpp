#include "flow/KioskFlow.h"

#include <algorithm>

#include "auth/Pin.h"
#include "badge/BadgeRenderer.h"
#include "base/Log.h"
#include "camera/Camera.h"
#include "report/LiveForecast.h"

namespace fd {

// The forecast as the task made it; worded on the owner's thread, in the
// language the door speaks at the time.
struct KioskFlow::Forecast {
  std::optional<HeadcountForecast> forecast;
};

KioskFlow::KioskFlow(Shell& shell, KioskFlowOptions options)
    : shell_(shell),
      o_(std::move(options)),
      flow_(o_.timings),
      tasks_(o_.wake, [](const std::string& why) { log_warning(why); }) {
  flow_.set_default_modes(o_.large_text, o_.high_contrast);
  languages_ = Catalog::load_all(o_.i18n_dirs);
  if (!use_language(o_.language, 0) && !o_.language.empty() && o_.language != "en") {
    // Say so when the translations were not found (a moved install), rather
    // than greet in English without a word.
    std::string where;
    for (const auto& d : o_.i18n_dirs) where += (where.empty() ? "" : " or ") + d.string();
    log_warning("no translation \"" + o_.language + "\" in " + where + "; starting in English");
  }
  door_language_ = language_;
  // No PIN set: the PIN pad says how to set one.
  if (auto hash = load_pin_hash(o_.pin_file); !hash) pin_problem_ = hash.error().message;
  live_forecast_ = std::make_shared<LiveForecast>(
      [&engine = shell_.engine()] { return engine.attendance().get(); });
  if (o_.joined) flow_.show_join_result(o_.joined->first, o_.joined->second, now_ms());
}

KioskFlow::~KioskFlow() = default;

bool KioskFlow::use_language(const std::string& language, TimeMs now) {
  for (std::size_t i = 0; i < languages_.size(); ++i)
    if (languages_[i].language() == language) {
      language_ = i;
      language_at_ = now;
      return true;
    }
  return false;
}

void KioskFlow::next_language(TimeMs now) {
  language_ = (language_ + 1) % languages_.size();
  language_at_ = now;
}

// The next person starts in the door's language: back to it when a result
// goes (the attendee is done), or when the ready screen stood untouched.
void KioskFlow::watch_language(TimeMs now) {
  const Screen screen = flow_.screen();
  if (screen != language_screen_) {
    if (language_screen_ == Screen::Result && screen == Screen::Ready) language_ = door_language_;
    language_screen_ = screen;
    language_at_ = now;
  } else if (screen == Screen::Ready && language_ != door_language_ &&
             now - language_at_ >= o_.timings.idle) {
    language_ = door_language_;
  }
}

// ---------------------------------------------------------------------------
// Once per frame
// ---------------------------------------------------------------------------

bool KioskFlow::drain(TimeMs now) {
  bool any = tasks_.drain();
  for (const ShellEvent& e : shell_.drain()) {
    on(e, now);
    any = true;
  }
  return any;
}

void KioskFlow::on(const ShellEvent& event, TimeMs now) {
  if (const auto* scan = std::get_if<CodeScanned>(&event))
    scanned(scan->text, scan->method, now);
  else if (const auto* d = std::get_if<Decided>(&event))
    decided(d->decision, now);
}

void KioskFlow::tick(TimeMs now) {
  if (auto scan = wedge_.tick(now)) scanned(*scan, Method::Scanner, now);
  if (const std::string typed = wedge_.take_typed(); !typed.empty()) {
    if (flow_.screen() == Screen::Pin) {
      for (char c : typed) flow_.pin_digit(c, now);
    } else {
      flow_.type(typed, now);
    }
  }
  // The PIN is checked on the task thread: Argon2 takes a moment.
  if (const std::string pin = flow_.take_pin_to_verify(); !pin.empty()) {
    tasks_.run([file = o_.pin_file, pin, this]() -> Tasks::Done {
      // Read each time: `frontdesk pin set` may have changed it meanwhile.
      auto hash = load_pin_hash(file);
      const bool ok = hash && verify_pin(*hash, pin);
      return [this, ok] { flow_.pin_checked(ok, now_ms()); };
    });
  }
  pairing(now);
  if (flow_.screen() == Screen::Organizer) ask_forecast(now);
  watch_health(now);
  watch_event(now);
  flow_.tick(now);
  watch_language(now);
  if (joining_ && now >= restart_at_) restart_to_join_ = joining_;
}

// ---------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------

void KioskFlow::scanned(const std::string& text, Method method, TimeMs now) {
  if (!looks_like_pairing_code(text)) {
    post(flow_.scanned(text, method, now));
    return;
  }
  flow_.pairing_scanned(text, now);
  if (flow_.screen() != Screen::Pairing || flow_.join_offer() != text) return;
  // The question to ask, or why this code cannot be used.
  join_question_.clear();
  join_problem_.clear();
  auto code = parse_pairing(text);
  if (!code) {
    join_problem_ = code.error().message;
    return;
  }
  if (code->event_slug == shell_.snapshot()->event.slug &&
      code->door_id == shell_.engine().device_id()) {
    join_problem_ = words().tr("This is this door's own code: scan it with the other door");
    return;
  }
  join_question_ = format(words().tr("Join \"%s\" at %s? This door then admits for that event."),
                          code->event_name, code->addresses.front());
}

void KioskFlow::key_text(const std::string& utf8, TimeMs now) {
  if (auto scan = wedge_.key(utf8, now)) scanned(*scan, Method::Scanner, now);
}

void KioskFlow::key_enter(TimeMs now) {
  if (auto scan = wedge_.enter(now)) {
    scanned(*scan, Method::Scanner, now);
  } else if (flow_.screen() == Screen::Pin) {
    flow_.pin_submit(now);
  } else if (flow_.screen() == Screen::WalkIn) {
    post(flow_.submit_walk_in(now));
  }
}

void KioskFlow::key_backspace(TimeMs now) {
  flow_.screen() == Screen::Pin ? flow_.pin_clear(now) : flow_.backspace(now);
}

void KioskFlow::key_escape(TimeMs now) { flow_.back(now); }

void KioskFlow::open_pin(TimeMs now) {
  if (flow_.screen() != Screen::Pin && flow_.screen() != Screen::Organizer) flow_.open_pin(now);
}

void KioskFlow::post(std::optional<Command> command) {
  if (command) shell_.post(std::move(*command));
}

// ---------------------------------------------------------------------------
// Decisions: the sound, and the badge preview drawn off the frame loop
// ---------------------------------------------------------------------------

void KioskFlow::decided(const Decision& d, TimeMs now) {
  if (d.verdict == Verdict::Reprinting) return;  // the dashboard shows the queue
  flow_.decided(d, now);
  if (d.verdict == Verdict::Admitted)
    cue_ = Cue::Welcome;
  else if (is_refusal(d.verdict))
    cue_ = Cue::Refuse;
  if (d.verdict != Verdict::Admitted || !d.who) return;
  badge_for_ = d.checkin_uuid;
  badge_png_.clear();
  ++badge_generation_;
  const BadgeData data = badge_data(*d.who, shell_.snapshot()->event.name);
  tasks_.run([this, data, tmpl = o_.badge, uuid = d.checkin_uuid]() -> Tasks::Done {
    auto png = render_badge_png(data, tmpl, 90);
    return [this, uuid, png = std::move(png)] {
      // A newer welcome may have come meanwhile: only its own preview shows.
      if (uuid != badge_for_ || !png) return;
      badge_png_ = *png;
      ++badge_generation_;
    };
  });
}

Cue KioskFlow::take_cue() { return std::exchange(cue_, Cue::None); }

// ---------------------------------------------------------------------------
// Pairing doors from the dashboard
// ---------------------------------------------------------------------------

void KioskFlow::pairing(TimeMs now) {
  if (flow_.screen() != Screen::Pairing) return;
  // This door's code, asked for once (it only changes with the event).
  if (flow_.join_offer().empty() && !own_code_ && !own_code_asked_ && o_.pairing_code) {
    own_code_asked_ = true;
    tasks_.run([this, make = o_.pairing_code]() -> Tasks::Done {
      auto code = make();
      Result<std::string> text =
          code ? Result<std::string>(encode_pairing(*code)) : Result<std::string>(code.error());
      return [this, text = std::move(text)] {
        if (!text) log_warning("No pairing code: " + text.error().message);
        own_code_ = text;
      };
    });
  }
  const std::string text = flow_.take_join();
  if (text.empty()) return;
  auto code = parse_pairing(text);
  if (!code || !join_problem_.empty()) {
    flow_.joined(false, !code ? code.error().message : join_problem_, now);
    return;
  }
  // The door process is closed and opened again on the code's event: one
  // engine at a time. A moment first, so "Joining…" is seen.
  log_notice("Joining \"" + code->event_name + "\" at " + code->addresses.front());
  joining_ = *code;
  restart_at_ = now + 300;
}

std::string KioskFlow::pairing_code() const {
  return own_code_ && *own_code_ ? **own_code_ : std::string();
}

std::string KioskFlow::pairing_problem() const {
  if (!o_.pairing_code) return o_.pairing_problem;
  return own_code_ && !*own_code_ ? own_code_->error().message : std::string();
}

// ---------------------------------------------------------------------------
// The forecast, the door checks, worker health
// ---------------------------------------------------------------------------

// On the task thread (the group's history is read from the engine), every
// half minute while the dashboard is open.
void KioskFlow::ask_forecast(TimeMs now) {
  if (now - forecast_asked_ < 30'000) return;
  forecast_asked_ = now;
  tasks_.run([this, f = live_forecast_, snap = shell_.snapshot()]() -> Tasks::Done {
    auto made = std::make_shared<Forecast>();
    made->forecast = f->forecast(*snap, now_ms());
    return [this, made] { forecast_ = made; };
  });
}

std::string KioskFlow::forecast_words(int capacity) const {
  if (!forecast_ || !forecast_->forecast) return "";
  return fd::forecast_words(*forecast_->forecast, capacity, words());
}

void KioskFlow::run_checks(TimeMs now) {
  flow_.open_checks(now);
  if (checks_running_ || !o_.run_checks) return;
  checks_running_ = true;
  tasks_.run([this, run = o_.run_checks]() -> Tasks::Done {
    DoctorReport report = run();
    return [this, report = std::move(report)] {
      checks_ = report;
      checks_running_ = false;
      const auto fails =
          std::count_if(report.checks.begin(), report.checks.end(),
                        [](const Check& c) { return c.status == CheckStatus::Fail; });
      if (fails)
        log_warning("Door checks: " + std::to_string(fails) + " problem(s)");
      else
        log_info("Door checks: ready");
    };
  });
}

// The journal hears when the camera, the printer or a worker changes state,
// once per change (looked at twice a second, not every frame). Problems are
// warnings; of the good news only the camera's is worth a line (the
// workers' routine "synced", "backed up" would flood it).
void KioskFlow::watch_health(TimeMs now) {
  if (now - health_checked_ < 500) return;
  health_checked_ = now;
  std::string camera = "No camera configured";
  if (const Camera* c = shell_.camera()) {
    const Camera::State cs = c->state();
    camera = cs.running ? "Camera working: " + cs.source : "Camera problem: " + cs.problem;
  }
  if (camera != camera_line_) {
    if (camera.rfind("Camera problem", 0) == 0)
      log_warning(camera);
    else if (camera.rfind("Camera working", 0) == 0)
      log_info(camera);
    camera_line_ = camera;
  }
  const std::string print_problem = shell_.snapshot()->print_problem;
  if (print_problem != print_problem_ && !print_problem.empty()) log_warning(print_problem);
  print_problem_ = print_problem;
  std::vector<WorkerHealth> health = shell_.health();
  for (const WorkerHealth& h : health) {
    const bool known = std::find(health_.begin(), health_.end(), h) != health_.end();
    if (!known && !h.ok) log_warning(h.name + " problem: " + h.message);
  }
  health_ = std::move(health);
}

// `frontdesk event use` or `doors join` at a terminal of this machine: the
// door follows, as one started now would.
void KioskFlow::watch_event(TimeMs now) {
  if (!o_.moved_to || event_asked_ || now - event_checked_ < 2000) return;
  event_checked_ = now;
  event_asked_ = true;
  tasks_.run([this, moved_to = o_.moved_to]() -> Tasks::Done {
    auto next = moved_to();
    return [this, next = std::move(next)] {
      event_asked_ = false;
      if (!next) return;
      log_notice("The store's current event is now \"" + *next + "\": switching to it");
      moved_to_event_ = *next;
    };
  });
}

bool KioskFlow::busy() const {
  const bool pairing_busy = joining_.has_value() || flow_.joining() ||
                            (flow_.screen() == Screen::Pairing && flow_.join_offer().empty() &&
                             o_.pairing_code && !own_code_);
  return shell_.in_flight() > 0 || flow_.pin_checking() || pairing_busy || tasks_.busy();
}

TimeMs KioskFlow::next_tick(TimeMs now) const {
  // A handheld scanner's burst ends after a short quiet; typed characters
  // wait for that too before they reach the field.
  if (wedge_.in_burst()) return now + 20;
  if (joining_) return restart_at_;
  TimeMs next = now + 500;  // health, cursors blinking, countdowns
  return std::max(next, now + 1);
}

}  // namespace fd
