#pragma once
#include <vector>

namespace fd {
struct Migration {
  int version;
  const char* name;
  const char* sql;
};
// All migrations in ascending version order (kiosk/store/migrations/NNNN_*.sql).
const std::vector<Migration>& migrations();
}  // namespace fd
