#include "search/NameHints.h"

#include <functional>
#include <map>

#include "text/Fold.h"

namespace fd {

namespace {

// The details a person may be told apart by, in the order people use them.
using Detail = std::function<std::string(const AttendeeView&)>;

const std::vector<Detail>& details() {
  static const std::vector<Detail> d = {
      [](const AttendeeView& a) { return a.role.empty() ? std::string("attendee") : a.role; },
      [](const AttendeeView& a) { return a.ticket_type; },
      [](const AttendeeView& a) {
        return a.walk_in ? std::string("walk-in") : std::string("RSVP ") + to_string(a.rsvp);
      },
      [](const AttendeeView& a) {
        return a.guests ? "+" + std::to_string(a.guests) + " guest" + (a.guests == 1 ? "" : "s")
                        : std::string("no guests");
      },
  };
  return d;
}

}  // namespace

std::string masked_email(const std::string& email) {
  const auto at = email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= email.size()) return "";
  const std::string local = email.substr(0, at), domain = email.substr(at + 1);
  const auto dot = domain.rfind('.');
  // First characters as whole UTF-8 sequences: never half a letter.
  const auto first = [](const std::string& s) {
    std::size_t n = 1;
    while (n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) ++n;
    return s.substr(0, n);
  };
  std::size_t last = local.size() - 1;
  while (last > 0 && (static_cast<unsigned char>(local[last]) & 0xC0) == 0x80) --last;
  return first(local) + "…" + (last > 0 ? local.substr(last) : "") + " at " + first(domain) + "…" +
         (dot != std::string::npos && dot > 0 ? domain.substr(dot) : "");
}

std::vector<std::string> same_name_hints(const std::vector<AttendeeView>& people,
                                         const std::vector<std::string>& last_resort) {
  std::vector<std::string> hints(people.size());
  // Results show the company beside the name: namesakes at different
  // companies are told apart already.
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < people.size(); ++i)
    groups[fold(people[i].full_name) + '\n' + fold(people[i].company)].push_back(i);
  for (const auto& [key, group] : groups) {
    if (group.size() < 2) continue;
    // Each person gets the first detail that is theirs alone in the group:
    // one short phrase, not every way they differ.
    for (const Detail& detail : details()) {
      std::map<std::string, int> count;
      for (std::size_t i : group) ++count[detail(people[i])];
      for (std::size_t i : group)
        if (hints[i].empty() && count[detail(people[i])] == 1) hints[i] = detail(people[i]);
    }
    for (std::size_t i : group)
      if (hints[i].empty())
        hints[i] = i < last_resort.size() && !last_resort[i].empty() ? last_resort[i]
                                                                     : "same details as another";
  }
  return hints;
}

}  // namespace fd
