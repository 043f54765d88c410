#include <doctest/doctest.h>

#include "config/Config.h"

using namespace fd;

TEST_CASE("config: defaults - values - and errors with line numbers") {
  auto empty = parse_config("", "x.toml");
  REQUIRE(empty.ok());
  CHECK(empty->door.empty());  // the door's stored name, else "door 1" (the engine decides)
  auto c = parse_config("[kiosk]\ndoor = \"door 2\"\nevent = \"june\"\nadmit_not_expected = true\n",
                        "x.toml");
  REQUIRE(c.ok());
  CHECK(c->door == "door 2");
  CHECK(c->event == "june");
  CHECK(c->admit_not_expected);
  auto bad = parse_config("[kiosk]\ndoor = \n", "x.toml");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("x.toml:2") == 0);
  auto wrong_type = parse_config("[kiosk]\ndoor = 2\n", "x.toml");
  REQUIRE_FALSE(wrong_type.ok());
  CHECK(wrong_type.error().message.find("door must be text") != std::string::npos);
}

TEST_CASE("config: ticket keys and the commented example parse") {
  auto c = parse_config(
      "[tickets]\npretix_public_keys = [\"a\", \"b\"]\nluma_event_id = \"evt-1\"\n", "x.toml");
  REQUIRE(c.ok());
  CHECK(c->pretix_public_keys.size() == 2);
  CHECK(c->luma_event_id == "evt-1");
  CHECK_FALSE(parse_config("[tickets]\npretix_public_keys = \"a\"\n", "x.toml").ok());
  auto example = load_config(std::string(FD_SOURCE_DIR) + "/config/frontdesk.toml");
  REQUIRE_MESSAGE(example.ok(), (example.ok() ? "" : example.error().message));
  // Copied to two doors, the example must not name both: doors name themselves.
  CHECK(example->door.empty());
}

TEST_CASE("config: the organizer web and an exit door") {
  auto d = parse_config("", "x.toml");
  REQUIRE(d.ok());
  CHECK_FALSE(d->web_serve);
  CHECK(d->web_port == 8443);
  CHECK(d->web_loopback_port == 8080);
  CHECK_FALSE(d->exit_door);
  auto c = parse_config(
      "[kiosk]\nexit_door = true\n[web]\nserve = true\nlisten = \"192.0.2.5\"\nport = 9443\n"
      "loopback_port = 0\n",
      "x.toml");
  REQUIRE(c.ok());
  CHECK(c->exit_door);
  CHECK(c->web_serve);
  CHECK(c->web_listen == "192.0.2.5");
  CHECK(c->web_port == 9443);
  CHECK(c->web_loopback_port == 0);
  auto bad = parse_config("[web]\nport = 70000\n", "x.toml");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("[web] port") != std::string::npos);
  CHECK_FALSE(parse_config("[web]\nserve = \"yes\"\n", "x.toml").ok());
}

TEST_CASE("config: the unattended door's settings - with plain errors") {
  auto d = parse_config("", "x.toml");
  REQUIRE(d.ok());
  CHECK(d->idle_seconds == 45);
  CHECK(d->backup_dir.empty());
  auto c = parse_config(
      "[kiosk]\nidle_seconds = 20\nlarge_text = true\n[backup]\ndir = \"/media/usb\"\n"
      "every_minutes = 3\nkeep = 5\n[doctor]\nservices = [\"https://pretix.eu\"]\n",
      "x.toml");
  REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
  CHECK(c->idle_seconds == 20);
  CHECK(c->large_text);
  CHECK_FALSE(c->high_contrast);
  CHECK(c->backup_dir == "/media/usb");
  CHECK(c->backup_every_minutes == 3);
  CHECK(c->backup_quiet_minutes == 2);
  CHECK(c->backup_keep == 5);
  REQUIRE(c->service_urls.size() == 1);
  auto zero = parse_config("[kiosk]\nidle_seconds = 0\n", "x.toml");
  REQUIRE_FALSE(zero.ok());
  CHECK(zero.error().message ==
        "x.toml: [kiosk] idle_seconds must be a whole number from 5 to 3600");
  CHECK_FALSE(parse_config("[backup]\ndir = 3\n", "x.toml").ok());
  CHECK_FALSE(parse_config("[doctor]\nservices = [\"pretix.eu\"]\n", "x.toml").ok());
}
