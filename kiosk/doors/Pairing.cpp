#include "doors/Pairing.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "base/Base64.h"
#include "base/Utf8.h"

namespace fd {
namespace {

constexpr std::string_view kPrefix = "FDPAIR1:";
constexpr std::size_t kMaxCode = 2048;
constexpr std::size_t kMaxAddresses = 8;

Error mistyped(const std::string& why) {
  return Error{"pairing.invalid",
               "This pairing code is " + why +
                   " — copy it again from `frontdesk doors pair` on the first door"};
}

}  // namespace

bool valid_address(std::string_view a) {
  if (a.empty() || a.size() > 64) return false;
  const auto colon = a.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= a.size()) return false;
  const std::string_view host = a.substr(0, colon), port = a.substr(colon + 1);
  if (port.size() > 5) return false;
  int p = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
    p = p * 10 + (c - '0');
  }
  if (p < 1 || p > 65535) return false;
  for (char c : host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
          c == '[' || c == ']'))
      return false;
  return true;
}

std::string new_door_secret() {
  if (sodium_init() < 0) return {};
  std::string s(kDoorSecretBytes, '\0');
  randombytes_buf(s.data(), s.size());
  return s;
}

bool looks_like_pairing_code(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  return text.rfind("FDPAIR", 0) == 0;
}

std::string encode_pairing(const PairingCode& c) {
  nlohmann::json j;
  j["v"] = 1;
  j["event"] = c.event_slug;
  j["name"] = c.event_name;
  j["door"] = c.door_id;
  j["door_name"] = c.door_name;
  j["addr"] = c.addresses;
  if (!c.host.empty()) j["host"] = c.host;
  j["secret"] = base64_encode(c.secret, true, false);
  return std::string(kPrefix) + base64_encode(j.dump(), true, false);
}

Result<PairingCode> parse_pairing(std::string_view text) {
  // People paste with spaces and line breaks around it.
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (text.size() > kMaxCode) return mistyped("too long to be one");
  if (text.substr(0, kPrefix.size()) != kPrefix) {
    if (text.rfind("FDPAIR", 0) == 0) return mistyped("from a newer Frontdesk; update this door");
    return Error{"pairing.not_a_code", "That is not a pairing code (they start with FDPAIR1:): '" +
                                           excerpt(text, 30) + "'"};
  }
  auto raw = base64_decode(text.substr(kPrefix.size()), true);
  if (!raw) return mistyped("incomplete or mistyped");
  const auto j = nlohmann::json::parse(*raw, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return mistyped("incomplete or mistyped");
  const auto str = [&](const char* key, std::size_t max, bool required) -> Result<std::string> {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string()) {
      if (required) return mistyped("missing its " + std::string(key));
      return std::string();
    }
    std::string v = it->get<std::string>();
    if (v.size() > max || !is_valid_utf8(v)) return mistyped("damaged (" + std::string(key) + ")");
    return v;
  };
  if (!j.contains("v") || !j["v"].is_number_integer() || j["v"].get<long long>() != 1)
    return mistyped("from a newer Frontdesk; update this door");
  PairingCode c;
  auto slug = str("event", 100, true);
  auto name = str("name", 200, false);
  auto door = str("door", 64, true);
  auto door_name = str("door_name", 64, false);
  auto secret = str("secret", 64, true);
  auto host = str("host", 64, false);
  for (auto* r : {&slug, &name, &door, &door_name, &secret, &host})
    if (!*r) return r->error();
  if (slug->empty()) return mistyped("missing its event");
  c.event_slug = *slug;
  c.event_name = name->empty() ? *slug : *name;
  c.door_id = *door;
  c.door_name = *door_name;
  c.host = *host;
  auto key = base64_decode(*secret, true);
  if (!key || key->size() != kDoorSecretBytes) return mistyped("damaged (secret)");
  c.secret = *key;
  const auto addr = j.find("addr");
  if (addr == j.end() || !addr->is_array() || addr->empty() || addr->size() > kMaxAddresses)
    return mistyped("missing where the first door answers");
  for (const auto& a : *addr) {
    if (!a.is_string() || !valid_address(a.get<std::string>()))
      return mistyped("damaged (address)");
    c.addresses.push_back(a.get<std::string>());
  }
  return c;
}

}  // namespace fd
