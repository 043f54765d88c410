#pragma once
// Text for the door in any script: names are shaped by pango (Arabic joins,
// Hebrew runs right to left, Han gets CJK forms, emoji in colour) and
// uploaded as textures, which ImGui's own font atlas cannot do.
//
// Thread-safety: UI thread only (it owns GL textures).
#include <cstdint>
#include <string>
#include <unordered_map>

namespace fd {

struct TextTexture {
  unsigned int texture = 0;  // GL texture name
  int width = 0, height = 0;
  bool clipped = false;  // ellipsized to fit: the layout was too small
};

class TextRenderer {
 public:
  TextRenderer() = default;
  ~TextRenderer();
  TextRenderer(const TextRenderer&) = delete;
  TextRenderer& operator=(const TextRenderer&) = delete;

  // px: font size in pixels; rgba: 0xRRGGBBAA; max_width: ellipsize beyond
  // it (0: no limit); lines: wrap to at most this many lines.
  const TextTexture& get(const std::string& text, float px, std::uint32_t rgba, int max_width = 0,
                         bool bold = false, int lines = 1, bool centered = true,
                         bool ellipsis_ok = false);
  // Frees textures not used for a while; call once per frame.
  void end_frame();
  // How many texts drawn this frame were cut short where that was not meant
  // to happen (lists may end a long name with "…"; headlines may not).
  int clipped_this_frame() const { return clipped_this_frame_; }

 private:
  struct Entry {
    TextTexture tex;
    std::uint64_t last_frame = 0;
  };
  std::unordered_map<std::string, Entry> cache_;
  std::uint64_t frame_ = 0;
  int clipped_this_frame_ = 0;
};

}  // namespace fd
