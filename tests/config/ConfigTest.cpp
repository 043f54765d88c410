#include <doctest/doctest.h>

#include <cctype>
#include <cstdio>
#include <random>

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
  CHECK(bad.error().message.find("x.toml line 2: ") == 0);
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
        "x.toml line 2: [kiosk] idle_seconds must be a whole number from 5 to 3600 (seconds), "
        "e.g. idle_seconds = 45");
  CHECK_FALSE(parse_config("[backup]\ndir = 3\n", "x.toml").ok());
  CHECK_FALSE(parse_config("[doctor]\nservices = [\"pretix.eu\"]\n", "x.toml").ok());
}

TEST_CASE("config: a typo names the line, the problem in plain words and the fix") {
  const auto error = [](const std::string& text) {
    auto c = parse_config(text, "frontdesk.toml");
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().code.rfind("config.", 0) == 0);
    return c.error().message;
  };
  CHECK(error("[printer]\nname = \"Brother_QL\n") ==
        "frontdesk.toml line 2: a text in quotes is not closed; add the closing \" at the end of "
        "the value (the line reads: name = \"Brother_QL)");
  CHECK(error("[printer]\nname = Brother_QL\n") ==
        "frontdesk.toml line 2: the value is not understood; put text in quotes (name = "
        "\"Brother_QL\"), write numbers as digits and yes or no as true or false (the line reads: "
        "name = Brother_QL)");
  CHECK(error("[kiosk]\nadmit_not_expected = yes\n") ==
        "frontdesk.toml line 2: yes-or-no settings are written true or false, in lower case (the "
        "line reads: admit_not_expected = yes)");
  CHECK(error("[printer\nname = \"x\"\n") ==
        "frontdesk.toml line 1: a section name is not closed; write it as [name] (the line reads: "
        "[printer)");
  CHECK(error("[kiosk]\ndoor = \"a\"\ndoor = \"b\"\n") ==
        "frontdesk.toml line 3: this setting appears twice in its section; keep one of them (the "
        "line reads: door = \"b\")");
  CHECK(error("[kiosk]\nstore = \"C:\\data\\x.db\"\n")
            .rfind("frontdesk.toml line 2: a backslash inside \"...\" starts an escape", 0) == 0);
  CHECK(error("[kiosk]\nevent = “june”\n")
            .rfind("frontdesk.toml line 2: the value has typographic quotes", 0) == 0);
  CHECK(error("[web]\nport = 8443x\n") ==
        "frontdesk.toml line 2: a number is written with digits only, without units or letters "
        "(the line reads: port = 8443x)");
  CHECK(error("\n\n[printer]\nname = 3\n") ==
        "frontdesk.toml line 4: [printer] name must be text in quotes, e.g. name = "
        "\"Brother_QL_820NWB\"");
  CHECK(error("[pretix]\nurl = \"https://pretix.eu\"\norganizer = \"x\"\n") ==
        "frontdesk.toml line 1: [pretix] needs event (its short name in pretix's addresses)");
}

TEST_CASE("config: unknown sections and settings are reported with the name they probably meant") {
  auto c = parse_config(
      "door = \"door 2\"\n[printr]\nname = \"Brother\"\n[kiosk]\nidle_second = 30\n[sync]\n"
      "zzz = 1\n[widgets]\n",
      "frontdesk.toml");
  REQUIRE(c.ok());
  REQUIRE(c->notes.size() == 5);
  CHECK(c->notes[0] ==
        "frontdesk.toml line 1: door is outside any section, so it is ignored; move it under "
        "[kiosk]");
  CHECK(c->notes[1] ==
        "frontdesk.toml line 2: there is no section [printr], so it is ignored; "
        "did you mean [printer]?");
  CHECK(c->notes[2] ==
        "frontdesk.toml line 5: [kiosk] has no setting idle_second, so it is "
        "ignored; did you mean idle_seconds?");
  CHECK(c->notes[3] ==
        "frontdesk.toml line 7: [sync] has no setting zzz, so it is ignored; its "
        "settings are pull_every, max_refusals, timeout");
  CHECK(c->notes[4] ==
        "frontdesk.toml line 8: there is no section [widgets], so it is ignored; "
        "the sections are described in config/frontdesk.toml");
  CHECK(c->printer.empty());  // ignored, which is why it is said
  // The commented example knows every section and setting it shows.
  auto example = load_config(std::string(FD_SOURCE_DIR) + "/config/frontdesk.toml");
  REQUIRE(example.ok());
  CHECK(example->notes.empty());
}

TEST_CASE("property: any damage to the example config gives a config or an error with its line") {
  std::string example;
  {
    std::FILE* f =
        std::fopen((std::string(FD_SOURCE_DIR) + "/config/frontdesk.toml").c_str(), "rb");
    REQUIRE(f);
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) example.append(buf, n);
    std::fclose(f);
  }
  // With its example settings live (the commented "# key = value" lines).
  std::string live;
  std::size_t pos = 0;
  while (pos < example.size()) {
    const std::size_t end = std::min(example.find('\n', pos), example.size());
    std::string line = example.substr(pos, end - pos);
    if (line.rfind("# ", 0) == 0 && ((line.find(" = ") != std::string::npos &&
                                      std::islower(static_cast<unsigned char>(line[2]))) ||
                                     (line[2] == '[' && line.back() == ']')))
      line = line.substr(2);
    live += line + "\n";
    pos = end + 1;
  }
  REQUIRE_MESSAGE(parse_config(live, "x.toml").ok(), parse_config(live, "x.toml").error().message);
  std::mt19937 rng(22);
  const std::string damage[] = {"\"", "=", "[", "]", "\n", "x", "\\", "“", "#", " "};
  for (int iter = 0; iter < 2000; ++iter) {
    std::string text = live;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = rng() % (text.size() + 1);
      if (rng() % 2)
        text.insert(at, damage[rng() % std::size(damage)]);
      else if (at < text.size())
        text.erase(at, 1);
    }
    auto c = parse_config(text, "x.toml");
    if (c.ok()) {
      for (const std::string& note : c->notes) REQUIRE(note.rfind("x.toml line ", 0) == 0);
      continue;
    }
    INFO(c.error().message);
    if (c.error().code == "config.permissions") continue;
    REQUIRE(c.error().message.rfind("x.toml line ", 0) == 0);
    REQUIRE(c.error().message.find("Error while parsing") == std::string::npos);
  }
}
