// frontdesk scan IMAGE... | --camera DEV|synthetic|DIR: what the scanner reads.
#include <csignal>
#include <iostream>
#include <thread>

#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "camera/Camera.h"
#include "scan/Scanner.h"

namespace fd {

void add_scan_command(CLI::App& app, GlobalOptions&, int& exit_status) {
  auto* cmd = app.add_subcommand(
      "scan", "Decode QR codes from images, or print codes as a camera reads them");
  auto images = std::make_shared<std::vector<std::string>>();
  auto camera = std::make_shared<std::string>();
  auto seconds = std::make_shared<int>(0);
  cmd->add_option("images", *images, "Image files (PNG, JPEG)");
  cmd->add_option("--camera,--source", *camera,
                  "A webcam (/dev/video0), a folder of images, or \"synthetic\"");
  cmd->add_option("--seconds", *seconds,
                  "With --camera: stop after this long (0: run until Ctrl-C)");
  cmd->callback([&exit_status, images, camera, seconds] {
    if (images->empty() == camera->empty())
      throw CLI::ValidationError("give IMAGE files or --camera");
    if (!images->empty()) {
      int found = 0;
      for (const auto& file : *images) {
        auto frame = load_gray_image(file);
        if (!frame) {
          std::cout << file << ": " << frame.error().message << "\n";
          continue;
        }
        const auto t0 = std::chrono::steady_clock::now();
        const auto codes = decode_frame(*frame);
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
        if (codes.empty()) std::cout << file << ": no code (" << ms << " ms)\n";
        for (const auto& c : codes) {
          std::cout << file << ": " << c.text << "  (" << ms << " ms, " << c.pass << " pass)\n";
          ++found;
        }
      }
      exit_status = found ? exit_code::ok : exit_code::not_found;
      return;
    }
    Camera::Opener open;
    if (*camera == "synthetic") {
      SyntheticOptions o;
      o.codes = {"DEMO-TICKET-1", "DEMO-TICKET-2", "https://pretix.eu/demo/meetup/ticket/00001"};
      open = [o] { return Result<std::unique_ptr<FrameSource>>(make_synthetic(o)); };
    } else if (std::filesystem::is_directory(*camera)) {
      open = [dir = *camera] { return open_image_folder(dir, 15); };
    } else {
      open = [dev = *camera] { return open_v4l2(V4l2Options{dev, 1280, 720}); };
    }
    Camera cam(open);
    Scanner scanner(cam, [](const ScanEvent& e) {
      std::cout << local_datetime(e.decoded_at) << "  " << e.text << "  ("
                << (e.decoded_at - e.frame_at) << " ms after capture)" << std::endl;
    });
    std::string last_problem;
    const auto until =
        std::chrono::steady_clock::now() + std::chrono::seconds(*seconds ? *seconds : 1000000);
    while (std::chrono::steady_clock::now() < until) {
      const auto s = cam.state();
      if (!s.running && s.problem != last_problem) std::cerr << "camera: " << s.problem << "\n";
      last_problem = s.running ? "" : s.problem;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    exit_status = exit_code::ok;
  });
}

}  // namespace fd
