#include "doors/Wire.h"

#include <nlohmann/json.hpp>

#include "base/Utf8.h"

namespace fd {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxText = 1000;  // the import's field limit

struct Reader {
  const json& j;
  std::string error;
  std::string str(const char* key, std::size_t max = kMaxText) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return {};
    if (!it->is_string()) return fail(key), std::string();
    const auto& s = it->get_ref<const std::string&>();
    if (s.size() > max || !is_valid_utf8(s)) return fail(key), std::string();
    return s;
  }
  std::int64_t num(const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return 0;
    if (!it->is_number_integer()) return fail(key), 0;
    return it->get<std::int64_t>();
  }
  bool flag(const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
  }
  void fail(const char* key) {
    if (error.empty()) error = std::string("bad field '") + key + "'";
  }
};

Result<json> parse_object(std::string_view text, const char* what) {
  if (text.size() > (16u << 20)) return Error{"doors.size", std::string(what) + " is too large"};
  json j = json::parse(text, nullptr, false);
  if (!j.is_object())
    return Error{"doors.json", std::string("another door sent a ") + what + " that is not JSON"};
  return j;
}

Error bad(const char* what, const std::string& why) {
  return Error{"doors.json", std::string("another door sent a bad ") + what + ": " + why};
}

}  // namespace

std::string to_json(const DoorHello& h) {
  json names = json::array();
  for (const auto& [id, name] : h.names) names.push_back(json::array({id, name}));
  json j{{"door", h.door_id},          {"door_name", h.door_name}, {"event", h.event_slug},
         {"event_name", h.event_name}, {"clock", h.clock},         {"seq", h.seq},
         {"capacity", h.capacity},     {"addr", h.addresses},      {"peers", h.peers},
         {"epoch", h.epoch},           {"host", h.host},           {"names", names}};
  return j.dump();
}

Result<DoorHello> parse_hello(std::string_view text) {
  auto j = parse_object(text, "greeting");
  if (!j) return j.error();
  Reader r{*j, {}};
  DoorHello h;
  h.door_id = r.str("door", 64);
  h.door_name = r.str("door_name", 64);
  h.event_slug = r.str("event", 100);
  h.event_name = r.str("event_name", 200);
  h.clock = r.num("clock");
  h.seq = r.num("seq");
  h.epoch = r.str("epoch", 64);
  h.host = r.str("host", 64);
  h.capacity = static_cast<int>(std::clamp<std::int64_t>(r.num("capacity"), 0, 1'000'000));
  for (const char* key : {"addr", "peers"}) {
    const auto it = j->find(key);
    if (it == j->end()) continue;
    if (!it->is_array() || it->size() > 64) return bad("greeting", key);
    for (const auto& a : *it) {
      if (!a.is_string() || a.get_ref<const std::string&>().size() > 200)
        return bad("greeting", key);
      (std::string(key) == "addr" ? h.addresses : h.peers).push_back(a.get<std::string>());
    }
  }
  if (const auto it = j->find("names"); it != j->end()) {
    if (!it->is_array() || it->size() > 64) return bad("greeting", "names");
    for (const auto& n : *it) {
      const bool pair = n.is_array() && n.size() == 2 && n[0].is_string() && n[1].is_string();
      if (!pair) return bad("greeting", "names");
      const auto& id = n[0].get_ref<const std::string&>();
      const auto& name = n[1].get_ref<const std::string&>();
      if (id.size() > 64 || name.size() > 64 || !is_valid_utf8(name))
        return bad("greeting", "names");
      h.names.emplace_back(id, name);
    }
  }
  if (!r.error.empty()) return bad("greeting", r.error);
  if (h.door_id.empty() || h.event_slug.empty()) return bad("greeting", "no door or event");
  return h;
}

std::string to_json(const LogPage& p) {
  json entries = json::array();
  for (const ReplicaEntry& e : p.entries)
    entries.push_back({{"seq", e.seq},
                       {"uuid", e.uuid},
                       {"kind", to_string(e.kind)},
                       {"ref", e.ref_uuid},
                       {"device", e.device_id},
                       {"door", e.door},
                       {"method", to_string(e.method)},
                       {"at", e.at},
                       {"origin", e.origin},
                       {"source", e.source},
                       {"external_id", e.external_id}});
  return json{{"entries", entries}, {"next", p.next}, {"more", p.more}}.dump();
}

Result<LogPage> parse_log_page(std::string_view text) {
  auto j = parse_object(text, "log page");
  if (!j) return j.error();
  LogPage p;
  Reader top{*j, {}};
  p.next = top.num("next");
  p.more = top.flag("more");
  const auto it = j->find("entries");
  if (it == j->end() || !it->is_array()) return bad("log page", "no entries");
  if (it->size() > kMaxPageItems) return bad("log page", "too many entries");
  for (const auto& item : *it) {
    if (!item.is_object()) return bad("log page", "an entry is not an object");
    Reader r{item, {}};
    ReplicaEntry e;
    e.seq = r.num("seq");
    e.uuid = r.str("uuid", 64);
    const std::string kind = r.str("kind", 16);
    e.kind = kind_from_string(kind);
    if (kind != to_string(e.kind)) return bad("log page", "unknown kind");
    e.ref_uuid = r.str("ref", 64);
    e.device_id = r.str("device", 64);
    e.door = r.str("door", 64);
    e.method = method_from_string(r.str("method", 16));
    e.at = r.num("at");
    e.origin = r.str("origin", 64);
    e.source = r.str("source", 32);
    e.external_id = r.str("external_id");
    if (!r.error.empty()) return bad("log page", r.error);
    if (e.uuid.empty() || e.device_id.empty() || e.source.empty() || e.external_id.empty())
      return bad("log page", "an entry without its id, door or person");
    if (e.kind != CheckInKind::CheckIn && e.ref_uuid.empty())
      return bad("log page", "an undo or move that names no check-in");
    p.entries.push_back(std::move(e));
  }
  if (top.error.size()) return bad("log page", top.error);
  return p;
}

std::string to_json(const AttendeePage& p) {
  json list = json::array();
  for (const ReplicaAttendee& ra : p.attendees) {
    const AttendeeRecord& a = ra.record;
    list.push_back({{"source", a.source},
                    {"external_id", a.external_id},
                    {"member_id", ra.member_id},
                    {"ticket_code", a.ticket_code},
                    {"first_name", a.first_name},
                    {"last_name", a.last_name},
                    {"full_name", a.full_name},
                    {"email", a.email},
                    {"company", a.company},
                    {"ticket_type", a.ticket_type},
                    {"role", a.role},
                    {"rsvp", to_string(a.rsvp)},
                    {"guests", a.guests},
                    {"walk_in", a.walk_in},
                    {"updated_at", ra.updated_at}});
  }
  return json{{"attendees", list}, {"next", p.next}, {"more", p.more}}.dump();
}

Result<AttendeePage> parse_attendee_page(std::string_view text) {
  auto j = parse_object(text, "attendee list");
  if (!j) return j.error();
  AttendeePage p;
  Reader top{*j, {}};
  p.next = top.str("next", 64);
  p.more = top.flag("more");
  const auto it = j->find("attendees");
  if (it == j->end() || !it->is_array()) return bad("attendee list", "no attendees");
  if (it->size() > kMaxPageItems) return bad("attendee list", "too many attendees");
  for (const auto& item : *it) {
    if (!item.is_object()) return bad("attendee list", "an attendee is not an object");
    Reader r{item, {}};
    ReplicaAttendee ra;
    AttendeeRecord& a = ra.record;
    a.source = r.str("source", 32);
    a.external_id = r.str("external_id");
    ra.member_id = r.str("member_id");
    a.ticket_code = r.str("ticket_code");
    a.first_name = r.str("first_name");
    a.last_name = r.str("last_name");
    a.full_name = r.str("full_name");
    a.email = r.str("email", 254);
    a.company = r.str("company");
    a.ticket_type = r.str("ticket_type");
    a.role = r.str("role");
    a.rsvp = rsvp_from_string(r.str("rsvp", 16));
    a.guests = static_cast<int>(std::clamp<std::int64_t>(r.num("guests"), 0, 100));
    a.walk_in = r.flag("walk_in");
    ra.updated_at = r.num("updated_at");
    if (!r.error.empty()) return bad("attendee list", r.error);
    if (a.source.empty() || a.external_id.empty() || a.full_name.empty())
      return bad("attendee list", "an attendee without id or name");
    p.attendees.push_back(std::move(ra));
  }
  if (!top.error.empty()) return bad("attendee list", top.error);
  return p;
}

}  // namespace fd
