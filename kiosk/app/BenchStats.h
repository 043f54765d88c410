#pragma once
// Medians and p99s as every `frontdesk bench ...` prints them.
#include <cstddef>
#include <string>
#include <vector>

namespace fd {

struct Summary {
  double median = 0, p99 = 0, max = 0;
  std::size_t n = 0;
};

// Of milliseconds, in any order.
Summary summarize(std::vector<double> ms);
// One aligned line: what, median, p99, max, n and the target when given.
void print_summary(const std::string& what, const Summary& s, const std::string& target = "");

}  // namespace fd
