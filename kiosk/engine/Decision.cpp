#include "engine/Decision.h"

namespace fd {

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::Admitted: return "admitted";
    case Verdict::AlreadyIn: return "already-in";
    case Verdict::UnknownTicket: return "unknown-ticket";
    case Verdict::NotATicket: return "not-a-ticket";
    case Verdict::Forged: return "forged";
    case Verdict::NotYetValid: return "not-yet-valid";
    case Verdict::Expired: return "expired";
    case Verdict::WrongEvent: return "wrong-event";
    case Verdict::Cancelled: return "cancelled";
    case Verdict::NotAttending: return "not-attending";
    case Verdict::CapacityReached: return "capacity-reached";
    case Verdict::Undone: return "undone";
    case Verdict::NothingToUndo: return "nothing-to-undo";
    case Verdict::Reprinting: return "reprinting";
    case Verdict::Imported: return "imported";
    case Verdict::Updated: return "updated";
    case Verdict::Done: return "done";
    case Verdict::Failed: return "failed";
    case Verdict::NameNeeded: return "name-needed";
    case Verdict::Left: return "left";
    case Verdict::Returned: return "returned";
    case Verdict::NotIn: return "not-in";
    case Verdict::IsThisYou: return "is-this-you";
    case Verdict::Held: return "held";
  }
  return "failed";
}

bool is_refusal(Verdict v) {
  switch (v) {
    case Verdict::UnknownTicket:
    case Verdict::NotATicket:
    case Verdict::Forged:
    case Verdict::NotYetValid:
    case Verdict::Expired:
    case Verdict::WrongEvent:
    case Verdict::Cancelled:
    case Verdict::NotAttending:
    case Verdict::CapacityReached:
    case Verdict::NothingToUndo:
    case Verdict::NotIn:
    case Verdict::Failed: return true;
    default: return false;
  }
}

}  // namespace fd
