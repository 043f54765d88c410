#pragma once
// Two people with one name in a list of results ("Alex Kim", "Alex Kim"):
// a few words that tell them apart, so an organizer picks the right one.
// Namesakes at different companies need nothing (results show the company);
// otherwise the details the list carries come first (role, ticket type,
// walk-in or RSVP state, guests); only organizer views may fall back on a
// masked e-mail or the service's member id, never the address (and never at
// the door, where the e-mail's first letter is the question only the person
// can answer).
//
// Thread-safety: pure functions.
#include <string>
#include <vector>

#include "model/Attendee.h"

namespace fd {

// One hint per person, "" for a person whose name and company no one else
// in `people` shares (compared folded: case and accents aside): the first
// detail that is theirs alone in the group. `last_resort` (organizer views
// only, one per person: a masked e-mail, the service's member id) is for
// those alike in every detail; without it they say so.
std::vector<std::string> same_name_hints(const std::vector<AttendeeView>& people,
                                         const std::vector<std::string>& last_resort = {});

// "ana.garcia@example.org" -> "a…a at e….org": enough to ask "is yours the
// one at example.org?", not enough to write to. "" for no address.
std::string masked_email(const std::string& email);

}  // namespace fd
