#include "screen/Window.h"

#include <SDL.h>
#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <cairo.h>
#include <imgui.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "base/Log.h"
#include "screen/VideoDriver.h"

namespace fd {

std::unique_ptr<Window> Window::open(const WindowOptions& o) {
  // The screen never blanks while the door runs: SDL suspends the X
  // screensaver and DPMS (XScreenSaverSuspend), inhibits it over D-Bus
  // (org.freedesktop.ScreenSaver) or Wayland's idle-inhibit, where present.
  SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
  SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  const std::string driver = choose_video_driver();  // screen/VideoDriver.h
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    log_error(no_window_message(driver, SDL_GetError()));
    return nullptr;
  }
  SDL_DisableScreenSaver();
  SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "1");  // touch screens drive ImGui as a mouse
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  const bool windowed = o.width > 0 && o.height > 0;
  SDL_Window* sdl = SDL_CreateWindow("Frontdesk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                     windowed ? o.width : 1280, windowed ? o.height : 800,
                                     SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI |
                                         (windowed ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP));
  if (!sdl) {
    log_error(no_window_message(driver, SDL_GetError()));
    SDL_Quit();
    return nullptr;
  }
  // OpenGL 3.0 where there is one; else 2.1, which some GPUs' drivers offer
  // for a desktop context (a Raspberry Pi 4's Mesa may): Dear ImGui's GL3
  // backend draws with GLSL 1.20 there.
  const char* glsl = "#version 130";
  SDL_GLContext gl = SDL_GL_CreateContext(sdl);
  if (!gl) {
    const std::string why = SDL_GetError();
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 2);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 1);
    gl = SDL_GL_CreateContext(sdl);
    glsl = "#version 120";
    // Without a context ImGui would draw nothing, and the door would look
    // hung rather than say why.
    if (!gl) {
      log_error(no_window_message(driver, "no OpenGL 3.0 or 2.1 context: " + why));
      SDL_DestroyWindow(sdl);
      SDL_Quit();
      return nullptr;
    }
    log_notice("OpenGL 3.0 was refused (" + why + "); drawing with OpenGL 2.1");
  }
  SDL_GL_MakeCurrent(sdl, gl);
  auto w = std::unique_ptr<Window>(new Window(sdl, gl));
  SDL_GL_SetSwapInterval(o.vsync ? 1 : 0);
  SDL_StartTextInput();
  // A touch kiosk has no pointer; a mouse that moves brings it back.
  if (!windowed || (o.locked && SDL_GetNumTouchDevices() > 0)) SDL_ShowCursor(SDL_DISABLE);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a kiosk keeps no layout state between runs
  ImGui::StyleColorsDark();
  ImGui_ImplSDL2_InitForOpenGL(sdl, gl);
  ImGui_ImplOpenGL3_Init(glsl);
  int pw = 0, ph = 0;
  SDL_GL_GetDrawableSize(sdl, &pw, &ph);
  const float scale = std::min(pw / 800.0f, ph / 480.0f);
  ImFontConfig cfg;
  static const ImWchar ranges[] = {0x0020, 0x024F, 0x0370, 0x03FF, 0x0400,
                                   0x04FF, 0x2000, 0x206F, 0};
  if (!io.Fonts->AddFontFromFileTTF("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
                                    18 * scale, &cfg, ranges))
    io.Fonts->AddFontDefault();
  return w;
}

Window::~Window() {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(gl_);
  SDL_DestroyWindow(sdl_);
  SDL_Quit();
}

void Window::drawable(int& w, int& h) const { SDL_GL_GetDrawableSize(sdl_, &w, &h); }

void Window::bring_back() {
  SDL_RestoreWindow(sdl_);
  SDL_RaiseWindow(sdl_);
}

void Window::swap() { SDL_GL_SwapWindow(sdl_); }

bool Window::wait(int timeout_ms) { return SDL_WaitEventTimeout(nullptr, timeout_ms) == 1; }

void Window::wake() {
  // SDL_PushEvent is safe from any thread; the frame loop ignores the event
  // itself, it only stops waiting.
  SDL_Event e{};
  e.type = SDL_USEREVENT;
  SDL_PushEvent(&e);
}

// ---------------------------------------------------------------------------
// Textures
// ---------------------------------------------------------------------------

namespace {

void upload_rgba(unsigned int& tex, int w, int h, const std::vector<unsigned char>& rgba) {
  if (!tex) glGenTextures(1, &tex);
  glBindTexture(GL_TEXTURE_2D, tex);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
}

// A cairo image (premultiplied BGRA) as a straight-alpha RGBA texture.
void upload_surface(cairo_surface_t* img, Texture& t) {
  cairo_surface_flush(img);
  const int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
  const int stride = cairo_image_surface_get_stride(img);
  const bool alpha = cairo_image_surface_get_format(img) == CAIRO_FORMAT_ARGB32;
  const unsigned char* src = cairo_image_surface_get_data(img);
  std::vector<unsigned char> rgba(static_cast<std::size_t>(w) * h * 4);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const unsigned char* p = src + y * stride + x * 4;
      unsigned char* q = &rgba[(static_cast<std::size_t>(y) * w + x) * 4];
      const int a = alpha ? p[3] : 255;
      q[0] = static_cast<unsigned char>(a ? p[2] * 255 / a : 0);
      q[1] = static_cast<unsigned char>(a ? p[1] * 255 / a : 0);
      q[2] = static_cast<unsigned char>(a ? p[0] * 255 / a : 0);
      q[3] = static_cast<unsigned char>(a);
    }
  upload_rgba(t.id, w, h, rgba);
  t.width = w;
  t.height = h;
}

}  // namespace

Texture::~Texture() {
  if (id) glDeleteTextures(1, &id);
}

void Texture::upload_gray_mirrored(const std::uint8_t* gray, int w, int h, int stride) {
  std::vector<unsigned char> rgba(static_cast<std::size_t>(w) * h * 4);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const std::uint8_t g = gray[static_cast<std::size_t>(y) * stride + (w - 1 - x)];
      unsigned char* p = &rgba[(static_cast<std::size_t>(y) * w + x) * 4];
      p[0] = p[1] = p[2] = g;
      p[3] = 255;
    }
  upload_rgba(id, w, h, rgba);
  width = w;
  height = h;
}

bool Texture::upload_png_file(const std::filesystem::path& file) {
  cairo_surface_t* png = cairo_image_surface_create_from_png(file.c_str());
  const bool ok = cairo_surface_status(png) == CAIRO_STATUS_SUCCESS;
  if (ok) upload_surface(png, *this);
  cairo_surface_destroy(png);
  return ok;
}

bool Texture::upload_png_bytes(const std::string& png) {
  struct Reader {
    const std::string* bytes;
    std::size_t at = 0;
  } reader{&png};
  cairo_surface_t* img = cairo_image_surface_create_from_png_stream(
      [](void* c, unsigned char* out, unsigned int n) {
        auto* r = static_cast<Reader*>(c);
        if (r->at + n > r->bytes->size()) return CAIRO_STATUS_READ_ERROR;
        std::memcpy(out, r->bytes->data() + r->at, n);
        r->at += n;
        return CAIRO_STATUS_SUCCESS;
      },
      &reader);
  const bool ok = cairo_surface_status(img) == CAIRO_STATUS_SUCCESS;
  if (ok) upload_surface(img, *this);
  cairo_surface_destroy(img);
  return ok;
}

bool save_screenshot(const std::filesystem::path& file, int w, int h) {
  std::vector<unsigned char> rgba(static_cast<std::size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  unsigned char* dst = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const unsigned char* p =
          &rgba[(static_cast<std::size_t>(h - 1 - y) * w + x) * 4];  // GL is bottom-up
      unsigned char* q = dst + y * stride + x * 4;
      q[0] = p[2];
      q[1] = p[1];
      q[2] = p[0];
      q[3] = 255;
    }
  cairo_surface_mark_dirty(s);
  const bool ok = cairo_surface_write_to_png(s, file.c_str()) == CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(s);
  return ok;
}

// ---------------------------------------------------------------------------
// The display, as SDL sees it
// ---------------------------------------------------------------------------

DisplayInfo current_display() {
  DisplayInfo d;
  if (const char* v = SDL_GetCurrentVideoDriver()) d.driver = v;
  SDL_DisplayMode mode{};
  if (SDL_GetCurrentDisplayMode(0, &mode) != 0) {
    d.problem = std::string("No display: ") + SDL_GetError();
    return d;
  }
  d.width = mode.w;
  d.height = mode.h;
  float ddpi = 0, hdpi = 0, vdpi = 0;
  if (SDL_GetDisplayDPI(0, &ddpi, &hdpi, &vdpi) == 0) d.vdpi = vdpi;
  d.touch_devices = SDL_GetNumTouchDevices();
  if (SDL_WasInit(SDL_INIT_AUDIO) || SDL_InitSubSystem(SDL_INIT_AUDIO) == 0) {
    d.audio_outputs = std::max(0, SDL_GetNumAudioDevices(0));
    if (const char* a = SDL_GetCurrentAudioDriver()) d.audio_driver = a;
  }
  return d;
}

DisplayInfo probe_display() {
  SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  if (SDL_Init(SDL_INIT_VIDEO) != 0) {
    DisplayInfo d;
    d.problem = std::string("No display: ") + SDL_GetError();
    return d;
  }
  DisplayInfo d = current_display();
  SDL_Quit();
  return d;
}

}  // namespace fd
