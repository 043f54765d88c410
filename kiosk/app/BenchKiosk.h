#pragma once
// The kiosk's benchmarks (BenchKiosk.cpp): they start frontdesk-kiosk.
#include <cstddef>
#include <string>

namespace fd {

// Frame times with search open, at 800x480 and 1920x1080.
int bench_ui(const std::string& dir, std::size_t attendees, int frames);
// CPU with nobody at the door: no camera, and a camera on an empty hall.
int bench_idle(const std::string& dir, std::size_t attendees, int seconds);

}  // namespace fd
