#pragma once
// Inside kiosk/engine only: what the engine's .cpp files share. The state
// the engine derives from the store (EngineView.cpp keeps it in step; the
// decisions read it), and the typed read every capability's reads go through.
//
// Thread-safety: the engine's thread alone touches an EngineState.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/Engine.h"
#include "store/Store.h"

namespace fd {

class SearchIndex;

struct EngineState {
  EventRecord event;
  std::vector<AttendeeRecord> attendees;  // by ascending id
  std::unordered_map<std::int64_t, std::size_t> by_id;
  std::unordered_map<std::string, std::size_t> by_code;  // ticket code
  std::unordered_map<std::string, std::size_t> by_external;
  std::unordered_map<std::int64_t, Presence> present;         // derived from the log
  std::unordered_multimap<std::int64_t, Presence> also_live;  // double entries' other check-ins
  std::map<TimeMs, int> arrivals;                             // minute -> net arrivals
  std::deque<RecentCheckIn> recent;
  std::shared_ptr<const std::vector<AttendeeView>> roster;
  std::shared_ptr<const SearchIndex> search;
  std::string ticket_key;       // the event's Frontdesk ticket key as stored
  std::string door = "door 1";  // this door's name, as its check-ins carry it
  DoorNaming door_naming = DoorNaming::Default;
  std::string last_error;
  std::string print_problem;
  std::uint64_t version = 0;
  // How far this process has read the store: the log's last sequence
  // number, the attendees' last revision, and SQLite's data_version (which
  // moves when another connection commits).
  std::int64_t last_seq = 0;
  std::int64_t attendee_rev = -1;  // -1: nothing read yet (rev 0 rows predate revisions)
  std::int64_t data_version = -1;
  double catch_up_ms = 0;
  // pretix's ticket rules for this event (pulled by sync, kept in the store).
  std::string rules_version;
  bool rules_known = false;
  std::unordered_set<std::string> revoked, blocked;
  bool all_products = true;
  std::unordered_set<std::int64_t> products;

  const AttendeeRecord* find(std::int64_t id) const {
    auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : &attendees[it->second];
  }
};

// A read on the engine's thread, between commands, inside one read
// transaction.
template <typename R>
std::future<R> Engine::read(std::function<R(const Store&)> f) {
  auto promise = std::make_shared<std::promise<R>>();
  std::future<R> result = promise->get_future();
  std::function<void()> job = [this, promise, f = std::move(f)] {
    try {
      auto tx = store_->begin_read();
      promise->set_value(f(*store_));
    } catch (...) {
      promise->set_exception(std::current_exception());
    }
  };
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(Pending{std::move(job), {}});
  }
  queue_cv_.notify_one();
  return result;
}

}  // namespace fd
