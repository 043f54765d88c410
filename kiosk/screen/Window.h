#pragma once
// The kiosk's window: SDL2, its OpenGL context and Dear ImGui, set up and
// torn down in order, and what the screen needs of them (textures from
// pictures, screenshots, waiting for events). The only file besides the
// drawing that talks to SDL and GL.
//
// Thread-safety: the main thread only, apart from wake(), which any thread
// may call.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "model/DoorChecks.h"

struct SDL_Window;
typedef void* SDL_GLContext;

namespace fd {

struct WindowOptions {
  int width = 0, height = 0;  // 0: fullscreen on the desktop's size
  bool locked = true;         // hide the pointer on a touch kiosk
  bool vsync = true;          // off for test scripts and benchmarks
};

class Window {
 public:
  // Null when there is no display (said in the log, in plain words).
  static std::unique_ptr<Window> open(const WindowOptions& options);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  void drawable(int& w, int& h) const;
  // A locked kiosk that got minimized or pushed behind comes back on top.
  void bring_back();
  void swap();
  // Sleeps until an input event, a wake() or the timeout; true when an
  // event (or a wake) is waiting.
  bool wait(int timeout_ms);
  // From any thread: the next wait() returns at once.
  static void wake();

 private:
  Window(SDL_Window* sdl, SDL_GLContext gl) : sdl_(sdl), gl_(gl) {}
  SDL_Window* sdl_;
  SDL_GLContext gl_;
};

// A picture on the GPU; freed with the object (before the GL context goes).
struct Texture {
  unsigned int id = 0;
  int width = 0, height = 0;
  Texture() = default;
  ~Texture();
  Texture(const Texture&) = delete;
  Texture& operator=(const Texture&) = delete;
  // Grey pixels, mirrored left-right (the camera preview: people expect to
  // see themselves as in a mirror).
  void upload_gray_mirrored(const std::uint8_t* gray, int width, int height, int stride);
  bool upload_png_file(const std::filesystem::path& file);
  bool upload_png_bytes(const std::string& png);
};

// The window's pixels as a PNG file.
bool save_screenshot(const std::filesystem::path& file, int w, int h);

// The display and sound as SDL sees them (`frontdesk-kiosk --display-info`
// for `frontdesk doctor`): SDL is initialised for the question when it is
// not running yet.
DisplayInfo probe_display();
DisplayInfo current_display();

}  // namespace fd
