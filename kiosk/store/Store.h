#pragma once
// The store owns the SQLite file; nothing else opens it. One file per kiosk
// holds every event the group has run, the people seen across them, and the
// append-only check-in log with the work that must follow each check-in
// (badge jobs, sync outbox rows), written in the same transaction.
//
// Several processes may open one file (the kiosk, the CLI, `frontdesk
// serve`): SQLite serializes their writers. A writer that must decide from
// the truth opens begin_write() (BEGIN IMMEDIATE: no one else can commit
// until it is done) and reads inside it; data_version() tells whether
// anyone else committed since it last looked.
//
// Thread-safety: a Store is used by one thread at a time (the engine's).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/Error.h"
#include "base/Time.h"
#include "model/Attendance.h"
#include "model/Attendee.h"
#include "model/Badge.h"
#include "model/CheckIn.h"
#include "model/Event.h"
#include "model/Import.h"
#include "model/Peer.h"
#include "model/Queues.h"
#include "model/Replica.h"
#include "model/Sync.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace fd {

// Attendees added or changed since a revision (imports, walk-ins, from any
// process), and the revision they bring the reader to.
struct AttendeeChanges {
  std::vector<AttendeeRecord> rows;
  std::int64_t rev = 0;
};

class Store {
 public:
  // Opens (creating if needed) the store file and brings its schema up to
  // date. ":memory:" gives a throwaway store for tests.
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& file);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // A transaction. The outermost one begins it, nested ones join it; one
  // destroyed without commit() rolls the whole transaction back. A write
  // transaction takes the file's write lock at once (BEGIN IMMEDIATE),
  // waiting up to the busy timeout for another process to finish.
  class Tx {
   public:
    ~Tx();
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;
    void commit();

   private:
    friend class Store;
    Tx(Store& store, bool write);
    Store& store_;
    bool outermost_ = false;
    bool done_ = false;
  };
  Tx begin_write();
  Tx begin_read();  // one consistent view across several reads
  // Changes whenever another connection (another process) has committed.
  std::int64_t data_version() const;

  int schema_version() const;
  static int latest_schema_version();
  const std::string& device_id() const { return device_id_; }
  // Which life of this store's log: new when it is restored from a backup
  // (its sequence numbers start again from the copy's).
  const std::string& log_epoch() const { return log_epoch_; }

  std::optional<std::string> meta(const std::string& key) const;
  void set_meta(const std::string& key, const std::string& value);

  // Events (Store.cpp).
  std::vector<EventRecord> events() const;
  std::optional<EventRecord> event_by_slug(const std::string& slug) const;
  std::optional<EventRecord> event_by_id(std::int64_t id) const;
  EventRecord create_event(const std::string& slug, const std::string& name);
  void update_event(const EventRecord& e);

  // --- The list (StoreAttendees.cpp) ---------------------------------------
  // Attendees. merge_attendees is one transaction: it adds new people,
  // updates changed ones by (source, external_id), and never touches the log.
  std::vector<AttendeeRecord> attendees(std::int64_t event_id) const;
  AttendeeChanges attendees_since(std::int64_t event_id, std::int64_t rev) const;
  std::optional<AttendeeRecord> attendee(std::int64_t id) const;
  MergeReport merge_attendees(std::int64_t event_id, const ImportBatch& batch,
                              const std::string& file_name, bool prune_missing);
  // Another event's attendee holding this ticket code, to say "wrong event".
  std::optional<AttendeeRecord> attendee_by_code_elsewhere(std::int64_t event_id,
                                                           const std::string& code) const;

  // --- Attendance: the log (StoreAttendance.cpp) ---------------------------
  // The log. Each append is one durable transaction that also enqueues the
  // badge job (check-ins) and the sync outbox row; it returns only after
  // the commit, so a caller may acknowledge to a person.
  LogEntry append_checkin(std::int64_t event_id, std::int64_t attendee_id, const std::string& door,
                          Method method, TimeMs at);
  LogEntry append_annul(const LogEntry& checkin, const std::string& door, TimeMs at);
  // Adds a walk-in to the list and checks them in, in one transaction.
  std::pair<AttendeeRecord, LogEntry> add_walk_in(std::int64_t event_id, const AttendeeRecord& who,
                                                  const std::string& door, TimeMs at);
  // A person checked in leaving the room or coming back (kind Left or
  // Returned, referring to their check-in), with its outbox row.
  LogEntry append_move(const LogEntry& checkin, CheckInKind kind, const std::string& door,
                       TimeMs at);
  std::vector<LogEntry> log(std::int64_t event_id) const;
  std::vector<LogEntry> log_since(std::int64_t event_id, std::int64_t seq) const;
  std::optional<LogEntry> log_entry(const std::string& uuid) const;
  // How many distinct events this person was checked in at (annulled ones
  // do not count), and how many they RSVP'd yes to and never came.
  int events_attended(std::int64_t person_id) const;
  int rsvps_not_honoured(std::int64_t person_id, std::int64_t except_event_id) const;
  // A genuine signed ticket not on the list yet (bought after the last
  // pull): its holder joins the list under a placeholder id ("sig:" + code)
  // and is checked in, in one transaction.
  std::pair<AttendeeRecord, LogEntry> add_ticket_holder(std::int64_t event_id,
                                                        const AttendeeRecord& who,
                                                        const std::string& door, Method method,
                                                        TimeMs at);

  // --- Badges and printing (StoreBadges.cpp) --------------------------------
  // Reprints this check-in's badge; a badge of the person held back
  // (claim_badge_job) is not printed as well.
  void enqueue_reprint(const LogEntry& checkin);
  // Without a printer, check-ins keep their badge job as 'unprinted'.
  void set_print_badges(bool on) { print_badges_ = on; }
  // Held badges (state 'held'), oldest first.
  std::vector<HeldBadge> held_badges() const;
  // Held badges back in the queue as if asked for now: `ids` of jobs, or
  // every held one when empty. How many.
  int release_held_badges(const std::vector<std::int64_t>& ids, TimeMs now);
  // The print worker's side of the queue. claim_badge_job takes the oldest
  // queued job and marks it printing; a job already sent to a printer
  // (printer_job set) comes back first so it is followed, not re-sent.
  // Jobs not yet sent that were asked for more than kBadgeFreshFor ago are
  // held instead: after a long outage only the last few minutes print.
  std::optional<BadgeJob> claim_badge_job(TimeMs now);
  void set_badge_printer_job(std::int64_t id, const std::string& printer_job);
  // state: done, queued (to retry), failed (the printer gave up).
  void finish_badge_job(std::int64_t id, const std::string& state, const std::string& error,
                        TimeMs now);
  // After a restart, jobs left "printing" go back to the queue.
  void requeue_interrupted_badge_jobs();
  int badges_printed(std::int64_t attendee_id) const;

  // --- Several doors (StoreDoors.cpp) --------------------------------------
  // Several doors. Pages of this store's log and attendees for a peer
  // (people named by source and external id); merging a peer's pages in
  // (attendees: the newer version wins; log rows: set union by UUID, with
  // no badge job or outbox row); what this door knows of its peers.
  std::vector<ReplicaEntry> log_page(std::int64_t event_id, std::int64_t since_seq,
                                     std::size_t limit) const;
  std::int64_t last_seq(std::int64_t event_id) const;
  // cursor: "rev_id" ("" from the start); returns the next cursor.
  std::vector<ReplicaAttendee> attendee_page(std::int64_t event_id, const std::string& cursor,
                                             std::size_t limit, std::string& next) const;
  int merge_replica_attendees(std::int64_t event_id, const std::vector<ReplicaAttendee>& people);
  // Adds entries in order until one names a person this store does not have
  // (their attendee page has not arrived yet); returns how many were taken
  // (already present ones count as taken).
  std::size_t merge_replica_log(std::int64_t event_id, const std::vector<ReplicaEntry>& entries);
  std::vector<PeerRecord> peers(std::int64_t event_id) const;
  void save_peer(std::int64_t event_id, const PeerRecord& peer);
  // This door's own name for the event (schema 10), and who chose it
  // ("join" or "organizer"); nullopt: never named.
  std::optional<std::pair<std::string, std::string>> door_name(std::int64_t event_id) const;
  void set_door_name(std::int64_t event_id, const std::string& name, const std::string& chosen);
  // Where the processes serving this store answer (schema 10); a listener
  // without addresses is removed.
  std::vector<DoorListener> listeners(std::int64_t event_id) const;
  void save_listener(std::int64_t event_id, const DoorListener& listener);

  // The queues' figures, and the store's health (Store.cpp).
  QueueCounts counts() const;
  // PRAGMA integrity_check == "ok", and every check-in has its badge job and
  // outbox row. Used by the crash test and `frontdesk doctor`.
  Result<bool> verify() const;

  // --- Sync with the RSVP services (schema 5, StoreSync.cpp) ---------------
  // Outbox rows of the event that `service` has not settled and may try at
  // `now`, oldest first.
  std::vector<OutboxItem> outbox_due(std::int64_t event_id, const std::string& service, TimeMs now,
                                     int limit) const;
  // Records what deliveries to `service` came to, in one transaction. An
  // outbox row every one of `services` has settled becomes sent (or dead
  // when one of them gave up on it).
  void record_deliveries(const std::string& service, const std::vector<Delivery>& results,
                         const std::vector<std::string>& services, TimeMs now);
  // Dead letters of the event back into the queue ("" service: all). Returns how many.
  int retry_dead_letters(std::int64_t event_id, const std::string& service);
  std::vector<SyncServiceStatus> sync_status(std::int64_t event_id,
                                             const std::vector<std::string>& services) const;
  // A pull or push that worked (clears the last error), or one that did not.
  void record_sync_result(std::int64_t event_id, const std::string& service, bool ok,
                          const std::string& error, TimeMs now);
  // A pull from a service, in one transaction: holders of signed tickets
  // admitted before the list knew them take their real ids, the list is
  // merged (never touching the log), check-ins the service recorded from
  // another device join the log (without badge job or outbox row), and the
  // cursor for the next incremental pull is kept. Returns the merge report;
  // `remote_added` says how many remote check-ins were new. `complete`: the
  // batch is the service's whole list, so its people missing from it are
  // marked cancelled (placeholders of signed tickets excepted).
  MergeReport merge_pull(std::int64_t event_id, const std::string& service,
                         const ImportBatch& batch, const std::vector<RemoteCheckIn>& remote,
                         const std::string& cursor, TimeMs now, int* remote_added,
                         bool complete = false);
  // pretix's ticket rules for an event (keys, revoked and blocked secrets,
  // admitted products). rules_version changes whenever they are replaced,
  // so a reader reloads them only then.
  void set_ticket_rules(const std::string& event_slug, const TicketRules& rules);
  std::optional<TicketRules> ticket_rules(const std::string& event_slug) const;
  std::string ticket_rules_version(const std::string& event_slug) const;

  // --- Leases (schema 8, StoreSync.cpp) -------------------------------------
  // Takes or renews `name` for `holder` until now + ttl, unless another
  // holder's lease still runs. Returns whether `holder` holds it now.
  bool take_lease(const std::string& name, const std::string& holder, TimeMs now, TimeMs ttl);
  // Gives it back (a holder that stops): the next taker need not wait.
  void drop_lease(const std::string& name, const std::string& holder);

  // --- Reports and people across events (StorePeople.cpp) ------------------
  // Reports and the forecast. An event's list as reports count it (no
  // names, no e-mails), with each person's arrival replayed from the log
  // the way the engine derives presence.
  std::vector<ListEntryFacts> list_facts(std::int64_t event_id) const;
  // Who is who across events and services: people records, the identifiers
  // list rows shared, organizers' merge/split decisions (schema 7).
  PeopleFacts people_facts() const;
  std::optional<PersonRecord> person(std::int64_t id) const;
  void record_people_decision(std::int64_t a, std::int64_t b, bool same, TimeMs at);

 private:
  explicit Store(std::unique_ptr<SQLite::Database> db);
  void migrate();
  std::int64_t next_attendee_rev(std::int64_t event_id);
  LogEntry insert_checkin(std::int64_t event_id, std::int64_t attendee_id, const std::string& door,
                          Method method, TimeMs at);
  LogEntry append_reference(const LogEntry& checkin, CheckInKind kind, const std::string& door,
                            TimeMs at);
  std::int64_t person_for(const AttendeeRow& row, const std::string& source, TimeMs now);

  std::unique_ptr<SQLite::Database> db_;
  // Declared after db_ so that it is finalized before the database closes.
  std::unique_ptr<SQLite::Statement> person_upsert_;
  std::string device_id_;
  bool print_badges_ = true;
  std::string log_epoch_;
  int tx_depth_ = 0;
};

}  // namespace fd
