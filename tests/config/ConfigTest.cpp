#include <doctest/doctest.h>

#include "config/Config.h"

using namespace fd;

TEST_CASE("config: defaults - values - and errors with line numbers") {
  auto empty = parse_config("", "x.toml");
  REQUIRE(empty.ok());
  CHECK(empty->door == "door 1");
  auto c = parse_config("[kiosk]\ndoor = \"door 2\"\nevent = \"june\"\nadmit_not_expected = true\n", "x.toml");
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

