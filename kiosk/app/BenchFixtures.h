#pragma once
// What the `frontdesk bench ...` commands share to set up a measurement:
// throwaway stores, synthetic lists, a clock.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "engine/Engine.h"
#include "model/Import.h"

namespace fd {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0);

// An event of that name, created on first use.
EngineOptions bench_options(const std::string& event, bool admit_not_expected);
// A fresh folder under `base` (the disk being measured).
std::filesystem::path make_temp_dir(const std::string& base);
// n synthetic people with names in many scripts, companies, e-mails and
// tickets "T1000000"...
ImportBatch synthetic_batch(std::size_t n, std::uint64_t seed);

}  // namespace fd
