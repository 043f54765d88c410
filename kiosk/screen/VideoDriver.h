#pragma once
// Which SDL video driver the kiosk opens its window with, and what it says
// when it cannot. A door's screen is a desktop (x11, wayland), the bare
// console of a machine without one (kmsdrm: Raspberry Pi OS Lite, started by
// frontdesk-door@.service) or the cage compositor (wayland). Whoever reads
// the journal at a venue needs the driver tried, what it needs and what to
// do, not SDL's "No available video device" or "Failed loading libGL.so.1".
//
// Thread-safety: the UI thread, around SDL_Init.
#include <string>

namespace fd {

// Picks the driver before SDL_Init and returns its name. SDL_VIDEODRIVER,
// when set, decides (as it does for SDL); a desktop session (DISPLAY or
// WAYLAND_DISPLAY) is left to SDL's own order; without either there is no
// desktop to draw on, so the console's kmsdrm is asked for by name, and a
// failure is then explained as kmsdrm's rather than as "no video device".
std::string choose_video_driver();

// One paragraph for the log when the window could not be opened with
// `driver`: what failed (SDL's words), what that driver needs, and what to
// do. Looks at the machine (DRM devices, the GL libraries) to say which.
std::string no_window_message(const std::string& driver, const std::string& sdl_error);

}  // namespace fd
