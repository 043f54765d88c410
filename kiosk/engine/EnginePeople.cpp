// People across events (report/People.h derives who is who): the group's
// history for reports and the forecast, and organizers' merge and split
// decisions.
#include "engine/Engine.h"
#include "engine/EngineState.h"
#include "store/Store.h"

namespace fd {

std::future<std::vector<EventAttendance>> Engine::attendance() {
  return read<std::vector<EventAttendance>>([](const Store& s) {
    std::vector<EventAttendance> out;
    for (EventRecord& e : s.events()) {
      EventAttendance a;
      a.entries = s.list_facts(e.id);
      a.event = std::move(e);
      out.push_back(std::move(a));
    }
    return out;
  });
}

std::future<PeopleFacts> Engine::people_facts() {
  return read<PeopleFacts>([](const Store& s) { return s.people_facts(); });
}

namespace {

// Both records exist and differ; otherwise the reason in plain words.
std::string check_pair(const Store& store, std::int64_t a, std::int64_t b) {
  if (a == b) return "Those are the same record: give two different people";
  for (std::int64_t id : {a, b})
    if (!store.person(id)) return "No person #" + std::to_string(id) + " (see frontdesk people)";
  return "";
}

}  // namespace

Decision Engine::decide(MergePeople& c) {
  Decision d;
  if (std::string why = check_pair(*store_, c.a, c.b); !why.empty()) {
    d.verdict = Verdict::Failed;
    d.message = why;
    return d;
  }
  store_->record_people_decision(c.a, c.b, true, now_ms());
  d.verdict = Verdict::Updated;
  d.message = "#" + std::to_string(c.a) + " and #" + std::to_string(c.b) + " are one person now";
  return d;
}

Decision Engine::decide(SplitPeople& c) {
  Decision d;
  if (std::string why = check_pair(*store_, c.a, c.b); !why.empty()) {
    d.verdict = Verdict::Failed;
    d.message = why;
    return d;
  }
  store_->record_people_decision(c.a, c.b, false, now_ms());
  d.verdict = Verdict::Updated;
  d.message = "#" + std::to_string(c.a) + " and #" + std::to_string(c.b) +
              " are kept apart as two people now";
  return d;
}

}  // namespace fd
