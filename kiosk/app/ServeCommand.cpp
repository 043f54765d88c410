// frontdesk serve: the organizer pages and the venue feed without a screen
// (a door process with no camera); frontdesk venue-link: the venue's
// read-only address.
#include <signal.h>

#include <iostream>

#include "app/Advice.h"
#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "doors/Join.h"
#include "doors/Reach.h"
#include "service/Notify.h"
#include "shell/DoorProcess.h"
#include "web/Certificate.h"
#include "web/DoorWeb.h"
#include "web/VenueLink.h"
#include "web/WebServer.h"

namespace fd {

namespace {

// What an organizer needs to hear when `serve` starts: where the pages
// answer (the ports really bound), the certificate to compare, the venue's
// link, the other doors.
void print_serving(DoorProcess& door, const GlobalOptions& g) {
  const DoorProcess::Served& web = *door.served();
  std::cout << "Frontdesk serves the organizer pages of \"" << door.shell().snapshot()->event.name
            << "\"\n";
  if (!web.fingerprint.empty()) {
    std::cout << "  on the venue LAN:  " << web.url << "\n";
    std::cout << "  certificate SHA-256: " << web.fingerprint << "\n";
    std::cout << "  (phones warn about a self-signed certificate: compare this fingerprint)\n";
  }
  if (!web.local_url.empty()) std::cout << "  on this machine:   " << web.local_url << "\n";
  const std::string token = read_venue_token(door.config_dir() / "venue.token");
  if (!token.empty())
    std::cout << "  the venue's link (numbers only): " << venue_url(web.url, token) << "\n";
  else
    std::cout << "  the venue's link: `" << frontdesk_command(g)
              << " venue-link` makes one (numbers only, no names)\n";
  if (!door.doors_note().empty()) std::cout << "  doors: " << door.doors_note() << "\n";
  if (!std::filesystem::exists(door.pin_file()))
    std::cout << "No organizer PIN yet: set one with `" << frontdesk_command(g)
              << " pin set` to log in.\n";
  std::cout << "Log in with the organizer PIN or the volunteer code. Ctrl+C stops.\n" << std::flush;
}

void add_serve(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* cmd = app.add_subcommand(
      "serve", "Serve the organizer pages and the venue feed on the LAN until Ctrl+C");
  auto listen = std::make_shared<std::string>();
  auto port = std::make_shared<int>(-1);
  auto loopback_port = std::make_shared<int>(-1);
  cmd->add_option("--listen", *listen,
                  "Address to listen on (default 0.0.0.0: HTTPS on the LAN; a loopback address "
                  "serves plain HTTP to this machine only)");
  cmd->add_option("--port", *port, "Port (default 8443, or [web] port; 0: any free port)");
  cmd->add_option("--loopback-port", *loopback_port,
                  "Plain-HTTP port on 127.0.0.1 beside HTTPS (default 8080; 0: any free port)");
  auto advertise = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--advertise", *advertise,
                  "Where other doors reach this one, HOST:PORT (default: the addresses it serves "
                  "on; \"none\": only the config's [doors] peers)");
  cmd->callback([&g, &exit_status, listen, port, loopback_port, advertise] {
    // Signals are taken by sigwait() below; every thread started from here
    // on inherits the block, so Ctrl+C reaches this thread only.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    DoorProcessOptions o;
    o.where = g;
    o.serve = true;
    o.listen = *listen;
    o.port = *port;
    o.loopback_port = *loopback_port;
    o.advertise = *advertise;
    // Under systemd (Type=notify): ready once serving, and alive while this
    // thread turns; a wedged process stops answering the watchdog and is
    // restarted.
    ServiceNotifier notifier;
    for (;;) {
      auto door = DoorProcess::open(o);
      if (!door) {
        std::cerr << "frontdesk: " << door.error().message << "\n";
        exit_status =
            door.error().code.rfind("badge.", 0) == 0 ? exit_code::usage : exit_code::failure;
        return;
      }
      if (!(*door)->served()) {
        std::cerr << "frontdesk: " << (*door)->web_problem() << "\n";
        exit_status = exit_code::failure;
        return;
      }
      print_serving(**door, g);
      notifier.ready("Serving \"" + (*door)->shell().snapshot()->event.name + "\"");
      std::optional<std::string> next;
      const timespec tick{1, 0};
      while (sigtimedwait(&stop_signals, nullptr, &tick) < 0) {
        notifier.alive();
        if ((next = (*door)->moved_to())) break;
      }
      if (!next) break;
      // `frontdesk event use` or `doors join` made another event current:
      // this door follows it, as a door started now would.
      std::cout << "The store's current event is now \"" << *next << "\": switching to it.\n"
                << std::flush;
      notifier.status("Switching to \"" + *next + "\"");
    }
    notifier.stopping();
    std::cout << "Stopping.\n" << std::flush;
    exit_status = exit_code::ok;
  });
}

void add_venue_link(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* venue = app.add_subcommand(
      "venue-link", "Print the venue's read-only link (live numbers, no names), or revoke it");
  auto revoke = std::make_shared<bool>(false);
  venue->add_flag("--revoke", *revoke,
                  "Stop the current link from working (a new one is made next time)");
  venue->callback([&g, &exit_status, revoke] {
    auto config = resolve_config(g);
    if (!config) {
      std::cerr << "frontdesk: " << config.error().message << "\n";
      exit_status = exit_code::usage;
      return;
    }
    const auto file = resolve_config_dir(g) / "venue.token";
    if (*revoke) {
      auto done = revoke_venue_token(file);
      if (!done) {
        std::cerr << "frontdesk: " << done.error().message << "\n";
        exit_status = exit_code::failure;
        return;
      }
      if (*done)
        std::cout << "The venue link no longer works. `" << frontdesk_command(g)
                  << " venue-link` makes a new one.\n";
      else
        std::cout << "There was no venue link.\n";
      exit_status = exit_code::ok;
      return;
    }
    auto token = ensure_venue_token(file);
    if (!token) {
      std::cerr << "frontdesk: " << token.error().message << "\n";
      exit_status = exit_code::failure;
      return;
    }
    // Where a door of this store serves right now (its exchange records the
    // ports it really bound, which --port or a busy 8443 may have changed);
    // else where the config says one will.
    std::string lan_base, local_base;
    if (auto s = Session::open(g); s) {
      for (const std::string& a : serving_door((*s)->engine()).addresses)
        (is_loopback(a) ? local_base : lan_base) = a;  // LAN first, then loopback
      if (!lan_base.empty()) lan_base = "https://" + lan_base + "/";
      if (!local_base.empty()) local_base = "http://" + local_base + "/";
    }
    const bool serving = !lan_base.empty() || !local_base.empty();
    if (!serving) {
      const std::vector<std::string> lan = lan_addresses();
      const bool local_only = is_loopback_address(config->web_listen);
      const std::string host =
          local_only ? config->web_listen : (lan.empty() ? "127.0.0.1" : lan.front());
      (local_only ? local_base : lan_base) = std::string(local_only ? "http://" : "https://") +
                                             host + ":" + std::to_string(config->web_port) + "/";
      if (!local_only)
        local_base = "http://127.0.0.1:" + std::to_string(config->web_loopback_port) + "/";
    }
    if (!lan_base.empty()) std::cout << venue_url(lan_base, *token) << "\n";
    if (!local_base.empty())
      std::cout << (lan_base.empty() ? "" : "On this machine: ") << venue_url(local_base, *token)
                << "\n";
    if (!serving)
      std::cerr << "No door serves right now: the link answers while `" << frontdesk_command(g)
                << " serve` (or the kiosk with [web] serve = true) runs.\n";
    std::cerr << "Live numbers only (no names). Add ?format=json for machines. Revoke with `"
              << frontdesk_command(g) << " venue-link --revoke`.\n";
    exit_status = exit_code::ok;
  });
}

}  // namespace

void add_serve_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  add_serve(app, g, exit_status);
  add_venue_link(app, g, exit_status);
}

}  // namespace fd
