#pragma once
// The engine is the single writer: it takes commands from one queue,
// decides, commits through the store, and publishes a new snapshot.
//
// Thread-safety: post(), snapshot() and the destructor are safe from any
// thread. Decisions are made on the engine's own thread, in posting order.
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "engine/Commands.h"
#include "engine/Decision.h"
#include "engine/Snapshot.h"
#include "store/Store.h"
#include "tickets/Ticket.h"

namespace fd {

struct EngineOptions {
  std::int64_t event_id = 0;
  std::string door = "door 1";
  // Let in people who RSVP'd no or are waitlisted when they show a ticket
  // or pick their name (meetups usually do, when there is room).
  bool admit_not_expected = false;
  // Keys and ids to verify signed tickets offline. The event's own
  // Frontdesk ticket key is also read from the store (`frontdesk tickets`).
  TicketContext tickets;
};

class Engine {
 public:
  Engine(std::unique_ptr<Store> store, EngineOptions options);
  // Drains commands already posted, then stops and joins the thread.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  std::future<Decision> post(Command command);
  // Convenience for the CLI and tests: post and wait.
  Decision run(Command command) { return post(std::move(command)).get(); }

  std::shared_ptr<const Snapshot> snapshot() const;
  const EngineOptions& options() const { return options_; }

 private:
  struct Pending {
    Command command;
    std::promise<Decision> done;
  };
  struct State;

  void loop(std::stop_token stop);
  Decision handle(Command& command);
  Decision decide(CheckInCode& c);
  Decision decide(CheckInAttendee& c);
  Decision decide(Undo& u);
  Decision decide(WalkIn& w);
  Decision decide(Reprint& r);
  Decision decide(MergeImport& m);
  Decision decide(SetEventDetails& e);
  Decision decide(Query& q);
  Decision decide(SetTicketKey& k);
  Decision decide(ClaimBadgeJob& c);
  Decision decide(BadgeJobSent& c);
  Decision decide(FinishBadgeJob& c);
  Decision decide(ReportPrinter& c);
  Decision admit(const AttendeeRecord& a, Method method);
  bool room_full(int arriving) const;
  Decision room_full_decision() const;
  Decision welcome(const AttendeeRecord& a, const LogEntry& e);
  void record_presence(const AttendeeRecord& a, const LogEntry& e);
  void rebuild_lists();
  void publish();

  EngineOptions options_;  // the ticket keys may grow at run time (SetTicketKey)
  std::unique_ptr<Store> store_;
  std::unique_ptr<State> state_;

  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const Snapshot> snapshot_;

  std::mutex queue_mutex_;
  std::condition_variable_any queue_cv_;
  std::deque<Pending> queue_;
  std::jthread thread_;  // last: started after everything above exists
};

}  // namespace fd
