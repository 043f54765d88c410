#pragma once
// The door's flow, without a window: which screen shows, what the person has
// typed, and which engine command each action becomes. The kiosk window
// draws this state and posts the commands it returns; tests drive it
// directly. Times are passed in, so tests need no clock.
//
// Thread-safety: used by the UI thread only.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/Time.h"
#include "engine/Commands.h"
#include "engine/Decision.h"
#include "engine/Snapshot.h"

namespace fd {

enum class Screen {
  Ready,      // aim your ticket at the camera, or: find my name / I'm new here
  Waiting,    // a command is with the engine (a few ms; shown only if slow)
  Result,     // the whole screen answers
  FindName,   // on-screen keyboard and results
  Confirm,    // "which letter does your e-mail start with?"
  WalkIn,     // short form
  Pin,        // organizer PIN pad
  Organizer,  // the dashboard
  Checks,     // the door checks (frontdesk doctor), from the dashboard
  Pairing,    // pairing doors, from the dashboard: this door's code, or joining a scanned one
};

const char* to_string(Screen s);  // "ready", "result", ... (test scripts, logs)

struct WalkInForm {
  std::string first_name, last_name, company, email;
  bool consent = false;
};

struct DoorTimings {
  TimeMs result_admitted = 6000;  // green screen stays this long
  TimeMs result_refused = 9000;   // refusals need reading time
  TimeMs not_me_window = 10000;   // "Not me?" undo is offered this long
  TimeMs idle = 45000;            // any screen falls back to Ready
  TimeMs pin_lockout = 60000;     // after too many wrong PINs; doubles each time
  int pin_attempts = 5;
};

class DoorFlow {
 public:
  explicit DoorFlow(DoorTimings t = {}) : t_(t) {}

  Screen screen() const { return screen_; }

  // --- attendee side -----------------------------------------------------
  // A scanned code (camera or handheld scanner) from the Ready screen, or
  // from any attendee screen: scanning always wins.
  std::optional<Command> scanned(const std::string& text, Method method, TimeMs now);
  void open_find_name(TimeMs now);
  // The organizer's search over everyone: a tap checks the person in by
  // hand, no question asked (organizer overrides apply).
  void open_organizer_search(TimeMs now);
  bool organizer_mode() const { return from_organizer_; }
  std::optional<Command> check_in_by_hand(std::int64_t attendee_id, TimeMs now);
  void open_walk_in(TimeMs now);
  void type(const std::string& utf8, TimeMs now);  // into the focused field
  void backspace(TimeMs now);
  void set_walk_in(const WalkInForm& form, TimeMs now);
  // A name picked from the results: asks for a detail only they know.
  void pick(const AttendeeView& who, TimeMs now);
  // The letter they chose; the right one checks them in.
  std::optional<Command> confirm(const std::string& choice, TimeMs now);
  std::optional<Command> submit_walk_in(TimeMs now);
  // A genuine signed ticket not on the list yet (Verdict::NameNeeded): the
  // walk-in form asks only for the name, and submitting it checks the
  // ticket in with that name.
  bool naming_ticket() const { return naming_ticket_; }
  std::optional<Command> not_me(TimeMs now);  // undo a mistaken check-in
  // A walk-in's name matched someone on the list (Verdict::IsThisYou): the
  // Confirm screen asks "is this you?"; someone_else() registers the
  // walk-in as a new person after all.
  bool walk_in_match() const { return walk_in_match_; }
  std::optional<Command> someone_else(TimeMs now);
  void back(TimeMs now);  // to Ready

  // The engine's answer to the last command.
  void decided(const Decision& d, TimeMs now);
  // Once per frame: timeouts.
  void tick(TimeMs now);

  // --- organizer side ----------------------------------------------------
  void open_pin(TimeMs now);
  void pin_digit(char digit, TimeMs now);
  void pin_clear(TimeMs now);
  void pin_submit(TimeMs now);  // the OK key
  // The PIN typed so far, to verify off the UI thread; empty when nothing to check.
  std::string take_pin_to_verify();
  void pin_checked(bool ok, TimeMs now);
  bool pin_locked(TimeMs now) const { return now < locked_until_; }
  TimeMs pin_locked_until() const { return locked_until_; }
  int pin_failures() const { return failures_; }
  void close_organizer(TimeMs now);
  // The door checks, from the dashboard; Back returns to it. Scans are not
  // check-ins here: a ticket held up tests the camera.
  void open_checks(TimeMs now);

  // --- pairing doors (organizer) -----------------------------------------
  // The dashboard's "Pair another door": shows this door's pairing code.
  void open_pairing(TimeMs now);
  // A pairing code scanned (the window tells them from tickets before the
  // engine sees a scan: doors/Join.h). Never a check-in: at the attendee
  // screens it says what it is for; on the dashboard it asks whether to
  // join that door's event.
  void pairing_scanned(const std::string& text, TimeMs now);
  // The scanned code awaiting Join / Cancel ("": showing this door's code).
  const std::string& join_offer() const { return join_offer_; }
  void join(TimeMs now);  // the Join button
  // The code to join with once Join was pressed, for the window to run
  // off the UI thread; empty when nothing to do.
  std::string take_join();
  bool joining() const { return joining_; }
  // How the join went, in plain words.
  void joined(bool ok, const std::string& message, TimeMs now);
  // The door process was opened again to join (shell/DoorProcess.h): the
  // pairing screen says how that went, until the organizer goes back.
  void show_join_result(bool ok, const std::string& message, TimeMs now);
  const std::optional<std::pair<bool, std::string>>& join_result() const { return join_result_; }

  // --- what the window draws ---------------------------------------------
  const std::string& query() const { return query_; }
  bool query_ready() const;  // 3+ letters typed: show results
  const WalkInForm& walk_in() const { return form_; }
  const std::optional<Decision>& result() const { return result_; }
  bool can_undo(TimeMs now) const;
  const std::optional<AttendeeView>& picked() const { return picked_; }
  const std::vector<std::string>& choices() const { return choices_; }
  const std::string& notice() const { return notice_; }  // "That doesn't match ..."
  std::size_t pin_length() const { return pin_.size(); }
  bool pin_checking() const { return pin_checking_; }
  enum class Field { FirstName, LastName, Company, Email };
  void focus(Field f) { field_ = f; }
  Field focused() const { return field_; }

  // --- attendee modes ---------------------------------------------------
  // Large text and high contrast, switched on at the ready screen by the
  // person who needs them; they last through that person's check-in and go
  // back to the door's defaults for the next one (after a result, or when
  // nobody touched the door for the idle time).
  void set_default_modes(bool large_text, bool high_contrast);
  void toggle_large_text(TimeMs now);
  void toggle_high_contrast(TimeMs now);
  bool large_text() const { return large_text_; }
  bool high_contrast() const { return high_contrast_; }

  // Four letters to choose from: the e-mail's first letter and three others,
  // the same for the same person every time (no guessing by retrying).
  static std::vector<std::string> letter_choices(const AttendeeView& who);

 private:
  void go(Screen s, TimeMs now);
  std::optional<Command> send(Command c, TimeMs now);

  DoorTimings t_;
  Screen screen_ = Screen::Ready;
  TimeMs entered_ = 0;
  TimeMs last_input_ = 0;
  std::string query_;
  WalkInForm form_;
  Field field_ = Field::FirstName;
  std::optional<AttendeeView> picked_;
  std::vector<std::string> choices_;
  int wrong_choices_ = 0;
  std::optional<Decision> result_;
  TimeMs result_at_ = 0;
  std::string notice_;
  Screen after_result_ = Screen::Ready;
  bool from_organizer_ = false;
  bool naming_ticket_ = false;
  bool walk_in_match_ = false;
  std::string ticket_text_;  // the code being named
  Method ticket_method_ = Method::Qr;
  std::string pin_;
  bool pin_checking_ = false;
  bool pin_submitted_ = false;
  int failures_ = 0;
  int lockouts_ = 0;
  TimeMs locked_until_ = 0;
  std::string join_offer_;
  bool join_pressed_ = false, joining_ = false;
  std::optional<std::pair<bool, std::string>> join_result_;
  TimeMs join_shown_until_ = 0;  // a join's outcome after the restart, then Ready
  bool large_text_ = false, high_contrast_ = false;
  bool default_large_text_ = false, default_high_contrast_ = false;
  void reset_modes() {
    large_text_ = default_large_text_;
    high_contrast_ = default_high_contrast_;
  }
};

}  // namespace fd
