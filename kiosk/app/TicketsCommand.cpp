// frontdesk tickets: signed QR tickets for events whose RSVP service has none
// (Meetup, a CSV list, Luma without QR codes). Each attendee gets an
// Ed25519-signed ticket the kiosk verifies offline; the organizer gets QR
// images and a CSV to mail-merge.
#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "app/Advice.h"
#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "base/Paths.h"
#include "import/Csv.h"
#include "qr/QrCode.h"
#include "tickets/Ticket.h"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#include <stb_image_write.h>
#pragma GCC diagnostic pop

namespace fd {
namespace {

bool write_qr_png(const std::string& text, const std::filesystem::path& file) {
  const QrMatrix q = qr_matrix(text);
  if (q.size == 0) return false;
  constexpr int kScale = 8, kQuiet = 4;
  const int side = (q.size + 2 * kQuiet) * kScale;
  std::vector<unsigned char> px(static_cast<std::size_t>(side) * side, 255);
  for (int y = 0; y < q.size; ++y)
    for (int x = 0; x < q.size; ++x)
      if (q.at(x, y))
        for (int dy = 0; dy < kScale; ++dy)
          for (int dx = 0; dx < kScale; ++dx)
            px[static_cast<std::size_t>((y + kQuiet) * kScale + dy) * side + (x + kQuiet) * kScale +
               dx] = 0;
  return stbi_write_png(file.c_str(), side, side, 1, px.data(), side) != 0;
}

std::string file_safe(const std::string& id) {
  std::string out;
  for (unsigned char c : id)
    out += std::isalnum(c) || c == '-' || c == '_' ? static_cast<char>(c) : '_';
  return out.substr(0, 80);
}

// The event's signing key, created on first use, readable by its owner only.
Result<EventKeys> event_keys(const std::filesystem::path& file) {
  if (std::ifstream in(file); in) {
    std::string text;
    std::getline(in, text);
    return event_keys_from_text(text);
  }
  ensure_private_dir(file.parent_path());
  const EventKeys k = make_event_keys();
  const mode_t old = ::umask(077);
  std::ofstream out(file);
  ::umask(old);
  out << key_to_text(k.secret_key.data(), k.secret_key.size()) << "\n";
  if (!out) return Error{"tickets.key", "Cannot write the ticket key " + file.string()};
  return k;
}

// Files created while it lives are readable by their owner only (the QR
// images are tickets: whoever has one gets in).
class OwnerOnlyFiles {
 public:
  OwnerOnlyFiles() : old_(::umask(077)) {}
  ~OwnerOnlyFiles() { ::umask(old_); }
  OwnerOnlyFiles(const OwnerOnlyFiles&) = delete;
  OwnerOnlyFiles& operator=(const OwnerOnlyFiles&) = delete;

 private:
  mode_t old_;
};

}  // namespace

void add_tickets_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* cmd = app.add_subcommand(
      "tickets", "Issue signed QR tickets (for Meetup, CSV and Luma lists without codes)");
  auto out = std::make_shared<std::string>("tickets");
  auto days = std::make_shared<int>(0);
  cmd->add_option("-o,--out", *out, "Folder for tickets.csv and the QR images");
  cmd->add_option("--valid-days", *days, "Tickets expire this many days from now (0: never)");
  cmd->callback([&g, &exit_status, out, days] {
    auto s = Session::open(g);
    if (!s) {
      std::cerr << "frontdesk: " << s.error().message << "\n";
      exit_status = exit_code::of(s.error());
      return;
    }
    Engine& engine = (*s)->engine();
    const auto snap = engine.snapshot();
    const std::filesystem::path config_dir =
        g.config_dir.empty() ? default_config_dir() : std::filesystem::path(g.config_dir);
    ensure_private_dir(config_dir);  // it holds the signing key (and PINs, tokens)
    const auto key_file = config_dir / "keys" / (snap->event.slug + ".key");
    auto keys = event_keys(key_file);
    if (!keys) {
      std::cerr << "frontdesk: " << keys.error().message << "\n";
      exit_status = exit_code::failure;
      return;
    }
    const std::string public_text = key_to_text(keys->public_key.data(), keys->public_key.size());
    engine.run(SetTicketKey{public_text});
    const std::vector<AttendeeRecord> people = engine.attendees().get();
    const std::filesystem::path dir = *out;
    // Tickets and e-mail addresses inside: the folder and every file in it
    // owner-only, like the store.
    ensure_private_dir(dir);
    ensure_private_dir(dir / "qr");
    const OwnerOnlyFiles owner_only;
    const std::uint32_t until =
        *days > 0 ? static_cast<std::uint32_t>(now_ms() / 1000 + *days * 86400) : 0;
    std::vector<std::vector<std::string>> rows{{"Name", "E-mail", "Ticket", "QR image"}};
    int issued = 0;
    std::map<Rsvp, int> skipped;
    for (const AttendeeRecord& a : people) {
      if (a.walk_in) continue;  // registered at the door: already in
      // Only people expected at the door get a ticket: a waitlisted or
      // declined person's ticket would be refused there.
      if (a.rsvp != Rsvp::Yes) {
        ++skipped[a.rsvp];
        continue;
      }
      const std::string ticket =
          sign_frontdesk_ticket(*keys, snap->event.slug, a.external_id, 0, until);
      const auto png = dir / "qr" / (file_safe(a.external_id) + ".png");
      if (!write_qr_png(ticket, png)) {
        std::cerr << "frontdesk: cannot write " << png << "\n";
        exit_status = exit_code::failure;
        return;
      }
      rows.push_back({a.full_name, a.email, ticket, png.string()});
      ++issued;
    }
    std::ofstream(dir / "tickets.csv", std::ios::binary | std::ios::trunc) << write_csv(rows);
    std::cout << "Issued " << issued << " signed tickets for " << snap->event.name << "\n";
    if (!skipped.empty()) {
      int total = 0;
      std::string why;
      for (const auto& [rsvp, n] : skipped) {
        total += n;
        why += (why.empty() ? "" : ", ") + std::to_string(n) + " " +
               (rsvp == Rsvp::Waitlist ? "waitlisted"
                : rsvp == Rsvp::No     ? "said no"
                                       : "cancelled");
      }
      std::cout << "  No ticket for " << total << (total == 1 ? " person" : " people") << " ("
                << why << "): only RSVP yes gets one. After a newer import, `"
                << frontdesk_command(g) << " tickets"
                << (*out != "tickets" ? " --out " + shell_word(*out) : std::string())
                << "` issues theirs.\n";
    }
    std::cout << "  " << (dir / "tickets.csv").string()
              << "  (name, e-mail, ticket text, QR image: for a mail merge)\n"
              << "  " << (dir / "qr").string() << "/  (one PNG per attendee)\n"
              << "  signing key: " << key_file.string()
              << "  (keep it private; re-running reuses it)\n"
              << "  This kiosk now verifies these tickets offline. Kiosks with their own store "
                 "need the public key:\n"
              << "    " << public_text << "\n";
    exit_status = exit_code::ok;
  });
}

}  // namespace fd
