#include "screen/Kiosk.h"

#include <SDL.h>
#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <cairo.h>
#include <imgui.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <sstream>
#include <vector>

#include "auth/Pin.h"
#include "badge/BadgeRenderer.h"
#include "base/Log.h"
#include "camera/Camera.h"
#include "flow/KeyboardWedge.h"
#include "screen/Script.h"
#include "screen/Ui.h"
#include "screen/VideoDriver.h"
#include "search/SearchIndex.h"
#include "service/Notify.h"
#include "web/LiveForecast.h"

namespace fd {
namespace {

// SIGTERM (systemctl stop) and SIGINT close the kiosk even when it ignores
// the window manager's close: SDL would turn both into the same SDL_QUIT, so
// its handlers are off and these set a flag the frame loop reads.
volatile std::sig_atomic_t stop_signal = 0;
extern "C" void on_stop_signal(int sig) { stop_signal = sig; }

// ---------------------------------------------------------------------------
// Sound: a rising two-note chime for welcome, one low tone for "see an
// organizer". Generated, so there are no audio files to ship. No audio
// device (a CI machine) means silence, not failure.
// ---------------------------------------------------------------------------
class Sound {
 public:
  Sound() {
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) return;
    SDL_AudioSpec want{}, have{};
    want.freq = 48000;
    want.format = AUDIO_F32SYS;
    want.channels = 1;
    want.samples = 1024;
    device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
    if (device_) SDL_PauseAudioDevice(device_, 0);
  }
  ~Sound() {
    if (device_) SDL_CloseAudioDevice(device_);
  }
  void welcome() { play({{880.0, 0.12}, {1318.5, 0.22}}); }
  void refuse() { play({{196.0, 0.45}}); }

 private:
  void play(const std::vector<std::pair<double, double>>& notes) {
    if (!device_) return;
    SDL_ClearQueuedAudio(device_);
    std::vector<float> pcm;
    for (const auto& [freq, secs] : notes) {
      const int n = static_cast<int>(48000 * secs);
      for (int i = 0; i < n; ++i) {
        const double env = std::min(1.0, i / 480.0) * std::exp(-3.0 * i / n);
        pcm.push_back(static_cast<float>(0.3 * env * std::sin(2 * M_PI * freq * i / 48000.0)));
      }
    }
    SDL_QueueAudio(device_, pcm.data(), static_cast<Uint32>(pcm.size() * sizeof(float)));
  }
  SDL_AudioDeviceID device_ = 0;
};

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

// The camera preview, scaled down for upload: the door needs to see that
// the camera sees them, not every pixel.
struct Preview {
  GLuint texture = 0;
  int width = 0, height = 0;
  std::uint64_t sequence = 0;
  void update(const Frame& f) {
    if (f.sequence == sequence) return;
    sequence = f.sequence;
    const int step = std::max(1, f.width / 640);
    width = f.width / step;
    height = f.height / step;
    std::vector<unsigned char> rgba(static_cast<std::size_t>(width) * height * 4);
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x) {
        // Mirrored, as people expect to see themselves.
        const std::uint8_t g = f.gray((width - 1 - x) * step, y * step);
        unsigned char* p = &rgba[(static_cast<std::size_t>(y) * width + x) * 4];
        p[0] = p[1] = p[2] = g;
        p[3] = 255;
      }
    if (!texture) glGenTextures(1, &texture);
    glBindTexture(GL_TEXTURE_2D, texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                 rgba.data());
  }
  ~Preview() {
    if (texture) glDeleteTextures(1, &texture);
  }
};

// Uploads a cairo image (premultiplied BGRA) as a straight-alpha RGBA texture.
void upload_surface(cairo_surface_t* img, GLuint& tex, int& w, int& h) {
  cairo_surface_flush(img);
  w = cairo_image_surface_get_width(img);
  h = cairo_image_surface_get_height(img);
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
  if (!tex) glGenTextures(1, &tex);
  glBindTexture(GL_TEXTURE_2D, tex);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
}

// Decodes PNG bytes (a badge preview) into a texture.
void upload_png(const std::string& png, GLuint& tex, int& w, int& h) {
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
  if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS) upload_surface(img, tex, w, h);
  cairo_surface_destroy(img);
}

struct Texture {
  GLuint id = 0;
  int width = 0, height = 0;
  ~Texture() {
    if (id) glDeleteTextures(1, &id);
  }
};

// The SDL window, its GL context and ImGui, set up and torn down in order.
class Window {
 public:
  static std::unique_ptr<Window> open(const KioskOptions& o) {
    // The screen never blanks while the door runs: SDL suspends the X
    // screensaver and DPMS (XScreenSaverSuspend), inhibits it over D-Bus
    // (org.freedesktop.ScreenSaver) or Wayland's idle-inhibit, where present.
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
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
    // Without a context ImGui would draw nothing, and the door would look
    // hung rather than say why.
    SDL_GLContext gl = SDL_GL_CreateContext(sdl);
    if (!gl) {
      log_error(no_window_message(driver, std::string("no OpenGL 3.0 context: ") + SDL_GetError()));
      SDL_DestroyWindow(sdl);
      SDL_Quit();
      return nullptr;
    }
    auto w = std::unique_ptr<Window>(new Window(sdl, gl));
    SDL_GL_SetSwapInterval(o.script.empty() && o.bench_frames == 0 ? 1 : 0);
    SDL_StartTextInput();
    // A touch kiosk has no pointer; a mouse that moves brings it back (see
    // KioskScreen::on_sdl).
    if (!windowed || (o.locked && SDL_GetNumTouchDevices() > 0)) SDL_ShowCursor(SDL_DISABLE);
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a kiosk keeps no layout state between runs
    ImGui::StyleColorsDark();
    ImGui_ImplSDL2_InitForOpenGL(sdl, w->gl_);
    ImGui_ImplOpenGL3_Init("#version 130");
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
  ~Window() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    SDL_GL_DeleteContext(gl_);
    SDL_DestroyWindow(sdl_);
    SDL_Quit();
  }
  void drawable(int& w, int& h) const { SDL_GL_GetDrawableSize(sdl_, &w, &h); }
  // A locked kiosk that got minimized or pushed behind comes back on top.
  void bring_back() {
    SDL_RestoreWindow(sdl_);
    SDL_RaiseWindow(sdl_);
  }
  void swap() { SDL_GL_SwapWindow(sdl_); }

 private:
  Window(SDL_Window* sdl, SDL_GLContext gl) : sdl_(sdl), gl_(gl) { SDL_GL_MakeCurrent(sdl_, gl_); }
  SDL_Window* sdl_;
  SDL_GLContext gl_;
};

// What SDL (already initialised) says about the screen and sound.
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

// The door's screen: the flow and what it needs to draw. Each frame it
// drains the shell's inbox, reads input, reads one snapshot and draws.
class KioskScreen {
 public:
  KioskScreen(Shell& shell, const KioskOptions& o, Window& window)
      : shell_(shell),
        o_(o),
        window_(window),
        flow_(o.timings),
        text_(std::make_unique<TextRenderer>()) {
    flow_.set_default_modes(o.large_text, o.high_contrast);
    languages_ = Catalog::load_all(o.i18n_dir);
    for (std::size_t i = 0; i < languages_.size(); ++i)
      if (languages_[i].language() == o.language) language_ = i;
    // Say so when the translations were not found (say, a moved install),
    // rather than greet in English without a word.
    if (!o.language.empty() && languages_[language_].language() != o.language)
      std::cerr << "frontdesk-kiosk: no translation \"" << o.language << "\" in " << o.i18n_dir
                << "; starting in English\n";
    if (o.sound) sound_.emplace();
    // No PIN set: the PIN pad says how to set one.
    if (auto hash = load_pin_hash(o.pin_file); !hash) pin_problem_ = hash.error().message;
    // The group's logo, loaded once (this is start-up, not a frame).
    if (!o.logo.empty()) {
      cairo_surface_t* png = cairo_image_surface_create_from_png(o.logo.c_str());
      if (cairo_surface_status(png) == CAIRO_STATUS_SUCCESS) {
        upload_surface(png, logo_.id, logo_.width, logo_.height);
      } else {
        log_warning("cannot read the logo " + o.logo.string() + " (a PNG file is needed)");
      }
      cairo_surface_destroy(png);
    }
  }

  int run(Script script, std::chrono::steady_clock::time_point started) {
    script_ = std::move(script);
    frame();
    // The door shows its ready screen: tell systemd (READY=1), and say how
    // long it took from the process's start.
    const auto snap = shell_.snapshot();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    const std::string ready = "Ready: " + snap->event.name + ", " +
                              std::to_string(snap->roster ? snap->roster->size() : 0) +
                              " attendees, " + std::to_string(snap->checked_in) + " checked in";
    notifier_.ready(ready);
    log_notice(
        ready + " (" + std::to_string(ms) + " ms after start" +
        (notifier_.watchdog_interval().count()
             ? ", watchdog " + std::to_string(notifier_.watchdog_interval().count() / 1000) + " ms"
             : std::string()) +
        ")");
    while (!quit_) frame();
    notifier_.stopping();
    log_notice("Kiosk closing");
    if (o_.bench_frames) print_bench();
    return script_.exit_code() ? script_.exit_code() : exit_code_;
  }
  // The event an organizer joined from the dashboard ("" when none).
  const std::string& joined_event() const { return joined_event_; }

 private:
  void post(std::optional<Command> c) {
    if (c) shell_.post(std::move(*c));
  }

  void on(const ShellEvent& event, TimeMs now) {
    if (const auto* scan = std::get_if<CodeScanned>(&event)) {
      scanned(scan->text, scan->method, now);
    } else if (const auto* d = std::get_if<Decided>(&event)) {
      decided(d->decision, now);
    } else if (const auto* pin = std::get_if<PinChecked>(&event)) {
      flow_.pin_checked(pin->ok, now);
    } else if (const auto* checked = std::get_if<DoorChecked>(&event)) {
      checks_ = checked->report;
      checks_running_ = false;
      int fails = 0;
      for (const Check& c : checks_->checks) fails += c.status == CheckStatus::Fail;
      if (fails)
        log_warning("Door checks: " + std::to_string(fails) + " problem(s)");
      else
        log_info("Door checks: ready");
    } else if (const auto* f = std::get_if<ForecastMade>(&event)) {
      forecast_ = *f;
    } else if (const auto* badge = std::get_if<BadgePreviewDrawn>(&event)) {
      if (badge->checkin_uuid == badge_for_ && badge->png)
        upload_png(*badge->png, badge_.id, badge_.width, badge_.height);
    } else if (const auto* made = std::get_if<PairingCodeMade>(&event)) {
      own_code_ = made->code;
      if (!made->code) log_warning("No pairing code: " + made->code.error().message);
    } else if (const auto* joined = std::get_if<DoorJoined>(&event)) {
      join_done(*joined, now);
    }
  }

  // Every scan (camera, handheld scanner, test script) comes through here:
  // a door pairing code is never a ticket, so it never reaches the engine.
  void scanned(const std::string& text, Method method, TimeMs now) {
    if (!looks_like_pairing_code(text)) {
      post(flow_.scanned(text, method, now));
      return;
    }
    flow_.pairing_scanned(text, now);
    if (flow_.screen() != Screen::Pairing || flow_.join_offer() != text) return;
    // The question to ask, or why this code cannot be used.
    join_question_.clear();
    join_problem_.clear();
    auto code = parse_pairing(text);
    if (!code) {
      join_problem_ = code.error().message;
      return;
    }
    if (code->event_slug == shell_.snapshot()->event.slug &&
        code->door_id == shell_.engine().device_id()) {
      join_problem_ = "This is this door's own code: scan it with the other door";
      return;
    }
    join_question_ = "Join \"" + code->event_name + "\" at " + code->addresses.front() +
                     "? This door then admits for that event.";
  }

  // Pairing doors from the dashboard: the code asked for once per run (it
  // only changes with the event), a join run on the task thread.
  void pairing(TimeMs now) {
    if (flow_.screen() != Screen::Pairing) return;
    if (flow_.join_offer().empty() && !own_code_ && !own_code_asked_ && o_.pairing_code) {
      own_code_asked_ = true;
      shell_.tasks().run([make = o_.pairing_code]() -> ShellEvent {
        auto code = make();
        if (!code) return PairingCodeMade{code.error()};
        return PairingCodeMade{encode_pairing(*code)};
      });
    }
    const std::string text = flow_.take_join();
    if (text.empty()) return;
    auto code = parse_pairing(text);
    if (!code || !o_.join || !join_problem_.empty()) {
      flow_.joined(false, !code ? code.error().message : join_problem_, now);
      return;
    }
    log_notice("Joining \"" + code->event_name + "\" at " + code->addresses.front());
    shell_.tasks().run(
        [join = o_.join, c = *code, serving = bool(o_.pairing_code)]() -> ShellEvent {
          auto report = join(c);
          if (!report) return DoorJoined{report.error(), ""};
          std::string summary = describe(*report) + ".";
          if (!serving)
            summary +=
                " This door keeps in step with the others only while it serves: set "
                "[web] serve = true in frontdesk.toml.";
          return DoorJoined{summary, report->event_slug};
        });
  }

  void join_done(const DoorJoined& d, TimeMs now) {
    if (!d.summary) {
      log_warning("Joining failed: " + d.summary.error().message);
      flow_.joined(false, d.summary.error().message, now);
      return;
    }
    log_notice(*d.summary);
    flow_.joined(true, *d.summary + " Switching this door to it…", now);
    // Time to read the result, then the kiosk restarts on the joined event.
    joined_event_ = d.event_slug;
    restart_at_ = now + 3000;
  }

  void decided(const Decision& d, TimeMs now) {
    if (d.verdict == Verdict::Reprinting) return;  // the dashboard shows the queue
    flow_.decided(d, now);
    if (sound_) {
      if (d.verdict == Verdict::Admitted)
        sound_->welcome();
      else if (is_refusal(d.verdict))
        sound_->refuse();
    }
    // A new welcome: draw its badge preview on the task thread.
    if (d.verdict == Verdict::Admitted && d.who) {
      badge_for_ = d.checkin_uuid;
      badge_.width = badge_.height = 0;
      const BadgeData data = badge_data(*d.who, shell_.snapshot()->event.name);
      shell_.tasks().run([data, tmpl = o_.badge, uuid = d.checkin_uuid]() -> ShellEvent {
        return BadgePreviewDrawn{uuid, render_badge_png(data, tmpl, 90)};
      });
    }
  }

  void on_sdl(const SDL_Event& e, TimeMs now) {
    ImGui_ImplSDL2_ProcessEvent(&e);
    if (e.type == SDL_QUIT) {
      // The window manager's close, Alt+F4 through it, a desktop logout's
      // polite request: a locked kiosk stays. Organizers exit from the
      // dashboard behind the PIN; systemd stops it with SIGTERM.
      if (!o_.locked)
        quit_ = true;
      else
        log_notice("Ignored a request to close the kiosk (exit from the organizer dashboard)");
    }
    if (o_.locked && e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_MINIMIZED)
      window_.bring_back();
    // The pointer shows only while a real mouse is used; touch hides it.
    if (o_.locked && e.type == SDL_MOUSEMOTION && e.motion.which != SDL_TOUCH_MOUSEID)
      SDL_ShowCursor(SDL_ENABLE);
    if (o_.locked && e.type == SDL_FINGERDOWN) SDL_ShowCursor(SDL_DISABLE);
    if (e.type == SDL_TEXTINPUT) {
      if (auto scan = wedge_.key(e.text.text, now)) scanned(*scan, Method::Scanner, now);
    }
    if (e.type != SDL_KEYDOWN) return;
    const SDL_Keycode k = e.key.keysym.sym;
    if (k == SDLK_RETURN || k == SDLK_KP_ENTER) {
      if (auto scan = wedge_.enter(now)) {
        scanned(*scan, Method::Scanner, now);
      } else if (flow_.screen() == Screen::Pin) {
        flow_.pin_submit(now);
      } else if (flow_.screen() == Screen::WalkIn) {
        post(flow_.submit_walk_in(now));
      }
    }
    if (k == SDLK_BACKSPACE)
      flow_.screen() == Screen::Pin ? flow_.pin_clear(now) : flow_.backspace(now);
    if (k == SDLK_ESCAPE) flow_.back(now);
    if (k == SDLK_F2 || (k == SDLK_o && (e.key.keysym.mod & KMOD_CTRL))) flow_.open_pin(now);
  }

  void input(TimeMs now) {
    for (const ShellEvent& e : shell_.drain()) on(e, now);
    SDL_Event e;
    while (SDL_PollEvent(&e)) on_sdl(e, now);
    if (auto scan = wedge_.tick(now)) scanned(*scan, Method::Scanner, now);
    if (const std::string typed = wedge_.take_typed(); !typed.empty()) {
      if (flow_.screen() == Screen::Pin) {
        for (char c : typed) flow_.pin_digit(c, now);
      } else {
        flow_.type(typed, now);
      }
    }
    if (const std::string pin = flow_.take_pin_to_verify(); !pin.empty()) shell_.check_pin(pin);
    // A long press on the top-left corner opens the organizer PIN pad.
    const ImGuiIO& io = ImGui::GetIO();
    if (ImGui::IsMouseDown(0) && io.MousePos.x < 60 && io.MousePos.y < 60) {
      if (corner_down_ < 0) corner_down_ = now;
      if (now - corner_down_ > 2000 && flow_.screen() != Screen::Pin &&
          flow_.screen() != Screen::Organizer) {
        flow_.open_pin(now);
        corner_down_ = -1;
      }
    } else {
      corner_down_ = -1;
    }
    pairing(now);
    flow_.tick(now);
    if (restart_at_ && now >= restart_at_) quit_ = true;
  }

  void run_script(const Snapshot& snap, TimeMs now, int w, int h) {
    if (!script_.active()) return;
    ScriptContext c{
        flow_,
        snap,
        now,
        [this](Command cmd) { shell_.post(std::move(cmd)); },
        [this](const std::string& lang) {
          for (std::size_t i = 0; i < languages_.size(); ++i)
            if (languages_[i].language() == lang) language_ = i;
        },
        [w, h](float fx, float fy) {
          for (Uint32 type : {SDL_MOUSEMOTION, SDL_MOUSEBUTTONDOWN, SDL_MOUSEBUTTONUP}) {
            SDL_Event m{};
            m.type = type;
            const int x = static_cast<int>(fx * w), y = static_cast<int>(fy * h);
            if (type == SDL_MOUSEMOTION) {
              m.motion.x = x;
              m.motion.y = y;
            } else {
              m.button.button = SDL_BUTTON_LEFT;
              m.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
              m.button.x = x;
              m.button.y = y;
              m.button.clicks = 1;
            }
            SDL_PushEvent(&m);
          }
        },
        [this](const std::string& name) {
          shot_ = name;
          shot_countdown_ = 3;  // let textures and layout settle
        },
        [this, now](const std::string& what) {
          if (what == "door-checks") {  // the dashboard's Door checks button
            run_checks();
            flow_.open_checks(now);
            return;
          }
          // What SDL delivers when the window manager closes the window (or
          // turns Alt+F4 into a close), and the keys themselves.
          SDL_Event ev{};
          if (what == "close") {
            ev.type = SDL_QUIT;
            SDL_PushEvent(&ev);
            return;
          }
          ev.type = SDL_KEYDOWN;
          ev.key.state = SDL_PRESSED;
          if (what == "alt+f4") {
            ev.key.keysym.sym = SDLK_F4;
            ev.key.keysym.scancode = SDL_SCANCODE_F4;
            ev.key.keysym.mod = KMOD_LALT;
          } else if (what == "ctrl+q") {
            ev.key.keysym.sym = SDLK_q;
            ev.key.keysym.scancode = SDL_SCANCODE_Q;
            ev.key.keysym.mod = KMOD_LCTRL;
          } else if (what == "escape") {
            ev.key.keysym.sym = SDLK_ESCAPE;
            ev.key.keysym.scancode = SDL_SCANCODE_ESCAPE;
          }
          SDL_PushEvent(&ev);
          ev.type = SDL_KEYUP;
          ev.key.state = SDL_RELEASED;
          SDL_PushEvent(&ev);
        },
        [this, now](const std::string& text) { scanned(text, Method::Qr, now); }};
    // A pairing code being made or a join running counts as busy: the next
    // step (a screenshot, a check) waits for it.
    const bool pairing_busy =
        flow_.joining() || (flow_.screen() == Screen::Pairing && flow_.join_offer().empty() &&
                            o_.pairing_code && !own_code_);
    const bool idle =
        shell_.in_flight() == 0 && !flow_.pin_checking() && shot_.empty() && !pairing_busy;
    if (!script_.step(c, idle)) quit_ = true;
    if (script_.finished() && idle) quit_ = true;
  }

  void draw(const Snapshot& snap, TimeMs now, int w, int h) {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    Ui ui(flow_, snap, languages_[language_], *text_,
          [this](Command c) { shell_.post(std::move(c)); });
    ui.now = now;
    ui.width = static_cast<float>(w);
    ui.height = static_cast<float>(h);
    ui.scale = std::min(w / 800.0f, h / 480.0f);
    ui.badge_texture = badge_.width > 0 ? badge_.id : 0;
    ui.badge_width = badge_.width;
    ui.badge_height = badge_.height;
    ui.logo_texture = logo_.id;
    ui.logo_width = logo_.width;
    ui.logo_height = logo_.height;
    if (const Camera* camera = shell_.camera()) {
      const Camera::State cs = camera->state();
      ui.camera_ok = cs.running;
      ui.camera_message = cs.problem;
      if (auto f = camera->latest(); f && cs.running) {
        preview_.update(*f);
        ui.preview_texture = preview_.texture;
        ui.preview_width = preview_.width;
        ui.preview_height = preview_.height;
      }
    } else {
      ui.camera_message = "No camera configured";
    }
    if (languages_.size() > 1)
      ui.next_language = [this] { language_ = (language_ + 1) % languages_.size(); };
    ui.exit_kiosk = [this] { quit_ = true; };
    ui.text_scale = flow_.large_text() ? 1.35f : 1.0f;
    ui.checks = checks_ ? &*checks_ : nullptr;
    ui.checks_running = checks_running_;
    ui.run_checks = [this] { run_checks(); };
    ui.high_contrast = flow_.high_contrast();
    ui.pin_problem = pin_problem_;
    if (flow_.screen() == Screen::Organizer) {
      ui.health = shell_.health();
      ask_forecast(now);
      ui.forecast = forecast_words(snap.event.capacity);
    }
    ui.web_url = o_.web_url;
    ui.web_fingerprint = o_.web_fingerprint;
    if (flow_.screen() == Screen::Pairing) {
      if (own_code_ && *own_code_) ui.pairing_code = **own_code_;
      ui.pairing_problem = !o_.pairing_code           ? o_.pairing_problem
                           : own_code_ && !*own_code_ ? own_code_->error().message
                                                      : std::string();
      ui.join_question = join_question_;
      ui.join_problem = join_problem_;
    }
    draw_screen(ui);
    ImGui::Render();
    glViewport(0, 0, w, h);
    if (ui.high_contrast)
      glClearColor(0, 0, 0, 1);
    else
      glClearColor(0.11f, 0.12f, 0.15f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  }

  void frame() {
    const auto frame_start = std::chrono::steady_clock::now();
    const TimeMs now = now_ms();
    notifier_.alive();  // a frame loop that stops here gets restarted
    if (stop_signal) {
      log_notice(stop_signal == SIGTERM ? "Stopping (SIGTERM)" : "Stopping (SIGINT)");
      quit_ = true;
    }
    input(now);
    int w = 0, h = 0;
    window_.drawable(w, h);
    const auto snap = shell_.snapshot();  // one snapshot per frame
    watch_health(*snap, now);
    run_script(*snap, now, w, h);
    draw(*snap, now, w, h);
    if (o_.bench_frames) glFinish();
    frame_ms_.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - frame_start)
            .count());
    if (!shot_.empty() && --shot_countdown_ <= 0) {
      const auto file = o_.shots_dir / shot_;
      if (!save_screenshot(file, w, h)) exit_code_ = 4;
      const Camera* camera = shell_.camera();
      const Camera::State cs = camera ? camera->state() : Camera::State{};
      std::cout << "shot " << file.string() << " screen=" << to_string(flow_.screen())
                << " clipped=" << text_->clipped_this_frame() << " size=" << w << "x" << h
                << " camera=" << (cs.running ? "running " + cs.source : "off") << "\n"
                << std::flush;
      shot_.clear();
    }
    text_->end_frame();
    window_.swap();
    ++frame_;
    if (o_.bench_frames) bench_typing(now);
  }

  // A busy door for `frontdesk bench ui`: the search screen open with a
  // name being typed.
  void bench_typing(TimeMs now) {
    if (frame_ == 1) flow_.open_find_name(now);
    static constexpr const char* typing = "mariagarcia";
    if (frame_ % 6 == 0) {
      if (flow_.query().size() >= 11) flow_.open_find_name(now);
      flow_.type(std::string(1, typing[flow_.query().size() % 11]), now);
    }
    if (frame_ >= o_.bench_frames) quit_ = true;
  }

  // The forecast on the task thread (the group's history is read from the
  // engine), every half minute while the dashboard is open.
  void ask_forecast(TimeMs now) {
    if (now - forecast_asked_ < 30'000) return;
    forecast_asked_ = now;
    shell_.tasks().run([f = live_forecast_, snap = shell_.snapshot()]() -> ShellEvent {
      ForecastMade made;
      if (const auto h = f->forecast(*snap, now_ms())) {
        made = {true,        h->expected, h->low, h->high, h->full_at.value_or(0),
                h->full_now, h->may_fill};
      }
      return made;
    });
  }

  // The forecast in the door's language (web/LiveForecast words it in
  // English for the organizer pages).
  std::string forecast_words(int capacity) const {
    if (!forecast_.any) return "";
    const Catalog& words = languages_[language_];
    char buf[256];
    std::snprintf(buf, sizeof buf, words.tr("About %d people by the end (80%% likely %d–%d)"),
                  forecast_.expected, forecast_.low, forecast_.high);
    std::string s = buf;
    if (capacity > 0 && forecast_.full_now) {
      s += words.tr("; the room is full");
    } else if (capacity > 0 && forecast_.full_at) {
      std::snprintf(buf, sizeof buf, words.tr("; the room is expected to be full at about %s"),
                    local_hhmm(forecast_.full_at).c_str());
      s += buf;
    } else if (capacity > 0 && forecast_.may_fill) {
      s += words.tr("; the room may fill if many come");
    }
    return s;
  }

  // The door checks on the task thread: the camera is watched as it runs
  // (not opened again), the screen is this window's.
  void run_checks() {
    if (checks_running_) return;
    checks_running_ = true;
    DoctorOptions d;
    d.config = o_.config;
    d.store = o_.store;
    d.camera_name = shell_.camera() ? o_.camera_name : "none";
    d.camera = shell_.camera();
    d.label = o_.badge.label;
    d.display = display_;
    shell_.tasks().run([d, &engine = shell_.engine()]() mutable -> ShellEvent {
      d.clock_peers = door_clock_peers(engine.peers().get());  // the engine outlives the tasks
      return DoorChecked{run_doctor(d)};
    });
  }

  // The journal hears when the camera, the printer or a worker changes
  // state, once per change (checked twice a second, not every frame).
  void watch_health(const Snapshot& snap, TimeMs now) {
    if (now - health_checked_ < 500) return;
    health_checked_ = now;
    std::string camera = "No camera configured";
    if (const Camera* c = shell_.camera()) {
      const Camera::State cs = c->state();
      camera = cs.running ? "Camera working: " + cs.source : "Camera problem: " + cs.problem;
    }
    std::string health = camera + "\n" + snap.print_problem;
    for (const WorkerHealth& wh : shell_.health())
      health += "\n" + wh.name + (wh.ok ? " ok: " : " problem: ") + wh.message;
    if (health == last_health_) return;
    std::istringstream was(last_health_), is(health);
    std::vector<std::string> before;
    for (std::string l; std::getline(was, l);) before.push_back(l);
    for (std::string l; std::getline(is, l);)
      if (!l.empty() && std::find(before.begin(), before.end(), l) == before.end()) {
        const bool bad = l.find("problem") != std::string::npos || l == snap.print_problem;
        // Problems are warnings; of the good news only the camera's is
        // worth a line (workers' routine "synced", "backed up" would flood).
        if (bad)
          log_warning(l);
        else if (l.rfind("Camera working", 0) == 0)
          log_info(l);
      }
    last_health_ = health;
    notifier_.status(camera);
  }

  void print_bench() const {
    if (frame_ms_.size() <= 10) return;
    std::vector<double> v(frame_ms_.begin() + 10, frame_ms_.end());  // warm-up builds textures
    std::sort(v.begin(), v.end());
    int w = 0, h = 0;
    window_.drawable(w, h);
    const auto snap = shell_.snapshot();
    std::printf("bench ui: %zu frames at %dx%d, %zu attendees, search screen open while typing\n",
                v.size(), w, h, snap->roster ? snap->roster->size() : 0);
    std::printf(
        "  frame time  median %.2f ms   p99 %.2f ms   max %.2f ms   (goal: p99 < 16.7 ms, no "
        "frame > 50 ms)\n",
        v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 99 / 100)], v.back());
  }

  Shell& shell_;
  const KioskOptions& o_;
  Window& window_;
  DoorFlow flow_;
  KeyboardWedge wedge_;
  std::unique_ptr<TextRenderer> text_;  // its textures go before the GL context
  std::optional<Sound> sound_;
  std::vector<Catalog> languages_;
  std::size_t language_ = 0;
  Preview preview_;
  Texture badge_, logo_;
  std::string badge_for_;  // the check-in whose badge the preview shows
  std::string pin_problem_;
  Script script_;
  bool quit_ = false;
  TimeMs corner_down_ = -1;
  std::string shot_;  // a screenshot to take once the frame has settled
  int shot_countdown_ = 0;
  int exit_code_ = 0;
  int frame_ = 0;
  std::vector<double> frame_ms_;
  ServiceNotifier notifier_;
  std::optional<DoctorReport> checks_;
  bool checks_running_ = false;
  DisplayInfo display_ = current_display();
  TimeMs health_checked_ = 0;
  std::string last_health_;
  // Shared with the task that uses it: the tasks outlive this screen.
  std::shared_ptr<LiveForecast> live_forecast_ = std::make_shared<LiveForecast>(shell_.engine());
  ForecastMade forecast_;
  TimeMs forecast_asked_ = -30'000;
  // Pairing doors: this door's code once made, a scanned code's question,
  // and the event a join switched to (the kiosk restarts on it at restart_at_).
  std::optional<Result<std::string>> own_code_;
  bool own_code_asked_ = false;
  std::string join_question_, join_problem_;
  std::string joined_event_;
  TimeMs restart_at_ = 0;
};

}  // namespace

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

int run_kiosk(Shell& shell, const KioskOptions& options, std::string* joined_event) {
  const auto started = options.started;
  set_log_program("frontdesk-kiosk");
  Script script;
  if (!options.script.empty()) {
    auto loaded = Script::load(options.script, std::getenv("FRONTDESK_KIOSK_RESTARTED") != nullptr);
    if (!loaded) {
      log_error(loaded.error().message);
      return 2;
    }
    script = std::move(*loaded);
  }
  auto window = Window::open(options);
  if (!window) return 1;
  int code = 0;
  {
    KioskScreen screen(shell, options, *window);
    code = screen.run(std::move(script), started);
    // A stop (SIGTERM, the organizer's Exit) right after a join stays a stop.
    if (joined_event && !stop_signal && code == 0) *joined_event = screen.joined_event();
  }  // textures freed while the GL context lives
  return code;
}

std::vector<std::string> restart_arguments(const std::vector<std::string>& argv,
                                           const std::string& event_slug) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (i > 0 && a == "--event") {
      ++i;  // and its value
      continue;
    }
    if (i > 0 && a.rfind("--event=", 0) == 0) continue;
    out.push_back(a);
  }
  if (out.empty()) out.emplace_back("frontdesk-kiosk");
  out.emplace_back("--event");
  out.push_back(event_slug);
  return out;
}

std::string restart_kiosk(const std::vector<std::string>& arguments,
                          const std::string& event_slug) {
  std::vector<char*> args;
  for (const std::string& a : arguments) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::setenv("FRONTDESK_KIOSK_RESTARTED", event_slug.c_str(), 1);
  std::cout << std::flush;
  std::cerr << std::flush;
  // The same binary as this one, even when it was started through a relative
  // path or PATH; the process keeps its PID, so systemd keeps watching it.
  ::execv("/proc/self/exe", args.data());
  return std::string("cannot restart the kiosk: ") + std::strerror(errno);
}

}  // namespace fd
