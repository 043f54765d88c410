#include <doctest/doctest.h>

#include "flow/KeyboardWedge.h"

using namespace fd;

TEST_CASE("a scanner burst with Enter is a scan") {
  KeyboardWedge w;
  const std::string code = "vx6zn4jmf3dpjk2q";
  TimeMs t = 1000;
  for (char c : code) {
    CHECK_FALSE(w.key(std::string(1, c), t));
    t += 4;
  }
  auto scan = w.enter(t);
  REQUIRE(scan);
  CHECK(*scan == code);
  CHECK(w.take_typed().empty());
}

TEST_CASE("a scanner burst without Enter ends when it goes quiet") {
  KeyboardWedge w;
  TimeMs t = 0;
  for (char c : std::string("1234567890123")) w.key(std::string(1, c), t += 3);
  CHECK_FALSE(w.tick(t + 20));
  auto scan = w.tick(t + 100);
  REQUIRE(scan);
  CHECK(*scan == "1234567890123");
}

TEST_CASE("a person typing is typing - even a fast one") {
  KeyboardWedge w;
  TimeMs t = 0;
  for (char c : std::string("garcia")) {
    CHECK_FALSE(w.key(std::string(1, c), t));
    t += 110;
  }
  CHECK_FALSE(w.tick(t + 200));
  CHECK(w.take_typed() == "garcia");
  // Two keys rolled over quickly are still typing: too short for a code.
  w.key("a", 5000);
  w.key("n", 5010);
  CHECK_FALSE(w.tick(5200));
  CHECK(w.take_typed() == "an");
}
