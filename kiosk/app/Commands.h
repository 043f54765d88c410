#pragma once
// The headless face of every capability: each subcommand is a function of
// the global options and its own, returning an exit code (ExitCodes.h).
#include <CLI/CLI.hpp>

#include "shell/Session.h"

namespace fd {

void add_door_commands(CLI::App& app, GlobalOptions& g,
                       int& exit_status);  // checkin, undo, walkin, search
void add_list_commands(CLI::App& app, GlobalOptions& g,
                       int& exit_status);  // import, event, stats, export
void add_bench_command(CLI::App& app, GlobalOptions& g, int& exit_status);     // bench
void add_pin_command(CLI::App& app, GlobalOptions& g, int& exit_status);       // pin set
void add_scan_command(CLI::App& app, GlobalOptions& g, int& exit_status);      // scan
void add_tickets_command(CLI::App& app, GlobalOptions& g, int& exit_status);   // tickets
void add_badge_command(CLI::App& app, GlobalOptions& g, int& exit_status);     // badge
void add_printers_command(CLI::App& app, GlobalOptions& g, int& exit_status);  // printers
void add_kiosk_command(CLI::App& app, GlobalOptions& g, int& exit_status);     // kiosk
void add_sync_command(CLI::App& app, GlobalOptions& g, int& exit_status);      // sync
// report, forecast, people, bench forecast (call after add_bench_command)
void add_report_commands(CLI::App& app, GlobalOptions& g, int& exit_status);
void add_doors_commands(CLI::App& app, GlobalOptions& g, int& exit_status);  // doors
void add_serve_command(CLI::App& app, GlobalOptions& g, int& exit_status);   // serve, venue-link
void add_demo_command(CLI::App& app, GlobalOptions& g, int& exit_status);    // demo

// frontdesk-kiosk beside this program (installed, or the build tree); empty
// when it is not there.
std::filesystem::path kiosk_binary();
// Replaces this process with frontdesk-kiosk (installed next to this program)
// given the global options and kiosk_args; returns only when that fails.
int exec_kiosk(const GlobalOptions& g, const std::vector<std::string>& kiosk_args);
void add_backup_commands(CLI::App& app, GlobalOptions& g, int& exit_status);  // backup, restore
void add_doctor_command(CLI::App& app, GlobalOptions& g, int& exit_status);   // doctor

}  // namespace fd
