#include <doctest/doctest.h>

#include "shell/Session.h"

using namespace fd;

TEST_CASE("event names become stable slugs") {
  CHECK(slugify("June Meetup 2026") == "june-meetup-2026");
  CHECK(slugify("  PyData: Berlin!! ") == "pydata-berlin");
  CHECK(slugify("!!!") == "event");
}
