// Badges: the right page size for the label, the name in the PDF's text,
// nothing outside the printable area, pure black and white on thermal labels.
#include <cairo.h>
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "TestSupport.h"
#include "badge/BadgeRenderer.h"

using namespace fd;
namespace fs = std::filesystem;

namespace {
using fd::test::run;
fs::path save(const std::string& name, const std::string& bytes) {
  fs::create_directories(FD_BADGES_DIR);
  const fs::path f = fs::path(FD_BADGES_DIR) / name;
  std::ofstream(f, std::ios::binary) << bytes;
  return f;
}
const std::vector<BadgeData> kPeople = {
    {"Ana", "García", "Ana García", "Acme Corp", "she/her", "Speaker", "PyMeetup", "A1", ""},
    {"María de los Ángeles", "Fernández-Villaverde y Castellanos", "",
     "Universidad Complutense de Madrid", "", "", "PyMeetup", "A2", ""},
    {"芳", "王", "王芳", "東京ソフト株式会社", "", "", "PyMeetup", "A3", ""},
    {"محمد", "العلي", "محمد العلي", "Initech", "", "Organizer", "PyMeetup", "A4", ""},
    {"Ana 🌈", "Lopes", "Ana 🌈 Lopes", "", "they/them", "Volunteer", "PyMeetup", "A5", ""},
};
}  // namespace

TEST_CASE("PDF pages have the label's size and carry the name as text") {
  for (const char* preset : {"brother-62x100", "dymo-99014", "dymo-99012", "zebra-4x3"}) {
    BadgeTemplate t = default_badge_template(preset);
    t.show_qr = true;
    auto pdf = render_badge_pdf(kPeople[0], t);
    REQUIRE(pdf.ok());
    const fs::path f = save(std::string("ana-") + preset + ".pdf", *pdf);
    const std::string info = run("pdfinfo '" + f.string() + "'");
    const auto at = info.find("Page size:");
    REQUIRE(at != std::string::npos);
    double w = 0, h = 0;
    REQUIRE(std::sscanf(info.c_str() + at, "Page size: %lf x %lf", &w, &h) == 2);
    CHECK(std::abs(w - t.label.width_mm * 72 / 25.4) < 0.5);
    CHECK(std::abs(h - t.label.height_mm * 72 / 25.4) < 0.5);
    CHECK(run("pdftotext '" + f.string() + "' -").find("Ana") != std::string::npos);
  }
}

TEST_CASE("thermal labels are pure black and white - sample badges for people to look at") {
  for (const char* preset : {"brother-62x100", "dymo-99014"}) {
    for (std::size_t i = 0; i < kPeople.size(); ++i) {
      auto png = render_badge_png(kPeople[i], default_badge_template(preset));
      REQUIRE(png.ok());
      const fs::path f = save("person" + std::to_string(i + 1) + "-" + preset + ".png", *png);
      cairo_surface_t* s = cairo_image_surface_create_from_png(f.c_str());
      REQUIRE(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS);
      const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
      CHECK(w == static_cast<int>(
                     std::lround(default_badge_template(preset).label.width_mm / 25.4 * 300)));
      const unsigned char* d = cairo_image_surface_get_data(s);
      const int stride = cairo_image_surface_get_stride(s);
      long grey = 0, black = 0;
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
          const unsigned char v = d[y * stride + x * 4];
          grey += v != 0 && v != 255;
          black += v == 0;
        }
      CHECK_MESSAGE(grey == 0, f);
      CHECK(black > 1000);  // something was drawn
      cairo_surface_destroy(s);
    }
  }
}

TEST_CASE("property: random names on random labels stay inside the printable area") {
  std::mt19937 rng(8);
  const std::vector<std::string> parts = {"Ana",
                                          "Wolfeschlegelsteinhausenbergerdorff",
                                          "María",
                                          "de los",
                                          "Ángeles",
                                          "王",
                                          "芳",
                                          "محمد",
                                          "Иван",
                                          "🌈",
                                          "Fernández-Villaverde",
                                          "O'Brien",
                                          "x"};
  for (int i = 0; i < 150; ++i) {
    BadgeTemplate t = default_badge_template();
    t.label.width_mm = 36 + rng() % 70;
    t.label.height_mm = 36 + rng() % 70;
    t.label.margin_mm = 2 + rng() % 4;
    t.show_qr = rng() % 2;
    t.landscape = rng() % 2;
    BadgeData d;
    for (int k = 0, n = 1 + static_cast<int>(rng() % 3); k < n; ++k)
      d.first_name += (k ? " " : "") + parts[rng() % parts.size()];
    for (int k = 0, n = static_cast<int>(rng() % 4); k < n; ++k)
      d.last_name += (k ? " " : "") + parts[rng() % parts.size()];
    d.company = rng() % 2 ? "Universidad Complutense de Madrid" : "";
    d.role = rng() % 3 ? "" : "Speaker";
    d.qr_payload = "A" + std::to_string(i);
    const BadgeLayout l = layout_badge(d, t);
    REQUIRE(l.find("first_name"));
    for (const BadgeBox& b : l.boxes) {
      INFO(b.what << " " << b.x << "," << b.y << " " << b.w << "x" << b.h << " on " << l.width_mm
                  << "x" << l.height_mm);
      CHECK(b.x >= l.margin_mm - 1e-6);
      CHECK(b.y >= l.margin_mm - 1e-6);
      CHECK(b.x + b.w <= l.width_mm - l.margin_mm + 1e-6);
      CHECK(b.y + b.h <= l.height_mm - l.margin_mm + 1e-6);
    }
  }
}

TEST_CASE("long names shrink before they wrap - and short ones stay large") {
  const BadgeTemplate t = default_badge_template("dymo-99014");
  const BadgeLayout shortl = layout_badge(kPeople[0], t);
  const BadgeLayout longl =
      layout_badge({"Wolfeschlegelsteinhausenbergerdorff", "", "", "", "", "", "", "", ""}, t);
  CHECK(shortl.find("first_name")->font_pt > 2 * longl.find("first_name")->font_pt);
  CHECK(longl.find("first_name")->shrunk);
  CHECK(longl.find("first_name")->lines <= 2);
}

TEST_CASE("badge templates: presets - custom sizes - plain errors") {
  auto t =
      parse_badge_template("[label]\npreset = \"dymo-99012\"\n[fields]\nqr = true\n", "b.toml");
  REQUIRE(t.ok());
  CHECK(t->label.width_mm == 36);
  CHECK(t->show_qr);
  CHECK(parse_badge_template("[label]\npreset = \"custom\"\nwidth_mm = 80\nheight_mm = 50\n",
                             "b.toml")
            ->label.width_mm == 80);
  CHECK(parse_badge_template("[label]\npreset = \"nope\"\n", "b.toml")
            .error()
            .message.find("Presets:") != std::string::npos);
  CHECK(parse_badge_template("[label]\nwidth_mm = 5\npreset=\"custom\"\n", "b.toml")
            .error()
            .message.find("between 20 and 300") != std::string::npos);
  CHECK(parse_badge_template("[label\n", "b.toml").error().message.find("b.toml:1") == 0);
  auto example = load_badge_template(std::string(FD_SOURCE_DIR) + "/config/badge.toml");
  REQUIRE_MESSAGE(example.ok(), (example.ok() ? "" : example.error().message));
}

TEST_CASE("a title is never the large first name on a badge") {
  // As `badge --name` gives it, and as a list imported before titles were
  // recognised holds it ("Dr." as the first name).
  const std::vector<BadgeData> titled = {
      {"", "", "Dr. Jane Smith", "Acme", "", "", "PyMeetup", "A1", ""},
      {"Dr.", "Jane Smith", "Dr. Jane Smith", "Acme", "", "", "PyMeetup", "A1", ""},
      {"", "", "ศาสตราจารย์ สมชาย ใจดี", "", "", "", "PyMeetup", "A2", ""},
  };
  for (std::size_t i = 0; i < titled.size(); ++i) {
    auto pdf = render_badge_pdf(titled[i], default_badge_template("brother-62x100"));
    REQUIRE(pdf.ok());
    const fs::path f = save("titled-" + std::to_string(i) + ".pdf", *pdf);
    const std::string text = run("pdftotext '" + f.string() + "' -");
    INFO(text);
    if (i < 2) {
      CHECK(text.find("Jane") != std::string::npos);
      CHECK(text.find("Smith") != std::string::npos);
      CHECK(text.find("Dr.") == std::string::npos);
    } else {
      CHECK(text.find("สมชาย") != std::string::npos);
      CHECK(text.find("ศาสตราจารย์") == std::string::npos);
    }
  }
}
