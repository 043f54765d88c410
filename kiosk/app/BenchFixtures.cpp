#include "app/BenchFixtures.h"

#include <stdlib.h>

#include <stdexcept>

#include "search/Synthetic.h"

namespace fd {

EngineOptions bench_options(const std::string& event, bool admit_not_expected) {
  EngineOptions o;
  o.event = event;
  o.create_event = true;
  o.admit_not_expected = admit_not_expected;
  return o;
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::filesystem::path make_temp_dir(const std::string& base) {
  std::string tmpl = (std::filesystem::path(base) / "frontdesk-bench-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a directory under " + base);
  return tmpl;
}

ImportBatch synthetic_batch(std::size_t n, std::uint64_t seed) {
  ImportBatch batch;
  batch.source = "csv";
  std::size_t i = 0;
  for (SearchDoc& d : synthetic_people(n, seed)) {
    AttendeeRow r;
    r.external_id = "bench-" + std::to_string(i);
    r.ticket_code = "T" + std::to_string(1000000 + i);
    r.full_name = d.name;
    r.company = d.company;
    r.email = "person" + std::to_string(i) + "@example.org";
    r.line = ++i + 1;
    batch.rows.push_back(std::move(r));
  }
  return batch;
}

}  // namespace fd
