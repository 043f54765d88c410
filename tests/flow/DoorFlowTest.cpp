// The door's flow without a window: what a person at the kiosk can do, and
// what reaches the engine.
#include <doctest/doctest.h>

#include <algorithm>

#include "flow/DoorFlow.h"

using namespace fd;

namespace {
AttendeeView ana() {
  AttendeeView a;
  a.id = 42;
  a.full_name = "Ana García";
  a.first_name = "Ana";
  a.email_initial = "a";
  return a;
}
Decision admitted() {
  Decision d;
  d.verdict = Verdict::Admitted;
  d.checkin_uuid = "u-1";
  d.message = "Welcome, Ana!";
  return d;
}
}  // namespace

TEST_CASE("a scan from the ready screen becomes a check-in and the result times out to ready") {
  DoorFlow f;
  auto c = f.scanned("TKT-1", Method::Qr, 0);
  REQUIRE(c);
  CHECK(std::get<CheckInCode>(*c).text == "TKT-1");
  CHECK(f.screen() == Screen::Waiting);
  f.decided(admitted(), 10);
  CHECK(f.screen() == Screen::Result);
  f.tick(5000);
  CHECK(f.screen() == Screen::Result);
  f.tick(6010);
  CHECK(f.screen() == Screen::Ready);
}

TEST_CASE("refusals stay longer on screen than admissions") {
  DoorFlow f;
  f.scanned("X", Method::Qr, 0);
  Decision d;
  d.verdict = Verdict::UnknownTicket;
  f.decided(d, 0);
  f.tick(7000);
  CHECK(f.screen() == Screen::Result);
  f.tick(9000);
  CHECK(f.screen() == Screen::Ready);
}

TEST_CASE("Not me? undoes the check-in only for a few seconds") {
  DoorFlow f;
  f.scanned("TKT-1", Method::Qr, 0);
  f.decided(admitted(), 0);
  CHECK(f.can_undo(9000));
  CHECK_FALSE(f.can_undo(10001));
  auto c = f.not_me(5000);
  REQUIRE(c);
  CHECK(std::get<Undo>(*c).checkin_uuid == "u-1");
  DoorFlow late;
  late.scanned("TKT-1", Method::Qr, 0);
  late.decided(admitted(), 0);
  CHECK_FALSE(late.not_me(12000));
}

TEST_CASE("find my name: results after three letters - confirm with the e-mail's first letter") {
  DoorFlow f;
  f.open_find_name(0);
  f.type("a", 1);
  f.type("n", 2);
  CHECK_FALSE(f.query_ready());
  f.type("a", 3);
  CHECK(f.query_ready());
  f.pick(ana(), 4);
  CHECK(f.screen() == Screen::Confirm);
  REQUIRE(f.choices().size() == 4);
  CHECK(std::find(f.choices().begin(), f.choices().end(), "a") != f.choices().end());
  // The same person gets the same choices: retrying does not narrow them down.
  CHECK(DoorFlow::letter_choices(ana()) == f.choices());
  std::string wrong;
  for (const auto& c : f.choices())
    if (c != "a") wrong = c;
  CHECK_FALSE(f.confirm(wrong, 5));
  CHECK(f.screen() == Screen::Confirm);
  CHECK(f.notice().find("doesn't match") != std::string::npos);
  auto c = f.confirm("a", 6);
  REQUIRE(c);
  CHECK(std::get<CheckInAttendee>(*c).attendee_id == 42);
  CHECK(std::get<CheckInAttendee>(*c).method == Method::Search);
}

TEST_CASE("two wrong letters send the person to an organizer - nothing is checked in") {
  DoorFlow f;
  f.open_find_name(0);
  f.pick(ana(), 1);
  std::string wrong;
  for (const auto& c : f.choices())
    if (c != "a") wrong = c;
  CHECK_FALSE(f.confirm(wrong, 2));
  CHECK_FALSE(f.confirm(wrong, 3));
  CHECK(f.screen() == Screen::Result);
  REQUIRE(f.result());
  CHECK(is_refusal(f.result()->verdict));
}

TEST_CASE("nothing typed by one person is left for the next") {
  DoorFlow f;
  f.open_find_name(0);
  f.type("García", 1);
  f.tick(46000);  // walked away
  CHECK(f.screen() == Screen::Ready);
  f.open_find_name(47000);
  CHECK(f.query().empty());
}

TEST_CASE("backspace removes a whole character - not half of it") {
  DoorFlow f;
  f.open_find_name(0);
  f.type("Zoë", 1);
  f.backspace(2);
  CHECK(f.query() == "Zo");
}

TEST_CASE("walk-in needs a first name and consent") {
  DoorFlow f;
  f.open_walk_in(0);
  CHECK_FALSE(f.submit_walk_in(1));
  f.focus(DoorFlow::Field::FirstName);
  f.type("Sam", 2);
  f.focus(DoorFlow::Field::Company);
  f.type("Hooli", 3);
  CHECK_FALSE(f.submit_walk_in(4));
  CHECK(f.notice().find("privacy") != std::string::npos);
  WalkInForm form = f.walk_in();
  form.consent = true;
  f.set_walk_in(form, 5);
  auto c = f.submit_walk_in(6);
  REQUIRE(c);
  CHECK(std::get<WalkIn>(*c).first_name == "Sam");
  CHECK(std::get<WalkIn>(*c).company == "Hooli");
}

TEST_CASE("a walk-in with the name of someone on the list is asked 'is this you?' first") {
  DoorFlow f;
  f.open_walk_in(0);
  WalkInForm form;
  form.first_name = "Anna";
  form.last_name = "Müller";
  form.email = "anna.m@example.org";
  form.consent = true;
  f.set_walk_in(form, 1);
  auto c = f.submit_walk_in(2);
  REQUIRE(c);
  CHECK_FALSE(std::get<WalkIn>(*c).new_person);
  // The engine knows an Anna Müller on the list.
  Decision d;
  d.verdict = Verdict::IsThisYou;
  d.message = "Anna Müller is on the list. Is this you?";
  AttendeeView anna;
  anna.id = 2;
  anna.full_name = "Anna Müller";
  anna.email_initial = "a";
  d.who = anna;
  f.decided(d, 3);
  CHECK(f.screen() == Screen::Confirm);
  CHECK(f.walk_in_match());
  // The right letter: it is her, checked in by her record, not a second one.
  const auto same = f.confirm("a", 4);
  REQUIRE(same);
  CHECK(std::get<CheckInAttendee>(*same).attendee_id == 2);

  // Someone else of that name: a new walk-in after all, with what they typed.
  f.decided(d, 5);
  const auto other = f.someone_else(6);
  REQUIRE(other);
  CHECK(std::get<WalkIn>(*other).new_person);
  CHECK(std::get<WalkIn>(*other).email == "anna.m@example.org");
  // The next person starts afresh.
  f.back(7);
  CHECK_FALSE(f.walk_in_match());
}

TEST_CASE("a stray scan does not interrupt someone filling in the walk-in form") {
  DoorFlow f;
  f.open_walk_in(0);
  CHECK_FALSE(f.scanned("TKT-9", Method::Scanner, 1));
  CHECK(f.screen() == Screen::WalkIn);
}

TEST_CASE("organizer PIN: checked off the UI thread - locked out after five wrong tries") {
  DoorFlow f;
  f.open_pin(0);
  for (char d : std::string("12")) f.pin_digit(d, 1);
  f.pin_submit(1);
  CHECK(f.take_pin_to_verify().empty());  // too short to check
  f.pin_clear(1);
  for (int attempt = 0; attempt < 5; ++attempt) {
    for (char d : std::string("0000")) f.pin_digit(d, 10);
    f.pin_submit(10);
    const std::string pin = f.take_pin_to_verify();
    CHECK(pin.size() >= 4);
    f.pin_checked(false, 10 + attempt);
  }
  CHECK(f.pin_locked(100));
  for (char d : std::string("1234")) f.pin_digit(d, 100);
  f.pin_submit(100);
  CHECK(f.take_pin_to_verify().empty());  // digits ignored while locked
  CHECK_FALSE(f.pin_locked(61000 + 15));
  for (char d : std::string("1234")) f.pin_digit(d, 61100);
  f.pin_submit(61100);
  CHECK(f.take_pin_to_verify() == "1234");
  f.pin_checked(true, 61200);
  CHECK(f.screen() == Screen::Organizer);
}

TEST_CASE("organizer actions return to the dashboard - not to the attendee screen") {
  DoorFlow f;
  f.open_pin(0);
  for (char d : std::string("1234")) f.pin_digit(d, 1);
  f.pin_submit(1);
  CHECK(f.take_pin_to_verify() == "1234");
  f.pin_checked(true, 2);
  auto c = f.scanned("TKT-1", Method::Scanner, 3);
  REQUIRE(c);
  f.decided(admitted(), 4);
  f.tick(7000);
  CHECK(f.screen() == Screen::Organizer);
  f.close_organizer(8000);
  CHECK(f.screen() == Screen::Ready);
}

TEST_CASE("organizers check people in by hand from their search - attendees cannot") {
  DoorFlow attendee;
  attendee.open_organizer_search(0);
  CHECK(attendee.screen() == Screen::Ready);
  CHECK_FALSE(attendee.check_in_by_hand(42, 1));
  DoorFlow f;
  f.open_pin(0);
  for (char d : std::string("1234")) f.pin_digit(d, 1);
  f.pin_submit(1);
  f.take_pin_to_verify();
  f.pin_checked(true, 2);
  f.open_organizer_search(3);
  CHECK(f.screen() == Screen::FindName);
  auto c = f.check_in_by_hand(42, 4);
  REQUIRE(c);
  CHECK(std::get<CheckInAttendee>(*c).method == Method::Manual);
  f.decided(admitted(), 5);
  f.tick(7000);
  CHECK(f.screen() == Screen::Organizer);
}

TEST_CASE("a genuine ticket not on the list asks for the name - then checks the same ticket in") {
  DoorFlow f;
  auto c = f.scanned("SIGNED-SECRET", Method::Qr, 0);
  REQUIRE(c);
  Decision d;
  d.verdict = Verdict::NameNeeded;
  d.message = "Your ticket is fine — please type your name for your badge";
  f.decided(d, 1);
  CHECK(f.screen() == Screen::WalkIn);
  CHECK(f.naming_ticket());
  CHECK(f.notice() == d.message);
  CHECK_FALSE(f.submit_walk_in(2));  // a name first
  f.type("Grace", 3);
  f.focus(DoorFlow::Field::LastName);
  f.type("Hopper", 4);
  auto sent = f.submit_walk_in(5);
  REQUIRE(sent);
  const auto* code = std::get_if<CheckInCode>(&*sent);
  REQUIRE(code);
  CHECK(code->text == "SIGNED-SECRET");
  CHECK(code->first_name == "Grace");
  CHECK(code->last_name == "Hopper");
  // The next person starts clean.
  f.back(6);
  CHECK_FALSE(f.naming_ticket());
}

TEST_CASE("every screen but the ready screen returns to it after the configured idle time") {
  DoorTimings t;
  t.idle = 20000;  // [kiosk] idle_seconds = 20
  DoorFlow f(t);
  f.open_find_name(0);
  f.type("ana", 5000);
  f.tick(24000);
  CHECK(f.screen() == Screen::FindName);  // still typing 19 s after the last key
  f.tick(25000);
  CHECK(f.screen() == Screen::Ready);
  f.open_walk_in(30000);
  f.tick(50000);
  CHECK(f.screen() == Screen::Ready);
  f.open_pin(60000);
  f.tick(80000);
  CHECK(f.screen() == Screen::Ready);
}

TEST_CASE("large text and high contrast last through one person's check-in - then reset") {
  DoorFlow f;
  f.set_default_modes(false, false);
  f.toggle_large_text(1000);
  f.toggle_high_contrast(1100);
  CHECK(f.large_text());
  CHECK(f.high_contrast());
  f.open_find_name(2000);
  f.back(3000);  // back from the search: still the same person
  CHECK(f.large_text());
  Decision d;
  d.verdict = Verdict::Admitted;
  f.decided(d, 4000);
  CHECK(f.high_contrast());  // the result is read in the mode they chose
  f.tick(4000 + 6000);       // the welcome times out: the next person
  CHECK(f.screen() == Screen::Ready);
  CHECK_FALSE(f.large_text());
  CHECK_FALSE(f.high_contrast());
  // Switched on and walked away: off again after the idle time.
  f.toggle_large_text(20000);
  f.tick(20000 + 44000);
  CHECK(f.large_text());
  f.tick(20000 + 45000);
  CHECK_FALSE(f.large_text());
  // A door configured for large text goes back to large text.
  f.set_default_modes(true, false);
  f.toggle_large_text(70000);
  CHECK_FALSE(f.large_text());
  f.tick(70000 + 45000);
  CHECK(f.large_text());
}
