#include "model/MergePlan.h"

#include <unordered_map>
#include <unordered_set>

namespace fd {

namespace {

bool not_coming(Rsvp r) { return r == Rsvp::Cancelled || r == Rsvp::No; }

// What changed for one person, in the organizer's words. E-mail addresses
// are named as changed, never shown: this text reaches terminals and logs.
std::string differences(const AttendeeRecord& a, const AttendeeRow& row) {
  std::string out;
  const auto add = [&out](const std::string& s) { out += (out.empty() ? "" : "; ") + s; };
  if (a.rsvp != row.rsvp)
    add(std::string("RSVP ") + to_string(a.rsvp) + " → " + to_string(row.rsvp));
  if (a.guests != row.guests)
    add("guests " + std::to_string(a.guests) + " → " + std::to_string(row.guests));
  if (a.full_name != row.full_name)
    add("name was " + a.full_name);
  else if (a.first_name != row.first_name || a.last_name != row.last_name)
    add("first and last name");
  if (a.company != row.company) add("company");
  if (a.email != row.email) add("e-mail");
  if (a.ticket_code != row.ticket_code) add("ticket code");
  if (a.ticket_type != row.ticket_type) add("ticket type");
  if (a.role != row.role) add("role");
  return out;
}

}  // namespace

MergePlan plan_merge(const std::vector<AttendeeRecord>& existing, const ImportBatch& batch,
                     const MergeRules& rules) {
  MergePlan plan;
  MergeReport& r = plan.would;
  r.errors = static_cast<int>(batch.errors.size());
  const std::string source = batch.source.empty() ? "csv" : batch.source;
  std::unordered_map<std::string, const AttendeeRecord*> by_id;
  for (const AttendeeRecord& a : existing) {
    if (a.source != source || a.walk_in) continue;
    by_id.emplace(a.external_id, &a);
    ++plan.list_size;
  }
  // The same rules as Store::merge_attendees: the first row of an id wins.
  std::unordered_set<std::string> seen;
  for (const AttendeeRow& row : batch.rows) {
    if (!seen.insert(row.external_id).second) continue;
    const auto it = by_id.find(row.external_id);
    if (it == by_id.end()) {
      ++r.added;
      r.added_people.push_back({row.full_name, ""});
      continue;
    }
    const AttendeeRecord& a = *it->second;
    const std::string what = differences(a, row);
    if (what.empty()) {
      ++r.unchanged;
      continue;
    }
    ++r.updated;
    if (not_coming(row.rsvp) && !not_coming(a.rsvp)) {
      ++r.cancelled;
      r.cancelled_people.push_back({a.full_name, what});
    } else {
      r.changed_people.push_back({row.full_name, what});
    }
  }
  for (const AttendeeRecord& a : existing) {
    if (a.source != source || a.walk_in || seen.count(a.external_id)) continue;
    ++r.not_in_file;
    if (rules.prune_missing && a.rsvp != Rsvp::Cancelled) {
      ++r.cancelled;
      r.cancelled_people.push_back({a.full_name, "not in this file"});
    }
  }

  plan.file_as_of = batch.as_of;
  plan.list_as_of = rules.list_as_of;
  if (rules.rows_required && batch.rows.empty())
    plan.hold = MergeHold::NoAttendees;
  else if (r.cancelled > 2 && r.cancelled * 10 > plan.list_size)
    plan.hold = MergeHold::ManyCancelled;
  else if (batch.as_of && rules.list_as_of && batch.as_of < rules.list_as_of &&
           (r.updated || r.cancelled))
    plan.hold = MergeHold::OlderExport;
  r.held = plan.hold;
  return plan;
}

std::string hold_reason(const MergePlan& plan) {
  const MergeReport& r = plan.would;
  const auto people = [](int n) { return std::to_string(n) + (n == 1 ? " person" : " people"); };
  switch (plan.hold) {
    case MergeHold::None: return "";
    case MergeHold::NoAttendees:
      return std::string(r.errors ? "The file holds no attendee rows that could be read"
                                  : "The file holds no attendees (a header and no rows: a "
                                    "download cut short?)") +
             (r.cancelled ? "; importing it would cancel " + people(r.cancelled) + " of the " +
                                std::to_string(plan.list_size) + " on the list"
                          : "");
    case MergeHold::ManyCancelled:
      return "It would cancel " + people(r.cancelled) + " of the " +
             std::to_string(plan.list_size) +
             " on the list (more than a tenth): checked-in people would count as let in off the "
             "list and their tickets would be refused";
    case MergeHold::OlderExport:
      return "This export is older than the list: its newest RSVP is from " +
             local_datetime(plan.file_as_of).substr(0, 16) + ", the list already has RSVPs up to " +
             local_datetime(plan.list_as_of).substr(0, 16) + "; importing it would put back " +
             std::to_string(r.updated) + (r.updated == 1 ? " change" : " changes");
  }
  return "";
}

}  // namespace fd
