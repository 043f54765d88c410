// One A4 page per report, drawn with cairo + pango in the badges' manner:
// every element is placed in a box first (ReportLayout, which the tests
// check), text shrinks before it wraps and never leaves its box.
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <memory>

#include "report/ReportFiles.h"

namespace fd {

const ReportBox* ReportLayout::find(const std::string& what) const {
  for (const ReportBox& b : boxes)
    if (b.what == what) return &b;
  return nullptr;
}

namespace {

// ---------------------------------------------------------------------------
// [SECTION] Page: text and shapes in mm, recorded as boxes
// ---------------------------------------------------------------------------

constexpr double kPtPerMm = 72.0 / 25.4;
constexpr double kPageW = 210, kPageH = 297, kMargin = 15;
constexpr double kContentW = kPageW - 2 * kMargin;
constexpr const char* kFont = "Noto Sans";

struct Ink {
  double r, g, b;
};
// The house style: black text, one teal accent, greys for what is secondary.
constexpr Ink kText{0.10, 0.10, 0.10};
constexpr Ink kMuted{0.40, 0.43, 0.48};
constexpr Ink kRule{0.82, 0.84, 0.86};
constexpr Ink kTile{0.955, 0.96, 0.965};
constexpr Ink kAccent{0.05, 0.46, 0.43};
constexpr Ink kAccentLight{0.55, 0.82, 0.78};
constexpr Ink kAlert{0.72, 0.12, 0.12};

struct LayoutDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

class Page {
 public:
  Page(cairo_t* cr, ReportLayout& layout) : cr_(cr), layout_(layout) {
    // Metrics must not change with the output's resolution.
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr_, fo);
    cairo_font_options_destroy(fo);
  }

  void box(const std::string& what, double x, double y, double w, double h) {
    layout_.boxes.push_back({what, x, y, w, h});
  }

  LayoutPtr make(const std::string& s, double pt, bool bold, double w_mm, int max_lines,
                 PangoAlignment align) {
    LayoutPtr l(pango_cairo_create_layout(cr_));
    pango_cairo_context_set_resolution(pango_layout_get_context(l.get()), 72);
    PangoFontDescription* fd = pango_font_description_from_string(kFont);
    pango_font_description_set_size(fd, static_cast<int>(pt * PANGO_SCALE));
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l.get(), fd);
    pango_font_description_free(fd);
    pango_layout_set_text(l.get(), s.c_str(), -1);
    pango_layout_set_width(l.get(), static_cast<int>(w_mm * kPtPerMm * PANGO_SCALE));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);
    pango_layout_set_height(l.get(), -max_lines);
    pango_layout_set_alignment(l.get(), align);
    return l;
  }

  static double height_mm(PangoLayout* l) {
    PangoRectangle logical;
    pango_layout_get_extents(l, nullptr, &logical);
    return logical.height / double(PANGO_SCALE) / kPtPerMm;
  }
  static double width_mm(PangoLayout* l) {
    PangoRectangle logical;
    pango_layout_get_extents(l, nullptr, &logical);
    return logical.width / double(PANGO_SCALE) / kPtPerMm;
  }

  // The largest size from `start` down to `min` at which the text fits the
  // width on one line (else `min`, wrapped to `max_lines` with an ellipsis).
  double fit(const std::string& s, double w_mm, double start, double min, bool bold) {
    for (double pt = start; pt > min; pt *= 0.94) {
      LayoutPtr l = make(s, pt, bold, w_mm * 10, 1, PANGO_ALIGN_LEFT);
      if (width_mm(l.get()) <= w_mm) return pt;
    }
    return min;
  }

  // Draws text in a box `w` wide whose top is `y`; records it; returns its height.
  double text(const std::string& what, const std::string& s, double x, double y, double w,
              double pt, bool bold, Ink ink, PangoAlignment align = PANGO_ALIGN_LEFT,
              int max_lines = 1) {
    LayoutPtr l = make(s, pt, bold, w, max_lines, align);
    const double h = height_mm(l.get());
    cairo_set_source_rgb(cr_, ink.r, ink.g, ink.b);
    cairo_move_to(cr_, x * kPtPerMm, y * kPtPerMm);
    pango_cairo_update_layout(cr_, l.get());
    pango_cairo_show_layout(cr_, l.get());
    if (!what.empty()) box(what, x, y, w, h);
    return h;
  }

  void fill(double x, double y, double w, double h, Ink ink) {
    cairo_set_source_rgb(cr_, ink.r, ink.g, ink.b);
    cairo_rectangle(cr_, x * kPtPerMm, y * kPtPerMm, w * kPtPerMm, h * kPtPerMm);
    cairo_fill(cr_);
  }

  void line(double x0, double y0, double x1, double y1, Ink ink, double width_mm,
            bool dashed = false) {
    cairo_save(cr_);
    cairo_set_source_rgb(cr_, ink.r, ink.g, ink.b);
    cairo_set_line_width(cr_, width_mm * kPtPerMm);
    if (dashed) {
      const double d[] = {1.6 * kPtPerMm, 1.0 * kPtPerMm};
      cairo_set_dash(cr_, d, 2, 0);
    }
    cairo_move_to(cr_, x0 * kPtPerMm, y0 * kPtPerMm);
    cairo_line_to(cr_, x1 * kPtPerMm, y1 * kPtPerMm);
    cairo_stroke(cr_);
    cairo_restore(cr_);
  }

  void polyline(const std::vector<std::pair<double, double>>& pts, Ink ink, double width_mm) {
    if (pts.size() < 2) return;
    cairo_save(cr_);
    cairo_set_source_rgb(cr_, ink.r, ink.g, ink.b);
    cairo_set_line_width(cr_, width_mm * kPtPerMm);
    cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
    cairo_move_to(cr_, pts[0].first * kPtPerMm, pts[0].second * kPtPerMm);
    for (std::size_t i = 1; i < pts.size(); ++i)
      cairo_line_to(cr_, pts[i].first * kPtPerMm, pts[i].second * kPtPerMm);
    cairo_stroke(cr_);
    cairo_restore(cr_);
  }

 private:
  cairo_t* cr_;
  ReportLayout& layout_;
};

// ---------------------------------------------------------------------------
// [SECTION] Words and numbers
// ---------------------------------------------------------------------------

std::string percent(double r) {
  if (r < 0) return "–";
  return std::to_string(static_cast<int>(std::lround(100 * r))) + "%";
}

std::string long_date(TimeMs t) {
  const std::time_t s = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  localtime_r(&s, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%A %-d %B %Y", &tm);
  return buf;
}

std::string month_name(const std::string& ym) {  // "2026-03" -> "Mar 2026"
  static const char* names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (ym.size() != 7) return ym;
  const int m = std::atoi(ym.c_str() + 5);
  if (m < 1 || m > 12) return ym;
  return std::string(names[m - 1]) + " " + ym.substr(0, 4);
}

std::string method_name(const std::string& m) {
  if (m == "qr") return "QR code";
  if (m == "scanner") return "Handheld scanner";
  if (m == "search") return "Name search";
  if (m == "walkin") return "Walk-in form";
  if (m == "manual") return "By an organizer";
  return m;
}

// A round step for about `ticks` gridlines up to `top`.
int nice_step(int top, int ticks = 5) {
  if (top <= ticks) return 1;
  const double raw = double(top) / ticks;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  const double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  return std::max(1, static_cast<int>(step));
}

int round_up(int v, int step) { return std::max(step, (v + step - 1) / step * step); }

// ---------------------------------------------------------------------------
// [SECTION] Parts every report has
// ---------------------------------------------------------------------------

// Kicker, title and subtitle; returns the y below them.
double header(Page& p, const std::string& kicker, const std::string& title,
              const std::string& subtitle) {
  double y = kMargin;
  y += p.text("kicker", kicker, kMargin, y, kContentW, 8.5, true, kAccent) + 1;
  const double pt = p.fit(title, kContentW, 22, 15, true);
  y += p.text("title", title, kMargin, y, kContentW, pt, true, kText, PANGO_ALIGN_LEFT, 2) + 1;
  y +=
      p.text("subtitle", subtitle, kMargin, y, kContentW, 10.5, false, kMuted, PANGO_ALIGN_LEFT, 2);
  y += 3;
  p.line(kMargin, y, kPageW - kMargin, y, kRule, 0.3);
  return y + 4;
}

struct Tile {
  std::string label, value, sub;
  bool alert = false;
};

// A row of figure tiles; returns the y below it.
double tiles(Page& p, const std::vector<Tile>& row, double y) {
  constexpr double kGap = 4, kH = 25;
  const double w = (kContentW - kGap * (row.size() - 1)) / row.size();
  for (std::size_t i = 0; i < row.size(); ++i) {
    const Tile& t = row[i];
    const double x = kMargin + i * (w + kGap);
    p.fill(x, y, w, kH, kTile);
    p.fill(x, y, 1.1, kH, t.alert ? kAlert : kAccent);
    p.box("tile:" + t.label, x, y, w, kH);
    const double inner = w - 6;
    p.text("", t.label, x + 4, y + 2.6, inner, 8, true, kMuted);
    const double pt = p.fit(t.value, inner, 21, 12, true);
    p.text("", t.value, x + 4, y + 7.2, inner, pt, true, t.alert ? kAlert : kText);
    p.text("", t.sub, x + 4, y + 18.2, inner, 7.5, false, kMuted);
  }
  return y + kH;
}

// A section heading with an optional legend on its right; returns the y below.
struct LegendItem {
  std::string label;
  Ink ink;
  int kind;  // 0 swatch, 1 line, 2 dashed line
};
double section(Page& p, const std::string& what, const std::string& title, double y,
               const std::vector<LegendItem>& legend = {}) {
  const double h = p.text(what, title, kMargin, y, kContentW * 0.5, 11.5, true, kText);
  double x = kPageW - kMargin;
  for (auto it = legend.rbegin(); it != legend.rend(); ++it) {
    LayoutPtr l = p.make(it->label, 8, false, 60, 1, PANGO_ALIGN_LEFT);
    const double w = Page::width_mm(l.get()) + 0.5;
    x -= w;
    p.text("", it->label, x, y + 1.2, w, 8, false, kMuted);
    x -= 6;
    const double cy = y + 1.2 + 2.1;
    if (it->kind == 0)
      p.fill(x, cy - 1.6, 4, 3.2, it->ink);
    else
      p.line(x, cy, x + 4.5, cy, it->ink, 0.6, it->kind == 2);
    x -= 4;
  }
  return y + h + 2;
}

void footer(Page& p, TimeMs generated_at) {
  const double y = kPageH - kMargin - 5;
  p.line(kMargin, y, kPageW - kMargin, y, kRule, 0.3);
  p.text("footer",
         "Counts only: this report holds no names, e-mail addresses or ticket codes. "
         "Made by Frontdesk on " +
             local_datetime(generated_at).substr(0, 16) + ".",
         kMargin, y + 1.2, kContentW, 7.5, false, kMuted);
}

// Two columns of label / value rows; returns the y below.
double table2(Page& p, const std::vector<std::pair<std::string, std::string>>& left,
              const std::vector<std::pair<std::string, std::string>>& right, double y,
              double row_h) {
  constexpr double kGap = 10;
  const double col = (kContentW - kGap) / 2;
  const std::size_t rows = std::max(left.size(), right.size());
  p.box("table", kMargin, y, kContentW, rows * row_h);
  for (int side = 0; side < 2; ++side) {
    const auto& items = side ? right : left;
    const double x = kMargin + side * (col + kGap);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const double ry = y + i * row_h;
      p.text("", items[i].first, x, ry + 0.9, col * 0.72, 9, false, kText);
      p.text("", items[i].second, x + col * 0.72, ry + 0.9, col * 0.28, 9, true, kText,
             PANGO_ALIGN_RIGHT);
      p.line(x, ry + row_h, x + col, ry + row_h, kRule, 0.2);
    }
  }
  return y + rows * row_h;
}

// ---------------------------------------------------------------------------
// [SECTION] The chart: bars on the left axis, a line on the right axis
// ---------------------------------------------------------------------------

struct Chart {
  std::vector<std::string> labels;  // one per bar
  std::vector<int> bars;            // stacked lower part
  std::vector<int> bars_top;        // stacked upper part (may be empty)
  std::vector<double> line;         // one per bar, on the right axis
  double line_top = 0;              // the line's largest value (0: no right axis)
  bool line_percent = false;
  double reference = -1;  // a dashed level on the right axis (capacity)
  std::string reference_label;
  bool line_from_zero = false;  // the line starts at 0 at the first bar's left edge
  // Bars and line count the same thing (people): one axis on the left for
  // both, so equal numbers stand at equal heights.
  bool shared_axis = false;
  std::string empty_text;
};

void chart(Page& p, const Chart& c, double x0, double y0, double w, double h) {
  p.box("chart", x0, y0, w, h);
  constexpr double kAxisW = 10, kLabelH = 6;
  const double left = x0 + kAxisW, right = x0 + w - (c.line_top > 0 && !c.shared_axis ? kAxisW : 2);
  const double top = y0 + 2, bottom = y0 + h - kLabelH;
  const std::size_t n = c.bars.size();
  if (n == 0) {
    p.line(left, bottom, right, bottom, kRule, 0.3);
    p.text("", c.empty_text, left, (top + bottom) / 2 - 3, right - left, 10, false, kMuted,
           PANGO_ALIGN_CENTER);
    return;
  }
  int most = 1;
  for (std::size_t i = 0; i < n; ++i)
    most = std::max(most, c.bars[i] + (c.bars_top.empty() ? 0 : c.bars_top[i]));
  // Headroom on a shared axis, so a capacity line never sits on the frame.
  if (c.shared_axis) most = std::max(most, static_cast<int>(std::ceil(c.line_top * 1.08)));
  const int step = nice_step(most);
  const int axis_top = round_up(most, step);
  const auto ybar = [&](double v) { return bottom - (bottom - top) * v / axis_top; };
  for (int v = 0; v <= axis_top; v += step) {
    const double y = ybar(v);
    p.line(left, y, right, y, v == 0 ? kMuted : kRule, v == 0 ? 0.3 : 0.15);
    p.text("", std::to_string(v), x0, y - 1.8, kAxisW - 1.5, 7, false, kMuted, PANGO_ALIGN_RIGHT);
  }
  const double slot = (right - left) / n;
  const double bar_w = std::max(0.4, slot * 0.68);
  // Labels at most every 13 mm so they never collide.
  const std::size_t every =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(13 / slot)));
  for (std::size_t i = 0; i < n; ++i) {
    const double bx = left + i * slot + (slot - bar_w) / 2;
    const int lower = c.bars[i], upper = c.bars_top.empty() ? 0 : c.bars_top[i];
    if (lower) p.fill(bx, ybar(lower), bar_w, bottom - ybar(lower), kAccent);
    p.box("bar:" + std::to_string(i), bx, ybar(lower + upper), bar_w, bottom - ybar(lower + upper));
    if (upper)
      p.fill(bx, ybar(lower + upper), bar_w, ybar(lower) - ybar(lower + upper), kAccentLight);
    if (n <= 16 && lower + upper > 0)
      p.text("", std::to_string(lower + upper), bx - 2, ybar(lower + upper) - 3.6, bar_w + 4, 6.5,
             false, kMuted, PANGO_ALIGN_CENTER);
    if (i % every == 0)
      p.text("", c.labels[i], left + i * slot + slot / 2 - 8, bottom + 1.2, 16, 7, false, kMuted,
             PANGO_ALIGN_CENTER);
  }
  if (c.line_top <= 0) return;
  // The right axis: round steps, with headroom so a capacity line never
  // sits on the frame.
  double line_top = 1, line_step = 0.2;
  if (c.shared_axis) {
    line_top = axis_top;
    line_step = 0;
  } else if (!c.line_percent) {
    const int wanted = static_cast<int>(std::ceil(c.line_top * 1.08));
    line_step = nice_step(wanted);
    line_top = round_up(wanted, static_cast<int>(line_step));
  }
  const auto yline = [&](double v) { return bottom - (bottom - top) * v / line_top; };
  for (double v = 0; line_step > 0 && v <= line_top + 1e-9; v += line_step) {
    const std::string label = c.line_percent
                                  ? std::to_string(static_cast<int>(std::lround(v * 100))) + "%"
                                  : std::to_string(static_cast<int>(std::lround(v)));
    p.text("", label, right + 1.5, yline(v) - 1.8, kAxisW - 1.5, 7, false, kText);
  }
  if (c.reference > 0) {
    const double y = yline(c.reference);
    p.line(left, y, right, y, kAlert, 0.35, true);
    // At the right end, on white, so bars and their numbers never cover it.
    LayoutPtr l = p.make(c.reference_label, 7, true, 60, 1, PANGO_ALIGN_LEFT);
    const double lw = Page::width_mm(l.get()) + 2;
    p.fill(right - lw - 1, y - 4.2, lw + 1, 3.8, {1, 1, 1});
    p.text("", c.reference_label, right - lw, y - 4.0, lw, 7, true, kAlert, PANGO_ALIGN_RIGHT);
  }
  std::vector<std::pair<double, double>> pts;
  if (c.line_from_zero) pts.emplace_back(left, yline(0));
  for (std::size_t i = 0; i < n; ++i) {
    if (c.line[i] < 0) continue;  // no value this month
    pts.emplace_back(c.line_from_zero ? left + (i + 1) * slot : left + i * slot + slot / 2,
                     yline(c.line[i]));
    p.box("line:" + std::to_string(i), pts.back().first, pts.back().second, 0, 0);
  }
  p.polyline(pts, kText, 0.55);
}

// ---------------------------------------------------------------------------
// [SECTION] The event report
// ---------------------------------------------------------------------------

void draw_event(cairo_t* cr, ReportLayout& layout, const EventSummary& s, TimeMs generated_at) {
  Page p(cr, layout);
  std::string sub = s.date ? long_date(s.date) : "Not held yet: nobody has checked in";
  if (s.event.starts_at) sub += " · starts " + local_hhmm(s.event.starts_at);
  if (s.first_arrival)
    sub += " · arrivals " + local_hhmm(s.first_arrival) + "–" + local_hhmm(s.last_arrival);
  if (s.event.capacity) sub += " · capacity " + std::to_string(s.event.capacity);
  double y = header(p, "ATTENDANCE REPORT", s.event.name, sub);

  const int head = s.headcount();
  const bool over = s.event.capacity && s.peak > s.event.capacity;
  std::string peak_sub = s.peak_at ? "at " + local_hhmm(s.peak_at) : "nobody in yet";
  if (s.event.capacity)
    peak_sub += " · " + percent(double(s.peak) / s.event.capacity) + " of capacity";
  y = tiles(p,
            {{"People came", std::to_string(head),
              (s.expected() ? "of " + std::to_string(s.expected()) + " expected" : "no RSVPs") +
                  (s.guests_in ? " · " + std::to_string(s.guests_in) + " of them guests" : "")},
             {"RSVP → attendance", s.date ? percent(s.attendance_rate()) : "–",
              std::to_string(s.came_yes) + " of " + std::to_string(s.rsvp_yes) + " RSVPs came"},
             {"Walk-ins", std::to_string(s.walk_ins),
              s.off_list ? "+" + std::to_string(s.off_list) + " let in off the list"
                         : "registered at the door"},
             {"Peak in the room", std::to_string(s.peak), peak_sub, over}},
            y);
  y += 4;
  int busiest = 0;
  TimeMs busiest_at = 0;
  for (const auto& [at, count] : s.arrivals_per_15)
    if (count > busiest) {
      busiest = count;
      busiest_at = at;
    }
  // Before anyone came, everyone would count as a no-show: say nothing yet.
  std::vector<Tile> row2 = {{"No-shows", s.date ? std::to_string(s.no_shows()) : "–",
                             !s.date      ? "known once doors open"
                             : s.rsvp_yes ? percent(double(s.no_shows()) / s.rsvp_yes) + " of RSVPs"
                                          : "no RSVPs"}};
  if (s.first_timers_known()) {
    // A share of people, not of the headcount: guests are not recognised.
    const int people = s.first_timers + s.returning;
    row2.push_back({"First-timers", std::to_string(s.first_timers),
                    people ? "of the " + std::to_string(people) + " people who came" +
                                 (s.guests_in ? " (guests aside)" : "")
                           : "nobody came"});
    row2.push_back({"Regulars", std::to_string(s.regulars), "here three times or more"});
  } else if (s.first_timers >= 0) {
    row2.push_back({"First-timers", "–", "first event in the store: no one to compare with"});
    row2.push_back({"Regulars", "–", "known from the third event on"});
  } else {
    row2.push_back({"Guests (+1s)", std::to_string(s.guests_in),
                    "of " + std::to_string(s.guests_expected) + " announced"});
    row2.push_back({"Waitlisted", std::to_string(s.waitlisted), "not expected"});
  }
  row2.push_back({"Busiest quarter hour", std::to_string(busiest),
                  busiest_at ? local_hhmm(busiest_at) + "–" + local_hhmm(busiest_at + 15 * 60'000)
                             : "no arrivals"});
  y = tiles(p, row2, y);
  y += 7;

  // The details table decides how much room the chart gets.
  std::vector<std::pair<std::string, std::string>> left = {
      {"RSVPs (yes)", std::to_string(s.rsvp_yes)},
      {"Their guests (+1s)", std::to_string(s.guests_expected)},
      {"Expected", std::to_string(s.expected())},
      {"Came (RSVP yes)", std::to_string(s.came_yes)},
      {"Guests who came", std::to_string(s.guests_in)},
      {"Walk-ins", std::to_string(s.walk_ins)},
      {"Let in off the list", std::to_string(s.off_list)},
      {"People came", std::to_string(head)},
  };
  std::vector<std::pair<std::string, std::string>> right = {
      {"Waitlisted (not expected)", std::to_string(s.waitlisted)},
      {"Declined or cancelled", std::to_string(s.declined)},
  };
  std::size_t doors_shown = 0;
  int other_doors = 0;
  for (const auto& [door, n] : s.by_door) {
    if (++doors_shown <= 3)
      right.push_back(
          {"In at " + (door.empty() ? std::string("an unnamed door") : door), std::to_string(n)});
    else
      other_doors += n;
  }
  if (other_doors) right.push_back({"In at other doors", std::to_string(other_doors)});
  for (const auto& [method, n] : s.by_method) {
    if (right.size() >= left.size()) break;
    right.push_back({method_name(method),
                     std::to_string(n) + " (" + percent(head ? double(n) / head : 0) + ")"});
  }
  constexpr double kRowH = 5.6;
  const double table_h = 7 + std::max(left.size(), right.size()) * kRowH;
  const double chart_h = std::clamp(kPageH - kMargin - 9 - table_h - 8 - y - 9, 50.0, 90.0);

  std::vector<LegendItem> legend = {{"people arriving (guests included)", kAccent, 0},
                                    {"in the room", kText, 1}};
  if (s.event.capacity) legend.push_back({"capacity", kAlert, 2});
  y = section(p, "chart-title", "Arrivals per 15 minutes", y, legend);
  Chart c;
  for (std::size_t i = 0; i < s.arrivals_per_15.size(); ++i) {
    c.labels.push_back(local_hhmm(s.arrivals_per_15[i].first));
    c.bars.push_back(s.arrivals_per_15[i].second);
    c.line.push_back(s.in_room_per_15[i]);
  }
  c.line_top = std::max({1, s.peak, s.event.capacity});
  c.line_from_zero = true;
  c.shared_axis = true;
  c.reference = s.event.capacity;
  c.reference_label = "capacity " + std::to_string(s.event.capacity);
  c.empty_text = "Nobody has checked in yet.";
  chart(p, c, kMargin, y, kContentW, chart_h);
  y += chart_h + 8;
  y = section(p, "table-title", "The figures", y);
  table2(p, left, right, y, kRowH);
  footer(p, generated_at);
}

// ---------------------------------------------------------------------------
// [SECTION] The group report
// ---------------------------------------------------------------------------

constexpr std::size_t kMonthsShown = 18;

void draw_group(cairo_t* cr, ReportLayout& layout, const GroupTrend& t, TimeMs generated_at) {
  Page p(cr, layout);
  std::string sub;
  const int events = static_cast<int>(t.events.size());
  if (t.events.empty()) {
    sub = "No event has had arrivals yet";
  } else {
    sub = std::to_string(events) + (events == 1 ? " event" : " events") + ", " +
          month_name(t.months.front().month) +
          (t.months.size() > 1 ? " to " + month_name(t.months.back().month) : "");
  }
  if (t.not_held) sub += " · " + std::to_string(t.not_held) + " more not held yet";
  double y = header(p, "GROUP TREND", "Attendance by month", sub);

  int rsvps = 0, came = 0, headcount = 0;
  for (const MonthFigures& m : t.months) {
    rsvps += m.rsvp_yes;
    came += m.came_yes;
    headcount += m.headcount;
  }
  y = tiles(p,
            {{"Events", std::to_string(events), std::to_string(headcount) + " came in all"},
             {"Different people", std::to_string(t.people),
              events ? std::to_string(headcount / std::max(1, events)) + " per event on average"
                     : "nobody came yet"},
             {"Regulars", std::to_string(t.regulars), "came three times or more"},
             {"No-show rate", rsvps ? percent(double(rsvps - came) / rsvps) : "–",
              std::to_string(rsvps - came) + " of " + std::to_string(rsvps) + " RSVPs"}},
            y);
  y += 7;

  const std::size_t first = t.months.size() > kMonthsShown ? t.months.size() - kMonthsShown : 0;
  const std::size_t shown = t.months.size() - first;
  constexpr double kRowH = 5.4;
  const double table_h = 7 + (shown + 1) * kRowH + (first ? 6 : 0);
  const double chart_h = std::clamp(kPageH - kMargin - 9 - table_h - 8 - y - 9, 50.0, 90.0);
  y = section(
      p, "chart-title", "People per month", y,
      {{"returning", kAccent, 0}, {"new faces", kAccentLight, 0}, {"no-show rate", kText, 1}});
  Chart c;
  for (std::size_t i = first; i < t.months.size(); ++i) {
    const MonthFigures& m = t.months[i];
    c.labels.push_back(month_name(m.month));
    c.bars.push_back(m.returning);
    c.bars_top.push_back(m.new_faces);
    c.line.push_back(m.no_show_rate());
  }
  c.line_top = 1;
  c.line_percent = true;
  c.empty_text = "No event has had arrivals yet.";
  chart(p, c, kMargin, y, kContentW, chart_h);
  y += chart_h + 8;
  y = section(p, "table-title", "Month by month", y);

  // Columns: month, events, RSVPs, came, headcount, people, new, returning, regulars, no-show.
  static const char* heads[] = {"Month",  "Events", "RSVPs",     "Came",     "Headcount",
                                "People", "New",    "Returning", "Regulars", "No-show"};
  const double widths[] = {24, 14, 16, 15, 20, 16, 14, 20, 18, 23};
  p.box("table", kMargin, y, kContentW, (shown + 1) * kRowH);
  double x = kMargin;
  for (int k = 0; k < 10; ++k) {
    p.text("", heads[k], x, y + 0.9, widths[k], 8, true, kMuted,
           k ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    x += widths[k];
  }
  p.line(kMargin, y + kRowH, kPageW - kMargin, y + kRowH, kMuted, 0.25);
  for (std::size_t i = first; i < t.months.size(); ++i) {
    const MonthFigures& m = t.months[i];
    const double ry = y + (i - first + 1) * kRowH;
    const std::string cells[] = {month_name(m.month),         std::to_string(m.events),
                                 std::to_string(m.rsvp_yes),  std::to_string(m.came_yes),
                                 std::to_string(m.headcount), std::to_string(m.people),
                                 std::to_string(m.new_faces), std::to_string(m.returning),
                                 std::to_string(m.regulars),  percent(m.no_show_rate())};
    x = kMargin;
    for (int k = 0; k < 10; ++k) {
      p.text("", cells[k], x, ry + 0.9, widths[k], 8.5, k == 0, kText,
             k ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
      x += widths[k];
    }
    p.line(kMargin, ry + kRowH, kPageW - kMargin, ry + kRowH, kRule, 0.15);
  }
  if (first)
    p.text("note",
           "The " + std::to_string(first) + " earlier months are in the CSV (--out FILE.csv).",
           kMargin, y + (shown + 1) * kRowH + 1.5, kContentW, 7.5, false, kMuted);
  footer(p, generated_at);
}

// ---------------------------------------------------------------------------
// [SECTION] Surfaces
// ---------------------------------------------------------------------------

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

template <typename Draw>
ReportLayout measure(Draw draw) {
  ReportLayout layout;
  layout.margin_mm = kMargin;
  cairo_surface_t* s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, nullptr);
  cairo_t* cr = cairo_create(s);
  draw(cr, layout);
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  return layout;
}

template <typename Draw>
Result<std::string> pdf(Draw draw, const std::string& title) {
  std::string out;
  ReportLayout layout;
  cairo_surface_t* s =
      cairo_pdf_surface_create_for_stream(append, &out, kPageW * kPtPerMm, kPageH * kPtPerMm);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Frontdesk");
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  draw(cr, layout);
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(s);
  const cairo_status_t st = cairo_surface_status(s);
  cairo_surface_destroy(s);
  if (st != CAIRO_STATUS_SUCCESS)
    return Error{"report.pdf", std::string("PDF rendering failed: ") + cairo_status_to_string(st)};
  return out;
}

}  // namespace

ReportLayout layout_event_report(const EventSummary& s, TimeMs generated_at) {
  return measure([&](cairo_t* cr, ReportLayout& l) { draw_event(cr, l, s, generated_at); });
}

Result<std::string> render_event_report_pdf(const EventSummary& s, TimeMs generated_at) {
  return pdf([&](cairo_t* cr, ReportLayout& l) { draw_event(cr, l, s, generated_at); },
             "Attendance report: " + s.event.name);
}

ReportLayout layout_group_report(const GroupTrend& t, TimeMs generated_at) {
  return measure([&](cairo_t* cr, ReportLayout& l) { draw_group(cr, l, t, generated_at); });
}

Result<std::string> render_group_report_pdf(const GroupTrend& t, TimeMs generated_at) {
  return pdf([&](cairo_t* cr, ReportLayout& l) { draw_group(cr, l, t, generated_at); },
             "Group trend: attendance by month");
}

}  // namespace fd
