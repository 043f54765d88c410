#pragma once
// The one place a door process is built. The kiosk (frontdesk-kiosk) and the
// headless `frontdesk serve` both open a DoorProcess and get, in this order:
//
//   1. the store and the event, through the one engine of the process
//      (joining another door's event first, when asked to);
//   2. the shell: the engine's companions (camera, scanner, print worker);
//   3. the organizer web server, when this door serves, and on it
//   4. the door exchange with the other doors (added before the server, so
//      the server and its requests in flight stop first);
//   5. the unattended workers of the config: sync, backup.
//
// Closing it stops them in the reverse order (the shell's destructor), the
// engine last. A process holds one DoorProcess at a time, and so one engine:
// switching events (a join from the organizer screen, `event use` or
// `doors join` while it runs) closes this one and opens the next.
//
// Thread-safety: open, use and destroy on one thread (main's). shell() is
// handed to the threads of the door; pairing_code() may run on a task thread.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "badge/BadgeTemplate.h"
#include "config/Config.h"
#include "doors/Join.h"
#include "shell/Session.h"
#include "shell/Shell.h"

namespace fd {

struct DoorProcessOptions {
  GlobalOptions where;  // store, config, event, door name
  // ShellOptions::camera: a V4L2 device, "synthetic", a folder, or "none".
  std::string camera = "none";
  int camera_width = 1280, camera_height = 720;
  // Serve the organizer pages, the venue feed and the other doors:
  // `frontdesk serve` always; nothing: as [web] serve says (the kiosk).
  std::optional<bool> serve;
  std::string listen;      // "" : [web] listen
  int port = -1;           // -1: [web] port; 0: any free port
  int loopback_port = -1;  // -1: [web] loopback_port
  // Where other doors reach this one instead of its own addresses
  // ("none": only the config's [doors] peers reach out).
  std::vector<std::string> advertise;
  // Join this pairing code's event before anything starts (the kiosk's
  // organizer screen); the door then runs on that event. A join that fails
  // leaves the door on the event it had, with join_result() saying why.
  std::optional<PairingCode> join;
  // The door's language for its pages: "" : [kiosk] language. The
  // catalogues' folders: none: the shipped ones and the config dir's i18n/.
  std::string language;
  std::vector<std::filesystem::path> i18n_dirs;
};

class DoorProcess {
 public:
  static Result<std::unique_ptr<DoorProcess>> open(DoorProcessOptions options);
  ~DoorProcess();
  DoorProcess(const DoorProcess&) = delete;
  DoorProcess& operator=(const DoorProcess&) = delete;

  Shell& shell() { return *shell_; }
  const Config& config() const { return config_; }
  const std::filesystem::path& config_dir() const { return config_dir_; }
  const std::filesystem::path& store_path() const { return store_path_; }
  const BadgeTemplate& badge() const { return badge_; }
  const std::filesystem::path& pin_file() const { return pin_file_; }
  // The event was named on the command line: the door stays on it even when
  // an organizer makes another event the store's current one.
  bool pinned_event() const { return pinned_event_; }

  // Where the organizer pages answer, when this door serves them.
  struct Served {
    std::string url;          // a phone on the LAN opens this
    std::string local_url;    // plain HTTP on this machine ("" when none)
    std::string fingerprint;  // the certificate's SHA-256 ("" without HTTPS)
  };
  const std::optional<Served>& served() const { return served_; }
  // Why the door does not serve, or why its exchange did not start ("" when
  // all is well), and the exchange's own first words.
  const std::string& web_problem() const { return web_problem_; }
  const std::string& doors_note() const { return doors_note_; }
  bool exchange_running() const { return exchange_running_; }
  // This door's pairing code for its event (the organizer screen's "Pair
  // another door"); an error says why there is none (it does not serve).
  // Reads the engine: call it off the UI thread.
  Result<PairingCode> pairing_code();
  // The store's current event when an organizer made another one current
  // while this door runs (`frontdesk event use`, `doors join`), and this
  // door follows it (its event was not pinned): the owner then closes this
  // door process and opens the next. Nothing otherwise. Waits for the engine.
  std::optional<std::string> moved_to();
  // How the join asked for in the options went (nothing when none was).
  const std::optional<Result<JoinReport>>& join_result() const { return join_result_; }

 private:
  DoorProcess() = default;
  Result<bool> start(const DoorProcessOptions& o, std::unique_ptr<Session> session);
  void start_web(const DoorProcessOptions& o);
  void add_unattended_workers();

  Config config_;
  std::filesystem::path config_dir_, store_path_, pin_file_;
  BadgeTemplate badge_ = default_badge_template();
  bool pinned_event_ = false;
  std::optional<Served> served_;
  std::vector<std::string> door_addresses_;  // where the exchange offers this door
  bool exchange_running_ = false;
  std::string web_problem_, doors_note_;
  std::optional<Result<JoinReport>> join_result_;
  std::unique_ptr<Shell> shell_;  // last: it stops every thread before the rest goes
};

// Joins the store to a pairing code's event (`frontdesk doors join`; the
// kiosk joins through DoorProcessOptions::join): opens the store on the
// code's event, creating it, pulls the first door's list and log, and only
// when that worked makes it the store's current event. One engine, closed
// before this returns.
Result<JoinReport> join_event(const GlobalOptions& g, const PairingCode& code);

}  // namespace fd
