#include "badge/BadgeRenderer.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "model/PersonName.h"
#include "qr/QrCode.h"

namespace fd {
namespace {

constexpr double kPtPerMm = 72.0 / 25.4;

// ---------------------------------------------------------------------------
// [SECTION] Text measuring with pango, in points
// ---------------------------------------------------------------------------

// Han characters look different in Japanese, Chinese and Korean fonts; pango
// picks the right forms from the language.
std::string guess_language(const std::string& text, const std::string& hint) {
  if (!hint.empty()) return hint;
  bool han = false;
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c != 0xE3 && c != 0xEA && c != 0xEB && c != 0xEC && c != 0xED && (c < 0xE4 || c > 0xE9))
      continue;
    const char32_t cp = ((c & 0x0F) << 12) |
                        ((static_cast<unsigned char>(text[i + 1]) & 0x3F) << 6) |
                        (static_cast<unsigned char>(text[i + 2]) & 0x3F);
    if (cp >= 0x3040 && cp <= 0x30FF) return "ja";
    if (cp >= 0xAC00 && cp <= 0xD7AF) return "ko";
    if (cp >= 0x4E00 && cp <= 0x9FFF) han = true;
  }
  return han ? "zh-cn" : "";
}

struct Pango {
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
  cairo_t* cr = cairo_create(surface);
  ~Pango() {
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
  }
};

struct LayoutDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

// Metrics must not change between measuring and drawing at another scale.
void set_font_options(cairo_t* cr, bool one_bit) {
  cairo_font_options_t* fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_antialias(fo, one_bit ? CAIRO_ANTIALIAS_NONE : CAIRO_ANTIALIAS_GRAY);
  cairo_set_font_options(cr, fo);
  cairo_font_options_destroy(fo);
}

LayoutPtr make_layout(cairo_t* cr, const std::string& text, const std::string& family, double pt,
                      bool bold, double width_pt, int max_lines, const std::string& language,
                      bool one_bit) {
  set_font_options(cr, one_bit);
  LayoutPtr l(pango_cairo_create_layout(cr));
  pango_cairo_context_set_resolution(pango_layout_get_context(l.get()), 72);
  PangoFontDescription* fd = pango_font_description_from_string(family.c_str());
  pango_font_description_set_size(fd, static_cast<int>(pt * PANGO_SCALE));
  pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(l.get(), fd);
  pango_font_description_free(fd);
  if (!language.empty()) {
    PangoAttrList* attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs,
                           pango_attr_language_new(pango_language_from_string(language.c_str())));
    pango_layout_set_attributes(l.get(), attrs);
    pango_attr_list_unref(attrs);
  }
  pango_layout_set_text(l.get(), text.c_str(), -1);
  pango_layout_set_alignment(l.get(), PANGO_ALIGN_CENTER);
  pango_layout_set_width(l.get(), static_cast<int>(width_pt * PANGO_SCALE));
  pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);
  pango_layout_set_height(l.get(), -max_lines);
  return l;
}

struct Fitted {
  double pt = 0;
  int lines = 1;
  double height_pt = 0;
  bool shrunk = false, ellipsized = false;
};

// The largest size from `start` down to `min` at which the text fits the
// width on one line; else the size at which it fits on two; else two lines
// at the minimum with an ellipsis (never outside the label).
Fitted fit(cairo_t* cr, const std::string& text, const std::string& family, bool bold,
           double width_pt, double start, double min, const std::string& lang, bool one_bit,
           int max_lines = 2) {
  Fitted f;
  for (int lines = 1; lines <= max_lines; ++lines) {
    for (double pt = start; pt >= min - 1e-6; pt *= 0.92) {
      // Measure unconstrained in height, then see if it needed more lines.
      LayoutPtr l = make_layout(cr, text, family, pt, bold, width_pt, 100, lang, one_bit);
      PangoRectangle ink, logical;
      pango_layout_get_extents(l.get(), &ink, &logical);
      const int used = pango_layout_get_line_count(l.get());
      // A single word wider than the line wraps by character: treat as too wide.
      const bool breaks_word =
          lines == 1 ? used > 1 : used > lines || logical.width > width_pt * PANGO_SCALE;
      if (!breaks_word && used <= lines) {
        f.pt = pt;
        f.lines = used;
        f.height_pt = static_cast<double>(logical.height) / PANGO_SCALE;
        f.shrunk = pt < start - 1e-6;
        return f;
      }
    }
  }
  LayoutPtr l = make_layout(cr, text, family, min, bold, width_pt, max_lines, lang, one_bit);
  PangoRectangle logical;
  pango_layout_get_extents(l.get(), nullptr, &logical);
  f.pt = min;
  f.lines = pango_layout_get_line_count(l.get());
  f.height_pt = static_cast<double>(logical.height) / PANGO_SCALE;
  f.shrunk = true;
  f.ellipsized = pango_layout_is_ellipsized(l.get());
  return f;
}

// ---------------------------------------------------------------------------
// [SECTION] Layout
// ---------------------------------------------------------------------------

struct Plan {
  BadgeLayout layout;
  struct Text {
    std::string text;
    double pt;
    bool bold;
    int lines;
    std::string lang;
  };
  std::vector<Text> texts;  // parallel to layout.boxes where a box is text
};

// The name printed large: never a title ("Dr. Jane Smith" is Jane).
std::string first_name_of(const BadgeData& d) {
  if (!d.first_name.empty() && !is_title(d.first_name)) return without_title(d.first_name);
  return split_full_name(d.full_name).first;
}

std::string last_name_of(const BadgeData& d) {
  if (!d.first_name.empty() && !is_title(d.first_name)) return d.last_name;
  if (!d.last_name.empty() && d.first_name.empty()) return d.last_name;
  return split_full_name(d.full_name).last;
}

Plan plan(const BadgeData& d, const BadgeTemplate& t) {
  Pango p;
  Plan out;
  BadgeLayout& L = out.layout;
  L.width_mm = t.landscape ? t.label.height_mm : t.label.width_mm;
  L.height_mm = t.landscape ? t.label.width_mm : t.label.height_mm;
  L.margin_mm = t.label.margin_mm;
  const double m = L.margin_mm, inner_w = L.width_mm - 2 * m;
  const double inner_w_pt = inner_w * kPtPerMm;
  double top = m, bottom = L.height_mm - m;
  const auto add_text = [&](const std::string& what, const std::string& text, double y_mm,
                            const Fitted& f, bool bold, const std::string& lang) {
    BadgeBox b{what, m,       y_mm,     inner_w,     f.height_pt / kPtPerMm,
               f.pt, f.lines, f.shrunk, f.ellipsized};
    L.boxes.push_back(b);
    out.texts.push_back({text, f.pt, bold, f.lines, lang});
  };
  const double H = L.height_mm;
  if (t.show_role_band && !d.role.empty()) {
    const double band = std::min(H * 0.13, 14.0);
    const Fitted f = fit(p.cr, d.role, t.font_family, true, inner_w_pt - 4, band * kPtPerMm * 0.55,
                         7, "", t.label.one_bit, 1);
    BadgeBox b{"role", m, top, inner_w, band, f.pt, 1, f.shrunk, f.ellipsized};
    L.boxes.push_back(b);
    out.texts.push_back({d.role, f.pt, true, 1, ""});
    top += band + 1.5;
  }
  if (!t.logo.empty()) {
    // The group's logo above the event name, when the template has one.
    cairo_surface_t* logo = cairo_image_surface_create_from_png(t.logo.c_str());
    if (cairo_surface_status(logo) == CAIRO_STATUS_SUCCESS) {
      const double lh = std::min(H * 0.12, 12.0);
      const double lw = std::min(inner_w, lh * cairo_image_surface_get_width(logo) /
                                              std::max(1, cairo_image_surface_get_height(logo)));
      L.boxes.push_back({"logo", m + (inner_w - lw) / 2, top, lw, lh, 0, 0, false, false});
      out.texts.push_back({t.logo.string(), 0, false, 0, ""});
      top += lh + 1;
    }
    cairo_surface_destroy(logo);
  }
  if (t.show_event && !d.event_name.empty()) {
    const Fitted f =
        fit(p.cr, d.event_name, t.font_family, false, inner_w_pt, 9, 6, "", t.label.one_bit, 1);
    add_text("event", d.event_name, top, f, false, "");
    top += f.height_pt / kPtPerMm + 1;
  }
  // The QR sits in the bottom right corner; text above it.
  if (t.show_qr && !d.qr_payload.empty()) {
    const double side = std::min(inner_w * 0.42, (bottom - top) * 0.3);
    L.boxes.push_back({"qr", L.width_mm - m - side, bottom - side, side, side, 0, 0, false, false});
    out.texts.push_back({"", 0, false, 0, ""});
    bottom -= side + 1;
  }
  std::string first = first_name_of(d), last = t.show_last_name ? last_name_of(d) : "";
  const std::string lang = guess_language(first + last, d.language);
  // Chinese, Japanese and Korean names are read whole, family name first:
  // 王芳 on one line, not 芳 large and 王 small.
  if (lang == "zh-cn" || lang == "ja" || lang == "ko" || lang.rfind("zh", 0) == 0) {
    first = !d.full_name.empty() ? d.full_name : d.last_name + d.first_name;
    last.clear();
  }
  const double space = bottom - top;
  // The first name is what people read from across the room: as large as fits.
  const double first_start = std::min(space * 0.42, 30.0) * kPtPerMm;
  const Fitted ff = fit(p.cr, first, t.font_family, true, inner_w_pt, first_start,
                        std::min(14.0, first_start), lang, t.label.one_bit);
  std::vector<std::pair<std::string, Fitted>> rest;
  if (!last.empty())
    rest.emplace_back("last_name", fit(p.cr, last, t.font_family, false, inner_w_pt,
                                       std::min(ff.pt * 0.5, 26.0), 8, lang, t.label.one_bit));
  if (t.show_company && !d.company.empty())
    rest.emplace_back("company", fit(p.cr, d.company, t.font_family, false, inner_w_pt, 11, 7,
                                     guess_language(d.company, ""), t.label.one_bit, 1));
  if (t.show_pronouns && !d.pronouns.empty())
    rest.emplace_back("pronouns", fit(p.cr, d.pronouns, t.font_family, false, inner_w_pt, 9, 6, "",
                                      t.label.one_bit, 1));
  double used = ff.height_pt / kPtPerMm;
  for (const auto& [w, f] : rest) used += f.height_pt / kPtPerMm + 1;
  // Centre the block of names in the space left; it always fits because
  // every part shrank to its minimum before this.
  double y = top + std::max(0.0, (space - used) / 2);
  add_text("first_name", first, y, ff, true, lang);
  y += ff.height_pt / kPtPerMm + 1;
  for (const auto& [what, f] : rest) {
    const std::string& text = what == "last_name" ? last
                              : what == "company" ? d.company
                                                  : d.pronouns;
    add_text(what, text, y, f, false, what == "company" ? guess_language(d.company, "") : lang);
    y += f.height_pt / kPtPerMm + 1;
  }
  // When even the minimum sizes overflow (tiny labels), drop the smaller
  // fields from the bottom rather than draw outside the label.
  while (!L.boxes.empty() && L.boxes.back().y + L.boxes.back().h > bottom + 1e-6 &&
         L.boxes.back().what != "first_name") {
    L.boxes.pop_back();
    out.texts.pop_back();
  }
  return out;
}

// ---------------------------------------------------------------------------
// [SECTION] Drawing
// ---------------------------------------------------------------------------

void colour(cairo_t* cr, const std::string& hex, bool one_bit) {
  unsigned r = 0, g = 0, b = 0;
  if (one_bit || hex.size() != 7 || std::sscanf(hex.c_str() + 1, "%02x%02x%02x", &r, &g, &b) != 3) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    return;
  }
  cairo_set_source_rgb(cr, r / 255.0, g / 255.0, b / 255.0);
}

void draw_qr(cairo_t* cr, const std::string& payload, const BadgeBox& b) {
  const QrMatrix q = qr_matrix(payload);
  if (q.size == 0) return;
  const double cell = b.w * kPtPerMm / q.size;
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int y = 0; y < q.size; ++y)
    for (int x = 0; x < q.size; ++x)
      if (q.at(x, y))
        cairo_rectangle(cr, b.x * kPtPerMm + x * cell, b.y * kPtPerMm + y * cell, cell, cell);
  cairo_fill(cr);
}

// Draws in points on a context whose user space is the label in points.
void draw(cairo_t* cr, const BadgeData& d, const BadgeTemplate& t, const Plan& pl) {
  const bool one_bit = t.label.one_bit;
  cairo_set_antialias(cr, one_bit ? CAIRO_ANTIALIAS_NONE : CAIRO_ANTIALIAS_DEFAULT);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  for (std::size_t i = 0; i < pl.layout.boxes.size(); ++i) {
    const BadgeBox& b = pl.layout.boxes[i];
    const auto& txt = pl.texts[i];
    if (b.what == "qr") {
      draw_qr(cr, d.qr_payload, b);
      continue;
    }
    if (b.what == "logo") {
      cairo_surface_t* logo = cairo_image_surface_create_from_png(txt.text.c_str());
      if (cairo_surface_status(logo) == CAIRO_STATUS_SUCCESS) {
        cairo_save(cr);
        cairo_translate(cr, b.x * kPtPerMm, b.y * kPtPerMm);
        cairo_scale(cr, b.w * kPtPerMm / cairo_image_surface_get_width(logo),
                    b.h * kPtPerMm / cairo_image_surface_get_height(logo));
        cairo_set_source_surface(cr, logo, 0, 0);
        cairo_paint(cr);
        cairo_restore(cr);
      }
      cairo_surface_destroy(logo);
      continue;
    }
    bool inverse = false;
    if (b.what == "role") {
      // A colour band on colour printers; solid black on thermal labels.
      auto it = t.role_colours.find(d.role);
      colour(cr, it == t.role_colours.end() ? "#000000" : it->second, one_bit);
      cairo_rectangle(cr, b.x * kPtPerMm, b.y * kPtPerMm, b.w * kPtPerMm, b.h * kPtPerMm);
      cairo_fill(cr);
      inverse = true;
    }
    LayoutPtr l = make_layout(cr, txt.text, t.font_family, txt.pt, txt.bold, b.w * kPtPerMm,
                              std::max(1, txt.lines), txt.lang, one_bit);
    PangoRectangle logical;
    pango_layout_get_extents(l.get(), nullptr, &logical);
    const double text_h = static_cast<double>(logical.height) / PANGO_SCALE;
    const double y =
        b.what == "role" ? b.y * kPtPerMm + (b.h * kPtPerMm - text_h) / 2 : b.y * kPtPerMm;
    cairo_move_to(cr, b.x * kPtPerMm, y);
    if (inverse)
      cairo_set_source_rgb(cr, 1, 1, 1);
    else
      cairo_set_source_rgb(cr, 0, 0, 0);
    pango_cairo_update_layout(cr, l.get());
    pango_cairo_show_layout(cr, l.get());
  }
}

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

const BadgeBox* BadgeLayout::find(const std::string& what) const {
  for (const BadgeBox& b : boxes)
    if (b.what == what) return &b;
  return nullptr;
}

BadgeLayout layout_badge(const BadgeData& data, const BadgeTemplate& tmpl) {
  return plan(data, tmpl).layout;
}

Result<std::string> render_badge_pdf(const BadgeData& data, const BadgeTemplate& tmpl) {
  const Plan pl = plan(data, tmpl);
  std::string out;
  cairo_surface_t* s = cairo_pdf_surface_create_for_stream(
      append, &out, pl.layout.width_mm * kPtPerMm, pl.layout.height_mm * kPtPerMm);
  cairo_t* cr = cairo_create(s);
  draw(cr, data, tmpl, pl);
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(s);
  const cairo_status_t st = cairo_surface_status(s);
  cairo_surface_destroy(s);
  if (st != CAIRO_STATUS_SUCCESS)
    return Error{"badge.pdf", std::string("PDF rendering failed: ") + cairo_status_to_string(st)};
  return out;
}

Result<std::string> render_badge_sheet_pdf(const std::vector<BadgeData>& people,
                                           const BadgeTemplate& tmpl) {
  constexpr double kPageW = 210, kPageH = 297, kPageMargin = 10;
  BadgeTemplate t = tmpl;
  t.label.one_bit = false;  // office printers print colour and grey
  const double bw = t.landscape ? t.label.height_mm : t.label.width_mm;
  const double bh = t.landscape ? t.label.width_mm : t.label.height_mm;
  const int cols = std::max(1, static_cast<int>((kPageW - 2 * kPageMargin) / bw));
  const int rows = std::max(1, static_cast<int>((kPageH - 2 * kPageMargin) / bh));
  if (bw > kPageW - 2 * kPageMargin || bh > kPageH - 2 * kPageMargin)
    return Error{"badge.sheet", "These badges are larger than an A4 page"};
  std::string out;
  cairo_surface_t* s =
      cairo_pdf_surface_create_for_stream(append, &out, kPageW * kPtPerMm, kPageH * kPtPerMm);
  cairo_t* cr = cairo_create(s);
  const double x0 = (kPageW - cols * bw) / 2, y0 = (kPageH - rows * bh) / 2;
  for (std::size_t i = 0; i < people.size(); ++i) {
    const int slot = static_cast<int>(i % static_cast<std::size_t>(cols * rows));
    if (slot == 0 && i > 0) cairo_show_page(cr);
    const Plan pl = plan(people[i], t);
    cairo_save(cr);
    cairo_translate(cr, (x0 + (slot % cols) * bw) * kPtPerMm, (y0 + (slot / cols) * bh) * kPtPerMm);
    cairo_rectangle(cr, 0, 0, bw * kPtPerMm, bh * kPtPerMm);
    cairo_clip(cr);
    draw(cr, people[i], t, pl);
    cairo_restore(cr);
    // Cut lines.
    cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
    cairo_set_line_width(cr, 0.3);
    cairo_rectangle(cr, (x0 + (slot % cols) * bw) * kPtPerMm, (y0 + (slot / cols) * bh) * kPtPerMm,
                    bw * kPtPerMm, bh * kPtPerMm);
    cairo_stroke(cr);
  }
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(s);
  const cairo_status_t st = cairo_surface_status(s);
  cairo_surface_destroy(s);
  if (st != CAIRO_STATUS_SUCCESS)
    return Error{"badge.sheet", std::string("PDF rendering failed: ") + cairo_status_to_string(st)};
  return out;
}

Result<std::string> render_badge_png(const BadgeData& data, const BadgeTemplate& tmpl, int dpi) {
  const Plan pl = plan(data, tmpl);
  if (dpi <= 0) dpi = tmpl.label.dpi;
  const int w = static_cast<int>(std::lround(pl.layout.width_mm / 25.4 * dpi));
  const int h = static_cast<int>(std::lround(pl.layout.height_mm / 25.4 * dpi));
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t* cr = cairo_create(s);
  cairo_scale(cr, dpi / 72.0, dpi / 72.0);
  draw(cr, data, tmpl, pl);
  cairo_destroy(cr);
  if (tmpl.label.one_bit) {
    // Thermal printers have no grey: anything drawn in colour (an emoji)
    // is thresholded, so the preview shows what will come out.
    cairo_surface_flush(s);
    unsigned char* px = cairo_image_surface_get_data(s);
    const int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        unsigned char* p = px + y * stride + x * 4;
        const int lum = (p[2] * 299 + p[1] * 587 + p[0] * 114) / 1000;
        p[0] = p[1] = p[2] = lum < 160 ? 0 : 255;
      }
    cairo_surface_mark_dirty(s);
  }
  std::string out;
  const cairo_status_t st = cairo_surface_write_to_png_stream(s, append, &out);
  cairo_surface_destroy(s);
  if (st != CAIRO_STATUS_SUCCESS)
    return Error{"badge.png", std::string("PNG rendering failed: ") + cairo_status_to_string(st)};
  return out;
}

}  // namespace fd
