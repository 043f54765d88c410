#pragma once
// An event in the store: one evening of a group.
#include <cstdint>
#include <string>

#include "base/Time.h"

namespace fd {

struct EventRecord {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
  TimeMs starts_at = 0;  // 0: unknown
  int capacity = 0;      // 0: no limit
};

// An event's name as a slug for the command line: "June Meetup!" -> "june-meetup".
// Non-ASCII letters are kept, so names in any script stay recognisable.
std::string slugify(const std::string& name);

}  // namespace fd
