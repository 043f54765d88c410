#include "TestEngine.h"

#include <doctest/doctest.h>

#include "store/Store.h"

namespace fd::test {

std::unique_ptr<Engine> engine_with_people(const std::filesystem::path& path, TestEngineOptions o) {
  auto store = Store::open(path);
  REQUIRE(store.ok());
  auto ev = (*store)->event_by_slug("june");
  if (!ev) {
    ev = (*store)->create_event("june", "June meetup");
    ev->capacity = o.capacity;
    (*store)->update_event(*ev);
    ImportBatch b;
    b.source = "csv";
    for (int i = 1; i <= o.people; ++i) {
      AttendeeRow r;
      r.external_id = std::to_string(i);
      r.ticket_code = "T" + std::to_string(i);
      r.full_name = "Person Number" + std::to_string(i);
      r.first_name = "Person";
      r.last_name = "Number" + std::to_string(i);
      b.rows.push_back(r);
    }
    (*store)->merge_attendees(ev->id, b, "list.csv", false);
  }
  EngineOptions eo = EngineOptions::for_event(ev->id);
  eo.door = o.door;
  eo.exit_door = o.exit_door;
  return std::make_unique<Engine>(std::move(*store), eo);
}

}  // namespace fd::test
