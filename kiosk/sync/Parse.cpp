#include "sync/Parse.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "base/Time.h"
#include "tickets/Ticket.h"

namespace fd {

namespace {

using json = nlohmann::json;
constexpr std::size_t kMaxField = 1000;  // bytes of one text field
constexpr int kMaxDepth = 64;

// nlohmann's parser handles any depth, but nothing we read nests deeper
// than a handful of levels; refusing early keeps hostile input cheap.
bool depth_ok(std::string_view body) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') {
      if (++depth > kMaxDepth) return false;
    }
    if (c == '}' || c == ']') --depth;
  }
  return true;
}

Result<json> parse_json(std::string_view body, const char* what) {
  if (!depth_ok(body))
    return Error{"sync.json", std::string(what) + ": the answer nests too deeply to be real"};
  json j = json::parse(body.begin(), body.end(), nullptr, false);
  if (j.is_discarded())
    return Error{"sync.json", std::string(what) + ": the answer is not valid JSON (cut off?)"};
  return j;
}

// A text field clipped to kMaxField bytes at a character boundary.
std::string clip(std::string s) {
  if (s.size() <= kMaxField) return s;
  std::size_t n = kMaxField;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

// Text of o[key] when it is a string or a number; "" otherwise.
std::string text(const json& o, const char* key) {
  if (!o.is_object()) return {};
  auto it = o.find(key);
  if (it == o.end()) return {};
  if (it->is_string()) return clip(it->get<std::string>());
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  if (it->is_number_unsigned()) return std::to_string(it->get<std::uint64_t>());
  return {};
}

std::int64_t integer(const json& o, const char* key) {
  if (!o.is_object()) return 0;
  auto it = o.find(key);
  if (it == o.end()) return 0;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_number_unsigned()) return static_cast<std::int64_t>(it->get<std::uint64_t>());
  return 0;
}

bool flag(const json& o, const char* key) {
  if (!o.is_object()) return false;
  auto it = o.find(key);
  return it != o.end() && it->is_boolean() && it->get<bool>();
}

const json* object(const json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it != o.end() && it->is_object() ? &*it : nullptr;
}

const json* array(const json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it != o.end() && it->is_array() ? &*it : nullptr;
}

void split_name(AttendeeRow& row) {
  if (!row.first_name.empty() || !row.last_name.empty()) return;
  const auto space = row.full_name.find(' ');
  row.first_name = row.full_name.substr(0, space);
  if (space != std::string::npos) row.last_name = row.full_name.substr(space + 1);
}

Error missing(const char* what, const char* field) {
  return Error{"sync.shape", std::string(what) + ": the answer has no '" + field +
                                 "' list — not the API we expected"};
}

}  // namespace

TimeMs parse_iso_time(const std::string& s) {
  const TimeMs t = parse_datetime(s);
  return t < 0 ? 0 : t;
}

// ---------------------------------------------------------------------------
// [SECTION] pretix
// ---------------------------------------------------------------------------

namespace {

// What an order says about all its positions.
struct PretixOrder {
  std::string code, status, email, buyer;  // status: n pending, p paid, e expired, c canceled
  bool valid_if_pending = false;
};

// One position (a ticket) as a row, and its check-ins on `checkin_list`.
// Shared by the orders endpoint (positions inside orders) and the check-in
// list's positions endpoint (one position per entry, order fields flattened).
void add_position(const json& p, const PretixOrder& order, std::int64_t checkin_list,
                  ServicePage& page) {
  AttendeeRow row;
  row.external_id = order.code + "-" + text(p, "positionid");
  row.ticket_code = text(p, "secret");
  row.full_name = text(p, "attendee_name");
  if (const json* parts = object(p, "attendee_name_parts")) {
    row.first_name = text(*parts, "given_name");
    row.last_name = text(*parts, "family_name");
    if (row.full_name.empty()) row.full_name = text(*parts, "full_name");
  }
  if (row.full_name.empty())
    row.full_name = !row.first_name.empty() || !row.last_name.empty()
                        ? row.first_name + (row.last_name.empty() ? "" : " " + row.last_name)
                    : !order.buyer.empty() ? order.buyer
                                           : "Ticket " + row.external_id;
  split_name(row);
  row.email = text(p, "attendee_email");
  if (row.email.empty()) row.email = order.email;
  row.company = text(p, "company");
  const std::int64_t item = integer(p, "item");
  row.ticket_type = item ? "pretix product " + std::to_string(item) : "";
  if (order.status == "c" || order.status == "e" || flag(p, "canceled"))
    row.rsvp = Rsvp::Cancelled;
  else if (order.status == "n")
    row.rsvp = order.valid_if_pending ? Rsvp::Yes : Rsvp::Waitlist;
  else
    row.rsvp = Rsvp::Yes;
  if (const json* checkins = array(p, "checkins")) {
    for (const json& c : *checkins) {
      if (integer(c, "list") != checkin_list) continue;
      const std::string type = text(c, "type");
      if (!type.empty() && type != "entry") continue;
      const std::string when = text(c, "datetime");
      RemoteCheckIn r;
      r.external_id = row.external_id;
      r.remote_id = text(c, "id");
      if (r.remote_id.empty()) r.remote_id = row.external_id + "@" + when;
      r.at = parse_iso_time(when);
      page.remote.push_back(std::move(r));
    }
  }
  page.rows.push_back(std::move(row));
}

bool is_addon(const json& p) { return p.contains("addon_to") && !p["addon_to"].is_null(); }

}  // namespace

Result<ServicePage> parse_pretix_orders(std::string_view body, std::int64_t checkin_list) {
  auto j = parse_json(body, "pretix orders");
  if (!j) return j.error();
  const json* results = array(*j, "results");
  if (!results) return missing("pretix orders", "results");
  ServicePage page;
  page.next = text(*j, "next");
  page.more = !page.next.empty();
  for (const json& o : *results) {
    if (!o.is_object()) return Error{"sync.shape", "pretix orders: an order is not an object"};
    PretixOrder order;
    order.code = text(o, "code");
    if (order.code.empty()) return Error{"sync.shape", "pretix orders: an order without a code"};
    order.status = text(o, "status");
    order.email = text(o, "email");
    order.valid_if_pending = flag(o, "valid_if_pending");
    if (const json* inv = object(o, "invoice_address")) order.buyer = text(*inv, "name");
    const json* positions = array(o, "positions");
    if (!positions) return missing("pretix orders", "positions");
    for (const json& p : *positions) {
      if (!p.is_object()) return Error{"sync.shape", "pretix orders: a position is not an object"};
      if (is_addon(p)) continue;  // a T-shirt, not a person
      if (page.rows.size() >= kMaxPageRows)
        return Error{"sync.size", "pretix orders: more people on one page than we accept"};
      add_position(p, order, checkin_list, page);
    }
  }
  return page;
}

Result<ServicePage> parse_pretix_positions(std::string_view body, std::int64_t checkin_list,
                                           bool pending_valid) {
  auto j = parse_json(body, "pretix check-in list positions");
  if (!j) return j.error();
  const json* results = array(*j, "results");
  if (!results) return missing("pretix check-in list positions", "results");
  ServicePage page;
  page.next = text(*j, "next");
  page.more = !page.next.empty();
  for (const json& p : *results) {
    if (!p.is_object())
      return Error{"sync.shape", "pretix check-in list positions: a position is not an object"};
    if (is_addon(p)) continue;
    if (page.rows.size() >= kMaxPageRows)
      return Error{"sync.size", "pretix check-in list positions: more on one page than we accept"};
    PretixOrder order;
    order.code = text(p, "order");  // the order's code, as on the orders endpoint
    if (order.code.empty())
      return Error{"sync.shape", "pretix check-in list positions: a position without its order"};
    order.status = text(p, "order__status");
    order.valid_if_pending = pending_valid;
    add_position(p, order, checkin_list, page);
  }
  return page;
}

Result<std::vector<std::string>> parse_pretix_event_keys(std::string_view body) {
  auto j = parse_json(body, "pretix event");
  if (!j) return j.error();
  if (!j->is_object()) return Error{"sync.shape", "pretix event: the answer is not an object"};
  std::vector<std::string> keys;
  if (const json* valid = object(*j, "valid_keys"))
    if (const json* sig1 = array(*valid, "pretix_sig1"))
      for (const json& k : *sig1)
        if (k.is_string() && keys.size() < 32) keys.push_back(clip(k.get<std::string>()));
  return keys;
}

namespace {
PretixCheckinList checkin_list_from(const json& j) {
  PretixCheckinList l;
  l.id = integer(j, "id");
  l.name = text(j, "name");
  l.include_pending = flag(j, "include_pending");
  auto all = j.find("all_products");
  l.all_products = all == j.end() || !all->is_boolean() || all->get<bool>();
  if (const json* limit = array(j, "limit_products"))
    for (const json& p : *limit)
      if (p.is_number_integer() && l.products.size() < 100000)
        l.products.push_back(p.get<std::int64_t>());
  return l;
}
}  // namespace

Result<PretixCheckinList> parse_pretix_checkin_list(std::string_view body) {
  auto j = parse_json(body, "pretix check-in list");
  if (!j) return j.error();
  if (!j->is_object() || !j->contains("id"))
    return Error{"sync.shape", "pretix check-in list: not a check-in list"};
  return checkin_list_from(*j);
}

Result<PretixCheckinListsPage> parse_pretix_checkin_lists(std::string_view body) {
  auto j = parse_json(body, "pretix check-in lists");
  if (!j) return j.error();
  const json* results = array(*j, "results");
  if (!results) return missing("pretix check-in lists", "results");
  PretixCheckinListsPage page;
  page.next = text(*j, "next");
  for (const json& l : *results) {
    if (!l.is_object() || !l.contains("id"))
      return Error{"sync.shape", "pretix check-in lists: an entry is not a check-in list"};
    if (page.lists.size() >= 1000)
      return Error{"sync.size", "pretix check-in lists: more on one page than we accept"};
    page.lists.push_back(checkin_list_from(l));
  }
  return page;
}

Result<SecretsPage> parse_pretix_secrets(std::string_view body, bool blocked_only) {
  auto j = parse_json(body, "pretix secrets");
  if (!j) return j.error();
  const json* results = array(*j, "results");
  if (!results) return missing("pretix secrets", "results");
  SecretsPage page;
  page.next = text(*j, "next");
  for (const json& r : *results) {
    if (page.secrets.size() >= kMaxPageRows)
      return Error{"sync.size", "pretix secrets: more on one page than we accept"};
    const std::string secret = text(r, "secret");
    if (secret.empty()) continue;
    if (blocked_only && r.is_object() && r.contains("blocked") && !flag(r, "blocked")) continue;
    page.secrets.push_back(secret);
  }
  return page;
}

Result<PretixDevice> parse_pretix_device(std::string_view body) {
  auto j = parse_json(body, "pretix device");
  if (!j) return j.error();
  // device/initialize answers the device itself; device/info wraps it.
  const json* device = object(*j, "device");
  const json& d = device ? *device : *j;
  PretixDevice out;
  out.api_token = text(d, "api_token");
  out.security_profile = text(d, "security_profile");
  out.name = text(d, "name");
  if (!device && out.api_token.empty())
    return Error{"sync.shape", "pretix did not give this device a token"};
  return out;
}

std::string pretix_refusal_words(std::string_view body) {
  // Django REST framework's error shapes: {"detail": "..."}, a list of
  // messages, or {"field": ["message", ...], ...} (non_field_errors for the
  // request as a whole).
  if (!depth_ok(body)) return {};
  const json j = json::parse(body.begin(), body.end(), nullptr, false);
  std::string out;
  const auto add = [&](const std::string& field, const json& v) {
    std::string words;
    if (v.is_string()) words = clip(v.get<std::string>());
    if (v.is_array())
      for (const json& m : v)
        if (m.is_string() && words.size() < kMaxField)
          words += (words.empty() ? "" : " ") + clip(m.get<std::string>());
    if (words.empty() || out.size() > kMaxField) return;
    const bool named = !field.empty() && field != "detail" && field != "non_field_errors";
    out += (out.empty() ? "" : "; ") + (named ? field + ": " : "") + words;
  };
  if (j.is_array()) add("", j);
  if (j.is_object())
    for (const auto& [k, v] : j.items())
      if (k != "status" && k != "reason" && k != "position" && k != "list") add(clip(k), v);
  return clip(out);
}

PretixAnswer parse_pretix_answer(std::string_view body) {
  PretixAnswer a;
  if (!depth_ok(body)) return a;
  const json j = json::parse(body.begin(), body.end(), nullptr, false);
  if (!j.is_object()) return a;
  a.status = text(j, "status");
  a.reason = text(j, "reason");
  a.explanation = text(j, "reason_explanation");
  // "detail" is only a backwards-compatible "Not found." beside a reason.
  if (a.explanation.empty() && a.reason.empty()) a.explanation = text(j, "detail");
  return a;
}

std::string pretix_reason_words(const std::string& reason) {
  static const std::unordered_map<std::string, std::string> words = {
      {"invalid", "pretix does not know this ticket"},
      {"unpaid", "the order is not paid"},
      {"blocked", "the ticket is blocked in pretix"},
      {"invalid_time", "the ticket is not valid at this time"},
      {"canceled", "the ticket was cancelled in pretix"},
      {"already_redeemed", "the ticket was already used"},
      {"product", "this product is not on the check-in list"},
      {"rules", "a check-in rule in pretix refused it"},
      {"ambiguous", "several tickets match this code"},
      {"revoked", "the ticket code was revoked"},
      {"unapproved", "the order is not approved yet"},
      {"incomplete", "pretix wants questions answered at check-in"},
      {"error", "pretix had an internal error"},
  };
  auto it = words.find(reason);
  return it != words.end() ? it->second : "pretix refused it (" + reason + ")";
}

// ---------------------------------------------------------------------------
// [SECTION] Eventbrite
// ---------------------------------------------------------------------------

Result<ServicePage> parse_eventbrite_attendees(std::string_view body) {
  auto j = parse_json(body, "Eventbrite attendees");
  if (!j) return j.error();
  const json* attendees = array(*j, "attendees");
  if (!attendees) return missing("Eventbrite attendees", "attendees");
  ServicePage page;
  if (const json* pg = object(*j, "pagination")) {
    page.more = flag(*pg, "has_more_items");
    page.next = text(*pg, "continuation");
  }
  for (const json& a : *attendees) {
    if (page.rows.size() >= kMaxPageRows)
      return Error{"sync.size", "Eventbrite attendees: more on one page than we accept"};
    AttendeeRow row;
    row.external_id = text(a, "id");
    if (row.external_id.empty())
      return Error{"sync.shape", "Eventbrite attendees: an attendee without an id"};
    if (const json* profile = object(a, "profile")) {
      row.full_name = text(*profile, "name");
      row.first_name = text(*profile, "first_name");
      row.last_name = text(*profile, "last_name");
      row.email = text(*profile, "email");
      row.company = text(*profile, "company");
    }
    if (row.full_name.empty())
      row.full_name = row.first_name + (row.last_name.empty() ? "" : " " + row.last_name);
    if (row.full_name.empty()) row.full_name = "Attendee " + row.external_id;
    split_name(row);
    if (const json* codes = array(a, "barcodes"))
      if (!codes->empty()) row.ticket_code = text((*codes)[0], "barcode");
    row.ticket_type = text(a, "ticket_class_name");
    const std::string status = text(a, "status");
    if (flag(a, "cancelled") || flag(a, "refunded") || status == "Not Attending" ||
        status == "Deleted")
      row.rsvp = Rsvp::Cancelled;
    if (flag(a, "checked_in")) page.remote.push_back({row.external_id, row.external_id, 0});
    page.rows.push_back(std::move(row));
  }
  return page;
}

// ---------------------------------------------------------------------------
// [SECTION] Meetup
// ---------------------------------------------------------------------------

namespace {

// The GraphQL errors of an answer (an HTTP 200 may carry them instead of data).
Error meetup_error(const json& errors) {
  const json& first = errors[0];
  std::string message = text(first, "message");
  std::string code;
  if (const json* ext = object(first, "extensions")) code = text(*ext, "code");
  if (code == "RATE_LIMITED")
    return Error{"sync.busy", "Meetup asks us to slow down (its rate limit)"};
  if (message.empty()) message = "the query was refused";
  return Error{"sync.refused", "Meetup: " + message};
}

// RsvpStatus (Meetup's schema) in the door's terms. NO_SHOW and ATTENDED
// are marked after the event, on people who had said yes.
Rsvp meetup_rsvp(const std::string& status) {
  if (status == "WAITLIST") return Rsvp::Waitlist;
  if (status == "NO" || status == "EXCUSED_ABSENCE" || status == "MAYBE" || status == "HAVENT")
    return Rsvp::No;
  return Rsvp::Yes;  // YES, ATTENDED, NO_SHOW, YES_PENDING_PAYMENT
}

}  // namespace

Result<ServicePage> parse_meetup_rsvps(std::string_view body) {
  auto j = parse_json(body, "Meetup RSVPs");
  if (!j) return j.error();
  if (const json* errors = array(*j, "errors"); errors && !errors->empty())
    return meetup_error(*errors);
  const json* data = object(*j, "data");
  const json* event = data ? object(*data, "event") : nullptr;
  if (!event) return Error{"sync.shape", "Meetup: no such event (or no access to it)"};
  const json* rsvps = object(*event, "rsvps");
  const json* edges = rsvps ? array(*rsvps, "edges") : nullptr;
  if (!edges) return missing("Meetup RSVPs", "edges");
  ServicePage page;
  if (const json* info = object(*rsvps, "pageInfo")) {
    page.more = flag(*info, "hasNextPage");
    page.next = text(*info, "endCursor");
  }
  for (const json& e : *edges) {
    if (page.rows.size() >= kMaxPageRows)
      return Error{"sync.size", "Meetup RSVPs: more on one page than we accept"};
    const json* node = object(e, "node");
    if (!node) return Error{"sync.shape", "Meetup RSVPs: an edge without a node"};
    AttendeeRow row;
    const json* member = object(*node, "member");
    row.member_id = member ? text(*member, "id") : "";
    row.full_name = member ? text(*member, "name") : "";
    row.external_id = row.member_id.empty() ? text(*node, "id") : row.member_id;
    if (row.external_id.empty()) return Error{"sync.shape", "Meetup RSVPs: an RSVP without an id"};
    if (row.full_name.empty()) row.full_name = "Member " + row.external_id;
    split_name(row);
    const std::string status = text(*node, "status");
    row.rsvp = meetup_rsvp(status);
    row.guests = static_cast<int>(std::clamp<std::int64_t>(integer(*node, "guestsCount"), 0, 100));
    // An organizer marked this person as there on Meetup.
    if (status == "ATTENDED") page.remote.push_back({row.external_id, row.external_id, 0});
    page.rows.push_back(std::move(row));
  }
  return page;
}

TimeMs meetup_retry_ms(std::string_view body, TimeMs now) {
  if (!depth_ok(body)) return -1;
  const json j = json::parse(body.begin(), body.end(), nullptr, false);
  const json* errors = array(j, "errors");
  if (!errors || errors->empty()) return -1;
  const json* ext = object((*errors)[0], "extensions");
  if (!ext) return -1;
  const std::string reset = text(*ext, "resetAt");
  TimeMs at = parse_datetime(reset);
  if (at < 0) return -1;
  // parse_datetime keeps whole seconds; resetAt has milliseconds, and
  // asking again before them only earns another RATE_LIMITED.
  if (const auto dot = reset.find('.'); dot != std::string::npos) {
    int ms = 0, digits = 0;
    for (std::size_t i = dot + 1;
         i < reset.size() && digits < 3 && std::isdigit(static_cast<unsigned char>(reset[i]));
         ++i, ++digits)
      ms = ms * 10 + (reset[i] - '0');
    while (digits++ < 3) ms *= 10;
    at += ms;
  }
  return std::clamp<TimeMs>(at - now, 0, 60000);
}

Result<OAuthToken> parse_oauth_token(std::string_view body) {
  auto j = parse_json(body, "Meetup token");
  if (!j) return j.error();
  OAuthToken t;
  t.access_token = text(*j, "access_token");
  t.refresh_token = text(*j, "refresh_token");
  t.expires_in_s = std::clamp<std::int64_t>(integer(*j, "expires_in"), 0, 366LL * 86400);
  if (t.access_token.empty()) {
    const std::string why = text(*j, "error");
    return Error{"sync.auth", why.empty() ? "no access token in the answer" : why};
  }
  return t;
}

// ---------------------------------------------------------------------------
// [SECTION] Luma
// ---------------------------------------------------------------------------

namespace {

// When a Luma guest was checked in: the flat shape keeps it per ticket
// (event_tickets[].checked_in_at, the earliest counts), the older one on
// the guest. "" when not checked in.
std::string luma_checked_in(const json& guest) {
  std::string first;
  if (const json* tickets = array(guest, "event_tickets"))
    for (const json& t : *tickets) {
      const std::string at = text(t, "checked_in_at");
      if (!at.empty() && (first.empty() || parse_iso_time(at) < parse_iso_time(first))) first = at;
    }
  return first.empty() ? text(guest, "checked_in_at") : first;
}

Rsvp luma_rsvp(const std::string& status) {
  if (status == "waitlist" || status == "pending_approval") return Rsvp::Waitlist;
  if (status == "declined") return Rsvp::Cancelled;
  if (status == "invited") return Rsvp::No;
  return Rsvp::Yes;  // approved, session
}

}  // namespace

Result<ServicePage> parse_luma_guests(std::string_view body) {
  auto j = parse_json(body, "Luma guests");
  if (!j) return j.error();
  const json* entries = array(*j, "entries");
  if (!entries) return missing("Luma guests", "entries");
  ServicePage page;
  page.more = flag(*j, "has_more");
  page.next = text(*j, "next_cursor");
  for (const json& e : *entries) {
    if (page.rows.size() >= kMaxPageRows)
      return Error{"sync.size", "Luma guests: more on one page than we accept"};
    // Today's reference: flat entries ("id": "gst-..."); older deployments:
    // {"api_id", "guest": {...}}.
    const json* g = object(e, "guest");
    const json& guest = g ? *g : e;
    AttendeeRow row;
    for (const char* key : {"id", "api_id"}) {
      if (row.external_id.empty()) row.external_id = text(guest, key);
      if (row.external_id.empty()) row.external_id = text(e, key);
    }
    if (row.external_id.empty()) return Error{"sync.shape", "Luma guests: a guest without an id"};
    row.full_name = text(guest, "user_name");
    if (row.full_name.empty()) row.full_name = text(guest, "name");
    row.first_name = text(guest, "user_first_name");
    row.last_name = text(guest, "user_last_name");
    row.email = text(guest, "user_email");
    if (row.email.empty()) row.email = text(guest, "email");
    if (row.full_name.empty())
      row.full_name = row.first_name + (row.last_name.empty() ? "" : " " + row.last_name);
    if (row.full_name.empty()) row.full_name = "Guest " + row.external_id;
    split_name(row);
    // The QR is a check-in link; the door looks people up by its pk.
    const std::string qr = text(guest, "check_in_qr_code");
    if (!qr.empty()) {
      TicketContext ctx;
      const TicketResult t = parse_ticket(qr, ctx);
      if (const auto* ticket = std::get_if<Ticket>(&t)) row.ticket_code = ticket->code;
    }
    row.rsvp = luma_rsvp(text(guest, "approval_status"));
    const std::string checked = luma_checked_in(guest);
    if (!checked.empty())
      page.remote.push_back({row.external_id, row.external_id, parse_iso_time(checked)});
    page.rows.push_back(std::move(row));
  }
  return page;
}

}  // namespace fd
