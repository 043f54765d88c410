// The store's file and its shape: opening it, transactions, the schema's
// migrations, meta values, events, the queues' figures and verify(). What
// each capability keeps is in the Store*.cpp file named for it (Store.h
// says which).
#include "store/Store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>

#include "base/Uuid.h"
#include "store/Migrations.h"
#include "store/StoreRows.h"

namespace fd {

using namespace store_rows;  // StoreRows.h

Store::Store(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}

Store::~Store() = default;

Store::Tx::Tx(Store& store, bool write) : store_(store), outermost_(store.tx_depth_ == 0) {
  if (outermost_) store_.db_->exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
  ++store_.tx_depth_;
}

Store::Tx::~Tx() {
  --store_.tx_depth_;
  if (done_ || !outermost_) return;
  try {
    store_.db_->exec("ROLLBACK");
  } catch (...) {  // NOLINT(bugprone-empty-catch): destructors never throw
  }
}

void Store::Tx::commit() {
  if (done_) return;
  done_ = true;
  if (outermost_) store_.db_->exec("COMMIT");
}

Store::Tx Store::begin_write() { return Tx(*this, true); }
Store::Tx Store::begin_read() { return Tx(*this, false); }

std::int64_t Store::data_version() const {
  return db_->execAndGet("PRAGMA data_version").getInt64();
}

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& file) {
  try {
    const bool in_memory = file == ":memory:";
    if (!in_memory && file.has_parent_path())
      std::filesystem::create_directories(file.parent_path());
    // Attendee data is personal: the file (and its WAL) are the owner's only.
    const mode_t old_mask = ::umask(077);
    // NOMUTEX: a Store is used by one thread at a time (see Store.h).
    auto db = std::make_unique<SQLite::Database>(
        file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
    db->exec("PRAGMA journal_mode=WAL");
    ::umask(old_mask);
    // FULL: a check-in is acknowledged to a person only after its commit,
    // and must survive a power cut, not only a process kill.
    db->exec("PRAGMA synchronous=FULL");
    db->exec("PRAGMA foreign_keys=ON");
    // Big imports touch every page of three indexes; 2 MB of cache thrashes.
    db->exec("PRAGMA cache_size=-32000");
    // Another process's write (an import of thousands of rows) holds the lock
    // for a second or two; wait for it rather than fail the door.
    db->setBusyTimeout(10000);
    std::unique_ptr<Store> store(new Store(std::move(db)));
    store->migrate();
    return store;
  } catch (const std::exception& e) {
    return Error{"store.open", "Cannot open the store " + file.string() + ": " + e.what()};
  }
}

int Store::latest_schema_version() {
  return migrations().empty() ? 0 : migrations().back().version;
}

int Store::schema_version() const { return db_->execAndGet("PRAGMA user_version").getInt(); }

void Store::migrate() {
  // Under the write lock: two processes opening a new store at once must
  // not both create its tables or both pick a device id.
  Tx tx = begin_write();
  const int current = schema_version();
  if (current > latest_schema_version())
    throw std::runtime_error("the store was written by a newer Frontdesk (schema " +
                             std::to_string(current) + "); upgrade Frontdesk to open it");
  for (const Migration& m : migrations()) {
    if (m.version <= current) continue;
    db_->exec(m.sql);
    db_->exec("PRAGMA user_version = " + std::to_string(m.version));
  }
  if (auto id = meta("device_id")) {
    device_id_ = *id;
  } else {
    device_id_ = new_uuid();
    set_meta("device_id", device_id_);
  }
  if (auto epoch = meta("log_epoch")) {
    log_epoch_ = *epoch;
  } else {
    log_epoch_ = new_uuid();
    set_meta("log_epoch", log_epoch_);
  }
  tx.commit();
}

std::optional<std::string> Store::meta(const std::string& key) const {
  SQLite::Statement q(*db_, "SELECT value FROM meta WHERE key = ?");
  q.bind(1, key);
  if (q.executeStep()) return col(q, 0);
  return std::nullopt;
}

void Store::set_meta(const std::string& key, const std::string& value) {
  SQLite::Statement q(*db_,
                      "INSERT INTO meta(key, value) VALUES(?, ?) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  q.bind(1, key);
  q.bind(2, value);
  q.exec();
}

std::vector<EventRecord> Store::events() const {
  SQLite::Statement q(*db_, std::string("SELECT ") + kEventColumns + " FROM events ORDER BY id");
  std::vector<EventRecord> out;
  while (q.executeStep()) out.push_back(read_event(q));
  return out;
}

std::optional<EventRecord> Store::event_by_slug(const std::string& slug) const {
  SQLite::Statement q(*db_, std::string("SELECT ") + kEventColumns + " FROM events WHERE slug = ?");
  q.bind(1, slug);
  if (q.executeStep()) return read_event(q);
  return std::nullopt;
}

std::optional<EventRecord> Store::event_by_id(std::int64_t id) const {
  SQLite::Statement q(*db_, std::string("SELECT ") + kEventColumns + " FROM events WHERE id = ?");
  q.bind(1, id);
  if (q.executeStep()) return read_event(q);
  return std::nullopt;
}

EventRecord Store::create_event(const std::string& slug, const std::string& name) {
  SQLite::Statement q(*db_, "INSERT INTO events(slug, name, created_at) VALUES(?, ?, ?)");
  q.bind(1, slug);
  q.bind(2, name);
  q.bind(3, now_ms());
  q.exec();
  return *event_by_slug(slug);
}

void Store::update_event(const EventRecord& e) {
  SQLite::Statement q(*db_, "UPDATE events SET name = ?, starts_at = ?, capacity = ? WHERE id = ?");
  q.bind(1, e.name);
  if (e.starts_at) {
    q.bind(2, e.starts_at);
  } else {
    q.bind(2);
  }
  q.bind(3, e.capacity);
  q.bind(4, e.id);
  q.exec();
}

QueueCounts Store::counts() const {
  QueueCounts c;
  c.badge_jobs_open =
      db_->execAndGet("SELECT COUNT(*) FROM badge_jobs WHERE state IN ('queued','printing')")
          .getInt();
  c.badge_jobs_failed =
      db_->execAndGet("SELECT COUNT(*) FROM badge_jobs WHERE state = 'failed'").getInt();
  c.badge_jobs_held =
      db_->execAndGet("SELECT COUNT(*) FROM badge_jobs WHERE state = 'held'").getInt();
  c.outbox_pending =
      db_->execAndGet("SELECT COUNT(*) FROM outbox WHERE state = 'pending'").getInt();
  c.outbox_dead = db_->execAndGet("SELECT COUNT(*) FROM outbox WHERE state = 'dead'").getInt();
  return c;
}

Result<bool> Store::verify() const {
  try {
    const std::string integrity = db_->execAndGet("PRAGMA integrity_check").getString();
    if (integrity != "ok") return Error{"store.corrupt", "integrity check: " + integrity};
    // Only this door's own check-ins have badge jobs and outbox rows here;
    // those another door made were printed and pushed there.
    SQLite::Statement nb(
        *db_,
        "SELECT COUNT(*) FROM checkins c WHERE c.kind = 'checkin' AND c.device_id = ? "
        "AND c.origin = '' AND NOT EXISTS (SELECT 1 FROM badge_jobs b WHERE b.checkin_uuid = "
        "c.uuid)");
    nb.bind(1, device_id_);
    nb.executeStep();
    const int no_badge = nb.getColumn(0).getInt();
    if (no_badge)
      return Error{"store.orphan", std::to_string(no_badge) + " check-ins have no badge job"};
    SQLite::Statement no(
        *db_,
        "SELECT COUNT(*) FROM checkins c WHERE c.device_id = ? AND c.origin = '' AND NOT EXISTS "
        "(SELECT 1 FROM outbox o WHERE o.idempotency_key = c.uuid)");
    no.bind(1, device_id_);
    no.executeStep();
    const int no_outbox = no.getColumn(0).getInt();
    if (no_outbox)
      return Error{"store.orphan", std::to_string(no_outbox) + " log entries have no outbox row"};
    return true;
  } catch (const std::exception& e) {
    return Error{"store.corrupt", e.what()};
  }
}

}  // namespace fd
