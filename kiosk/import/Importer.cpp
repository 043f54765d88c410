#include "import/Importer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "base/Utf8.h"
#include "import/Csv.h"
#include "import/Encoding.h"
#include "model/PersonName.h"

namespace fd {
namespace {

// Limits on outside input. 100,000 attendees export to about 9 MB; names,
// e-mails, companies and ticket codes fit in a few hundred bytes.
constexpr std::size_t kMaxFileBytes = 256u << 20;
constexpr std::size_t kMaxColumns = 1000;
constexpr std::size_t kMaxFieldBytes = 1000;
// A header of 1,000 columns of long names is far below this; a file whose
// first line is longer has no lines at all (a 50 MB one-line file), and is
// refused before it is read whole.
constexpr std::size_t kMaxHeaderBytes = 256u << 10;

// ---------------------------------------------------------------------------
// [SECTION] Header names
// ---------------------------------------------------------------------------

enum Field {
  kId,
  kMemberId,
  kTicket,
  kName,
  kFirstName,
  kLastName,
  kEmail,
  kCompany,
  kTicketType,
  kRole,
  kRsvp,
  kGuests,
  kOrderCode,
  kPosition,
  kQrUrl,
  kRsvpDate,
  kHost,
  kFieldCount
};

constexpr std::array<const char*, kFieldCount> kFieldNames = {
    "id",         "member_id", "ticket",      "name",      "first_name", "last_name",
    "email",      "company",   "ticket_type", "role",      "rsvp",       "guests",
    "order_code", "position",  "qr_url",      "rsvp_date", "host"};

// Header cells are compared after this: lowercase, trimmed, '_' and runs of
// white space as one space, a trailing ':' dropped ("First_Name:" → "first name").
std::string normalize_header(std::string_view h) {
  std::string out;
  bool space = false;
  for (unsigned char c : h) {
    if (c == '_' || std::isspace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(c));
  }
  while (!out.empty() && out.back() == ':') out.pop_back();
  return out;
}

using Synonyms = std::array<std::vector<std::string>, kFieldCount>;

// Names seen in real exports and hand-made sheets, in several languages.
const Synonyms& generic_synonyms() {
  static const Synonyms s = [] {
    Synonyms g;
    g[kId] = {"id",     "attendee id", "registration id", "guest id",
              "api id", "attendee #",  "rsvp id",         "attendee number"};
    g[kMemberId] = {"member id", "user id", "meetup id", "member number"};
    g[kTicket] = {"ticket code", "code",          "barcode",      "barcode #",
                  "secret",      "qr code",       "ticket",       "ticket number",
                  "ticket #",    "ticket secret", "check-in code"};
    g[kName] = {"name",
                "full name",
                "attendee name",
                "attendee",
                "guest name",
                "participant",
                "participant name",
                "nom complet",
                "vollständiger name",
                "nombre completo"};
    g[kFirstName] = {"first name", "firstname", "given name", "forename", "vorname",
                     "prénom",     "prenom",    "nombre",     "nome",     "attendee first name"};
    g[kLastName] = {"last name", "lastname", "surname",   "family name", "nachname",
                    "nom",       "apellido", "apellidos", "cognome",     "attendee last name"};
    g[kEmail] = {"email",           "e-mail", "email address",  "e-mail address", "attendee email",
                 "attendee e-mail", "mail",   "e-mail-adresse", "courriel",       "correo"};
    g[kCompany] = {"company", "organisation", "organization",    "org",
                   "firma",   "unternehmen",  "employer",        "entreprise",
                   "empresa", "company name", "attendee company"};
    g[kTicketType] = {"ticket type", "product", "ticket name", "ticket category", "category"};
    g[kRole] = {"role", "badge role", "rolle"};
    g[kRsvp] = {"rsvp",     "status", "attendee status", "approval status",
                "response", "going",  "order status",    "rsvp status"};
    g[kGuests] = {"guests", "+1", "plus ones", "plus-ones", "guest count", "additional guests"};
    g[kOrderCode] = {"order code", "order #", "order"};
    g[kPosition] = {"position id", "position", "order position"};
    g[kQrUrl] = {"qr code url", "check-in url", "checkin url"};
    // When the person signed up: which of two exports of one list is newer.
    g[kRsvpDate] = {"rsvped on",  "rsvp date",         "rsvp time",  "order date", "registered on",
                    "registered", "registration date", "created at", "created",    "date"};
    g[kHost] = {"event host", "host"};
    return g;
  }();
  return s;
}

std::string detect_from_set(const std::set<std::string>& h) {
  auto has = [&](const char* k) { return h.count(k) != 0; };
  if (has("api id") && (has("approval status") || has("qr code url"))) return "luma";
  if (has("attendee #") || has("barcode #")) return "eventbrite";
  if (has("order code") && (has("secret") || has("position id") || has("attendee name")))
    return "pretix";
  if ((has("user id") && has("rsvp")) || has("url of member profile") || has("rsvped on"))
    return "meetup";
  return "csv";
}

// ---------------------------------------------------------------------------
// [SECTION] Values
// ---------------------------------------------------------------------------

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// Names keep their inner spacing readable: runs of white space become one.
std::string clean_name(std::string_view s) {
  std::string out;
  bool space = false;
  for (unsigned char c : s) {
    if (std::isspace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(c);
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool looks_like_email(const std::string& e) {
  const auto at = e.find('@');
  if (at == std::string::npos || at == 0) return false;
  const auto dot = e.find('.', at + 2);
  return dot != std::string::npos && dot + 1 < e.size() &&
         e.find_first_of(" \t,;<>") == std::string::npos &&
         e.find('@', at + 1) == std::string::npos;
}

// Services say "yes" in many ways; unknown words are reported once and read as yes.
std::optional<Rsvp> rsvp_of(const std::string& source, std::string v) {
  v = normalize_header(v);
  if (v.empty()) return Rsvp::Yes;
  if (source == "pretix") {
    // pretix order states: p paid, n pending, c canceled, e expired.
    if (v == "p" || v == "n" || v == "paid" || v == "pending") return Rsvp::Yes;
    if (v == "c" || v == "e" || v == "canceled" || v == "cancelled" || v == "expired")
      return Rsvp::Cancelled;
  }
  static const std::map<std::string, Rsvp> words = {{"yes", Rsvp::Yes},
                                                    {"y", Rsvp::Yes},
                                                    {"attending", Rsvp::Yes},
                                                    {"going", Rsvp::Yes},
                                                    {"approved", Rsvp::Yes},
                                                    {"paid", Rsvp::Yes},
                                                    {"confirmed", Rsvp::Yes},
                                                    {"checked in", Rsvp::Yes},
                                                    {"checked-in", Rsvp::Yes},
                                                    {"registered", Rsvp::Yes},
                                                    {"accepted", Rsvp::Yes},
                                                    {"1", Rsvp::Yes},
                                                    {"true", Rsvp::Yes},
                                                    {"ja", Rsvp::Yes},
                                                    {"oui", Rsvp::Yes},
                                                    {"sí", Rsvp::Yes},
                                                    {"si", Rsvp::Yes},
                                                    {"completed", Rsvp::Yes},
                                                    {"waitlist", Rsvp::Waitlist},
                                                    {"waitlisted", Rsvp::Waitlist},
                                                    {"wait list", Rsvp::Waitlist},
                                                    {"waiting", Rsvp::Waitlist},
                                                    {"waiting list", Rsvp::Waitlist},
                                                    {"pending approval", Rsvp::Waitlist},
                                                    {"invited", Rsvp::Waitlist},
                                                    {"no", Rsvp::No},
                                                    {"n", Rsvp::No},
                                                    {"not going", Rsvp::No},
                                                    {"not attending", Rsvp::No},
                                                    {"declined", Rsvp::No},
                                                    {"0", Rsvp::No},
                                                    {"false", Rsvp::No},
                                                    {"nein", Rsvp::No},
                                                    {"non", Rsvp::No},
                                                    {"cancelled", Rsvp::Cancelled},
                                                    {"canceled", Rsvp::Cancelled},
                                                    {"refunded", Rsvp::Cancelled},
                                                    {"expired", Rsvp::Cancelled},
                                                    {"void", Rsvp::Cancelled},
                                                    {"transferred", Rsvp::Cancelled},
                                                    {"deleted", Rsvp::Cancelled},
                                                    {"storniert", Rsvp::Cancelled},
                                                    {"annulé", Rsvp::Cancelled}};
  if (auto it = words.find(v); it != words.end()) return it->second;
  return std::nullopt;
}

// The `pk` query parameter of a Luma check-in URL is the guest's code.
std::string query_param(const std::string& url, const std::string& key) {
  const auto q = url.find('?');
  if (q == std::string::npos) return {};
  std::size_t pos = q + 1;
  while (pos < url.size()) {
    const auto amp = std::min(url.find('&', pos), url.size());
    const auto eq = url.find('=', pos);
    if (eq != std::string::npos && eq < amp && url.compare(pos, eq - pos, key) == 0)
      return url.substr(eq + 1, amp - eq - 1);
    pos = amp + 1;
  }
  return {};
}

// True when every character is Han, Kana or Hangul: such names are written
// family name first, without a space (王芳, 佐藤健, 김민준).
bool east_asian_only(std::string_view s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0xE0 || c >= 0xF0) {
      if (c >= 0xF0 && i + 3 < s.size()) {  // CJK Extension B and beyond
        i += 4;
        continue;
      }
      return false;
    }
    if (i + 2 >= s.size()) return false;
    const char32_t cp = ((c & 0x0F) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3F) << 6) |
                        (static_cast<unsigned char>(s[i + 2]) & 0x3F);
    const bool cjk = (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x9FFF) ||
                     (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF);
    if (!cjk) return false;
    i += 3;
  }
  return true;
}

// ---------------------------------------------------------------------------
// [SECTION] What the file is
// ---------------------------------------------------------------------------

const char* const kSaveAsCsv =
    "save it as CSV: in Excel File → Save As → \"CSV UTF-8 (Comma delimited)\", in LibreOffice "
    "Calc File → Save As → \"Text CSV (.csv)\", in Google Sheets File → Download → "
    "\"Comma-separated values (.csv)\"; then import the .csv file";
const char* const kExportAsCsv =
    "download the attendee list as CSV from the RSVP service (Meetup, Eventbrite, pretix and "
    "Luma each have a CSV export), or save the spreadsheet it came from as CSV";

// Files organizers pick by mistake, told apart by their first bytes: a
// workbook, a PDF, a web page, an archive. "" for anything that may be text.
std::string not_a_list(std::string_view head) {
  const auto starts = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
  if (starts("PK\x03\x04")) {
    if (head.find("opendocument.spreadsheet") != std::string_view::npos)
      return std::string("this is a LibreOffice spreadsheet (.ods), not a CSV file: ") + kSaveAsCsv;
    if (head.find("xl/") != std::string_view::npos ||
        head.find("[Content_Types].xml") != std::string_view::npos)
      return std::string("this is an Excel workbook (.xlsx), not a CSV file: ") + kSaveAsCsv;
    return "this is a ZIP archive, not a CSV file: unpack it and import the .csv file inside";
  }
  if (starts("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
    return std::string("this is an Excel workbook (.xls), not a CSV file: ") + kSaveAsCsv;
  if (starts("%PDF-"))
    return std::string("this is a PDF document, not an attendee list Frontdesk can read: ") +
           kExportAsCsv;
  if (starts("\x1F\x8B"))
    return "this file is compressed (gzip): unpack it (gunzip FILE) and import the .csv file";
  std::size_t lead = 0;
  if (starts("\xEF\xBB\xBF")) lead = 3;
  while (lead < head.size() && std::isspace(static_cast<unsigned char>(head[lead]))) ++lead;
  std::string opening(head.substr(lead, 15));
  for (char& c : opening) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (opening.rfind("<!doctype html", 0) == 0 || opening.rfind("<html", 0) == 0)
    return std::string(
               "this is a web page (HTML), not the export: the service may have sent its "
               "login page instead. ") +
           "Download the list again while logged in, as CSV";
  if (opening.rfind("{", 0) == 0 || opening.rfind("[{", 0) == 0 || opening.rfind("[\n", 0) == 0)
    return std::string("this is JSON, not a CSV file: ") + kExportAsCsv;
  // Zero bytes that are not UTF-16's: a program, an image, a database.
  const bool utf16 = starts("\xFF\xFE") || starts("\xFE\xFF") || utf16_without_bom(head) != 0;
  if (!utf16 && head.substr(0, 4096).find('\0') != std::string_view::npos)
    return std::string("this is not a text file (it holds binary data): ") + kExportAsCsv;
  return "";
}

std::string megabytes(std::size_t bytes) {
  return bytes >= (1u << 20) ? std::to_string(bytes >> 20) + " MB"
                             : std::to_string(bytes >> 10) + " KB";
}

// Checks that need only the file's start and size, so a wrong or huge file
// is refused before it is read whole. `head`: at least kMaxHeaderBytes + 1
// bytes of the file, or all of it.
std::string precheck(std::string_view head, std::size_t size) {
  if (size > kMaxFileBytes)
    return "the file is " + megabytes(size) + "; an attendee list is far smaller (the limit is " +
           megabytes(kMaxFileBytes) + ")";
  if (std::string kind = not_a_list(head); !kind.empty()) return kind;
  if (size > kMaxHeaderBytes &&
      head.substr(0, kMaxHeaderBytes).find_first_of("\r\n") == std::string_view::npos)
    return "the first line is longer than " + megabytes(kMaxHeaderBytes) + " (the file is " +
           megabytes(size) + " with no line break near its start): an attendee list has a " +
           "header line, then one person per line. Is this the right file?";
  return "";
}

// ---------------------------------------------------------------------------
// [SECTION] Dates: which export is newer
// ---------------------------------------------------------------------------

// The date formats exports use: ISO ("2026-11-01 18:30", "...T18:30:00.000Z"),
// a bare date, US ("11/01/2026 6:30 PM") and written out ("Nov 1, 2026
// 6:30 PM"). Local time unless the text names a zone. -1: not a date.
TimeMs parse_export_date(const std::string& text) {
  if (text.empty() || text.size() > 64) return -1;
  if (TimeMs t = parse_datetime(text); t >= 0) return t;
  int Y = 0, M = 0, D = 0, h = 0, m = 0, used = 0;
  char ampm[3] = {0};
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &Y, &M, &D, &used) == 3 &&
      static_cast<std::size_t>(used) == text.size())
    return parse_datetime(text + " 00:00");
  static const char* const kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
  char month[16] = {0};
  if (std::sscanf(text.c_str(), "%2d/%2d/%4d %2d:%2d %2s", &M, &D, &Y, &h, &m, ampm) >= 3) {
    // US order: Meetup and Eventbrite in English.
  } else if (std::sscanf(text.c_str(), "%15[A-Za-z] %2d, %4d %2d:%2d %2s", month, &D, &Y, &h, &m,
                         ampm) >= 3) {
    std::string mon(month, 3);
    for (char& c : mon) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    M = 0;
    for (int i = 0; i < 12; ++i)
      if (mon == kMonths[i]) M = i + 1;
  } else {
    return -1;
  }
  const std::string half(ampm);
  if ((half == "PM" || half == "pm") && h < 12) h += 12;
  if ((half == "AM" || half == "am") && h == 12) h = 0;
  char iso[32];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d %02d:%02d", Y, M, D, h, m);
  return M >= 1 && Y >= 1970 ? parse_datetime(iso) : -1;
}

}  // namespace

std::string detect_source(const std::vector<std::string>& header) {
  std::set<std::string> h;
  for (const auto& c : header) h.insert(normalize_header(c));
  return detect_from_set(h);
}

Result<std::vector<std::pair<std::string, std::string>>> parse_column_map(std::string_view spec) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t pos = 0;
  while (pos <= spec.size()) {
    const auto comma = std::min(spec.find(',', pos), spec.size());
    const std::string item = trim(spec.substr(pos, comma - pos));
    pos = comma + 1;
    if (item.empty()) {
      if (comma >= spec.size()) break;
      continue;
    }
    const auto eq = item.find('=');
    if (eq == std::string::npos)
      return Error{"map.syntax", "'" + item + "' should look like field=Column Header"};
    const std::string field = trim(item.substr(0, eq)), header = trim(item.substr(eq + 1));
    if (std::find(kFieldNames.begin(), kFieldNames.end(), field) == kFieldNames.end()) {
      std::string known;
      for (const char* f : kFieldNames) known += std::string(known.empty() ? "" : ", ") + f;
      return Error{"map.field", "unknown field '" + field + "'; fields are: " + known};
    }
    if (header.empty()) return Error{"map.syntax", "no column given for '" + field + "'"};
    out.emplace_back(field, header);
  }
  if (out.empty()) return Error{"map.syntax", "the column map is empty"};
  return out;
}

namespace {

using Columns = std::array<long, kFieldCount>;  // field -> column, -1: none

// Which column holds which field: --map first, then the service's own
// names, then the generic synonyms (first match in the header wins).
// Returns false (with the reason in batch.errors) when there is no name.
bool find_columns(const CsvTable& table, const ImportOptions& opts, ImportBatch& batch,
                  Columns& col, std::unordered_map<std::string, std::size_t>& column_of) {
  std::set<std::string> normalized;
  for (std::size_t i = 0; i < table.header.size(); ++i) {
    const std::string h = normalize_header(table.header[i]);
    column_of.emplace(h, i);
    normalized.insert(h);
  }
  batch.source =
      opts.source == "auto" || opts.source.empty() ? detect_from_set(normalized) : opts.source;
  col.fill(-1);
  for (const auto& [field, header] : opts.column_map) {
    const auto f = std::find(kFieldNames.begin(), kFieldNames.end(), field) - kFieldNames.begin();
    auto it = column_of.find(normalize_header(header));
    if (it == column_of.end()) {
      batch.errors.push_back(
          {table.header_line, "--map: no column called '" + excerpt(header) + "'"});
      return false;
    }
    col[static_cast<std::size_t>(f)] = static_cast<long>(it->second);
  }
  Synonyms wanted = generic_synonyms();
  if (batch.source == "meetup") wanted[kId] = {"user id", "member id"};
  if (batch.source == "eventbrite") {
    wanted[kId] = {"attendee #"};
    wanted[kTicket] = {"barcode #", "barcode"};
    wanted[kOrderCode] = {"order #"};
  }
  if (batch.source == "pretix") {
    wanted[kName].insert(wanted[kName].begin(), {"attendee name", "invoice address name"});
    wanted[kEmail].insert(wanted[kEmail].begin(), "attendee email");
    wanted[kRsvp].insert(wanted[kRsvp].begin(), {"order status", "status"});
  }
  if (batch.source == "luma") wanted[kTicketType] = {"ticket name", "ticket type"};
  for (std::size_t f = 0; f < kFieldCount; ++f) {
    if (col[f] >= 0) continue;
    for (const auto& name : wanted[f])
      if (auto it = column_of.find(name); it != column_of.end()) {
        col[f] = static_cast<long>(it->second);
        break;
      }
  }
  // A column used for one field is not reused for another ("ticket" as code).
  if (col[kTicketType] >= 0 && col[kTicketType] == col[kTicket]) col[kTicketType] = -1;
  if (col[kName] >= 0 || col[kFirstName] >= 0 || col[kLastName] >= 0) return true;
  std::string cols;
  for (std::size_t i = 0; i < table.header.size() && i < 20; ++i)
    cols += (cols.empty() ? "" : ", ") + excerpt(table.header[i], 30);
  if (table.header.size() > 20) cols += ", … " + std::to_string(table.header.size() - 20) + " more";
  batch.errors.push_back({table.header_line, "no name column found (columns: " + cols +
                                                 "); say which with --map name=COLUMN"});
  return false;
}

// What the rows of one file share while they are read.
struct RowContext {
  const CsvTable& table;
  const Columns& col;
  long buyer_email = -1;  // pretix: the buyer's e-mail column
  std::unordered_map<std::string, int> id_seen{};
  std::set<std::string> unknown_rsvps{};
  std::size_t bad_emails = 0;
};

// A field no person's name, company or ticket needs: the row is refused,
// not carried into the store, the screens and every export.
bool field_too_long(const CsvRecord& rec, RowContext& cx, ImportBatch& batch) {
  for (std::size_t f = 0; f < kFieldCount; ++f) {
    const long c = cx.col[f];
    if (c < 0 || static_cast<std::size_t>(c) >= rec.fields.size() ||
        rec.fields[static_cast<std::size_t>(c)].size() <= kMaxFieldBytes)
      continue;
    batch.errors.push_back(
        {rec.line, "the " + excerpt(cx.table.header[static_cast<std::size_t>(c)], 30) +
                       " field is longer than " + std::to_string(kMaxFieldBytes) + " bytes"});
    return true;
  }
  return false;
}

// The name fields: a title in front is kept in the full name, never taken
// for a first name ("Dr. Jane Smith" is Jane).
bool read_name(AttendeeRow& row, const std::function<std::string(Field)>& get) {
  row.first_name = without_title(clean_name(get(kFirstName)));
  row.last_name = clean_name(get(kLastName));
  row.full_name = clean_name(get(kName));
  if (row.full_name.empty())
    row.full_name = east_asian_only(row.first_name) && east_asian_only(row.last_name)
                        ? row.last_name + row.first_name
                        : clean_name(clean_name(get(kFirstName)) + " " + row.last_name);
  if (row.full_name.empty()) return false;
  if (row.first_name.empty() && row.last_name.empty()) {
    NameParts parts = split_full_name(row.full_name);
    row.first_name = std::move(parts.first);
    row.last_name = std::move(parts.last);
  }
  return true;
}

// The service's id for this entry, so a newer export merges onto it.
std::string entry_id(const ImportBatch& batch, AttendeeRow& row,
                     const std::function<std::string(Field)>& get, RowContext& cx) {
  std::string id = get(kId);
  if (batch.source == "pretix" && !get(kOrderCode).empty())
    id = get(kOrderCode) + (get(kPosition).empty() ? "" : "-" + get(kPosition));
  if (batch.source == "meetup" && id.empty()) id = row.member_id;
  if (batch.source == "meetup" && row.member_id.empty()) row.member_id = id;
  if (id.empty() && !row.ticket_code.empty()) id = "code:" + row.ticket_code;
  if (id.empty() && !row.email.empty()) id = "email:" + lower(row.email);
  if (id.empty()) id = "name:" + lower(row.full_name);
  // Two rows with the same derived id (same name, no e-mail) stay two
  // people, numbered in file order so a re-import maps them the same way.
  if (const int n = cx.id_seen[id]++; n > 0) id += "#" + std::to_string(n + 1);
  return id;
}

// One record into a row; false when it is skipped (reported in batch.errors).
bool read_row(CsvRecord& rec, RowContext& cx, ImportBatch& batch, AttendeeRow& row) {
  const std::size_t width = cx.table.header.size();
  if (rec.fields.size() > width &&
      std::any_of(rec.fields.begin() + static_cast<long>(width), rec.fields.end(),
                  [](const std::string& f) { return !trim(f).empty(); })) {
    batch.errors.push_back({rec.line, "this row has " + std::to_string(rec.fields.size()) +
                                          " fields but the header has " + std::to_string(width) +
                                          " (a delimiter inside an unquoted field?)"});
    return false;
  }
  const std::function<std::string(Field)> get = [&](Field f) -> std::string {
    const long c = cx.col[f];
    if (c < 0 || static_cast<std::size_t>(c) >= rec.fields.size()) return {};
    return trim(rec.fields[static_cast<std::size_t>(c)]);
  };
  if (field_too_long(rec, cx, batch)) return false;
  row.line = rec.line;
  if (!read_name(row, get)) {
    batch.errors.push_back({rec.line, "no name"});
    return false;
  }
  row.email = get(kEmail);
  // pretix leaves the attendee e-mail empty when the buyer's is to be used.
  if (row.email.empty() && cx.buyer_email >= 0 &&
      static_cast<std::size_t>(cx.buyer_email) < rec.fields.size())
    row.email = trim(rec.fields[static_cast<std::size_t>(cx.buyer_email)]);
  if (!row.email.empty() && !looks_like_email(row.email)) {
    if (++cx.bad_emails <= 5)
      batch.warnings.push_back("line " + std::to_string(rec.line) + ": '" + excerpt(row.email) +
                               "' is not an e-mail address; kept the person without it");
    row.email.clear();
  }
  row.company = get(kCompany);
  row.ticket_type = get(kTicketType);
  row.role = get(kRole);
  // Meetup marks the evening's hosts: they are its organizers at the door.
  if (row.role.empty() && rsvp_of("csv", get(kHost)) == Rsvp::Yes && !get(kHost).empty())
    row.role = "Organizer";
  row.member_id = get(kMemberId);
  row.ticket_code = get(kTicket);
  if (row.ticket_code.empty()) row.ticket_code = query_param(get(kQrUrl), "pk");
  const std::string status = get(kRsvp);
  if (auto rsvp = rsvp_of(batch.source, status)) {
    row.rsvp = *rsvp;
  } else {
    cx.unknown_rsvps.insert(status);
    row.rsvp = Rsvp::Yes;
  }
  const std::string guests = get(kGuests);
  if (!guests.empty()) {
    char* end = nullptr;
    const long g = std::strtol(guests.c_str(), &end, 10);
    if (end == guests.c_str() || g < 0 || g > 100)
      batch.warnings.push_back("line " + std::to_string(rec.line) + ": guests '" +
                               excerpt(guests, 20) + "' is not a number; counted as 0");
    else
      row.guests = static_cast<int>(g);
  }
  if (const TimeMs at = parse_export_date(get(kRsvpDate)); at > batch.as_of) batch.as_of = at;
  row.external_id = entry_id(batch, row, get, cx);
  return true;
}

void summarize_warnings(RowContext& cx, ImportBatch& batch) {
  if (cx.bad_emails > 5)
    batch.warnings.push_back(std::to_string(cx.bad_emails - 5) +
                             " more rows had an invalid e-mail");
  std::size_t shown = 0;
  for (const auto& u : cx.unknown_rsvps) {
    if (++shown > 5) {
      batch.warnings.push_back(std::to_string(cx.unknown_rsvps.size() - 5) +
                               " more RSVP values we do not know; read as yes");
      break;
    }
    batch.warnings.push_back("RSVP value '" + excerpt(u, 30) + "' is not one we know; read as yes");
  }
}

}  // namespace

ImportBatch read_attendees(std::string_view bytes, const ImportOptions& opts) {
  ImportBatch batch;
  if (std::string why = precheck(bytes, bytes.size()); !why.empty()) {
    batch.errors.push_back({1, why});
    return batch;
  }
  const DecodedText text = to_utf8(bytes);
  if (text.encoding != "utf-8") batch.warnings.push_back("read as " + text.encoding);
  CsvTable table = parse_csv(text.utf8);
  for (const CsvError& e : table.errors) batch.errors.push_back({e.line, e.message});
  if (table.header.empty()) {
    batch.errors.push_back({1, "the file has no header row"});
    return batch;
  }
  if (table.header.size() > kMaxColumns) {
    batch.errors.push_back({table.header_line, "the header has " +
                                                   std::to_string(table.header.size()) +
                                                   " columns; an attendee list has a few dozen"});
    return batch;
  }
  if (table.delimiter != ',')
    batch.warnings.push_back(
        std::string("columns separated by ") +
        (table.delimiter == '\t' ? "tabs" : std::string("'") + table.delimiter + "'"));
  Columns col;
  std::unordered_map<std::string, std::size_t> column_of;
  if (!find_columns(table, opts, batch, col, column_of)) return batch;

  RowContext cx{table, col, -1};
  if (batch.source == "pretix")
    for (const char* name : {"email", "e-mail"})
      if (auto it = column_of.find(name);
          it != column_of.end() && static_cast<long>(it->second) != col[kEmail])
        cx.buyer_email = static_cast<long>(it->second);
  batch.rows.reserve(table.records.size());
  const std::size_t total = table.records.size();
  const std::size_t step = std::max<std::size_t>(1, total / 100);
  for (std::size_t r = 0; r < total; ++r) {
    if (opts.progress && r % step == 0) opts.progress(r, total);
    CsvRecord& rec = table.records[r];
    if (std::all_of(rec.fields.begin(), rec.fields.end(),
                    [](const std::string& f) { return trim(f).empty(); }))
      continue;  // ",,,," lines spreadsheets leave behind
    AttendeeRow row;
    if (read_row(rec, cx, batch, row)) batch.rows.push_back(std::move(row));
  }
  summarize_warnings(cx, batch);
  if (opts.progress) opts.progress(total, total);
  return batch;
}

Result<ImportBatch> read_attendee_file(const std::filesystem::path& file,
                                       const ImportOptions& opts) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{"import.open", "Cannot read " + file.string()};
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  // The start first: a workbook, a PDF or a file without lines is refused
  // before the rest is read.
  std::string bytes(std::min<std::size_t>(ec ? kMaxHeaderBytes + 1 : size, kMaxHeaderBytes + 1),
                    '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  if (std::string why = precheck(bytes, ec ? bytes.size() : size); !why.empty())
    return Error{"import.kind", file.string() + ": " + why};
  std::ostringstream rest;
  rest << in.rdbuf();
  bytes += rest.str();
  if (bytes.find_first_not_of(" \t\r\n") == std::string::npos)
    return Error{"import.empty", file.string() + " is empty"};
  ImportBatch batch = read_attendees(bytes, opts);
  if (batch.rows.empty() && !batch.errors.empty() && batch.errors.back().line <= 1 &&
      batch.errors.size() == 1)
    return Error{"import.header", file.string() + ": " + batch.errors.back().message};
  if (batch.rows.empty() && !batch.errors.empty() &&
      batch.errors.back().message.find("no name column") != std::string::npos)
    return Error{"import.header", file.string() + ": " + batch.errors.back().message};
  return batch;
}

}  // namespace fd
