#pragma once
// frontdesk bench scan: the decoder against its peers on stored images.
#include <filesystem>
#include <vector>

namespace fd {

struct BenchScanOptions {
  std::filesystem::path samples;            // the stored real-world set
  bool stored = true;                       // run it (besides `dirs`)
  std::vector<std::filesystem::path> dirs;  // more sets, e.g. tests/scan/make-testset.sh's
  bool peers = true;                        // zbarimg and ZXingReader on the same images
  bool list_misses = false;                 // name the images Frontdesk missed
  bool each_pass = false;                   // also run every pass alone on every image
};

int bench_scan(const BenchScanOptions& options);
// tests/scan/samples in the source tree this program was built from.
std::filesystem::path default_scan_samples();

}  // namespace fd
