#pragma once
// A QR code as modules to draw (the kiosk's organizer screen shows the
// organizer pages' URL so a phone opens it by pointing its camera).
//
// Thread-safety: pure function.
#include <string>
#include <vector>

namespace fd {

struct QrMatrix {
  int size = 0;            // modules per side; 0 when the text cannot be encoded
  std::vector<bool> dark;  // size * size, row by row
  bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)]; }
};
QrMatrix qr_matrix(const std::string& text);

}  // namespace fd
