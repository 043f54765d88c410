// backup, restore: copies of the store for the evening that loses its SD
// card. Both work while nothing else runs, and backup also while a door is
// checking people in (SQLite's online backup, in the store module).
#include <unistd.h>

#include <ctime>
#include <iostream>
#include <memory>

#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "store/Backup.h"

namespace fd {

namespace {

std::string when(TimeMs at) {
  if (at <= 0) return "never";
  const std::time_t t = static_cast<std::time_t>(at / 1000);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

void print_store_summary(const StoreSummary& s, std::ostream& out) {
  out << "  " << s.file.string() << " (" << (s.bytes + 1023) / 1024 << " KB, schema " << s.schema
      << (s.intact ? ", intact" : ", DAMAGED: " + s.problem) << ")\n";
  for (const auto& e : s.events)
    out << "    " << e.name << " (" << e.slug << "): " << e.attendees << " attendees, "
        << e.checked_in << " checked in, last check-in " << when(e.last_checkin) << "\n";
  if (s.events.empty()) out << "    no events\n";
  out << "    " << s.log_entries << " log entries in all; newest " << when(s.last_checkin) << "\n";
}

}  // namespace

void add_backup_commands(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* backup = app.add_subcommand(
      "backup", "Copy the store to a folder (a USB stick), consistent even while the door runs");
  struct BackupArgs {
    std::string to;
    int keep = 0;
  };
  auto b = std::make_shared<BackupArgs>();
  backup->add_option("--to", b->to,
                     "The folder for the copy (default: [backup] dir of the config)");
  backup->add_option("--keep", b->keep, "Keep only the newest N copies in that folder");
  backup->callback([&g, &exit_status, b] {
    const std::string& to = b->to;
    const int keep = b->keep;
    auto config = resolve_config(g);
    if (!config) {
      std::cerr << "frontdesk: " << config.error().message << "\n";
      exit_status = exit_code::usage;
      return;
    }
    const std::filesystem::path dir = !to.empty() ? std::filesystem::path(to) : config->backup_dir;
    if (dir.empty()) {
      std::cerr << "frontdesk: where to? Give --to DIR, or set [backup] dir in the config\n";
      exit_status = exit_code::usage;
      return;
    }
    const auto store = resolve_store_path(g, *config);
    const auto file = dir / backup_file_name(now_ms());
    auto copy = backup_store(store, file);
    if (!copy) {
      std::cerr << "frontdesk: " << copy.error().message << "\n";
      exit_status = exit_code::failure;
      return;
    }
    const int k = keep > 0 ? keep : (to.empty() ? config->backup_keep : 0);
    const int pruned = k > 0 ? prune_backups(dir, k) : 0;
    if (!g.quiet) {
      std::cout << "Backed up to " << file.string() << "\n";
      print_store_summary(*copy, std::cout);
      if (pruned) std::cout << "  (removed " << pruned << " older copies, keeping " << k << ")\n";
    }
  });

  auto* restore = app.add_subcommand(
      "restore", "Bring back a copy of the store; says what it holds and keeps the current aside");
  struct RestoreArgs {
    std::string file;
    bool yes = false;
  };
  auto r = std::make_shared<RestoreArgs>();
  restore->add_option("FILE", r->file, "A copy made by `frontdesk backup`")->required();
  restore->add_flag("-y,--yes", r->yes, "Replace without asking");
  restore->callback([&g, &exit_status, r] {
    const std::string& file = r->file;
    const bool yes = r->yes;
    auto config = resolve_config(g);
    if (!config) {
      std::cerr << "frontdesk: " << config.error().message << "\n";
      exit_status = exit_code::usage;
      return;
    }
    const auto store = resolve_store_path(g, *config);
    auto incoming = inspect_store(file);
    if (!incoming) {
      std::cerr << "frontdesk: " << incoming.error().message << "\n";
      exit_status = exit_code::failure;
      return;
    }
    std::cout << "The copy holds:\n";
    print_store_summary(*incoming, std::cout);
    if (!incoming->intact) {
      std::cerr << "frontdesk: this copy is damaged; nothing was replaced. Try an older copy.\n";
      exit_status = exit_code::failure;
      return;
    }
    if (auto current = inspect_store(store)) {
      std::cout << "It replaces the current store:\n";
      print_store_summary(*current, std::cout);
    }
    if (!yes) {
      if (!::isatty(STDIN_FILENO)) {
        std::cerr << "frontdesk: add --yes to replace the store with this copy\n";
        exit_status = exit_code::usage;
        return;
      }
      std::cout << "Replace it? The current store is kept aside. [y/N] " << std::flush;
      std::string answer;
      std::getline(std::cin, answer);
      if (answer != "y" && answer != "Y" && answer != "yes") {
        std::cout << "Nothing was replaced.\n";
        return;
      }
    }
    std::filesystem::path aside = store;
    aside += ".before-restore-" + backup_file_name(now_ms()).substr(10, 15);
    auto done = restore_store(file, store, aside);
    if (!done) {
      std::cerr << "frontdesk: " << done.error().message << "\n";
      exit_status = exit_code::failure;
      return;
    }
    std::cout << "Restored. The previous store is kept at " << aside.string() << "\n";
  });
}

}  // namespace fd
