#include "badge/BadgeTemplate.h"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>

namespace fd {

std::vector<LabelSize> label_presets() {
  // Brother QL: DK-11202/22205 at 300 dpi. Dymo LabelWriter 450: 99014 name
  // badge, 30256 shipping, 99012 address. Zebra 4x3" at 203 dpi. A4 sheets of
  // 90x55 mm badges for office printers, in colour.
  return {
      {"brother-62x100", 62, 100, 3, 300, true}, {"brother-62-continuous", 62, 90, 3, 300, true},
      {"dymo-99014", 54, 101, 3, 300, true},     {"dymo-30256", 59, 102, 3, 300, true},
      {"dymo-99012", 36, 89, 2.5, 300, true},    {"zebra-4x3", 101.6, 76.2, 3, 203, true},
      {"a4-sheet", 90, 55, 4, 300, false},
  };
}

Result<LabelSize> label_preset(std::string_view name) {
  for (const LabelSize& l : label_presets())
    if (l.preset == name) return l;
  std::string known;
  for (const LabelSize& l : label_presets()) known += (known.empty() ? "" : ", ") + l.preset;
  return Error{"badge.preset", "No label preset '" + std::string(name) + "'. Presets: " + known};
}

BadgeTemplate default_badge_template(std::string_view preset) {
  BadgeTemplate t;
  if (auto l = label_preset(preset)) t.label = *l;
  t.role_colours = {{"Speaker", "#C62828"},
                    {"Organizer", "#1565C0"},
                    {"Sponsor", "#6A1B9A"},
                    {"Volunteer", "#2E7D32"}};
  return t;
}

Result<BadgeTemplate> parse_badge_template(std::string_view text, const std::string& origin) {
  toml::table t;
  try {
    t = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << origin << ":" << e.source().begin.line << ": " << e.description();
    return Error{"badge.syntax", msg.str()};
  }
  const std::string preset = t["label"]["preset"].value_or(std::string("brother-62x100"));
  BadgeTemplate b = default_badge_template("brother-62x100");
  if (preset != "custom") {
    auto l = label_preset(preset);
    if (!l) return Error{"badge.preset", origin + ": " + l.error().message};
    b.label = *l;
  } else {
    b.label.preset = "custom";
  }
  b.label.width_mm = t["label"]["width_mm"].value_or(b.label.width_mm);
  b.label.height_mm = t["label"]["height_mm"].value_or(b.label.height_mm);
  b.label.margin_mm = t["label"]["margin_mm"].value_or(b.label.margin_mm);
  b.label.dpi = t["label"]["dpi"].value_or(b.label.dpi);
  b.label.one_bit = t["label"]["one_bit"].value_or(b.label.one_bit);
  if (b.label.width_mm < 20 || b.label.height_mm < 20 || b.label.width_mm > 300 ||
      b.label.height_mm > 300)
    return Error{"badge.size", origin + ": a label is between 20 and 300 mm on each side"};
  if (b.label.margin_mm < 0 ||
      b.label.margin_mm * 2 >= std::min(b.label.width_mm, b.label.height_mm))
    return Error{"badge.margin", origin + ": the margin leaves no room on the label"};
  if (b.label.dpi < 100 || b.label.dpi > 1200)
    return Error{"badge.dpi", origin + ": dpi must be between 100 and 1200"};
  b.landscape = t["layout"]["landscape"].value_or(b.landscape);
  b.show_last_name = t["fields"]["last_name"].value_or(b.show_last_name);
  b.show_company = t["fields"]["company"].value_or(b.show_company);
  b.show_pronouns = t["fields"]["pronouns"].value_or(b.show_pronouns);
  b.show_role_band = t["fields"]["role_band"].value_or(b.show_role_band);
  b.show_event = t["fields"]["event"].value_or(b.show_event);
  b.show_qr = t["fields"]["qr"].value_or(b.show_qr);
  b.font_family = t["layout"]["font"].value_or(b.font_family);
  if (auto logo = t["layout"]["logo"].value<std::string>()) b.logo = *logo;
  if (const auto* roles = t["roles"].as_table())
    for (const auto& [k, v] : *roles)
      if (auto c = v.value<std::string>()) b.role_colours[std::string(k.str())] = *c;
  return b;
}

Result<BadgeTemplate> load_badge_template(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{"badge.open", "Cannot read the badge template " + file.string()};
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_badge_template(ss.str(), file.string());
}

}  // namespace fd
