// libFuzzer: arbitrary bytes as an attendee file. Must never crash, hang or
// break the reader's invariants.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "import/Csv.h"
#include "import/Encoding.h"
#include "import/Importer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const fd::DecodedText d = fd::to_utf8(bytes);
  if (!fd::is_valid_utf8(d.utf8)) std::abort();
  const fd::CsvTable t = fd::parse_csv(d.utf8);
  std::size_t last = t.header_line;
  for (const auto& r : t.records) {
    if (r.line <= last) std::abort();
    last = r.line;
  }
  const fd::ImportBatch b = fd::read_attendees(bytes, {});
  for (const auto& row : b.rows)
    if (row.full_name.empty() || row.external_id.empty()) std::abort();
  // Round trip of what was read.
  std::vector<std::vector<std::string>> rows{t.header};
  for (const auto& r : t.records) rows.push_back(r.fields);
  if (!t.header.empty()) {
    const fd::CsvTable again = fd::parse_csv(fd::write_csv(rows, t.delimiter), t.delimiter);
    if (again.records.size() != t.records.size()) std::abort();
  }
  return 0;
}
