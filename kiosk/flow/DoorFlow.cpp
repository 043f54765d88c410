#include "flow/DoorFlow.h"

#include <algorithm>

#include "i18n/Catalog.h"
#include "text/Fold.h"

namespace fd {

const char* to_string(Screen s) {
  switch (s) {
    case Screen::Ready: return "ready";
    case Screen::Waiting: return "waiting";
    case Screen::Result: return "result";
    case Screen::FindName: return "find";
    case Screen::Confirm: return "confirm";
    case Screen::WalkIn: return "walkin";
    case Screen::Pin: return "pin";
    case Screen::Organizer: return "organizer";
    case Screen::Checks: return "checks";
    case Screen::Pairing: return "pairing";
  }
  return "?";
}

void DoorFlow::go(Screen s, TimeMs now) {
  screen_ = s;
  entered_ = now;
  last_input_ = now;
  notice_.clear();
  if (s == Screen::Ready) {
    // The attendee side: whatever comes next needs the PIN again to reach
    // the dashboard.
    from_organizer_ = false;
    // Nothing typed by one person is left for the next.
    query_.clear();
    form_ = {};
    picked_.reset();
    choices_.clear();
    wrong_choices_ = 0;
    field_ = Field::FirstName;
    naming_ticket_ = false;
    walk_in_match_ = false;
    ticket_text_.clear();
  }
}

std::optional<Command> DoorFlow::send(Command c, TimeMs now) {
  after_result_ = from_organizer_ ? Screen::Organizer : Screen::Ready;
  go(Screen::Waiting, now);
  return c;
}

std::optional<Command> DoorFlow::scanned(const std::string& text, Method method, TimeMs now) {
  // Typing into a form or the PIN pad is not interrupted by a stray scan.
  if (screen_ == Screen::Waiting || screen_ == Screen::Pin || screen_ == Screen::WalkIn ||
      screen_ == Screen::Checks)
    return std::nullopt;
  from_organizer_ = screen_ == Screen::Organizer;
  ticket_text_ = text;
  ticket_method_ = method;
  return send(CheckInCode{text, method}, now);
}

void DoorFlow::open_find_name(TimeMs now) {
  from_organizer_ = false;
  go(Screen::FindName, now);
}

void DoorFlow::open_organizer_search(TimeMs now) {
  if (!from_organizer_) return;  // only from the dashboard, behind the PIN
  go(Screen::FindName, now);
}

std::optional<Command> DoorFlow::check_in_by_hand(std::int64_t attendee_id, TimeMs now) {
  if (!from_organizer_ || screen_ != Screen::FindName) return std::nullopt;
  return send(CheckInAttendee{attendee_id, Method::Manual}, now);
}

void DoorFlow::open_walk_in(TimeMs now) {
  from_organizer_ = false;
  go(Screen::WalkIn, now);
  naming_ticket_ = false;
}

void DoorFlow::type(const std::string& utf8, TimeMs now) {
  last_input_ = now;
  if (screen_ == Screen::FindName) {
    if (query_.size() < 80) query_ += utf8;
  } else if (screen_ == Screen::WalkIn) {
    std::string* f = field_ == Field::FirstName  ? &form_.first_name
                     : field_ == Field::LastName ? &form_.last_name
                     : field_ == Field::Company  ? &form_.company
                                                 : &form_.email;
    if (f->size() < 120) *f += utf8;
  }
}

namespace {
void pop_utf8(std::string& s) {
  while (!s.empty()) {
    const auto c = static_cast<unsigned char>(s.back());
    s.pop_back();
    if ((c & 0xC0) != 0x80) break;  // removed a whole code point
  }
}
}  // namespace

void DoorFlow::backspace(TimeMs now) {
  last_input_ = now;
  if (screen_ == Screen::FindName) pop_utf8(query_);
  if (screen_ == Screen::WalkIn) {
    pop_utf8(field_ == Field::FirstName  ? form_.first_name
             : field_ == Field::LastName ? form_.last_name
             : field_ == Field::Company  ? form_.company
                                         : form_.email);
  }
}

void DoorFlow::set_walk_in(const WalkInForm& form, TimeMs now) {
  last_input_ = now;
  form_ = form;
}

bool DoorFlow::query_ready() const {
  // Results after three letters: fewer would list half the room.
  return decode_utf8(fold(query_)).size() >= 3 ||
         (!query_.empty() && decode_utf8(query_).size() >= 1 &&
          static_cast<unsigned char>(query_[0]) >= 0xE3);  // CJK: one character is a name
}

std::vector<std::string> DoorFlow::letter_choices(const AttendeeView& who) {
  std::string right = fold(who.email_initial);
  if (right.empty()) return {};
  right = right.substr(0, 1);
  std::vector<std::string> out{right};
  // Decoys from the person's id: stable across retries, different per person.
  std::uint64_t h = static_cast<std::uint64_t>(who.id) * 0x9E3779B97F4A7C15ull + 7;
  const std::string letters = "abcdefghijklmnopqrstuvwxyz";
  while (out.size() < 4) {
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    const std::string l(1, letters[h % letters.size()]);
    if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void DoorFlow::pick(const AttendeeView& who, TimeMs now) {
  walk_in_match_ = false;
  picked_ = who;
  choices_ = letter_choices(who);
  go(Screen::Confirm, now);
}

std::optional<Command> DoorFlow::confirm(const std::string& choice, TimeMs now) {
  if (screen_ != Screen::Confirm || !picked_) return std::nullopt;
  last_input_ = now;
  // Without an e-mail on file there is nothing to ask: "Yes, that's me".
  const bool right =
      choices_.empty() ? choice == "yes" : choice == fold(picked_->email_initial).substr(0, 1);
  if (right) return send(CheckInAttendee{picked_->id, Method::Search}, now);
  if (++wrong_choices_ >= 2) {
    // Not a guessing game: after two misses an organizer takes over.
    Decision d;
    d.verdict = Verdict::NotAttending;
    d.message = N_("That doesn't match our list — please see an organizer");
    result_ = d;
    result_at_ = now;
    after_result_ = Screen::Ready;
    go(Screen::Result, now);
    return std::nullopt;
  }
  notice_ = N_("That doesn't match — try again");
  return std::nullopt;
}

std::optional<Command> DoorFlow::submit_walk_in(TimeMs now) {
  if (screen_ != Screen::WalkIn) return std::nullopt;
  last_input_ = now;
  if (form_.first_name.find_first_not_of(' ') == std::string::npos) {
    notice_ = N_("Please tell us your first name");
    return std::nullopt;
  }
  if (naming_ticket_) {
    CheckInCode c{ticket_text_, ticket_method_};
    c.first_name = form_.first_name;
    c.last_name = form_.last_name;
    return send(c, now);
  }
  if (!form_.consent) {
    notice_ = N_("Please confirm the privacy note");
    return std::nullopt;
  }
  return send(WalkIn{form_.first_name, form_.last_name, form_.email, form_.company}, now);
}

std::optional<Command> DoorFlow::someone_else(TimeMs now) {
  if (screen_ != Screen::Confirm || !walk_in_match_) return std::nullopt;
  last_input_ = now;
  WalkIn w{form_.first_name, form_.last_name, form_.email, form_.company};
  w.new_person = true;
  return send(w, now);
}

bool DoorFlow::can_undo(TimeMs now) const {
  return screen_ == Screen::Result && result_ && result_->verdict == Verdict::Admitted &&
         now - result_at_ < t_.not_me_window;
}

std::optional<Command> DoorFlow::not_me(TimeMs now) {
  if (!can_undo(now)) return std::nullopt;
  return send(Undo{result_->checkin_uuid, 0}, now);
}

void DoorFlow::back(TimeMs now) {
  if (screen_ == Screen::Pairing && joining_) return;
  if (screen_ == Screen::Result) reset_modes();  // "Done": the next person starts afresh
  go(from_organizer_ ? Screen::Organizer : Screen::Ready, now);
}

void DoorFlow::decided(const Decision& d, TimeMs now) {
  if (d.verdict == Verdict::IsThisYou && d.who) {
    // A walk-in with the name of someone on the list: the person proves
    // it is them as in Find my name, or says they are someone else.
    pick(*d.who, now);
    walk_in_match_ = true;
    return;
  }
  if (d.verdict == Verdict::NameNeeded && !ticket_text_.empty()) {
    const std::string code = ticket_text_;
    const Method method = ticket_method_;
    go(Screen::WalkIn, now);
    naming_ticket_ = true;
    ticket_text_ = code;
    ticket_method_ = method;
    notice_ = d.message;
    return;
  }
  after_result_ = from_organizer_ ? Screen::Organizer : Screen::Ready;
  result_ = d;
  result_at_ = now;
  go(Screen::Result, now);
}

void DoorFlow::tick(TimeMs now) {
  switch (screen_) {
    case Screen::Result: {
      const bool good = result_ && !is_refusal(result_->verdict);
      if (now - result_at_ >= (good ? t_.result_admitted : t_.result_refused)) {
        reset_modes();
        go(after_result_, now);
      }
      break;
    }
    case Screen::Ready:
      // Someone switched a mode on and walked away.
      if (now - last_input_ >= t_.idle) reset_modes();
      break;
    case Screen::Waiting: break;
    case Screen::Pairing:
      if (joining_) break;  // the join is under way
      if (join_shown_until_ && now >= join_shown_until_) {
        join_shown_until_ = 0;
        go(Screen::Ready, now);
        break;
      }
      [[fallthrough]];
    case Screen::Organizer:
    case Screen::Checks:
      // Organizers walk away too: lock the dashboard after a while alone.
      if (now - last_input_ >= t_.idle * 4) go(Screen::Ready, now);
      break;
    default:
      if (now - last_input_ >= t_.idle) {
        reset_modes();
        go(Screen::Ready, now);
      }
  }
}

void DoorFlow::set_default_modes(bool large_text, bool high_contrast) {
  default_large_text_ = large_text;
  default_high_contrast_ = high_contrast;
  reset_modes();
}

void DoorFlow::toggle_large_text(TimeMs now) {
  last_input_ = now;
  large_text_ = !large_text_;
}

void DoorFlow::toggle_high_contrast(TimeMs now) {
  last_input_ = now;
  high_contrast_ = !high_contrast_;
}

void DoorFlow::open_pin(TimeMs now) {
  pin_.clear();
  go(Screen::Pin, now);
}

void DoorFlow::pin_digit(char digit, TimeMs now) {
  last_input_ = now;
  if (screen_ != Screen::Pin || pin_checking_ || pin_locked(now) || pin_.size() >= 12) return;
  notice_.clear();
  if (digit >= '0' && digit <= '9') pin_ += digit;
}

void DoorFlow::pin_clear(TimeMs now) {
  last_input_ = now;
  pin_submitted_ = false;
  pin_.clear();
}

void DoorFlow::pin_submit(TimeMs now) {
  last_input_ = now;
  if (pin_.size() < 4) {
    notice_ = N_("A PIN has at least 4 digits");
    return;
  }
  pin_submitted_ = true;
}

std::string DoorFlow::take_pin_to_verify() {
  if (screen_ != Screen::Pin || pin_checking_ || !pin_submitted_ || pin_.size() < 4) return {};
  pin_submitted_ = false;
  pin_checking_ = true;
  std::string p;
  p.swap(pin_);
  return p;
}

void DoorFlow::pin_checked(bool ok, TimeMs now) {
  pin_checking_ = false;
  if (ok) {
    failures_ = 0;
    from_organizer_ = true;
    go(Screen::Organizer, now);
    return;
  }
  notice_ = N_("Wrong PIN");
  if (++failures_ >= t_.pin_attempts) {
    // Each lockout lasts twice the one before: guessing a PIN takes days.
    locked_until_ = now + t_.pin_lockout * (TimeMs{1} << std::min(lockouts_, 10));
    ++lockouts_;
    failures_ = 0;
  }
}

void DoorFlow::close_organizer(TimeMs now) {
  from_organizer_ = false;
  go(Screen::Ready, now);
}

void DoorFlow::open_checks(TimeMs now) {
  if (screen_ != Screen::Organizer) return;  // behind the PIN only
  from_organizer_ = true;
  go(Screen::Checks, now);
}

void DoorFlow::open_pairing(TimeMs now) {
  if (screen_ != Screen::Organizer && screen_ != Screen::Pairing) return;  // behind the PIN only
  from_organizer_ = true;
  join_shown_until_ = 0;
  join_offer_.clear();
  join_result_.reset();
  go(Screen::Pairing, now);
}

void DoorFlow::pairing_scanned(const std::string& text, TimeMs now) {
  switch (screen_) {
    case Screen::Organizer:
    case Screen::Pairing:
      if (joining_) return;
      from_organizer_ = true;
      join_shown_until_ = 0;  // the organizer is at it: no going back by itself
      join_offer_ = text;
      join_result_.reset();
      join_pressed_ = false;
      go(Screen::Pairing, now);
      return;
    case Screen::Ready:
    case Screen::Result:
    case Screen::FindName:
    case Screen::Confirm: {
      // What a person holding it up at the door needs to hear: it is not
      // their ticket, and who it is for.
      Decision d;
      d.verdict = Verdict::NotATicket;
      d.message =
          N_("This is a code for pairing doors: an organizer scans it from the organizer screen");
      from_organizer_ = false;
      decided(d, now);
      return;
    }
    default: return;  // typing, the PIN pad, a command in flight: a stray scan waits
  }
}

void DoorFlow::join(TimeMs now) {
  last_input_ = now;
  if (screen_ != Screen::Pairing || join_offer_.empty() || joining_) return;
  join_pressed_ = true;
}

std::string DoorFlow::take_join() {
  if (!join_pressed_ || screen_ != Screen::Pairing || joining_) return {};
  join_pressed_ = false;
  joining_ = true;
  join_result_.reset();
  return join_offer_;
}

void DoorFlow::joined(bool ok, const std::string& message, TimeMs now) {
  joining_ = false;
  join_result_ = std::pair{ok, message};
  last_input_ = now;
}

void DoorFlow::show_join_result(bool ok, const std::string& message, TimeMs now) {
  from_organizer_ = true;
  join_offer_.clear();
  go(Screen::Pairing, now);
  joined(ok, message, now);
  // Read, then the door: people arrive while the organizer walks away.
  join_shown_until_ = now + (ok ? t_.result_admitted : t_.result_refused);
}

}  // namespace fd
