#pragma once
// Text as a QR code's modules, for whoever draws one: the kiosk (the organizer
// pages' address, a pairing code), badges, ticket PNGs, the synthetic camera.
// libqrencode stays in QrCode.cpp.
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
// Byte mode (any bytes, UTF-8 included), error correction M, the smallest
// version that holds the text.
QrMatrix qr_matrix(const std::string& text);

}  // namespace fd
