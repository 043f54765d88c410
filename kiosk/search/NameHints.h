#pragma once
// Two people with one name in a list of results ("Alex Kim", "Alex Kim"):
// a few words that tell them apart, so an organizer picks the right one.
// Namesakes at different companies need nothing (results show the company);
// otherwise the details the list carries come first (role, ticket type,
// walk-in or RSVP state, guests); only organizer views may fall back on a masked
// e-mail, never the address (and never at the door, where the e-mail's
// first letter is the question only the person can answer).
//
// Thread-safety: pure functions.
#include <string>
#include <vector>

#include "model/Attendee.h"

namespace fd {

// One hint per person, "" for a person whose name and company no one else
// in `people` shares (compared folded: case and accents aside). `masked_emails`
// (organizer views only, one per person, from masked_email()) is the last
// resort; without it people alike in everything say so.
std::vector<std::string> same_name_hints(const std::vector<AttendeeView>& people,
                                         const std::vector<std::string>& masked_emails = {});

// "ana.garcia@example.org" -> "a…a at e….org": enough to ask "is yours the
// one at example.org?", not enough to write to. "" for no address.
std::string masked_email(const std::string& email);

}  // namespace fd
