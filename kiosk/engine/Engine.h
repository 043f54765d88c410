#pragma once
// The engine is the single writer of a process: it takes commands from one
// queue, decides, commits through the store, and publishes a new snapshot.
//
// One truth across processes: every decision is made inside a write
// transaction (BEGIN IMMEDIATE) after catching up with what other processes
// committed (the kiosk, the CLI, `frontdesk serve`, a second kiosk on the
// same store), so two processes never admit one person twice. When idle it
// looks for others' commits every `watch_interval` and republishes, so a
// running kiosk shows a check-in made elsewhere within a fraction of a second.
//
// Thread-safety: post(), snapshot(), the typed reads and the destructor are
// safe from any thread. Decisions are made on the engine's own thread, in
// posting order; a `done` callback runs on that thread and must be quick.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "engine/Commands.h"
#include "engine/Decision.h"
#include "engine/Snapshot.h"
#include "model/Attendance.h"
#include "tickets/Ticket.h"

namespace fd {

class Store;
struct EngineState;  // engine/EngineState.h, inside kiosk/engine only

// Engine() could not choose the event; the message says what to do.
class EventChoiceError : public std::runtime_error {
 public:
  EventChoiceError(std::string code, const std::string& message)
      : std::runtime_error(message), code(std::move(code)) {}
  std::string code;  // event.none, event.unknown, event.ambiguous
};

struct EngineOptions {
  // The event: by id (tests), else by slug or name, else the store's
  // current event, else its only one.
  std::int64_t event_id = 0;
  std::string event;
  bool create_event = false;  // an unknown `event` name is created (import, sync pull)
  // The store's current event (the one a door opens without --event)
  // changes only when an organizer chooses: `event use`, an import that
  // creates the event (MakeEventCurrent after it), joining another door's
  // event. Opening the store on another event to look at it (`--event beta
  // stats`) leaves it alone; a store without a current event gets the one
  // chosen here.
  bool make_current = false;
  bool require_event = true;  // false: store-wide work (listing events) needs none
  // This door's name; "" (the default): the name stored with the door for
  // the event (given at `doors join` or by `doors name`), else "door 1".
  std::string door;
  // Let in people who RSVP'd no or are waitlisted when they show a ticket
  // or pick their name (meetups usually do, when there is room).
  bool admit_not_expected = false;
  // Keys and ids to verify signed tickets offline. The event's own
  // Frontdesk ticket key is also read from the store (`frontdesk tickets`).
  TicketContext tickets;
  // An exit door: a ticket or a name picked here marks its person as gone
  // out of the room (organizers checking in by hand are not affected).
  bool exit_door = false;
  // A printer is set up ([printer]): check-ins and reprints queue badges.
  // Without one, none is queued (a check-in's job is kept as 'unprinted'),
  // so adding a printer later never prints the evening's backlog at once.
  bool print_badges = true;
  // A sync service or webhook is set up: check-ins not yet sent are
  // "waiting to sync". Without one they only wait for one to be set up.
  bool sync_set_up = true;
  // How often an idle engine looks for other processes' commits.
  std::chrono::milliseconds watch_interval{200};

  static EngineOptions for_event(std::int64_t id, bool admit_not_expected = false) {
    EngineOptions o;
    o.event_id = id;
    o.admit_not_expected = admit_not_expected;
    return o;
  }
};

class Engine {
 public:
  // Opens the store file and chooses the event; errors in plain words
  // ("No events yet. Import an attendee list first: ...").
  static Result<std::unique_ptr<Engine>> open(const std::filesystem::path& store_file,
                                              EngineOptions options);
  // Takes a store opened by the caller (tests, benchmarks). Throws when the
  // event cannot be chosen.
  Engine(std::unique_ptr<Store> store, EngineOptions options);
  // Drains commands already posted, then stops and joins the thread.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  std::future<Decision> post(Command command);
  // `done` is called on the engine thread once the decision is committed.
  void post(Command command, std::function<void(Decision)> done);
  // Convenience for the CLI and tests: post and wait.
  Decision run(Command command) { return post(std::move(command)).get(); }

  std::shared_ptr<const Snapshot> snapshot() const;
  // The first snapshot newer than `version` (any command's decision, another
  // process's commit seen), or the latest when `timeout` passes or `stop`
  // is requested: how a worker waits for work without polling the store.
  std::shared_ptr<const Snapshot> wait_newer(std::uint64_t version, std::stop_token stop,
                                             std::chrono::milliseconds timeout) const;
  const EngineOptions& options() const { return options_; }
  bool has_event() const { return event_id_ != 0; }
  // Opening made the event (EngineOptions::create_event).
  bool created_event() const { return created_event_; }

  // What the snapshot leaves out, read on the engine thread between
  // commands (so it is consistent with the decisions around it).
  std::future<std::vector<EventRecord>> events();
  // This event's attendees with their e-mail addresses: organizers only
  // (export, tickets, badge sheets), never the door's screens.
  std::future<std::vector<AttendeeRecord>> attendees();
  std::future<std::optional<AttendeeRecord>> attendee(std::int64_t id);
  std::future<std::vector<LogEntry>> log();
  // Several doors: pages for a peer, and what this door knows of its peers.
  struct AttendeePageRead {
    std::vector<ReplicaAttendee> attendees;
    std::string next;
  };
  std::future<std::vector<ReplicaEntry>> log_page(std::int64_t since_seq, std::size_t limit);
  std::future<AttendeePageRead> attendee_page(std::string cursor, std::size_t limit);
  std::future<std::int64_t> last_seq();
  // The store's current event (its slug): another process may have changed
  // it (`event use`, `doors join`) while this engine runs on its own.
  std::future<std::string> current_event();
  std::future<std::vector<PeerRecord>> peers();
  // Where the processes serving this store answer other doors (a row each).
  std::future<std::vector<DoorListener>> listeners();
  // Badges held back after waiting too long (Store::claim_badge_job).
  std::future<std::vector<HeldBadge>> held_badges();
  const std::string& device_id() const { return device_id_; }
  const std::string& log_epoch() const { return log_epoch_; }
  // Sync: outbox rows `service` may try now, and each service's status.
  std::future<std::vector<OutboxItem>> outbox_due(std::string service, TimeMs now, int limit);
  std::future<std::vector<SyncServiceStatus>> sync_status(std::vector<std::string> services);
  // Every event in the store with its list and arrivals, no names or
  // e-mails: the group's history for reports and the headcount forecast.
  std::future<std::vector<EventAttendance>> attendance();
  // Who is who across events (identities hold e-mails: organizers only).
  std::future<PeopleFacts> people_facts();

 private:
  struct Pending {
    std::variant<Command, std::function<void()>> work;  // a command, or a read
    std::function<void(Decision)> done;
  };
  using State = EngineState;

  // Engine.cpp: the life of the engine and its queue.
  template <typename R>
  std::future<R> read(std::function<R(const Store&)> f);  // EngineState.h
  void choose_event();
  void loop(std::stop_token stop);
  void run_command(Pending& p);
  Decision handle(Command& command);
  // EngineView.cpp: the derived state, kept in step with the store.
  bool catch_up(bool force);
  void apply(const LogEntry& e);
  void apply(std::vector<AttendeeRecord> rows);
  void rebuild_lists();
  void publish();
  // EngineCheckIn.cpp: letting people in.
  Decision decide(CheckInCode& c);
  Decision decide(CheckInAttendee& c);
  Decision decide(WalkIn& w);
  Decision admit_ticket_holder(const Ticket& ticket, const CheckInCode& c);
  void load_ticket_rules();
  Decision admit(const AttendeeRecord& a, Method method);
  bool room_full(int arriving) const;
  Decision room_full_decision() const;
  int party_size(std::int64_t attendee_id) const;
  Decision welcome(const AttendeeRecord& a, const LogEntry& e);
  // EnginePresence.cpp: undo, out of the room and back.
  Decision decide(Undo& u);
  std::string nothing_to_undo(const Undo& u) const;
  Decision decide(MarkLeft& c);
  Decision decide(MarkReturned& c);
  Decision move(const AttendeeRecord& a, CheckInKind kind, bool organizer);
  // EngineBadges.cpp: badges and the printer.
  Decision decide(Reprint& r);
  Decision decide(ClaimBadgeJob& c);
  Decision decide(BadgeJobSent& c);
  Decision decide(FinishBadgeJob& c);
  Decision decide(ReportPrinter& c);
  Decision decide(PrintHeldBadges& c);
  // EngineList.cpp: the event and its list.
  Decision decide(MergeImport& m);
  Decision decide(MergePull& c);
  Decision decide(SetEventDetails& e);
  Decision decide(MakeEventCurrent& c);
  Decision decide(SetTicketKey& k);
  // EngineSync.cpp: the sync outbox and leases.
  Decision decide(RecordDeliveries& c);
  Decision decide(RecordSyncResult& c);
  Decision decide(RetryDeadLetters& c);
  Decision decide(Lease& c);
  // EngineDoors.cpp: several doors.
  Decision decide(MergeFromDoor& m);
  Decision decide(SavePeer& p);
  Decision decide(NameDoor& n);
  Decision decide(SaveListener& l);
  void load_door_name();
  // EnginePeople.cpp: people across events.
  Decision decide(MergePeople& c);
  Decision decide(SplitPeople& c);

  EngineOptions options_;  // the ticket keys may grow at run time (SetTicketKey)
  std::unique_ptr<Store> store_;
  std::unique_ptr<EngineState> state_;
  std::int64_t event_id_ = 0;
  bool created_event_ = false;
  std::string device_id_;  // this door's, from the store
  std::string log_epoch_;  // the store's, from the store

  QueueCounts queues_;  // the last figures the store gave (publish)
  mutable std::mutex snapshot_mutex_;
  mutable std::condition_variable_any snapshot_cv_;
  std::shared_ptr<const Snapshot> snapshot_;

  std::mutex queue_mutex_;
  std::condition_variable_any queue_cv_;
  std::deque<Pending> queue_;
  std::jthread thread_;  // last: started after everything above exists
};

}  // namespace fd
