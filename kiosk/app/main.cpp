// frontdesk: the check-in kiosk's command line. main only wires: it parses
// options and hands each subcommand to the module that does the work.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/Commands.h"
#include "app/ExitCodes.h"

int main(int argc, char** argv) {
  using namespace fd;
  CLI::App app{"Frontdesk: self-service check-in for meetups and user groups.", "frontdesk"};
  app.set_version_flag("--version", "frontdesk 0.1.0");
  GlobalOptions g;
  app.add_option("--data-dir", g.data_dir, "Where the store lives (default: XDG data dir)");
  app.add_option("--config-dir", g.config_dir,
                 "Where frontdesk.toml lives (default: XDG config dir)");
  app.add_option("--store", g.store, "The store file itself (overrides --data-dir)");
  app.add_option("--event", g.event, "Event slug or name (default: the current event)");
  app.add_option("--door", g.door, "This kiosk's door name, e.g. \"door 2\"");
  app.add_flag("-q,--quiet", g.quiet, "No progress or notes on standard error");
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand too
  int exit_status = exit_code::ok;
  add_list_commands(app, g, exit_status);
  add_door_commands(app, g, exit_status);
  add_bench_command(app, g, exit_status);
  add_pin_command(app, g, exit_status);
  add_kiosk_command(app, g, exit_status);
  add_scan_command(app, g, exit_status);
  add_tickets_command(app, g, exit_status);
  add_badge_command(app, g, exit_status);
  add_reprint_command(app, g, exit_status);
  add_printers_command(app, g, exit_status);
  add_sync_command(app, g, exit_status);
  add_report_commands(app, g, exit_status);
  add_serve_command(app, g, exit_status);
  add_doors_commands(app, g, exit_status);
  add_demo_command(app, g, exit_status);
  add_backup_commands(app, g, exit_status);
  add_doctor_command(app, g, exit_status);
  // Only the top level lists every exit code; each command names its own.
  // (Set after the subcommands exist: CLI11 copies a parent's footer into
  // each subcommand made after it.)
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    const std::string own = sub->get_footer();
    const std::string codes = exit_code::for_command(sub->get_name());
    sub->footer(own.empty() ? codes : own + "\n" + codes);
    for (CLI::App* nested : sub->get_subcommands([](CLI::App*) { return true; }))
      nested->footer(nested->get_footer().empty() ? codes : nested->get_footer() + "\n" + codes);
  }
  app.footer(std::string("\n") + exit_code::help_text +
             "\nFiles: the store is $XDG_DATA_HOME/frontdesk/frontdesk.db (default "
             "~/.local/share/frontdesk/),\nthe config $XDG_CONFIG_HOME/frontdesk/frontdesk.toml "
             "(default ~/.config/frontdesk/).");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_code::usage;
  } catch (const std::exception& e) {
    std::cerr << "frontdesk: " << e.what() << "\n";
    return exit_code::failure;
  }
  return exit_status;
}
