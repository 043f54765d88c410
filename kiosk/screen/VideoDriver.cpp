#include "screen/VideoDriver.h"

#include <SDL.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace fd {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool mentions(const std::string& text, const char* what) {
  return text.find(what) != std::string::npos;
}

// /dev/dri/card0, card1, ...: the KMS devices kmsdrm may draw on (a Pi 5
// has two; renderD* nodes cannot show anything).
std::vector<std::string> drm_cards() {
  std::vector<std::string> cards;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/dev/dri", ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("card", 0) == 0) cards.push_back(e.path().string());
  }
  return cards;
}

std::string user_name() {
  std::string u = env("USER");
  return u.empty() ? "the kiosk's user" : "user " + u;
}

// A GL or EGL library SDL could not load: the package that holds it. SDL
// dlopen()s these, so nothing but the package's Depends brings them.
std::string missing_library_advice(const std::string& sdl_error) {
  if (mentions(sdl_error, "libGL.so") || mentions(sdl_error, "libOpenGL.so"))
    return " The OpenGL library is missing: sudo apt install libgl1 libgl1-mesa-dri.";
  if (mentions(sdl_error, "libEGL.so") || mentions(sdl_error, "EGL library"))
    return " The EGL library is missing: sudo apt install libegl1 libegl-mesa0 libgl1-mesa-dri.";
  if (mentions(sdl_error, "OpenGL 3.0 context"))
    return " The graphics driver offers no OpenGL 3.0: sudo apt install libgl1-mesa-dri (Mesa; on "
           "a "
           "Raspberry Pi with the vc4-kms-v3d overlay, the default of Raspberry Pi OS bookworm).";
  return "";
}

std::string kmsdrm_advice() {
  const auto cards = drm_cards();
  if (cards.empty())
    return " There is no DRM device (/dev/dri/card*): the console's kmsdrm driver draws through "
           "the kernel's KMS/DRM and needs a graphics driver with KMS (on a Raspberry Pi: "
           "dtoverlay=vc4-kms-v3d in /boot/firmware/config.txt, the default of Raspberry Pi OS "
           "bookworm). On a desktop, start the kiosk from the desktop session instead "
           "(systemctl --user enable frontdesk-kiosk).";
  std::string usable;
  for (const auto& c : cards)
    if (::access(c.c_str(), R_OK | W_OK) == 0) usable = c;
  if (usable.empty())
    return " " + user_name() + " may not open " + cards.front() +
           ": start the kiosk with sudo frontdesk-setup-door (it adds the user to the video, "
           "render and input groups and runs frontdesk-door@USER.service), or add the groups by "
           "hand: sudo usermod -aG video,render,input,audio USER.";
  return " " + usable +
         " is there but shows nothing for the kiosk: is a screen connected and switched on, and "
         "does another program (a desktop, an X server, cage) hold it? Stop that program (sudo "
         "systemctl set-default multi-user.target for a desktop), or run the kiosk inside it.";
}

}  // namespace

std::string choose_video_driver() {
  const std::string forced = env("SDL_VIDEODRIVER");
  if (!forced.empty()) return forced;
  if (!env("DISPLAY").empty()) return "x11";
  if (!env("WAYLAND_DISPLAY").empty()) return "wayland";
  // No desktop: SDL would end up trying kmsdrm anyway, after x11 and wayland
  // failed, and then report only that no driver worked.
  SDL_SetHint(SDL_HINT_VIDEODRIVER, "kmsdrm");
  return "kmsdrm";
}

std::string no_window_message(const std::string& driver, const std::string& sdl_error) {
  std::string m = "cannot open a window";
  if (driver == "kmsdrm")
    m += " on the console with SDL's kmsdrm driver";
  else if (driver == "x11")
    m += " on the X display " + (env("DISPLAY").empty() ? "(DISPLAY unset)" : env("DISPLAY")) +
         " (SDL's x11 driver)";
  else if (driver == "wayland")
    m += " on the Wayland display " +
         (env("WAYLAND_DISPLAY").empty() ? "(WAYLAND_DISPLAY unset)" : env("WAYLAND_DISPLAY")) +
         " (SDL's wayland driver)";
  else
    m += " with SDL's " + driver + " driver";
  m += ": " + (sdl_error.empty() ? std::string("SDL gave no reason") : sdl_error) + ".";
  const std::string library = missing_library_advice(sdl_error);
  if (!library.empty()) {
    m += library;
  } else if (driver == "kmsdrm") {
    m += kmsdrm_advice();
  } else if (driver == "x11" || driver == "wayland") {
    m += " Is the desktop running, and may " + user_name() +
         " use it? Start the kiosk from the desktop session (systemctl --user enable "
         "frontdesk-kiosk); on a machine without a desktop, unset DISPLAY and WAYLAND_DISPLAY or "
         "use sudo frontdesk-setup-door.";
  }
  m += " Without a screen, the door's list and check-ins work from the command line "
       "(frontdesk demo --no-kiosk, frontdesk serve).";
  return m;
}

}  // namespace fd
