#pragma once
// What every screen function gets: the snapshot to draw, the flow to change,
// the words, a text renderer and where to send commands. A screen is a
// function of these; it holds no state of its own.
#include <functional>
#include <memory>

#include "base/Worker.h"
#include "engine/Snapshot.h"
#include "flow/DoorFlow.h"
#include "i18n/Catalog.h"
#include "model/DoorChecks.h"
#include "screen/TextRenderer.h"

namespace fd {

struct Ui {
  Ui(DoorFlow& f, const Snapshot& s, const Catalog& w, TextRenderer& t,
     std::function<void(Command)> p)
      : flow(f), snap(s), words(w), text(t), post(std::move(p)) {}
  DoorFlow& flow;
  const Snapshot& snap;
  const Catalog& words;
  TextRenderer& text;
  std::function<void(Command)> post;
  TimeMs now = 0;
  float scale = 1;  // 1.0 at 800x480
  float width = 800, height = 480;
  bool camera_ok = false;
  std::string camera_message;
  std::string pin_problem;         // no PIN set: say how to set one
  unsigned int badge_texture = 0;  // preview of the badge being printed
  int badge_width = 0, badge_height = 0;
  unsigned int logo_texture = 0;
  int logo_width = 0, logo_height = 0;
  unsigned int preview_texture = 0;  // the camera's view, when running
  int preview_width = 0, preview_height = 0;
  // Language switching on the ready screen.
  std::function<void()> next_language;
  std::function<void()> exit_kiosk;
  std::vector<WorkerHealth> health{};  // the door's workers (sync, ...), for the dashboard
  // The organizer pages' address and certificate fingerprint ("" when the
  // kiosk does not serve them).
  std::string web_url;
  std::string web_fingerprint;
  // The headcount forecast in words ("" when there is none: no RSVPs).
  std::string forecast;
  // Attendee modes (DoorFlow::large_text / high_contrast), read by the
  // drawing helpers: text grows by text_scale, colours turn black and white.
  float text_scale = 1;
  bool high_contrast = false;
  // The door checks: the last report (null before the first run), whether a
  // run is going, and how to start one.
  const DoctorReport* checks = nullptr;
  bool checks_running = false;
  std::function<void()> run_checks;
  // Pairing doors: this door's code ("" while it is made, or when there is
  // none: pairing_problem says why), and a scanned code's question ("Join
  // ...?") or why it cannot be used (join_problem).
  std::string pairing_code, pairing_problem, join_question, join_problem;
  // The door's words in the language on the screen (i18n/Catalog.h): a
  // text of this code, a count ("%d people are here"), and a text made
  // elsewhere in English (the engine's answers, the workers' health).
  const char* tr(const char* english) const { return words.tr(english); }
  template <typename... A>
  std::string count(long long n, const char* one, const char* other, const A&... more) const {
    return words.count(n, one, other, more...);
  }
  std::string message(std::string_view english) const { return words.message(english); }
};

void draw_screen(Ui& ui);

}  // namespace fd
