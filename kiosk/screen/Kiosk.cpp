#include "screen/Kiosk.h"

#include <SDL.h>
#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <cairo.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <sstream>
#include <vector>

#include "auth/Pin.h"
#include "badge/BadgeRenderer.h"
#include "camera/Camera.h"
#include "scan/Scanner.h"
#include "screen/Ui.h"
#include "search/SearchIndex.h"
#include "text/Fold.h"
#include "ui/KeyboardWedge.h"

namespace fd {
namespace {

const char* screen_name(Screen s) {
  switch (s) {
    case Screen::Ready: return "ready";
    case Screen::Waiting: return "waiting";
    case Screen::Result: return "result";
    case Screen::FindName: return "find";
    case Screen::Confirm: return "confirm";
    case Screen::WalkIn: return "walkin";
    case Screen::Pin: return "pin";
    case Screen::Organizer: return "organizer";
  }
  return "?";
}

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

TimeMs clock_ms() { return now_ms(); }

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

Camera::Opener camera_opener(const KioskOptions& o) {
  const std::string what = o.camera.empty() ? "/dev/video0" : o.camera;
  if (what == "none") return {};
  if (what == "synthetic") {
    SyntheticOptions so;
    so.codes = o.synthetic_codes;
    so.show_frames = 60;
    so.gap_frames = 150;  // a new person every seven seconds
    return [so] { return Result<std::unique_ptr<FrameSource>>(make_synthetic(so)); };
  }
  if (std::filesystem::is_directory(what)) return [what] { return open_image_folder(what, 15); };
  return [what, w = o.camera_width, h = o.camera_height] {
    return open_v4l2(V4l2Options{what, w, h});
  };
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

}  // namespace

int run_kiosk(Engine& engine, const KioskOptions& options) {
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    std::cerr << "frontdesk-kiosk: no display (" << SDL_GetError()
              << "). Run it on the kiosk's screen, or use the `frontdesk` command line.\n";
    return 1;
  }
  SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "1");  // touch screens drive ImGui as a mouse
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  const bool windowed = options.width > 0 && options.height > 0;
  SDL_Window* window =
      SDL_CreateWindow("Frontdesk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                       windowed ? options.width : 1280, windowed ? options.height : 800,
                       SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI |
                           (windowed ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP));
  if (!window) {
    std::cerr << "frontdesk-kiosk: cannot open a window: " << SDL_GetError() << "\n";
    SDL_Quit();
    return 1;
  }
  SDL_GLContext gl = SDL_GL_CreateContext(window);
  SDL_GL_MakeCurrent(window, gl);
  SDL_GL_SetSwapInterval(options.script.empty() && options.bench_frames == 0 ? 1 : 0);
  SDL_StartTextInput();
  if (!windowed) SDL_ShowCursor(SDL_DISABLE);  // a touch kiosk has no pointer

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a kiosk keeps no layout state between runs
  ImGui::StyleColorsDark();
  ImGui_ImplSDL2_InitForOpenGL(window, gl);
  ImGui_ImplOpenGL3_Init("#version 130");

  int w = 0, h = 0;
  SDL_GL_GetDrawableSize(window, &w, &h);
  {
    const float scale = std::min(w / 800.0f, h / 480.0f);
    ImFontConfig cfg;
    static const ImWchar ranges[] = {0x0020, 0x024F, 0x0370, 0x03FF, 0x0400,
                                     0x04FF, 0x2000, 0x206F, 0};
    if (!io.Fonts->AddFontFromFileTTF("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
                                      18 * scale, &cfg, ranges))
      io.Fonts->AddFontDefault();
  }

  std::vector<Catalog> languages = Catalog::load_all(options.i18n_dir);
  std::size_t language = 0;
  for (std::size_t i = 0; i < languages.size(); ++i)
    if (languages[i].language() == options.language) language = i;

  auto pin_hash = load_pin_hash(options.pin_file);
  DoorFlow flow;
  KeyboardWedge wedge;
  auto text_owner = std::make_unique<TextRenderer>();  // freed before the GL context
  TextRenderer& text = *text_owner;
  std::optional<Sound> sound;
  if (options.sound) sound.emplace();
  std::vector<std::future<Decision>> pending;
  std::optional<std::future<bool>> pin_check;
  bool quit = false;
  TimeMs corner_down = -1;

  // The test driver's steps, one at a time between frames.
  std::vector<std::string> steps;
  std::size_t next_step = 0;
  int wait_frames = 0;
  std::string shot;  // a screenshot to take once the frame has settled
  int shot_countdown = 0;
  TimeMs sleep_until = 0;  // script: real time to pass (camera schedules)
  if (!options.script.empty()) {
    std::ifstream in(options.script);
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line[0] != '#') steps.push_back(line);
    if (steps.empty()) {
      std::cerr << "frontdesk-kiosk: the script " << options.script << " has no steps\n";
      return 2;
    }
  }
  int exit_code = 0;
  std::vector<double> frame_ms;
  int frame = 0;

  auto post = [&](Command c) { pending.push_back(engine.post(std::move(c))); };

  // Camera and scanner threads; scans reach this thread through a queue.
  std::mutex scans_mutex;
  std::vector<ScanEvent> scans;
  auto opener = camera_opener(options);
  std::unique_ptr<Camera> camera;
  std::unique_ptr<Scanner> scanner;
  if (opener) {
    camera = std::make_unique<Camera>(opener);
    scanner = std::make_unique<Scanner>(*camera, [&](const ScanEvent& e) {
      std::lock_guard lock(scans_mutex);
      scans.push_back(e);
    });
  }
  auto preview = std::make_unique<Preview>();
  // The welcome screen's badge preview, drawn off this thread.
  std::optional<std::future<Result<std::string>>> badge_png;
  std::string badge_for;  // check-in the preview belongs to
  GLuint badge_tex = 0;
  int badge_w = 0, badge_h = 0;
  // The group's logo, loaded once (this is start-up, not a frame).
  GLuint logo = 0;
  int logo_w = 0, logo_h = 0;
  if (!options.logo.empty()) {
    cairo_surface_t* png = cairo_image_surface_create_from_png(options.logo.c_str());
    if (cairo_surface_status(png) == CAIRO_STATUS_SUCCESS) {
      upload_surface(png, logo, logo_w, logo_h);
    } else {
      std::cerr << "frontdesk-kiosk: cannot read the logo " << options.logo
                << " (a PNG file is needed)\n";
    }
    cairo_surface_destroy(png);
  }

  while (!quit) {
    const auto frame_start = std::chrono::steady_clock::now();
    const TimeMs now = clock_ms();
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
      ImGui_ImplSDL2_ProcessEvent(&e);
      if (e.type == SDL_QUIT) quit = true;
      if (e.type == SDL_TEXTINPUT) {
        if (auto scan = wedge.key(e.text.text, now))
          if (auto c = flow.scanned(*scan, Method::Scanner, now)) post(*c);
      }
      if (e.type == SDL_KEYDOWN) {
        const SDL_Keycode k = e.key.keysym.sym;
        if (k == SDLK_RETURN || k == SDLK_KP_ENTER) {
          if (auto scan = wedge.enter(now)) {
            if (auto c = flow.scanned(*scan, Method::Scanner, now)) post(*c);
          } else if (flow.screen() == Screen::Pin) {
            flow.pin_submit(now);
          } else if (flow.screen() == Screen::WalkIn) {
            if (auto c = flow.submit_walk_in(now)) post(*c);
          }
        }
        if (k == SDLK_BACKSPACE)
          flow.screen() == Screen::Pin ? flow.pin_clear(now) : flow.backspace(now);
        if (k == SDLK_ESCAPE) flow.back(now);
        if (k == SDLK_F2 || (k == SDLK_o && (e.key.keysym.mod & KMOD_CTRL))) flow.open_pin(now);
      }
    }
    {
      std::vector<ScanEvent> got;
      {
        std::lock_guard lock(scans_mutex);
        got.swap(scans);
      }
      for (const ScanEvent& e : got)
        if (auto c = flow.scanned(e.text, Method::Qr, now)) post(*c);
    }
    if (auto scan = wedge.tick(now))
      if (auto c = flow.scanned(*scan, Method::Scanner, now)) post(*c);
    if (const std::string typed = wedge.take_typed(); !typed.empty()) {
      if (flow.screen() == Screen::Pin) {
        for (char c : typed) flow.pin_digit(c, now);
      } else {
        flow.type(typed, now);
      }
    }
    // Decisions that came back from the engine.
    for (auto it = pending.begin(); it != pending.end();) {
      if (it->wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        ++it;
        continue;
      }
      const Decision d = it->get();
      it = pending.erase(it);
      if (d.verdict == Verdict::Reprinting) continue;  // the dashboard shows the queue
      flow.decided(d, now);
      if (sound)
        (d.verdict == Verdict::Admitted ? sound->welcome()
         : is_refusal(d.verdict)        ? sound->refuse()
                                        : void());
    }
    // A new welcome: draw its badge preview on another thread.
    if (flow.screen() == Screen::Result && flow.result() &&
        flow.result()->verdict == Verdict::Admitted && flow.result()->who &&
        flow.result()->checkin_uuid != badge_for) {
      badge_for = flow.result()->checkin_uuid;
      const AttendeeView& who = *flow.result()->who;
      const BadgeData data = badge_data(who, engine.snapshot()->event.name);
      badge_png = std::async(std::launch::async, [data, tmpl = options.badge] {
        return render_badge_png(data, tmpl, 90);
      });
      badge_w = badge_h = 0;
    }
    if (badge_png && badge_png->wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      auto png = badge_png->get();
      badge_png.reset();
      if (png) {
        struct Reader {
          const std::string* bytes;
          std::size_t at = 0;
        } reader{&*png};
        cairo_surface_t* img = cairo_image_surface_create_from_png_stream(
            [](void* c, unsigned char* out, unsigned int n) {
              auto* r = static_cast<Reader*>(c);
              if (r->at + n > r->bytes->size()) return CAIRO_STATUS_READ_ERROR;
              std::memcpy(out, r->bytes->data() + r->at, n);
              r->at += n;
              return CAIRO_STATUS_SUCCESS;
            },
            &reader);
        if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS)
          upload_surface(img, badge_tex, badge_w, badge_h);
        cairo_surface_destroy(img);
      }
    }
    // The organizer PIN is checked on another thread: Argon2 takes a while.
    if (const std::string pin = flow.take_pin_to_verify(); !pin.empty()) {
      const std::string hash = pin_hash ? *pin_hash : std::string();
      pin_check = std::async(std::launch::async, [hash, pin] { return verify_pin(hash, pin); });
    }
    if (pin_check && pin_check->wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      flow.pin_checked(pin_check->get(), now);
      pin_check.reset();
    }
    // A long press on the top-left corner opens the organizer PIN pad.
    if (ImGui::IsMouseDown(0) && io.MousePos.x < 60 && io.MousePos.y < 60) {
      if (corner_down < 0) corner_down = now;
      if (now - corner_down > 2000 && flow.screen() != Screen::Pin &&
          flow.screen() != Screen::Organizer) {
        flow.open_pin(now);
        corner_down = -1;
      }
    } else {
      corner_down = -1;
    }
    flow.tick(now);

    // Script steps (tests and screenshots).
    if (wait_frames > 0) --wait_frames;
    if (next_step < steps.size() && pending.empty() && !pin_check && shot.empty() &&
        wait_frames <= 0 && now >= sleep_until) {
      std::istringstream step(steps[next_step++]);
      std::string verb, arg;
      step >> verb;
      std::getline(step >> std::ws, arg);
      wait_frames = 3;
      const auto snap = engine.snapshot();
      if (verb == "scan") {
        if (auto c = flow.scanned(arg, Method::Qr, now)) post(*c);
      } else if (verb == "find") {
        flow.open_find_name(now);
      } else if (verb == "organizer-search") {
        flow.open_organizer_search(now);
      } else if (verb == "type") {
        flow.type(arg, now);
      } else if (verb == "pick") {
        const auto hits = snap->search->find(flow.query(), 4);
        const std::size_t n = arg.empty() ? 0 : std::stoul(arg);
        if (n < hits.size())
          if (const AttendeeView* a = snap->attendee(hits[n].id)) flow.pick(*a, now);
      } else if (verb == "choose") {
        std::string letter = arg;
        if (arg == "right" && flow.picked()) {
          letter = DoorFlow::letter_choices(*flow.picked()).empty() ? "yes" : "";
          for (const auto& c : flow.choices())
            if (fold(flow.picked()->email_initial).rfind(c, 0) == 0) letter = c;
        }
        if (auto c = flow.confirm(letter, now)) post(*c);
      } else if (verb == "walkin") {
        flow.open_walk_in(now);
      } else if (verb == "field") {
        flow.focus(arg == "last"      ? DoorFlow::Field::LastName
                   : arg == "company" ? DoorFlow::Field::Company
                   : arg == "email"   ? DoorFlow::Field::Email
                                      : DoorFlow::Field::FirstName);
      } else if (verb == "consent") {
        WalkInForm f = flow.walk_in();
        f.consent = true;
        flow.set_walk_in(f, now);
      } else if (verb == "submit") {
        if (auto c = flow.submit_walk_in(now)) post(*c);
      } else if (verb == "pin") {
        flow.open_pin(now);
        for (char c : arg) flow.pin_digit(c, now);
        flow.pin_submit(now);
      } else if (verb == "notme") {
        if (auto c = flow.not_me(now)) post(*c);
      } else if (verb == "back") {
        flow.back(now);
      } else if (verb == "lang") {
        for (std::size_t i = 0; i < languages.size(); ++i)
          if (languages[i].language() == arg) language = i;
      } else if (verb == "click") {
        float fx = 0, fy = 0;
        std::istringstream(arg) >> fx >> fy;
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
      } else if (verb == "expect") {
        if (arg != screen_name(flow.screen())) {
          std::cout << "expect failed: wanted screen " << arg << ", showing "
                    << screen_name(flow.screen()) << "\n";
          exit_code = 3;
        }
      } else if (verb == "quit") {
        quit = true;
      } else if (verb != "shot" && verb != "wait" && verb != "sleep") {
        std::cerr << "frontdesk-kiosk: unknown script step '" << verb << "'\n";
        exit_code = 2;
        quit = true;
      }
      if (verb == "wait") wait_frames = arg.empty() ? 10 : std::stoi(arg);
      if (verb == "sleep") sleep_until = now + (arg.empty() ? 1000 : std::stoi(arg));
      if (verb == "shot") {
        shot = arg;
        shot_countdown = 3;  // let textures and layout settle
      }
    }

    // Draw.
    SDL_GL_GetDrawableSize(window, &w, &h);
    const auto snap = engine.snapshot();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    Ui ui{flow,  *snap, languages[language],
          text,  post,  now,
          1,     800,   480,
          false, {},    {},
          0,     0,     0,
          0,     0,     0,
          0,     0,     0,
          {},    {}};
    ui.width = static_cast<float>(w);
    ui.height = static_cast<float>(h);
    ui.scale = std::min(w / 800.0f, h / 480.0f);
    ui.badge_texture = badge_w > 0 ? badge_tex : 0;
    ui.badge_width = badge_w;
    ui.badge_height = badge_h;
    ui.logo_texture = logo;
    ui.logo_width = logo_w;
    ui.logo_height = logo_h;
    ui.camera_ok = false;
    if (camera) {
      const Camera::State cs = camera->state();
      ui.camera_ok = cs.running;
      ui.camera_message = cs.problem;
      if (auto f = camera->latest(); f && cs.running) {
        preview->update(*f);
        ui.preview_texture = preview->texture;
        ui.preview_width = preview->width;
        ui.preview_height = preview->height;
      }
    } else {
      ui.camera_message = "No camera configured";
    }
    if (languages.size() > 1)
      ui.next_language = [&] { language = (language + 1) % languages.size(); };
    ui.exit_kiosk = [&] { quit = true; };
    if (!pin_hash) ui.pin_problem = pin_hash.error().message;
    draw_screen(ui);
    ImGui::Render();
    glViewport(0, 0, w, h);
    glClearColor(0.11f, 0.12f, 0.15f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (options.bench_frames) glFinish();
    frame_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - frame_start)
            .count());

    if (!shot.empty() && --shot_countdown <= 0) {
      const auto file = options.shots_dir / shot;
      if (!save_screenshot(file, w, h)) exit_code = 4;
      std::cout << "shot " << file.string() << " screen=" << screen_name(flow.screen())
                << " clipped=" << text.clipped_this_frame() << " size=" << w << "x" << h << "\n"
                << std::flush;
      shot.clear();
    }
    text.end_frame();
    SDL_GL_SwapWindow(window);
    ++frame;
    if (!steps.empty() && next_step >= steps.size() && wait_frames <= 0 && pending.empty() &&
        shot.empty())
      quit = true;
    if (options.bench_frames) {
      // A busy door: the search screen open with a name being typed.
      if (frame == 1) flow.open_find_name(now);
      static constexpr const char* typing = "mariagarcia";
      if (frame % 6 == 0) {
        if (flow.query().size() >= 11) flow.open_find_name(now);
        flow.type(std::string(1, typing[flow.query().size() % 11]), now);
      }
      if (frame >= options.bench_frames) quit = true;
    }
  }

  if (options.bench_frames && frame_ms.size() > 10) {
    std::vector<double> v(frame_ms.begin() + 10, frame_ms.end());  // warm-up frames build textures
    std::sort(v.begin(), v.end());
    std::printf("bench ui: %zu frames at %dx%d, %zu attendees, search screen open while typing\n",
                v.size(), w, h, engine.snapshot()->roster ? engine.snapshot()->roster->size() : 0);
    std::printf(
        "  frame time  median %.2f ms   p99 %.2f ms   max %.2f ms   (goal: p99 < 16.7 ms, no frame "
        "> 50 ms)\n",
        v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 99 / 100)], v.back());
  }

  if (logo) glDeleteTextures(1, &logo);
  if (badge_tex) glDeleteTextures(1, &badge_tex);
  if (badge_png) badge_png->wait();
  scanner.reset();  // before the camera it reads
  camera.reset();
  preview.reset();
  text_owner.reset();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(gl);
  SDL_DestroyWindow(window);
  SDL_Quit();
  return exit_code;
}

}  // namespace fd
