// frontdesk badge: render a name badge to PDF or PNG, print it, or lay the
// whole list out on A4 sheets for pre-printing.
#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "badge/BadgeRenderer.h"
#include "badge/PrintSink.h"
#include "base/Paths.h"
#include "base/Time.h"
#include "print/PrintWorker.h"

namespace fd {
namespace {

struct BadgeArgs {
  std::int64_t attendee = 0;
  std::string out, template_file, preset, name, company, role, pronouns, print;
  bool sheet = false;
  bool print_asked = false;
};

// Says what went wrong and sets the exit code; false, for `return fail(...)`.
bool fail(const std::string& message, int code, int& exit_status) {
  std::cerr << "frontdesk: " << message << "\n";
  exit_status = code;
  return false;
}

// The template: --template, else badge.toml in the config dir, else the
// default; --preset replaces its label.
std::optional<BadgeTemplate> badge_template(const BadgeArgs& a, const GlobalOptions& g,
                                            int& exit_status) {
  const std::filesystem::path config_dir =
      g.config_dir.empty() ? default_config_dir() : std::filesystem::path(g.config_dir);
  const std::filesystem::path tfile =
      a.template_file.empty() ? config_dir / "badge.toml" : std::filesystem::path(a.template_file);
  BadgeTemplate t = default_badge_template();
  if (std::filesystem::exists(tfile) || !a.template_file.empty()) {
    auto loaded = load_badge_template(tfile);
    if (!loaded) {
      fail(loaded.error().message, exit_code::usage, exit_status);
      return std::nullopt;
    }
    t = *loaded;
  }
  if (!a.preset.empty()) {
    auto l = label_preset(a.preset);
    if (!l) {
      fail(l.error().message, exit_code::usage, exit_status);
      return std::nullopt;
    }
    t.label = *l;
  }
  return t;
}

// Everyone expected on A4 sheets (--sheet --out FILE.pdf).
void write_sheet(const BadgeArgs& a, BadgeTemplate t, const GlobalOptions& g, int& exit_status) {
  if (a.out.empty()) throw CLI::ValidationError("--sheet needs --out FILE.pdf");
  if (a.preset.empty() && a.template_file.empty()) t.label = *label_preset("a4-sheet");
  auto s = Session::open(g);
  if (!s) return void(fail(s.error().message, exit_code::of(s.error()), exit_status));
  const auto snap = (*s)->engine().snapshot();
  std::vector<BadgeData> people;
  for (const AttendeeView& p : *snap->roster)
    if (p.rsvp == Rsvp::Yes && !p.walk_in) people.push_back(badge_data(p, snap->event.name));
  auto pdf = render_badge_sheet_pdf(people, t);
  if (!pdf) return void(fail(pdf.error().message, exit_code::failure, exit_status));
  std::ofstream(a.out, std::ios::binary) << *pdf;
  std::cout << people.size() << " badges on A4 sheets written to " << a.out << "\n";
  exit_status = exit_code::ok;
}

// What goes on the badge: --name and its details, or attendee --attendee.
std::optional<BadgeData> badge_of(const BadgeArgs& a, const GlobalOptions& g, int& exit_status) {
  BadgeData d;
  if (!a.name.empty()) {
    d.full_name = a.name;
    d.company = a.company;
    d.role = a.role;
    d.pronouns = a.pronouns;
    return d;
  }
  if (!a.attendee) throw CLI::ValidationError("give --attendee ID or --name NAME");
  auto s = Session::open(g);
  if (!s) {
    fail(s.error().message, exit_code::of(s.error()), exit_status);
    return std::nullopt;
  }
  const auto snap = (*s)->engine().snapshot();
  const AttendeeView* who = snap->attendee(a.attendee);
  if (!who) {
    fail("no attendee #" + std::to_string(a.attendee) + " on this event's list",
         exit_code::not_found, exit_status);
    return std::nullopt;
  }
  return badge_data(*who, snap->event.name);
}

// Prints on `printer` (a CUPS queue, an ipp:// address or folder:PATH, as
// [printer] name takes) and follows the job: a badge counts as printed only
// when the printer says so.
bool print_badge(const BadgeData& d, const BadgeTemplate& t, const BadgeArgs& a, int& exit_status) {
  auto pdf = render_badge_pdf(d, t);
  if (!pdf) return fail(pdf.error().message, exit_code::failure, exit_status);
  auto sink = make_sink(a.print);
  // A name of its own each time: a folder: printer numbers its files from 1
  // in every process, so a second `badge --print` would overwrite the first.
  auto job =
      sink->submit(*pdf, "badge-" + std::to_string(a.attendee) + "-" + std::to_string(now_ms()));
  if (!job) return fail(job.error().message, exit_code::failure, exit_status);
  PrintStatus st;
  for (int i = 0; i < 100; ++i) {
    st = sink->status(*job);
    if (st.state == PrintState::Done || st.state == PrintState::Failed) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  const char* words = st.state == PrintState::Done     ? "printed"
                      : st.state == PrintState::Failed ? "failed"
                                                       : "still waiting";
  std::cout << "Badge for " << d.full_name << ": " << words << " on " << sink->describe()
            << " (job " << *job << ")" << (st.message.empty() ? "" : " — " + st.message) << "\n";
  exit_status = st.state == PrintState::Done ? exit_code::ok : exit_code::failure;
  return st.state == PrintState::Done;
}

void write_badge(const BadgeData& d, const BadgeTemplate& t, const std::string& out,
                 int& exit_status) {
  const bool png = out.size() > 4 && out.substr(out.size() - 4) == ".png";
  auto bytes = png ? render_badge_png(d, t) : render_badge_pdf(d, t);
  if (!bytes) return void(fail(bytes.error().message, exit_code::failure, exit_status));
  std::ofstream(out, std::ios::binary) << *bytes;
  std::cout << "Badge for " << d.full_name << " on " << t.label.preset << " (" << t.label.width_mm
            << "x" << t.label.height_mm << " mm) written to " << out << "\n";
  exit_status = exit_code::ok;
}

void run_badge(BadgeArgs& a, const GlobalOptions& g, int& exit_status) {
  const auto t = badge_template(a, g, exit_status);
  if (!t) return;
  if (a.sheet) return write_sheet(a, *t, g, exit_status);
  const auto d = badge_of(a, g, exit_status);
  if (!d) return;
  if (a.out.empty() && !a.print_asked)
    throw CLI::ValidationError("give --out FILE or --print [PRINTER]");
  if (a.print_asked && a.print.empty()) {  // --print with no printer: the configured one
    auto cfg = resolve_config(g);
    if (!cfg || cfg->printer.empty())
      throw CLI::ValidationError(
          "--print", "no printer configured: give --print PRINTER or set [printer] name");
    a.print = cfg->printer;
  }
  const bool printed = !a.print_asked || print_badge(*d, *t, a, exit_status);
  if (!a.out.empty()) write_badge(*d, *t, a.out, exit_status);
  if (!printed) exit_status = exit_code::failure;  // the file is written, the badge is not
}

}  // namespace

void add_badge_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* cmd = app.add_subcommand("badge", "Render a name badge (PDF for printing, PNG to look at)");
  auto a = std::make_shared<BadgeArgs>();
  cmd->add_option("--attendee", a->attendee, "Attendee id (from `frontdesk search`)");
  cmd->add_option("--name", a->name, "Or a name to render without the store (tests, samples)");
  cmd->add_option("--company", a->company, "With --name: company");
  cmd->add_option("--role", a->role, "With --name: Speaker, Organizer, Sponsor, Volunteer");
  cmd->add_option("--pronouns", a->pronouns, "With --name: pronouns");
  cmd->add_option("-o,--out", a->out, "badge.pdf or badge.png");
  CLI::Option* print_opt = cmd->add_option("--print", a->print,
                                           "Print it: a CUPS queue name, an ipp:// printer "
                                           "address or folder:PATH (default: the configured "
                                           "printer)")
                               ->expected(0, 1);
  cmd->add_flag(
      "--sheet", a->sheet,
      "Everyone on the list, laid out on A4 pages for pre-printing (with --out FILE.pdf)");
  cmd->add_option("--template", a->template_file,
                  "Badge template (default: frontdesk's config dir badge.toml)");
  cmd->add_option("--preset", a->preset,
                  "Label preset, e.g. brother-62x100, dymo-99014 (overrides the template's)");
  cmd->callback([&g, &exit_status, a, print_opt] {
    a->print_asked = print_opt->count() > 0;
    run_badge(*a, g, exit_status);
  });
}

}  // namespace fd
