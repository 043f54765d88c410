// frontdesk serve: the organizer pages and the venue feed without a screen
// (a door process with no camera); frontdesk venue-link: the venue's
// read-only address.
#include <signal.h>

#include <iostream>

#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "service/Notify.h"
#include "web/Certificate.h"
#include "web/DoorWeb.h"
#include "web/VenueLink.h"
#include "web/WebServer.h"

namespace fd {

void add_serve_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
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

    auto session = Session::open(g);
    if (!session) {
      std::cerr << "frontdesk: " << session.error().message << "\n";
      exit_status = exit_code::failure;
      return;
    }
    const Config& cfg = (*session)->config();
    auto setup = door_setup(**session, "none");
    if (!setup) {
      std::cerr << "frontdesk: " << setup.error().message << "\n";
      exit_status = exit_code::usage;
      return;
    }
    const std::string event = (*session)->engine().snapshot()->event.name;
    Shell shell((*session)->take_engine(), setup->shell);
    DoorWebOptions wo;
    wo.listen = listen->empty() ? cfg.web_listen : *listen;
    wo.port = *port >= 0 ? *port : cfg.web_port;
    wo.loopback_port = *loopback_port >= 0 ? *loopback_port : cfg.web_loopback_port;
    wo.config_dir = (*session)->config_dir();
    wo.health = [&shell] { return shell.health(); };
    auto web = start_door_web(shell.engine(), wo);
    if (!web) {
      std::cerr << "frontdesk: " << web.error().message << "\n";
      exit_status = exit_code::failure;
      return;
    }
    const std::string url = web->url, local = web->local_url, fingerprint = web->fingerprint;
    // Several doors: the exchange serves on the same server (added first,
    // so the server stops before it).
    std::string doors_note;
    if (auto doors =
            start_door_exchange(shell.engine(), *web->server, **session, doors_note, *advertise))
      shell.add(std::move(doors));
    shell.add(std::move(web->server));
    add_unattended_workers(shell, **session);
    std::cout << "Frontdesk serves the organizer pages of \"" << event << "\"\n";
    if (!fingerprint.empty()) {
      std::cout << "  on the venue LAN:  " << url << "\n";
      std::cout << "  certificate SHA-256: " << fingerprint << "\n";
      std::cout << "  (phones warn about a self-signed certificate: compare this fingerprint)\n";
    }
    if (!local.empty()) std::cout << "  on this machine:   " << local << "\n";
    if (!doors_note.empty()) std::cout << "  doors: " << doors_note << "\n";
    if (!std::filesystem::exists(wo.config_dir / "organizer.pin"))
      std::cout << "No organizer PIN yet: set one with `frontdesk pin set` to log in.\n";
    std::cout << "Log in with the organizer PIN or the volunteer code. Ctrl+C stops.\n"
              << std::flush;
    // Under systemd (Type=notify): ready now, and alive while this thread
    // turns; a wedged process stops answering the watchdog and is restarted.
    ServiceNotifier notifier;
    notifier.ready("Serving \"" + event + "\"");
    const timespec tick{1, 0};
    while (sigtimedwait(&stop_signals, nullptr, &tick) < 0) notifier.alive();
    notifier.stopping();
    std::cout << "Stopping.\n" << std::flush;
    exit_status = exit_code::ok;
  });

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
      std::cout
          << (*done ? "The venue link no longer works. `frontdesk venue-link` makes a new one.\n"
                    : "There was no venue link.\n");
      exit_status = exit_code::ok;
      return;
    }
    auto token = ensure_venue_token(file);
    if (!token) {
      std::cerr << "frontdesk: " << token.error().message << "\n";
      exit_status = exit_code::failure;
      return;
    }
    const std::vector<std::string> lan = lan_addresses();
    const bool local_only = is_loopback_address(config->web_listen);
    const std::string host =
        local_only ? config->web_listen : (lan.empty() ? "127.0.0.1" : lan.front());
    const std::string base = std::string(local_only ? "http://" : "https://") + host + ":" +
                             std::to_string(config->web_port) + "/";
    std::cout << venue_url(base, *token) << "\n";
    if (!local_only)
      std::cout << "On this machine: "
                << venue_url("http://127.0.0.1:" + std::to_string(config->web_loopback_port) + "/",
                             *token)
                << "\n";
    std::cerr << "Live numbers only (no names). Add ?format=json for machines. Revoke with "
                 "`frontdesk venue-link --revoke`.\n";
    exit_status = exit_code::ok;
  });
}

}  // namespace fd
