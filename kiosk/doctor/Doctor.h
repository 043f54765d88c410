#pragma once
// `frontdesk doctor` and the organizer screen's "Door checks": everything an
// unattended door needs, checked in about a minute at most, each answer in
// plain words with what to do about it. The door is ready when no check
// failed (warnings are worth a look but do not stop the door).
//
// Areas: config (the file reads; unknown sections and settings with the
// name they probably meant), camera (opens, picture size and rate, sharpness; a QR code in view
// read), printer (reachable, loaded labels match the badge preset, CUPS error
// policy, a test label on request), clock (synchronised; within a minute of
// the ticketing service's and other doors' clocks), disk (free space, the
// store on a writable and durable filesystem, intact, a backup target on
// another device), network (addresses, configured services reachable),
// screen (resolution against the touch-target size) and sound.
//
// Thread-safety: run_doctor() and the check_* functions share no state; the
// kiosk runs them on its task thread, the CLI on its main thread. The
// camera they watch is thread-safe.
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "badge/BadgeTemplate.h"
#include "base/Error.h"
#include "base/Time.h"
#include "config/Config.h"
#include "model/DoorChecks.h"
#include "model/Peer.h"

namespace fd {

class Camera;

std::string display_info_json(const DisplayInfo& d);
Result<DisplayInfo> parse_display_info(const std::string& json);

// Another clock to compare with: the ticketing service (its HTTP Date) or
// a peer door. `now` returns that clock's time, or why it could not.
struct ClockPeer {
  std::string name;
  std::function<Result<TimeMs>()> now;
};
// An HTTP Date header (RFC 7231 IMF-fixdate, "Sun, 29 Nov 2026 18:42:07
// GMT"); nothing for anything else.
std::optional<TimeMs> parse_http_date(const std::string& text);
// A peer for a web address: HEAD request, the Date header (1 s precision).
ClockPeer http_date_peer(const std::string& url);
// The other doors of the event, by the clock offset the door exchange
// measured when it last heard from each (the middle of a signed request's
// round trip); doors not heard from for ten minutes say so instead.
std::vector<ClockPeer> door_clock_peers(const std::vector<PeerRecord>& doors);

struct DoctorOptions {
  Config config;  // its notes (unknown settings) are reported first
  // The file the config came from, and why it could not be read ("": it
  // was, or there is none). Doctor reports the file before anything else
  // and checks the rest with the defaults when it cannot be read.
  std::filesystem::path config_file;
  std::string config_error;
  std::filesystem::path store;
  std::string camera_name;         // what the door opens: /dev/video0, synthetic, none
  const Camera* camera = nullptr;  // that camera, running
  std::chrono::milliseconds camera_watch{3000};
  LabelSize label;  // the badge preset's label
  bool test_label = false;
  std::vector<ClockPeer> clock_peers;  // added to the config's services
  std::optional<DisplayInfo> display;  // nullopt: headless (skipped)
  std::chrono::milliseconds network_timeout{5000};
};

// The services to reach and compare clocks with: [doctor] services and
// every sync service configured ([pretix] url, [webhook] url, ...).
std::vector<std::string> doctor_services(const Config& config);

// Runs every check (independent ones side by side) and returns them in a
// fixed order.
DoctorReport run_doctor(const DoctorOptions& options);

std::vector<Check> check_config(const std::filesystem::path& file, const std::string& error,
                                const std::vector<std::string>& notes);
std::vector<Check> check_camera(const std::string& name, const Camera* camera,
                                std::chrono::milliseconds watch);
std::vector<Check> check_printer(const std::string& printer, const LabelSize& label,
                                 bool test_label);
std::vector<Check> check_clock(const std::vector<ClockPeer>& peers);
std::vector<Check> check_disk(const std::filesystem::path& store, const Config& config);
std::vector<Check> check_network(const std::vector<std::string>& urls,
                                 std::chrono::milliseconds timeout);
std::vector<Check> check_screen_and_sound(const std::optional<DisplayInfo>& display);

// Does a printer's media keyword (PWG 5101.1, "oe_62x100mm_62x100mm",
// "roll_max_62x30000mm") fit the label?
bool media_fits(const std::string& media, const LabelSize& label);
// Sharpness of a grey picture's middle: variance of the Laplacian.
double sharpness(const std::vector<std::uint8_t>& gray, int width, int height);

std::string report_text(const DoctorReport& r);
std::string report_json(const DoctorReport& r);

}  // namespace fd
