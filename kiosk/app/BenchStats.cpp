#include "app/BenchStats.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>

namespace fd {

Summary summarize(std::vector<double> v) {
  Summary s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.n = v.size();
  s.median = v[v.size() / 2];
  s.p99 = v[std::min(v.size() - 1, static_cast<std::size_t>(std::ceil(v.size() * 0.99)) - 1)];
  s.max = v.back();
  return s;
}

void print_summary(const std::string& what, const Summary& s, const std::string& target) {
  std::cout << "  " << std::left << std::setw(44) << what << std::right << std::fixed
            << std::setprecision(3) << "median " << std::setw(9) << s.median << " ms   p99 "
            << std::setw(9) << s.p99 << " ms   max " << std::setw(9) << s.max << " ms   n=" << s.n;
  if (!target.empty()) std::cout << "   (target " << target << ")";
  std::cout << "\n";
}

}  // namespace fd
