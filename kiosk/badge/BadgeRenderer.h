#pragma once
// Name badges: one layout function, drawn to PDF for the printer and PNG for
// the preview. Long names shrink to fit, then wrap, and never leave the
// label's printable area; any script renders (pango + fontconfig, Noto).
//
// Thread-safety: free functions; safe to call from the print worker and
// any other thread at once (each call has its own cairo and pango state).
#include <string>
#include <vector>

#include "badge/BadgeTemplate.h"
#include "base/Error.h"
#include "model/Badge.h"

namespace fd {

struct BadgeBox {
  std::string what;  // "first_name", "last_name", "company", "role", "event", "qr", ...
  double x = 0, y = 0, w = 0, h = 0;  // mm, from the label's top left
  double font_pt = 0;
  int lines = 1;
  bool shrunk = false, ellipsized = false;
};

struct BadgeLayout {
  double width_mm = 0, height_mm = 0, margin_mm = 0;
  std::vector<BadgeBox> boxes;
  const BadgeBox* find(const std::string& what) const;
};

BadgeLayout layout_badge(const BadgeData& data, const BadgeTemplate& tmpl);
Result<std::string> render_badge_pdf(const BadgeData& data, const BadgeTemplate& tmpl);
// Badges laid out on A4 pages for pre-printing on an office printer (cut
// along the thin grey lines); the template's label gives the badge size.
Result<std::string> render_badge_sheet_pdf(const std::vector<BadgeData>& people,
                                           const BadgeTemplate& tmpl);
// dpi 0: the label's own dpi (1-bit labels come out pure black and white).
Result<std::string> render_badge_png(const BadgeData& data, const BadgeTemplate& tmpl, int dpi = 0);

}  // namespace fd
