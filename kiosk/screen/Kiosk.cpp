#include "screen/Kiosk.h"

#include <SDL.h>
#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>
#include <signal.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <vector>

#include "base/Log.h"
#include "camera/Camera.h"
#include "screen/Ui.h"
#include "service/Notify.h"

namespace fd {
namespace {

// Set by the handler, read by the frame loop: a signal handler can do no
// more than this (the one piece of process-wide state here, as POSIX wants).
volatile std::sig_atomic_t g_stop_signal = 0;
extern "C" void on_stop_signal(int sig) { g_stop_signal = sig; }

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
  void play(Cue cue) {
    if (cue == Cue::Welcome) play({{880.0, 0.12}, {1318.5, 0.22}});
    if (cue == Cue::Refuse) play({{196.0, 0.45}});
  }

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

// The camera preview: the door needs to see that the camera sees them, not
// every pixel or every frame. A frame is uploaded (and the screen drawn)
// only when the picture changed to the eye, at most 15 times a second, and
// once a second regardless, so an empty hall costs next to nothing.
class Preview {
 public:
  Texture texture;
  // True when the texture changed.
  bool update(const Frame& f, TimeMs now) {
    if (f.sequence == sequence_ || f.empty()) return false;
    if (now - uploaded_at_ < 66) return false;  // 15 per second at most; the next frame comes
    sequence_ = f.sequence;
    const int step = std::max(1, f.width / 640);
    const int w = f.width / step, h = f.height / step;
    thumb_.resize(static_cast<std::size_t>(w) * h);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        thumb_[static_cast<std::size_t>(y) * w + x] = f.gray(x * step, y * step);
    if (!changed(w, h) && now - uploaded_at_ < 1000) return false;
    texture.upload_gray_mirrored(thumb_.data(), w, h, w);
    shown_ = thumb_;
    uploaded_at_ = now;
    return true;
  }

 private:
  // Mean difference over a coarse grid, against the picture on screen: a
  // webcam's noise stays under it, a person walking up does not.
  bool changed(int w, int h) const {
    if (shown_.size() != thumb_.size()) return true;
    long diff = 0, n = 0;
    for (int y = 0; y < h; y += 8)
      for (int x = 0; x < w; x += 8, ++n) {
        const std::size_t i = static_cast<std::size_t>(y) * w + x;
        diff += std::abs(int(thumb_[i]) - int(shown_[i]));
      }
    return n == 0 || diff > 4 * n;
  }
  std::uint64_t sequence_ = 0;
  TimeMs uploaded_at_ = -1000;
  std::vector<std::uint8_t> thumb_, shown_;
};

class KioskScreen {
 public:
  KioskScreen(Window& window, Shell& shell, KioskFlow& flow, const KioskOptions& o, Script& script)
      : window_(window),
        shell_(shell),
        flow_(flow),
        o_(o),
        script_(script),
        text_(std::make_unique<TextRenderer>()) {
    if (o.sound) sound_.emplace();
    // The group's logo, loaded once (this is start-up, not a frame).
    if (!o.logo.empty() && !logo_.upload_png_file(o.logo))
      log_warning("cannot read the logo " + o.logo.string() + " (a PNG file is needed)");
  }

  KioskEnd run() {
    frame(now_ms(), true);
    say_ready();
    while (!quit_) {
      const TimeMs now = now_ms();
      // Sleep while nothing changes: until input, a wake-up from the
      // scanner, the engine or a task, or the flow's next timeout.
      if (!busy_) window_.wait(static_cast<int>(std::clamp<TimeMs>(wake_at_ - now, 0, 500)));
      frame(now_ms(), false);
    }
    notifier_.stopping();
    log_notice("Kiosk closing");
    if (o_.bench_frames) print_bench();
    return {script_.exit_code() ? script_.exit_code() : exit_code_, flow_.restart()};
  }

 private:
  void say_ready() {
    // The door shows its ready screen: tell systemd (READY=1), and say how
    // long it took from the process's start.
    const auto snap = shell_.snapshot();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - o_.started)
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
  }

  // One turn of the loop: take in what happened, and draw only when
  // something on the screen changed or moves.
  void frame(TimeMs now, bool first) {
    const auto frame_start = std::chrono::steady_clock::now();
    notifier_.alive();  // a frame loop that stops here gets restarted
    if (g_stop_signal) {
      log_notice(g_stop_signal == SIGTERM ? "Stopping (SIGTERM)" : "Stopping (SIGINT)");
      quit_ = true;
    }
    bool changed = first | input(now);
    const Screen before = flow_.flow().screen();
    flow_.tick(now);
    if (flow_.restart()) quit_ = true;
    if (sound_) sound_->play(flow_.take_cue());
    const auto snap = shell_.snapshot();  // one snapshot per frame
    changed |= snap != drawn_snapshot_ || flow_.flow().screen() != before ||
               flow_.flow().screen() != drawn_screen_;
    changed |= update_textures(now);
    int w = 0, h = 0;
    window_.drawable(w, h);
    run_script(*snap, now, w, h);
    const bool scripted = script_.active() || !shot_.empty() || o_.bench_frames;
    // Screens other than the ready one show what moves with the time (a
    // blinking cursor, a countdown, the dashboard's health): drawn at the
    // flow's pace, twice a second. The ready screen only when it changed.
    const bool due = flow_.flow().screen() != Screen::Ready && now >= next_animation_;
    if (changed) settle_ = 2;  // ImGui needs a frame or two after input to settle
    const bool draw_now = scripted || changed || due || settle_ > 0;
    // A finger held on the corner is timed frame by frame.
    busy_ = scripted || settle_ > 0 || corner_down_ >= 0;
    wake_at_ = std::min(flow_.next_tick(now), flow_.flow().screen() != Screen::Ready
                                                  ? std::max(next_animation_, now + 1)
                                                  : now + 500);
    if (!draw_now) return;
    if (settle_ > 0) --settle_;
    if (due) next_animation_ = now + 500;
    draw(*snap, now, w, h);
    drawn_snapshot_ = snap;
    drawn_screen_ = flow_.flow().screen();
    if (o_.bench_frames) glFinish();
    frame_ms_.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - frame_start)
            .count());
    take_screenshot(w, h);
    text_->end_frame();
    window_.swap();
    ++frame_;
    if (o_.bench_frames) bench_typing(now);
  }

  // SDL's events and what the flow drained; true when anything arrived.
  bool input(TimeMs now) {
    bool any = flow_.drain(now);
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
      if (e.type != SDL_USEREVENT) any = true;  // a wake-up alone changes nothing
      on_sdl(e, now);
    }
    // A long press on the top-left corner opens the organizer PIN pad.
    const ImGuiIO& io = ImGui::GetIO();
    if (ImGui::IsMouseDown(0) && io.MousePos.x < 60 && io.MousePos.y < 60) {
      if (corner_down_ < 0) corner_down_ = now;
      if (now - corner_down_ > 2000) {
        flow_.open_pin(now);
        corner_down_ = -1;
        any = true;
      }
    } else {
      corner_down_ = -1;
    }
    return any;
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
    if (e.type == SDL_TEXTINPUT) flow_.key_text(e.text.text, now);
    if (e.type != SDL_KEYDOWN) return;
    const SDL_Keycode k = e.key.keysym.sym;
    if (k == SDLK_RETURN || k == SDLK_KP_ENTER) flow_.key_enter(now);
    if (k == SDLK_BACKSPACE) flow_.key_backspace(now);
    if (k == SDLK_ESCAPE) flow_.key_escape(now);
    if (k == SDLK_F2 || (k == SDLK_o && (e.key.keysym.mod & KMOD_CTRL))) flow_.open_pin(now);
  }

  // The camera preview and the badge preview; true when either changed.
  bool update_textures(TimeMs now) {
    bool changed = false;
    if (const Camera* camera = shell_.camera())
      if (auto f = camera->latest(); f && camera->state().running)
        changed |= flow_.flow().screen() == Screen::Ready && preview_.update(*f, now);
    if (flow_.badge_generation() != badge_generation_) {
      badge_generation_ = flow_.badge_generation();
      badge_.width = badge_.height = 0;
      if (!flow_.badge_png().empty()) badge_.upload_png_bytes(flow_.badge_png());
      changed = true;
    }
    return changed;
  }

  void run_script(const Snapshot& snap, TimeMs now, int w, int h) {
    if (!script_.active()) return;
    ScriptContext c{flow_.flow(),
                    snap,
                    now,
                    [this](Command cmd) { shell_.post(std::move(cmd)); },
                    [this, now](const std::string& lang) { flow_.use_language(lang, now); },
                    [w, h](float fx, float fy) { push_click(fx, fy, w, h); },
                    [this](const std::string& name) {
                      shot_ = name;
                      shot_countdown_ = 3;  // let textures and layout settle
                    },
                    [this, now](const std::string& what) { window_event(what, now); },
                    [this, now](const std::string& text) { flow_.scanned(text, Method::Qr, now); }};
    const bool idle = !flow_.busy() && shot_.empty();
    if (!script_.step(c, idle)) quit_ = true;
    if (script_.finished() && idle && !flow_.restart()) quit_ = true;
  }

  static void push_click(float fx, float fy, int w, int h) {
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
  }

  // What a person or the window manager does to the window, for scripts:
  // the WM's close (or Alt+F4 through it), the keys themselves, and the
  // dashboard's Door checks button.
  void window_event(const std::string& what, TimeMs now) {
    if (what == "door-checks") {
      flow_.run_checks(now);
      return;
    }
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
  }

  void draw(const Snapshot& snap, TimeMs now, int w, int h) {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    Ui ui(flow_.flow(), snap, flow_.words(), *text_,
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
      ui.camera_message = flow_.words().message(cs.problem);
      if (cs.running && preview_.texture.width > 0) {
        ui.preview_texture = preview_.texture.id;
        ui.preview_width = preview_.texture.width;
        ui.preview_height = preview_.texture.height;
      }
    } else {
      ui.camera_message = flow_.words().tr("No camera configured");
    }
    if (flow_.several_languages()) ui.next_language = [this, now] { flow_.next_language(now); };
    ui.exit_kiosk = [this] { quit_ = true; };
    ui.text_scale = flow_.flow().large_text() ? 1.35f : 1.0f;
    ui.checks = flow_.checks() ? &*flow_.checks() : nullptr;
    ui.checks_running = flow_.checks_running();
    ui.run_checks = [this, now] { flow_.run_checks(now); };
    ui.high_contrast = flow_.flow().high_contrast();
    ui.pin_problem = flow_.pin_problem();
    ui.health = flow_.health();
    if (flow_.flow().screen() == Screen::Organizer)
      ui.forecast = flow_.forecast_words(snap.event.capacity);
    ui.web_url = o_.web_url;
    ui.web_fingerprint = o_.web_fingerprint;
    if (flow_.flow().screen() == Screen::Pairing) {
      ui.pairing_code = flow_.pairing_code();
      ui.pairing_problem = flow_.pairing_problem();
      ui.join_question = flow_.join_question();
      ui.join_problem = flow_.join_problem();
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

  void take_screenshot(int w, int h) {
    if (shot_.empty() || --shot_countdown_ > 0) return;
    const auto file = o_.shots_dir / shot_;
    if (!save_screenshot(file, w, h)) exit_code_ = 4;
    const Camera* camera = shell_.camera();
    const Camera::State cs = camera ? camera->state() : Camera::State{};
    std::cout << "shot " << file.string() << " screen=" << to_string(flow_.flow().screen())
              << " clipped=" << text_->clipped_this_frame() << " size=" << w << "x" << h
              << " camera=" << (cs.running ? "running " + cs.source : "off") << "\n"
              << std::flush;
    shot_.clear();
  }

  // A busy door for `frontdesk bench ui`: the search screen open with a
  // name being typed.
  void bench_typing(TimeMs now) {
    DoorFlow& f = flow_.flow();
    if (frame_ == 1) f.open_find_name(now);
    static constexpr const char* typing = "mariagarcia";
    if (frame_ % 6 == 0) {
      if (f.query().size() >= 11) f.open_find_name(now);
      f.type(std::string(1, typing[f.query().size() % 11]), now);
    }
    if (frame_ >= o_.bench_frames) quit_ = true;
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

  Window& window_;
  Shell& shell_;
  KioskFlow& flow_;
  const KioskOptions& o_;
  Script& script_;
  std::unique_ptr<TextRenderer> text_;  // its textures go before the GL context
  std::optional<Sound> sound_;
  Preview preview_;
  Texture badge_, logo_;
  std::uint64_t badge_generation_ = 0;
  bool quit_ = false;
  bool busy_ = false;   // keep turning without waiting (a script, input settling)
  int settle_ = 0;      // frames still to draw after a change
  TimeMs wake_at_ = 0;  // when the loop must turn again at the latest
  TimeMs next_animation_ = 0;
  std::shared_ptr<const Snapshot> drawn_snapshot_;
  Screen drawn_screen_ = Screen::Ready;
  TimeMs corner_down_ = -1;
  std::string shot_;  // a screenshot to take once the frame has settled
  int shot_countdown_ = 0;
  int exit_code_ = 0;
  int frame_ = 0;
  std::vector<double> frame_ms_;
  ServiceNotifier notifier_;
};

}  // namespace

void install_stop_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
}

int stop_signal() { return g_stop_signal; }

KioskEnd run_kiosk(Window& window, Shell& shell, KioskFlow& flow, const KioskOptions& options,
                   Script& script) {
  KioskScreen screen(window, shell, flow, options, script);
  return screen.run();
}

}  // namespace fd
