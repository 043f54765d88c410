#pragma once
// `frontdesk sync status`: one line per service saying what sync could not
// do and what the organizer should do about it, e.g.
//   pretix: refused 2 check-ins: the order was cancelled (2); undo of Ana
//   Silva not delivered: more than 15 minutes after the check-in (pretix's
//   limit): undo it in pretix — fix them, then `frontdesk sync retry`
// A pure function of the store's status, so the words are tested without a
// terminal.
#include <string>

#include "model/Sync.h"

namespace fd {

// Times are local ("since 18:02"); the line never ends in a newline.
std::string status_line(const SyncServiceStatus& s);

}  // namespace fd
