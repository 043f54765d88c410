#pragma once
// What a badge looks like: the label it is printed on and which fields it
// shows. Loaded from config/badge.toml; presets cover the label printers
// meetups use.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/Error.h"

namespace fd {

struct LabelSize {
  std::string preset;  // "brother-62x100", "dymo-99014", ... or "custom"
  double width_mm = 62, height_mm = 100;
  double margin_mm = 3;  // unprintable edge
  int dpi = 300;
  bool one_bit = true;  // thermal printers: black and white only, no grey
};

struct BadgeTemplate {
  LabelSize label;
  bool landscape = false;
  bool show_last_name = true;
  bool show_company = true;
  bool show_pronouns = true;
  bool show_role_band = true;
  bool show_event = true;
  bool show_qr = false;
  std::string font_family = "Noto Sans";
  std::filesystem::path logo;                       // PNG, optional
  std::map<std::string, std::string> role_colours;  // "Speaker" -> "#D84315"
};

// Known presets, for `frontdesk printers` and the config's preset key.
std::vector<LabelSize> label_presets();
Result<LabelSize> label_preset(std::string_view name);
BadgeTemplate default_badge_template(std::string_view preset = "brother-62x100");
// Errors name the file and the line, in plain words.
Result<BadgeTemplate> parse_badge_template(std::string_view toml_text, const std::string& origin);
Result<BadgeTemplate> load_badge_template(const std::filesystem::path& file);

}  // namespace fd
