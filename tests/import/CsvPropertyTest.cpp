// Properties of the CSV reader and writer over random tables: what is
// written is read back unchanged, with every delimiter, and no input at all
// makes the reader lose its place.
#include <doctest/doctest.h>

#include <random>

#include "import/Csv.h"
#include "import/Importer.h"

using namespace fd;

namespace {
std::string random_field(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {
      "a",    "Z",  "0", " ",  ",", ";", "\t", "|", "\"",  "\"\"", "\n",
      "\r\n", "\r", "é", "王", "🎉", "Ø", "'",  "=", "x y", "‐",    "\xD7\xA9"};
  std::string f;
  const int len = static_cast<int>(rng() % 8);
  for (int i = 0; i < len; ++i) f += pieces[rng() % pieces.size()];
  return f;
}
}  // namespace

TEST_CASE("property: write_csv then parse_csv gives the same rows - for every delimiter") {
  std::mt19937 rng(424242);
  for (char delim : {',', ';', '\t', '|'}) {
    for (int iter = 0; iter < 300; ++iter) {
      const std::size_t cols = 1 + rng() % 6;
      std::vector<std::vector<std::string>> rows;
      // A header without the delimiter so detection is not what is tested here.
      std::vector<std::string> header;
      for (std::size_t c = 0; c < cols; ++c) header.push_back("col" + std::to_string(c));
      rows.push_back(header);
      const std::size_t n = rng() % 12;
      for (std::size_t r = 0; r < n; ++r) {
        std::vector<std::string> row;
        for (std::size_t c = 0; c < cols; ++c) row.push_back(random_field(rng));
        rows.push_back(row);
      }
      const std::string text = write_csv(rows, delim);
      const CsvTable t = parse_csv(text, delim);
      REQUIRE(t.errors.empty());
      REQUIRE(t.header == header);
      REQUIRE(t.records.size() == n);
      for (std::size_t r = 0; r < n; ++r) REQUIRE(t.records[r].fields == rows[r + 1]);
      // Detection finds the delimiter when the header uses it.
      if (cols > 1) CHECK(parse_csv(text).delimiter == delim);
    }
  }
}

TEST_CASE("property: random bytes never break the reader's invariants") {
  std::mt19937 rng(7);
  const std::string alphabet = "ab,;\"\r\n\t |\xC3\xA9\xFF";
  for (int iter = 0; iter < 2000; ++iter) {
    std::string s;
    const int len = static_cast<int>(rng() % 200);
    for (int i = 0; i < len; ++i) s += alphabet[rng() % alphabet.size()];
    const CsvTable t = parse_csv(s);
    std::size_t last = t.header_line;
    for (const auto& r : t.records) {
      REQUIRE(r.line > last);  // records come in file order, one line each at least
      last = r.line;
    }
    const ImportBatch b = read_attendees(s, {});
    for (const auto& row : b.rows) REQUIRE_FALSE(row.full_name.empty());
    for (const auto& e : b.errors) REQUIRE(e.line >= 1);
  }
}

TEST_CASE("property: one broken row among good ones costs only that row") {
  std::mt19937 rng(99);
  for (int iter = 0; iter < 200; ++iter) {
    const int n = 3 + static_cast<int>(rng() % 20);
    const int bad = static_cast<int>(rng() % n);
    std::string csv = "Name,Email,Company\n";
    for (int i = 0; i < n; ++i) {
      if (i == bad)
        csv += "\"Broken " + std::to_string(i) + ",b@example.org,X\n";
      else
        csv += "Person " + std::to_string(i) + ",p" + std::to_string(i) + "@example.org,\"Co, " +
               std::to_string(i) + "\"\n";
    }
    const ImportBatch b = read_attendees(csv, {});
    REQUIRE(b.errors.size() == 1);
    CHECK(b.errors[0].line == static_cast<std::size_t>(bad + 2));
    CHECK(b.rows.size() == static_cast<std::size_t>(n - 1));
  }
}
