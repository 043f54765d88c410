#pragma once
// The reports as files: one A4 page as PDF (cairo + pango, like the badges)
// and the same figures as CSV. Counts only: no names, e-mail addresses,
// companies or ticket codes ever reach these files.
//
// Thread-safety: free functions; each call has its own cairo and pango state.
#include <string>
#include <vector>

#include "base/Error.h"
#include "report/Summary.h"

namespace fd {

// A drawn element of a report page, in mm from the page's top left: what
// the layout tests check (nothing outside the margins, nothing overlapping).
struct ReportBox {
  std::string what;  // "title", "tile:People came", "chart", "table", "footer", ...
  double x = 0, y = 0, w = 0, h = 0;
};
struct ReportLayout {
  double width_mm = 210, height_mm = 297, margin_mm = 15;
  std::vector<ReportBox> boxes;
  const ReportBox* find(const std::string& what) const;
};

// `generated_at` is printed in the footer (local time).
ReportLayout layout_event_report(const EventSummary& s, TimeMs generated_at);
Result<std::string> render_event_report_pdf(const EventSummary& s, TimeMs generated_at);
ReportLayout layout_group_report(const GroupTrend& t, TimeMs generated_at);
Result<std::string> render_group_report_pdf(const GroupTrend& t, TimeMs generated_at);

// "metric,value" rows, a blank line, then one row per quarter hour.
std::string event_report_csv(const EventSummary& s);
// One row per month.
std::string group_trend_csv(const GroupTrend& t);

}  // namespace fd
