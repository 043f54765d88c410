#pragma once
// What an import produces and what merging it did.
#include <cstddef>
#include <string>
#include <vector>

#include "model/Attendee.h"

namespace fd {

struct RowError {
  std::size_t line = 0;  // 1-based physical line where the bad row starts
  std::string message;   // plain words: "unbalanced quote", "no name", ...
};

struct ImportBatch {
  std::string source;  // "meetup", "eventbrite", "pretix", "luma" or "csv"
  std::vector<AttendeeRow> rows;
  std::vector<RowError> errors;
  std::vector<std::string> warnings;  // file-level notes: "decoded as Windows-1252"
};

struct MergeReport {
  int added = 0;
  int updated = 0;
  int unchanged = 0;
  int cancelled = 0;    // became cancelled / no in this import (or pruned)
  int not_in_file = 0;  // on the list before, absent from this file
  int errors = 0;       // rows the file could not give us
};

}  // namespace fd
