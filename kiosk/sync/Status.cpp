#include "sync/Status.h"

#include <map>
#include <vector>

namespace fd {

namespace {

std::string plural(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// A refused check-in's reason without the "<service> refused the
// check-in: " its connector put in front.
std::string reason_of(const DeadLetter& d, const std::string& service) {
  const std::string head = service + " refused the check-in: ";
  return d.reason.rfind(head, 0) == 0 ? d.reason.substr(head.size()) : d.reason;
}

// "refused 3 check-ins: the order was cancelled (2), pretix does not know this ticket (1)"
std::string refused_checkins(const SyncServiceStatus& s) {
  std::map<std::string, int> by_reason;
  std::vector<std::string> order;  // reasons, newest first
  int n = 0;
  for (const DeadLetter& d : s.dead_letters) {
    if (d.kind == "annul") continue;
    const std::string r = reason_of(d, s.service);
    if (by_reason[r]++ == 0) order.push_back(r);
    ++n;
  }
  if (n == 0) return "";
  std::string out = "refused " + plural(n, "check-in", "check-ins") + ": ";
  for (std::size_t i = 0; i < order.size(); ++i)
    out += (i ? ", " : "") + order[i] + " (" + std::to_string(by_reason[order[i]]) + ")";
  return out;
}

// "undo of Ana Silva not delivered: <reason>", one per undo, at most three.
std::string refused_undos(const SyncServiceStatus& s) {
  std::vector<const DeadLetter*> undos;
  for (const DeadLetter& d : s.dead_letters)
    if (d.kind == "annul") undos.push_back(&d);
  if (undos.empty()) return "";
  std::string out;
  for (std::size_t i = 0; i < undos.size() && i < 3; ++i)
    out += std::string(i ? "; " : "") + "undo of " +
           (undos[i]->who.empty() ? "someone" : undos[i]->who) +
           " not delivered: " + undos[i]->reason;
  if (undos.size() > 3)
    out += "; " + plural(static_cast<int>(undos.size()) - 3, "more undo", "more undos") +
           " not delivered";
  return out;
}

}  // namespace

std::string status_line(const SyncServiceStatus& s) {
  std::vector<std::string> parts;
  if (s.pending > 0)
    parts.push_back(plural(s.pending, "check-in waits", "check-ins wait") +
                    (s.last_error.empty() ? "" : ": " + s.last_error) +
                    (s.last_error.empty() ? "" : " (since " + local_hhmm(s.last_error_at) + ")"));
  else if (!s.last_error.empty())
    parts.push_back(s.last_error + " (" + local_hhmm(s.last_error_at) + ")");
  const std::string checkins = refused_checkins(s);
  const std::string undos = refused_undos(s);
  if (!checkins.empty()) parts.push_back(checkins);
  if (!undos.empty()) parts.push_back(undos);
  std::string line = s.service + ": ";
  if (parts.empty()) {
    line += s.last_pull ? "everything sent; list pulled " + local_hhmm(s.last_pull) + " (" +
                              plural(s.pulled, "person", "people") + ")"
                        : "everything sent; list not pulled yet (`frontdesk sync pull`)";
    return line;
  }
  for (std::size_t i = 0; i < parts.size(); ++i) line += (i ? "; " : "") + parts[i];
  if (s.dead > 0) line += " — once fixed, `frontdesk sync retry` sends them again";
  // One line: a service's words never break it.
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  return line;
}

}  // namespace fd
