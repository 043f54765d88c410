#pragma once
// Attendee lists as organizers really export them (Meetup, Eventbrite,
// pretix, Luma, any headed CSV) → an ImportBatch in the door's terms.
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/Error.h"
#include "model/Import.h"

namespace fd {

using ImportProgress = std::function<void(std::size_t done, std::size_t total)>;

struct ImportOptions {
  std::string source = "auto";  // auto | meetup | eventbrite | pretix | luma | csv
  // field -> header, from --map name=Full Name,email=E-mail. Fields: id,
  // member_id, ticket, name, first_name, last_name, email, company,
  // ticket_type, role, rsvp, guests.
  std::vector<std::pair<std::string, std::string>> column_map;
  ImportProgress progress;  // may be empty
};

// Never fails as a whole for bad rows: they are reported in batch.errors
// with their line numbers. A file without a usable name column yields no
// rows and one error saying which columns it has.
ImportBatch read_attendees(std::string_view file_bytes, const ImportOptions& opts);
Result<ImportBatch> read_attendee_file(const std::filesystem::path& file,
                                       const ImportOptions& opts);
Result<std::vector<std::pair<std::string, std::string>>> parse_column_map(std::string_view spec);
// Which service exported a file with this header ("csv" when unknown).
std::string detect_source(const std::vector<std::string>& header);

}  // namespace fd
