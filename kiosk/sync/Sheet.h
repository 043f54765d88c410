#pragma once
// `frontdesk sync sheet`: for services without a write API (Eventbrite,
// Meetup, Luma), what an organizer needs to mark attendance by hand
// fastest: the service's people in the order its own attendee page lists
// them, each marked attended / no-show / not expected, then the walk-ins.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/Attendee.h"
#include "model/CheckIn.h"

namespace fd {

// CSV text (UTF-8 with BOM, so spreadsheets read names in any script).
std::string attendance_sheet(const std::string& service, const std::vector<AttendeeRecord>& people,
                             const std::unordered_map<std::int64_t, Presence>& present);

}  // namespace fd
