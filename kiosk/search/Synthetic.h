#pragma once
// Realistic, multilingual synthetic attendees for benchmarks and tests:
// names from many scripts and languages, long double-barrelled ones, and
// companies. Deterministic for a seed.
#include <cstdint>
#include <vector>

#include "search/SearchIndex.h"

namespace fd {
std::vector<SearchDoc> synthetic_people(std::size_t n, std::uint64_t seed);
}
