#include "store/Backup.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>

#include "base/Paths.h"
#include "base/Uuid.h"
#include "store/Store.h"

namespace fd {
namespace {

namespace fs = std::filesystem;

// Makes a rename durable: the file's bytes, then the directory entry.
void sync_path(const fs::path& p, bool directory) {
  const int fd = ::open(p.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Files Frontdesk writes hold e-mail addresses: owner-only, whatever the
// caller's umask. Restored in the destructor.
class PrivateUmask {
 public:
  PrivateUmask() : old_(::umask(077)) {}
  ~PrivateUmask() { ::umask(old_); }
  PrivateUmask(const PrivateUmask&) = delete;
  PrivateUmask& operator=(const PrivateUmask&) = delete;

 private:
  mode_t old_;
};

bool has_table(SQLite::Database& db, const char* name) {
  SQLite::Statement q(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  q.bind(1, name);
  return q.executeStep();
}

}  // namespace

Result<StoreSummary> inspect_store(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    return Error{"backup.missing", "There is no store file at " + file.string()};
  StoreSummary s;
  s.file = file;
  s.bytes = fs::file_size(file, ec);
  try {
    SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
    db.setBusyTimeout(10000);
    s.schema = db.execAndGet("PRAGMA user_version").getInt();
    const std::string integrity = db.execAndGet("PRAGMA integrity_check").getString();
    s.intact = integrity == "ok";
    if (!s.intact) s.problem = "the file is damaged (" + integrity + ")";
    if (!has_table(db, "checkins") || !has_table(db, "events") || !has_table(db, "attendees")) {
      if (s.intact)
        return Error{"backup.foreign",
                     file.string() + " is an SQLite file but not a Frontdesk store"};
      return s;
    }
    if (has_table(db, "meta")) {
      SQLite::Statement q(db, "SELECT value FROM meta WHERE key = 'device_id'");
      if (q.executeStep()) s.device_id = q.getColumn(0).getString();
    }
    SQLite::Statement ev(
        db,
        "SELECT e.slug, e.name, (SELECT COUNT(*) FROM attendees a WHERE a.event_id = e.id), "
        "(SELECT COUNT(*) FROM checkins c WHERE c.event_id = e.id AND c.kind = 'checkin' AND NOT "
        "EXISTS (SELECT 1 FROM checkins x WHERE x.kind = 'annul' AND x.ref_uuid = c.uuid)), "
        "(SELECT COALESCE(MAX(at), 0) FROM checkins c WHERE c.event_id = e.id) "
        "FROM events e ORDER BY e.id");
    while (ev.executeStep())
      s.events.push_back({ev.getColumn(0).getString(), ev.getColumn(1).getString(),
                          ev.getColumn(2).getInt(), ev.getColumn(3).getInt(),
                          ev.getColumn(4).getInt64()});
    s.log_entries = db.execAndGet("SELECT COUNT(*) FROM checkins").getInt();
    s.last_checkin = db.execAndGet("SELECT COALESCE(MAX(at), 0) FROM checkins").getInt64();
    return s;
  } catch (const std::exception& e) {
    if (s.schema == 0 && s.events.empty())
      return Error{"backup.unreadable", "Cannot read " + file.string() + ": " + e.what()};
    s.intact = false;
    s.problem = e.what();
    return s;
  }
}

Result<StoreSummary> backup_store(const fs::path& store, const fs::path& to_file) {
  std::error_code ec;
  if (!fs::is_regular_file(store, ec))
    return Error{"backup.missing", "There is no store file at " + store.string()};
  const fs::path dir = to_file.has_parent_path() ? to_file.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec)) {
    ensure_private_dir(dir);
    if (!fs::is_directory(dir, ec))
      return Error{"backup.target", "Cannot create the backup folder " + dir.string()};
  }
  if (::access(dir.c_str(), W_OK) != 0)
    return Error{"backup.target", "Cannot write to the backup folder " + dir.string() +
                                      " (read-only, or owned by someone else)"};
  const fs::path tmp = dir / ("." + to_file.filename().string() + ".partial");
  fs::remove(tmp, ec);
  try {
    PrivateUmask mask;
    {
      SQLite::Database src(store.string(), SQLite::OPEN_READONLY);
      src.setBusyTimeout(10000);
      SQLite::Database dst(tmp.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      // One step copies every page under one read transaction of the source:
      // a single moment of the store, while the door's WAL commits go on.
      SQLite::Backup backup(dst, src);
      backup.executeStep(-1);
      // A copy is one self-contained file (no -wal beside it on the stick),
      // written durably.
      dst.exec("PRAGMA journal_mode=DELETE");
      dst.exec("PRAGMA synchronous=FULL");
    }
    sync_path(tmp, false);
    fs::rename(tmp, to_file);
    sync_path(dir, true);
  } catch (const std::exception& e) {
    fs::remove(tmp, ec);
    return Error{"backup.failed", "The backup to " + to_file.string() + " failed: " + e.what()};
  }
  auto summary = inspect_store(to_file);
  if (!summary) return summary;
  if (!summary->intact)
    return Error{"backup.verify",
                 "The copy " + to_file.string() + " did not pass its check: " + summary->problem};
  return summary;
}

std::string backup_file_name(TimeMs at) {
  const std::time_t t = static_cast<std::time_t>(at / 1000);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "frontdesk-%Y%m%d-%H%M%S.db", &tm);
  return buf;
}

std::vector<fs::path> list_backups(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("frontdesk-", 0) == 0 && name.size() == 28 && it->path().extension() == ".db")
      out.push_back(it->path());
  }
  std::sort(out.begin(), out.end(), [](const fs::path& a, const fs::path& b) {
    return a.filename().string() > b.filename().string();
  });
  return out;
}

int prune_backups(const fs::path& dir, int keep) {
  int removed = 0;
  const auto all = list_backups(dir);
  for (std::size_t i = static_cast<std::size_t>(std::max(keep, 1)); i < all.size(); ++i) {
    std::error_code ec;
    if (fs::remove(all[i], ec)) ++removed;
  }
  return removed;
}

bool store_in_use(const fs::path& store) {
  // Every connection to a WAL database holds a shared lock on one byte of
  // its -shm file (SQLite's "DMS" byte, offset 128) while it is open. Asking
  // whether a write lock there would conflict tells us if another process
  // has the store open, without opening it ourselves.
  const fs::path shm = store.string() + "-shm";
  const int fd = ::open(shm.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start = 128;
  lock.l_len = 1;
  const bool busy = ::fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
  ::close(fd);
  return busy;
}

Result<StoreSummary> restore_store(const fs::path& copy, const fs::path& store,
                                   const fs::path& aside) {
  auto incoming = inspect_store(copy);
  if (!incoming) return incoming.error();
  if (!incoming->intact)
    return Error{"restore.damaged",
                 copy.string() + " is damaged (" + incoming->problem + "); nothing was replaced"};
  if (incoming->schema > Store::latest_schema_version())
    return Error{"restore.newer",
                 copy.string() + " was written by a newer Frontdesk; upgrade Frontdesk first"};
  if (store_in_use(store))
    return Error{"restore.busy",
                 "The store " + store.string() +
                     " is open in another program (the kiosk or `frontdesk serve`). Stop it "
                     "first, then restore; nothing was replaced."};
  std::error_code ec;
  if (fs::exists(store, ec)) {
    // A copy through SQLite, not a rename: a killed kiosk leaves committed
    // check-ins in the -wal file that a plain file move would lose.
    auto kept = backup_store(store, aside);
    if (!kept)
      return Error{"restore.aside", "Could not keep the current store aside (" +
                                        kept.error().message + "); nothing was replaced"};
  }
  try {
    PrivateUmask mask;
    SQLite::Database src(copy.string(), SQLite::OPEN_READONLY);
    SQLite::Database dst(store.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    dst.setBusyTimeout(10000);
    SQLite::Backup backup(dst, src);
    backup.executeStep(-1);
    dst.exec("PRAGMA journal_mode=WAL");
    // The copy's log goes on from an older sequence number than other
    // doors may have read: a new epoch tells them to read it again.
    SQLite::Statement epoch(dst, "INSERT OR REPLACE INTO meta(key, value) VALUES('log_epoch', ?)");
    epoch.bind(1, new_uuid());
    epoch.exec();
  } catch (const std::exception& e) {
    return Error{"restore.failed",
                 "Restoring " + copy.string() + " failed: " + e.what() +
                     (fs::exists(aside, ec) ? "; the previous store is kept at " + aside.string()
                                            : std::string())};
  }
  return inspect_store(store);
}

}  // namespace fd
