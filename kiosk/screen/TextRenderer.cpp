#include "screen/TextRenderer.h"

#include <SDL_opengl.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <cmath>
#include <vector>

namespace fd {
namespace {

// Noto covers every script we meet at meetups; fontconfig falls back to
// other installed fonts for anything else. The emoji font is deliberately
// not listed: pango would then draw digits (which have the Emoji property)
// with it; fontconfig finds it by itself for real emoji.
constexpr const char* kFamilies =
    "Noto Sans, Noto Sans CJK JP, Noto Naskh Arabic, Noto Sans Hebrew, Noto Sans Devanagari, "
    "Noto Sans Thai";

TextTexture render(const std::string& text, float px, std::uint32_t rgba, int max_width, bool bold,
                   int lines, bool centered) {
  TextTexture out;
  // Measure first on a scratch surface, then draw at the exact size.
  cairo_surface_t* scratch = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t* mcr = cairo_create(scratch);
  PangoLayout* layout = pango_cairo_create_layout(mcr);
  PangoFontDescription* font = pango_font_description_from_string(kFamilies);
  pango_font_description_set_absolute_size(font, px * PANGO_SCALE);
  pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout, font);
  pango_layout_set_text(layout, text.c_str(), -1);
  pango_layout_set_alignment(layout, centered ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
  if (max_width > 0) {
    pango_layout_set_width(layout, max_width * PANGO_SCALE);
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
    pango_layout_set_height(layout, lines > 1 ? -lines : -1);
  }
  // With a set width, centred lines start inside the layout box: crop to
  // the text's own extent so the texture holds just the text.
  PangoRectangle ink{}, logical{};
  pango_layout_get_pixel_extents(layout, &ink, &logical);
  out.clipped = pango_layout_is_ellipsized(layout);
  const int w = std::max(logical.width, 1);
  const int h = std::max(logical.height, 1);

  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  cairo_t* cr = cairo_create(surface);
  const double r = ((rgba >> 24) & 0xFF) / 255.0, g = ((rgba >> 16) & 0xFF) / 255.0,
               b = ((rgba >> 8) & 0xFF) / 255.0, a = (rgba & 0xFF) / 255.0;
  cairo_set_source_rgba(cr, r, g, b, a);
  cairo_translate(cr, -logical.x, -logical.y);
  pango_cairo_update_layout(cr, layout);
  pango_cairo_show_layout(cr, layout);
  cairo_surface_flush(surface);

  // cairo gives premultiplied BGRA; ImGui blends straight alpha RGBA.
  const unsigned char* src = cairo_image_surface_get_data(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  std::vector<unsigned char> pixels(static_cast<std::size_t>(w) * h * 4);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const unsigned char* p = src + y * stride + x * 4;
      unsigned char* q = &pixels[(static_cast<std::size_t>(y) * w + x) * 4];
      const int alpha = p[3];
      const auto un = [alpha](int c) {
        return static_cast<unsigned char>(alpha ? std::min(255, c * 255 / alpha) : 0);
      };
      q[0] = un(p[2]);
      q[1] = un(p[1]);
      q[2] = un(p[0]);
      q[3] = static_cast<unsigned char>(alpha);
    }
  }
  GLuint tex = 0;
  glGenTextures(1, &tex);
  glBindTexture(GL_TEXTURE_2D, tex);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  out.texture = tex;
  out.width = w;
  out.height = h;

  cairo_destroy(cr);
  cairo_surface_destroy(surface);
  pango_font_description_free(font);
  g_object_unref(layout);
  cairo_destroy(mcr);
  cairo_surface_destroy(scratch);
  return out;
}

}  // namespace

TextRenderer::~TextRenderer() {
  for (auto& [k, e] : cache_) glDeleteTextures(1, &e.tex.texture);
}

const TextTexture& TextRenderer::get(const std::string& text, float px, std::uint32_t rgba,
                                     int max_width, bool bold, int lines, bool centered,
                                     bool ellipsis_ok) {
  std::string key = text;
  key += '\x1f' + std::to_string(std::lround(px * 4)) + ':' + std::to_string(rgba) + ':' +
         std::to_string(max_width) + ':' + (bold ? "b" : "r") + std::to_string(lines) +
         (centered ? "c" : "l");
  auto it = cache_.find(key);
  if (it == cache_.end())
    it = cache_
             .emplace(std::move(key),
                      Entry{render(text, px, rgba, max_width, bold, lines, centered), 0})
             .first;
  it->second.last_frame = frame_;
  if (it->second.tex.clipped && !ellipsis_ok) ++clipped_this_frame_;
  return it->second.tex;
}

void TextRenderer::end_frame() {
  ++frame_;
  clipped_this_frame_ = 0;
  if (frame_ % 120 != 0) return;
  for (auto it = cache_.begin(); it != cache_.end();) {
    if (frame_ - it->second.last_frame > 600) {
      glDeleteTextures(1, &it->second.tex.texture);
      it = cache_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace fd
