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

// One page of an attendee list, whichever service sent it (not the doors'
// AttendeePage: that is a page of another door's list).
struct ServicePage {
  std::vector<AttendeeRow> rows;
  std::vector<RemoteCheckIn> remote;  // check-ins the service recorded
  std::string next;                   // pretix: next page's URL; others: their cursor
  bool more = false;                  // another page follows
};

// pretix: GET .../orders/ (orders with positions). Check-ins count only on
// `checkin_list`. Add-on positions (a T-shirt) are not people and are left out.
Result<ServicePage> parse_pretix_orders(std::string_view body, std::int64_t checkin_list);
// pretix: GET .../events/E/ → valid_keys.pretix_sig1 (published keys).
Result<std::vector<std::string>> parse_pretix_event_keys(std::string_view body);
// pretix: GET .../checkinlists/N/positions/ (a check-in list's tickets;
// what pretixSCAN profiles without order access may read). Entries carry
// the order's code and status (`order`, `order__status`). `pending_valid`:
// the list admits pending orders (its include_pending).
Result<ServicePage> parse_pretix_positions(std::string_view body, std::int64_t checkin_list,
                                           bool pending_valid);
// pretix: a check-in list: which products it admits.
struct PretixCheckinList {
  std::int64_t id = 0;
  std::string name;
  bool all_products = true;
  std::vector<std::int64_t> products;
  bool include_pending = false;  // pending orders count as valid here
};
// GET .../checkinlists/N/ (one list).
Result<PretixCheckinList> parse_pretix_checkin_list(std::string_view body);
// GET .../checkinlists/ (a page of lists; the detail route is not in the
// pretixSCAN device profiles' allow-list, this one is).
struct PretixCheckinListsPage {
  std::vector<PretixCheckinList> lists;
  std::string next;
};
Result<PretixCheckinListsPage> parse_pretix_checkin_lists(std::string_view body);
// pretix: GET .../revokedsecrets/ or .../blockedsecrets/ (a page).
struct SecretsPage {
  std::vector<std::string> secrets;
  std::string next;
};
Result<SecretsPage> parse_pretix_secrets(std::string_view body, bool blocked_only);
// pretix: POST /api/v1/device/initialize → the device (its API token), or
// GET /api/v1/device/info → {"device": {...}} (no token there).
struct PretixDevice {
  std::string api_token;
  std::string security_profile;  // full, pretixscan, pretixscan_online_noorders, ...
  std::string name;
};
Result<PretixDevice> parse_pretix_device(std::string_view body);
// pretix's words in an error answer (Django REST framework: {"detail": ...},
// ["..."], or {"field": ["..."]}) as one line: "os_version: This field may
// not be blank."; "" when the body says nothing readable.
std::string pretix_refusal_words(std::string_view body);
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
Result<ServicePage> parse_eventbrite_attendees(std::string_view body);
// Meetup: the GraphQL answer of the RSVP query (first/after paging).
// GraphQL errors in an HTTP 200 are Errors: RATE_LIMITED is sync.busy (wait
// and ask again), any other sync.refused with Meetup's words. ATTENDED RSVPs
// are also check-ins made on Meetup.
Result<ServicePage> parse_meetup_rsvps(std::string_view body);
// Meetup: how long a RATE_LIMITED error asks us to wait (its
// extensions.resetAt), at most a minute; -1 when it does not say.
TimeMs meetup_retry_ms(std::string_view body, TimeMs now);
// An OAuth 2 token answer (Meetup's secure.meetup.com/oauth2/access).
struct OAuthToken {
  std::string access_token, refresh_token;
  std::int64_t expires_in_s = 0;  // 0: not said
};
Result<OAuthToken> parse_oauth_token(std::string_view body);
// Luma: a page of guests, from GET /v1/events/guests/list (flat entries:
// id, user_name, user_email, approval_status, check_in_qr_code,
// event_tickets[].checked_in_at) or the older GET /v1/event/get-guests
// ({api_id, guest: {...}}); pagination_cursor / next_cursor.
Result<ServicePage> parse_luma_guests(std::string_view body);

// ISO 8601 ("2026-11-23T18:42:05.123456+01:00", "...Z") → Unix ms; 0 when unreadable.
TimeMs parse_iso_time(const std::string& s);

}  // namespace fd
