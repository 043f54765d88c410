// frontdesk printers: which printers there are, their state and media, and
// how to fix what stops badges.
#include <iostream>

#include "app/Advice.h"
#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "badge/PrintSink.h"

namespace fd {
namespace {
void show(const PrinterInfo& p) {
  std::cout << (p.is_default ? "* " : "  ") << (p.name.empty() ? p.uri : p.name) << "  [" << p.state
            << (p.accepting ? "" : ", refusing jobs") << "]\n";
  if (!p.make_and_model.empty()) std::cout << "      " << p.make_and_model << "\n";
  if (!p.name.empty() && !p.uri.empty()) std::cout << "      " << p.uri << "\n";
  if (!p.media.empty()) {
    std::cout << "      media:";
    for (std::size_t i = 0; i < p.media.size() && i < 8; ++i) std::cout << " " << p.media[i];
    if (p.media.size() > 8) std::cout << " … (" << p.media.size() << ")";
    std::cout << "\n";
  }
  for (const auto& a : p.advice) std::cout << "      → " << a << "\n";
}
}  // namespace

void add_printers_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* cmd = app.add_subcommand("printers",
                                 "List printers with their state, media and how to fix problems");
  auto which = std::make_shared<std::string>();
  cmd->add_option("printer", *which,
                  "Ask one printer directly: a CUPS queue name or an ipp:// address");
  cmd->callback([&g, &exit_status, which] {
    if (!which->empty()) {
      auto p = query_printer(*which);
      if (!p) {
        std::cerr << "frontdesk: " << p.error().message << "\n";
        exit_status = exit_code::failure;
        return;
      }
      show(*p);
      exit_status = exit_code::ok;
      return;
    }
    auto all = list_printers();
    if (!all) {
      std::cerr << "frontdesk: " << all.error().message << "\n";
      exit_status = exit_code::failure;
      return;
    }
    if (all->empty()) {
      // A network label printer needs no queue: its address is the setting.
      std::cout << "No printers set up in CUPS. Add the label printer (`lpadmin`, or the "
                   "desktop's printer settings), or name a network label printer by its address "
                   "under [printer] in frontdesk.toml: name = \"ipp://PRINTER/ipp/print\" (ask it "
                   "first with `"
                << frontdesk_command(g) << " printers ipp://PRINTER/ipp/print`)\n";
      exit_status = exit_code::not_found;
      return;
    }
    for (const auto& p : *all) show(p);
    exit_status = exit_code::ok;
  });
}

}  // namespace fd
