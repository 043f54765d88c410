#pragma once
// The services' JSON answers → values in the door's terms. Pure functions,
// fuzzed (tests/fuzz/fuzz_sync_*.cpp): bad JSON, a wrong type or a missing
// field is a plain Error, never a crash and never half a page; sizes are
// bounded (the HTTP layer caps a body at a few MB; here fields are clipped
// and a page holds at most kMaxPageRows rows).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/Error.h"
#include "model/Attendee.h"
#include "model/Sync.h"

namespace fd {

constexpr std::size_t kMaxPageRows = 10000;

// One page of an attendee list, whichever service sent it.
struct AttendeePage {
  std::vector<AttendeeRow> rows;
  std::vector<RemoteCheckIn> remote;  // check-ins the service recorded
  std::string next;                   // pretix: next page's URL; others: their cursor
  bool more = false;                  // another page follows
};

// pretix: GET .../orders/ (orders with positions). Check-ins count only on
// `checkin_list`. Add-on positions (a T-shirt) are not people and are left out.
Result<AttendeePage> parse_pretix_orders(std::string_view body, std::int64_t checkin_list);
// pretix: GET .../events/E/ → valid_keys.pretix_sig1 (published keys).
Result<std::vector<std::string>> parse_pretix_event_keys(std::string_view body);
// pretix: GET .../checkinlists/N/ → which products it admits.
struct PretixCheckinList {
  std::string name;
  bool all_products = true;
  std::vector<std::int64_t> products;
};
Result<PretixCheckinList> parse_pretix_checkin_list(std::string_view body);
// pretix: GET .../revokedsecrets/ or .../blockedsecrets/ (a page).
struct SecretsPage {
  std::vector<std::string> secrets;
  std::string next;
};
Result<SecretsPage> parse_pretix_secrets(std::string_view body, bool blocked_only);
// pretix: POST /api/v1/device/initialize → the device's API token.
Result<std::string> parse_pretix_device(std::string_view body);
// pretix: checkinrpc answers. Tolerant: an unreadable body gives empty fields.
struct PretixAnswer {
  std::string status;  // ok, error, incomplete, ... ("" unreadable)
  std::string reason;  // already_redeemed, canceled, revoked, ...
  std::string explanation;
};
PretixAnswer parse_pretix_answer(std::string_view body);
// Plain words for pretix's refusal reasons.
std::string pretix_reason_words(const std::string& reason);

// Eventbrite: GET /v3/events/E/attendees/ (continuation paging).
Result<AttendeePage> parse_eventbrite_attendees(std::string_view body);
// Meetup: the GraphQL answer of the RSVP query (first/after paging).
Result<AttendeePage> parse_meetup_rsvps(std::string_view body);
// Luma: GET /v1/event/get-guests (pagination_cursor / next_cursor).
Result<AttendeePage> parse_luma_guests(std::string_view body);

// ISO 8601 ("2026-11-23T18:42:05.123456+01:00", "...Z") → Unix ms; 0 when unreadable.
TimeMs parse_iso_time(const std::string& s);

}  // namespace fd
