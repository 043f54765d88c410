// Golden files as organizers export them (tests/import/data/), each with
// what a door must get out of it.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "base/Time.h"
#include "base/Utf8.h"
#include "import/Csv.h"
#include "import/Encoding.h"
#include "import/Importer.h"

using namespace fd;

namespace {
ImportBatch load(const std::string& name, ImportOptions opts = {}) {
  auto b = read_attendee_file(std::string(FD_TEST_DATA_DIR) + "/import/data/" + name, opts);
  REQUIRE_MESSAGE(b.ok(), (b.ok() ? "" : b.error().message));
  return *b;
}
const AttendeeRow& by_name(const ImportBatch& b, const std::string& name) {
  auto it = std::find_if(b.rows.begin(), b.rows.end(),
                         [&](const AttendeeRow& r) { return r.full_name == name; });
  REQUIRE_MESSAGE(it != b.rows.end(), "no row for " << name);
  return *it;
}
}  // namespace

TEST_CASE("Meetup RSVP export: member ids - guests - waitlist and no") {
  const ImportBatch b = load("meetup.csv");
  CHECK(b.source == "meetup");
  CHECK(b.errors.empty());
  REQUIRE(b.rows.size() == 4);
  const auto& ana = by_name(b, "Ana García");
  CHECK(ana.member_id == "101");
  CHECK(ana.external_id == "101");
  CHECK(ana.guests == 1);
  CHECK(ana.rsvp == Rsvp::Yes);
  CHECK(ana.first_name == "Ana");
  CHECK(by_name(b, "Иван Петров").rsvp == Rsvp::Waitlist);
  CHECK(by_name(b, "Chloe Evans").rsvp == Rsvp::No);
}

TEST_CASE("Eventbrite attendee report: attendee ids - barcodes - statuses") {
  const ImportBatch b = load("eventbrite.csv");
  CHECK(b.source == "eventbrite");
  REQUIRE(b.rows.size() == 5);
  const auto& ana = by_name(b, "Ana García");
  CHECK(ana.external_id == "3301");
  CHECK(ana.ticket_code == "1234567890330100001");
  CHECK(ana.email == "ana@example.org");
  CHECK(ana.company == "Acme");
  CHECK(by_name(b, "Cy Young").rsvp == Rsvp::Yes);  // "Checked In" elsewhere is still coming
  CHECK(by_name(b, "Cy Young").ticket_type == "Speaker");
  CHECK(by_name(b, "Di Prince").rsvp == Rsvp::No);        // Not Attending
  CHECK(by_name(b, "Ed Stone").rsvp == Rsvp::Cancelled);  // Refunded
}

TEST_CASE("pretix export: order positions - secrets - order states") {
  const ImportBatch b = load("pretix.csv");
  CHECK(b.source == "pretix");
  REQUIRE(b.rows.size() == 4);
  const auto& bo = by_name(b, "Bo Li");
  CHECK(bo.external_id == "ABC12-2");
  CHECK(bo.ticket_code == "h8s2k4m6n8p2r4t6v8x2z4b6d8f2h4j6");
  CHECK(bo.email == "buyer@example.org");  // no attendee e-mail: the buyer's
  CHECK(by_name(b, "Ana García").email == "ana@example.org");
  CHECK(by_name(b, "Cy Young").rsvp == Rsvp::Cancelled);
  CHECK(by_name(b, "Di Prince").rsvp == Rsvp::Yes);  // pending payment still has a ticket
}

TEST_CASE("Luma guest export: api ids - check-in codes from the QR URL - approval states") {
  const ImportBatch b = load("luma.csv");
  CHECK(b.source == "luma");
  REQUIRE(b.rows.size() == 4);
  const auto& ana = by_name(b, "Ana García");
  CHECK(ana.external_id == "gst-aaa111");
  CHECK(ana.ticket_code == "g-Ana111");
  CHECK(ana.ticket_type == "Standard");
  CHECK(by_name(b, "Bo Li").rsvp == Rsvp::Waitlist);
  CHECK(by_name(b, "Cy Young").rsvp == Rsvp::No);
  CHECK(by_name(b, "Di Prince").rsvp == Rsvp::Waitlist);
  CHECK(by_name(b, "Di Prince").ticket_code.empty());
}

TEST_CASE("Excel in Europe: semicolons - Windows-1252 - CRLF - German headers") {
  const ImportBatch b = load("excel_semicolon_1252.csv");
  CHECK(b.source == "csv");
  CHECK(b.errors.empty());
  REQUIRE(b.rows.size() == 3);
  CHECK(b.rows[0].full_name == "Jürgen Weiß");
  CHECK(b.rows[0].company == "Müller & Söhne GmbH");
  CHECK(b.rows[1].full_name == "François Lefèvre");
  CHECK(b.rows[1].company == "Société Générale; Paris");
  CHECK(b.rows[2].full_name == "Zoë Ørsted");
  CHECK(std::find(b.warnings.begin(), b.warnings.end(), "read as windows-1252") !=
        b.warnings.end());
}

TEST_CASE("UTF-8 with BOM and CRLF - UTF-16 tab-separated from Excel") {
  const ImportBatch a = load("utf8_bom_crlf.csv");
  REQUIRE(a.rows.size() == 2);
  CHECK(a.rows[0].full_name == "José Núñez");  // the BOM is not part of the header
  CHECK(a.rows[1].full_name == "王芳");
  CHECK(a.rows[1].company == "东京");
  const ImportBatch u = load("utf16le_tab.txt");
  REQUIRE(u.rows.size() == 2);
  CHECK(u.rows[0].full_name == "Δημήτρης Οικονόμου");
  CHECK(u.rows[1].full_name == "محمد العلي");
  CHECK(u.rows[1].email == "m@example.org");
}

TEST_CASE("quoted fields keep commas - doubled quotes and newlines") {
  const ImportBatch b = load("multiline.csv");
  CHECK(b.errors.empty());
  REQUIRE(b.rows.size() == 2);
  CHECK(b.rows[0].company == "Acme\nBerlin office");
  CHECK(b.rows[1].line == 4);  // physical line, after the two-line record
}

TEST_CASE("an unbalanced quote costs exactly one row - reported with its line") {
  const ImportBatch b = load("unbalanced.csv");
  REQUIRE(b.errors.size() == 1);
  CHECK(b.errors[0].line == 4);
  CHECK(b.errors[0].message.find("unbalanced quote") != std::string::npos);
  REQUIRE(b.rows.size() == 4);
  CHECK(b.rows[1].full_name == "Bo \"Bobby");  // a stray quote inside a field is just a character
  CHECK(b.rows[2].full_name == "Di Prince");
  CHECK(b.rows[2].line == 5);
  CHECK(b.rows[3].company == "Pied Piper");
}

TEST_CASE(
    "rows with extra fields or no name are reported - bad e-mails are dropped - not the person") {
  const ImportBatch b = load("too_many_fields.csv");
  REQUIRE(b.errors.size() == 2);
  CHECK(b.errors[0].line == 3);
  CHECK(b.errors[0].message.find("4 fields but the header has 2") != std::string::npos);
  CHECK(b.errors[1].line == 6);
  CHECK(b.errors[1].message == "no name");
  REQUIRE(b.rows.size() == 3);
  CHECK(b.rows[1].full_name == "Cy Young");  // trailing empty fields are fine
  CHECK(b.rows[2].full_name == "Di Prince");
  CHECK(b.rows[2].email.empty());
}

TEST_CASE("a file without a name column says which columns it has") {
  auto b =
      read_attendee_file(std::string(FD_TEST_DATA_DIR) + "/import/data/no_name_column.csv", {});
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().message.find("no name column found (columns: Email, Company)") !=
        std::string::npos);
  ImportOptions mapped;
  mapped.column_map = {{"name", "Email"}};
  auto m =
      read_attendee_file(std::string(FD_TEST_DATA_DIR) + "/import/data/no_name_column.csv", mapped);
  REQUIRE(m.ok());
  CHECK(m->rows.size() == 1);
}

TEST_CASE("--map parses and refuses what it cannot use") {
  auto ok = parse_column_map("name=Full Name, email = E-mail ,company=Org");
  REQUIRE(ok.ok());
  CHECK(ok->size() == 3);
  CHECK((*ok)[1] == std::pair<std::string, std::string>{"email", "E-mail"});
  CHECK_FALSE(parse_column_map("name").ok());
  CHECK_FALSE(parse_column_map("nmae=Name").ok());
  CHECK(parse_column_map("nmae=Name").error().message.find("unknown field 'nmae'") == 0);
  CHECK_FALSE(parse_column_map("").ok());
}

TEST_CASE("re-reading a generic file gives the same ids - even for namesakes without e-mail") {
  const std::string csv = "Name\nAna\nAna\nBo\n";
  const ImportBatch a = read_attendees(csv, {});
  const ImportBatch b = read_attendees(csv, {});
  REQUIRE(a.rows.size() == 3);
  CHECK(a.rows[0].external_id != a.rows[1].external_id);
  for (std::size_t i = 0; i < 3; ++i) CHECK(a.rows[i].external_id == b.rows[i].external_id);
}

TEST_CASE("progress is reported up to the end") {
  std::string csv = "Name\n";
  for (int i = 0; i < 1000; ++i) csv += "Person " + std::to_string(i) + "\n";
  std::size_t calls = 0, last_done = 0, last_total = 0;
  ImportOptions opts;
  opts.progress = [&](std::size_t done, std::size_t total) {
    ++calls;
    last_done = done;
    last_total = total;
  };
  read_attendees(csv, opts);
  CHECK(calls >= 10);
  CHECK(last_done == last_total);
}

TEST_CASE("encodings: every Windows-1252 byte decodes - invalid UTF-8 is detected") {
  std::string all;
  for (int c = 1; c < 256; ++c) all += static_cast<char>(c);
  const DecodedText d = to_utf8(all);
  CHECK(d.encoding == "windows-1252");
  CHECK(is_valid_utf8(d.utf8));
  CHECK(d.utf8.find("€") != std::string::npos);
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));      // overlong
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));  // surrogate
  CHECK(is_valid_utf8("José 王芳 🎉"));
}

TEST_CASE("East Asian names from first and last columns are written family name first") {
  const ImportBatch b = read_attendees("First name,Last name\n芳,王\n健,佐藤\nAna,García\n", {});
  REQUIRE(b.rows.size() == 3);
  CHECK(b.rows[0].full_name == "王芳");
  CHECK(b.rows[0].first_name == "芳");
  CHECK(b.rows[1].full_name == "佐藤健");
  CHECK(b.rows[2].full_name == "Ana García");
}

TEST_CASE("a 5 MB name is a row error with its line - the rest of the file imports") {
  const std::string huge(5u << 20, 'A');
  const std::string csv =
      "Name,Email\nAna García,ana@example.org\n" + huge + ",x@example.org\nBo Li,bo@example.org\n";
  const ImportBatch b = read_attendees(csv, {});
  REQUIRE(b.rows.size() == 2);
  REQUIRE(b.errors.size() == 1);
  CHECK(b.errors[0].line == 3);
  CHECK(b.errors[0].message.find("longer than") != std::string::npos);
  CHECK(b.errors[0].message.size() < 120);
}

TEST_CASE("a 20000-column file is one short error - not a 120 KB line naming every column") {
  std::string header;
  for (int i = 0; i < 20000; ++i) header += (i ? ",col" : "col") + std::to_string(i);
  const ImportBatch b = read_attendees(header + "\n1,2,3\n", {});
  CHECK(b.rows.empty());
  REQUIRE(b.errors.size() == 1);
  CHECK(b.errors[0].message.size() < 200);
  // Below the column limit, a header without a name column lists a few columns, not all.
  std::string wide;
  for (int i = 0; i < 900; ++i)
    wide += (i ? ",column number " : "column number ") + std::to_string(i);
  const ImportBatch w = read_attendees(wide + "\nx\n", {});
  REQUIRE(w.errors.size() == 1);
  CHECK(w.errors[0].message.find("no name column") != std::string::npos);
  CHECK(w.errors[0].message.size() < 1200);
  CHECK(w.errors[0].message.find("880 more") != std::string::npos);
}

TEST_CASE("messages quote outside input as a short excerpt of valid UTF-8") {
  const ImportBatch b =
      read_attendees("Name,Email,RSVP\nAna," + std::string(900, 'z') +
                         "\xe2\x80\n\x01\x02,,maybe-" + std::string(500, 'q') + "\n",
                     {});
  for (const auto& w : b.warnings) {
    CHECK(is_valid_utf8(w));
    CHECK(w.size() < 200);
    CHECK(w.find('\x01') == std::string::npos);
  }
  CHECK(b.warnings.size() >= 2);  // the e-mail and the RSVP value
}

// ---------------------------------------------------------------------------
// Files that are not attendee lists, and limits (issue #22)
// ---------------------------------------------------------------------------

namespace {
std::string first_error(std::string_view bytes) {
  const ImportBatch b = read_attendees(bytes, {});
  REQUIRE(b.rows.empty());
  REQUIRE_FALSE(b.errors.empty());
  return b.errors.front().message;
}
}  // namespace

TEST_CASE("a workbook, a PDF or a web page is named for what it is - with how to save it as CSV") {
  const std::string xlsx = std::string("PK\x03\x04\x14\x00\x06\x00", 8) + "[Content_Types].xml" +
                           std::string(200, '\0') + "xl/workbook.xml";
  CHECK(first_error(xlsx) ==
        "this is an Excel workbook (.xlsx), not a CSV file: save it as CSV: in Excel File → Save "
        "As → \"CSV UTF-8 (Comma delimited)\", in LibreOffice Calc File → Save As → \"Text CSV "
        "(.csv)\", in Google Sheets File → Download → \"Comma-separated values (.csv)\"; then "
        "import the .csv file");
  CHECK(first_error(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(64, '\0'))
            .rfind("this is an Excel workbook (.xls), not a CSV file: save it as CSV", 0) == 0);
  CHECK(first_error("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n") ==
        "this is a PDF document, not an attendee list Frontdesk can read: download the attendee "
        "list as CSV from the RSVP service (Meetup, Eventbrite, pretix and Luma each have a CSV "
        "export), or save the spreadsheet it came from as CSV");
  CHECK(first_error("<!DOCTYPE html>\n<html><body>Log in</body></html>\n")
            .rfind("this is a web page (HTML), not the export", 0) == 0);
  CHECK(first_error("[{\"name\": \"Ana\"}]").rfind("this is JSON, not a CSV file", 0) == 0);
}

TEST_CASE("UTF-16 without a BOM is read - not refused for want of a name column") {
  const std::string text =
      "Name\tEmail\r\nAna García\tana@example.org\r\nBo Li\tbo@example.org\r\n";
  std::string le, be;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
    i += n;
    le += static_cast<char>(cp & 0xFF);
    le += static_cast<char>(cp >> 8);
    be += static_cast<char>(cp >> 8);
    be += static_cast<char>(cp & 0xFF);
  }
  for (const auto& [bytes, name] :
       {std::pair{le, "utf-16le (no BOM)"}, {be, "utf-16be (no BOM)"}}) {
    const ImportBatch b = read_attendees(bytes, {});
    INFO(name);
    CHECK(b.errors.empty());
    REQUIRE(b.rows.size() == 2);
    CHECK(b.rows[0].full_name == "Ana García");
    CHECK(std::find(b.warnings.begin(), b.warnings.end(), std::string("read as ") + name) !=
          b.warnings.end());
  }
}

TEST_CASE("a 50 MB file of one line is refused at once - before it is read whole") {
  const auto file = std::filesystem::temp_directory_path() / "fd-one-line.csv";
  {
    std::ofstream out(file, std::ios::binary);
    const std::string chunk(1 << 20, 'x');
    out << "Name,";
    for (int i = 0; i < 50; ++i) out << chunk;
  }
  const auto t0 = std::chrono::steady_clock::now();
  const auto b = read_attendee_file(file, {});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::filesystem::remove(file);
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().message ==
        file.string() +
            ": the first line is longer than 256 KB (the file is 50 MB with no line break near "
            "its start): an attendee list has a header line, then one person per line. Is this "
            "the right file?");
  CHECK(seconds < 0.5);
}

TEST_CASE("the newest RSVP date says which export is newer - in the formats exports use") {
  const ImportBatch m = load("meetup.csv");
  CHECK(m.as_of == parse_datetime("2026-11-03 12:30"));
  const auto as_of = [](const std::string& date) {
    return read_attendees("Name,RSVPed on\nAna," + date + "\n", {}).as_of;
  };
  CHECK(as_of("2026-11-03T11:30:00.000Z") == parse_datetime("2026-11-03T11:30:00Z"));
  CHECK(as_of("2026-11-03") == parse_datetime("2026-11-03 00:00"));
  CHECK(as_of("\"11/03/2026 6:30 PM\"") == parse_datetime("2026-11-03 18:30"));
  CHECK(as_of("\"Nov 3, 2026 6:30 PM\"") == parse_datetime("2026-11-03 18:30"));
  CHECK(as_of("soon") == 0);
}

TEST_CASE("Meetup's event hosts are organizers on the badge") {
  const ImportBatch b = load("meetup.csv");
  CHECK(by_name(b, "Jürgen Weiß").role == "Organizer");  // Event Host: Yes
  CHECK(by_name(b, "Ana García").role.empty());          // Event Host: No
}

TEST_CASE("titles stay in the full name - never become the first name") {
  const ImportBatch b = read_attendees(
      "Name,Email\n"
      "Dr. Jane Smith,jane@example.org\n"
      "Prof. Dr. Anna Weiß,anna@example.org\n"
      "ศาสตราจารย์ สมชาย ใจดี,somchai@example.org\n"
      "ดร.สมหญิง ใจงาม,somying@example.org\n"
      "Drew Barry,drew@example.org\n"
      "Ing Lee,ing@example.org\n",
      {});
  REQUIRE(b.rows.size() == 6);
  CHECK(b.rows[0].full_name == "Dr. Jane Smith");
  CHECK(b.rows[0].first_name == "Jane");
  CHECK(b.rows[0].last_name == "Smith");
  CHECK(b.rows[1].first_name == "Anna");
  CHECK(b.rows[1].last_name == "Weiß");
  CHECK(b.rows[2].first_name == "สมชาย");
  CHECK(b.rows[2].last_name == "ใจดี");
  CHECK(b.rows[3].first_name == "สมหญิง");
  CHECK(b.rows[4].first_name == "Drew");  // a name that starts like a title is a name
  CHECK(b.rows[5].first_name == "Ing");   // "Ing." is a title; "Ing" a name
  const ImportBatch split = read_attendees("First name,Last name\nDr. Jane,Smith\n", {});
  REQUIRE(split.rows.size() == 1);
  CHECK(split.rows[0].first_name == "Jane");
  CHECK(split.rows[0].full_name == "Dr. Jane Smith");
}
