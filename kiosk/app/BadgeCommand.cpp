// frontdesk badge: render a name badge to PDF or PNG (printing arrives with
// the print worker; see the badges issue).
#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "badge/BadgeRenderer.h"
#include "badge/PrintSink.h"
#include "base/Paths.h"

namespace fd {
void add_badge_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* cmd = app.add_subcommand("badge", "Render a name badge (PDF for printing, PNG to look at)");
  struct Args {
    std::int64_t attendee = 0;
    std::string out, template_file, preset, name, company, role, pronouns, print;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--attendee", a->attendee, "Attendee id (from `frontdesk search`)");
  cmd->add_option("--name", a->name, "Or a name to render without the store (tests, samples)");
  cmd->add_option("--company", a->company, "With --name: company");
  cmd->add_option("--role", a->role, "With --name: Speaker, Organizer, Sponsor, Volunteer");
  cmd->add_option("--pronouns", a->pronouns, "With --name: pronouns");
  cmd->add_option("-o,--out", a->out, "badge.pdf or badge.png");
  CLI::Option* print_opt = cmd->add_option("--print", a->print,
                                           "Print it: a CUPS queue name or an ipp:// printer "
                                           "address (default: the configured printer)")
                               ->expected(0, 1);
  auto sheet = std::make_shared<bool>(false);
  cmd->add_flag(
      "--sheet", *sheet,
      "Everyone on the list, laid out on A4 pages for pre-printing (with --out FILE.pdf)");
  cmd->add_option("--template", a->template_file,
                  "Badge template (default: frontdesk's config dir badge.toml)");
  cmd->add_option("--preset", a->preset,
                  "Label preset, e.g. brother-62x100, dymo-99014 (overrides the template's)");
  cmd->callback([&g, &exit_status, a, sheet, print_opt] {
    const std::filesystem::path config_dir =
        g.config_dir.empty() ? default_config_dir() : std::filesystem::path(g.config_dir);
    const std::filesystem::path tfile = a->template_file.empty()
                                            ? config_dir / "badge.toml"
                                            : std::filesystem::path(a->template_file);
    BadgeTemplate t = default_badge_template();
    if (std::filesystem::exists(tfile) || !a->template_file.empty()) {
      auto loaded = load_badge_template(tfile);
      if (!loaded) {
        std::cerr << "frontdesk: " << loaded.error().message << "\n";
        exit_status = exit_code::usage;
        return;
      }
      t = *loaded;
    }
    if (!a->preset.empty()) {
      auto l = label_preset(a->preset);
      if (!l) {
        std::cerr << "frontdesk: " << l.error().message << "\n";
        exit_status = exit_code::usage;
        return;
      }
      t.label = *l;
    }
    if (*sheet) {
      if (a->out.empty()) throw CLI::ValidationError("--sheet needs --out FILE.pdf");
      if (a->preset.empty() && a->template_file.empty()) t.label = *label_preset("a4-sheet");
      auto s = Session::open(g);
      if (!s) {
        std::cerr << "frontdesk: " << s.error().message << "\n";
        exit_status = exit_code::of(s.error());
        return;
      }
      const auto snap = (*s)->engine().snapshot();
      std::vector<BadgeData> people;
      for (const AttendeeView& p : *snap->roster)
        if (p.rsvp == Rsvp::Yes && !p.walk_in) people.push_back(badge_data(p, snap->event.name));
      auto pdf = render_badge_sheet_pdf(people, t);
      if (!pdf) {
        std::cerr << "frontdesk: " << pdf.error().message << "\n";
        exit_status = exit_code::failure;
        return;
      }
      std::ofstream(a->out, std::ios::binary) << *pdf;
      std::cout << people.size() << " badges on A4 sheets written to " << a->out << "\n";
      exit_status = exit_code::ok;
      return;
    }
    BadgeData d;
    if (!a->name.empty()) {
      d.full_name = a->name;
      d.company = a->company;
      d.role = a->role;
      d.pronouns = a->pronouns;
    } else {
      if (!a->attendee) throw CLI::ValidationError("give --attendee ID or --name NAME");
      auto s = Session::open(g);
      if (!s) {
        std::cerr << "frontdesk: " << s.error().message << "\n";
        exit_status = exit_code::of(s.error());
        return;
      }
      const auto snap = (*s)->engine().snapshot();
      const AttendeeView* who = snap->attendee(a->attendee);
      if (!who) {
        std::cerr << "frontdesk: no attendee #" << a->attendee << " on this event's list\n";
        exit_status = exit_code::not_found;
        return;
      }
      d = badge_data(*who, snap->event.name);
    }
    const bool print_asked = print_opt->count() > 0;
    if (a->out.empty() && !print_asked)
      throw CLI::ValidationError("give --out FILE or --print [PRINTER]");
    if (print_asked && a->print.empty()) {  // --print with no printer: the configured one
      auto cfg = resolve_config(g);
      if (!cfg || cfg->printer.empty())
        throw CLI::ValidationError(
            "--print", "no printer configured: give --print PRINTER or set [printer] name");
      a->print = cfg->printer;
    }
    if (print_asked) {
      auto pdf = render_badge_pdf(d, t);
      if (!pdf) {
        std::cerr << "frontdesk: " << pdf.error().message << "\n";
        exit_status = exit_code::failure;
        return;
      }
      auto sink = make_ipp_sink(a->print);
      auto job = sink->submit(*pdf, "badge-" + std::to_string(a->attendee));
      if (!job) {
        std::cerr << "frontdesk: " << job.error().message << "\n";
        exit_status = exit_code::failure;
        return;
      }
      // Follow the job: a badge counts as printed only when the printer says so.
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
                << " (job " << *job << ")" << (st.message.empty() ? "" : " — " + st.message)
                << "\n";
      exit_status = st.state == PrintState::Done ? exit_code::ok : exit_code::failure;
      if (a->out.empty()) return;
    }
    const bool png = a->out.size() > 4 && a->out.substr(a->out.size() - 4) == ".png";
    auto bytes = png ? render_badge_png(d, t) : render_badge_pdf(d, t);
    if (!bytes) {
      std::cerr << "frontdesk: " << bytes.error().message << "\n";
      exit_status = exit_code::failure;
      return;
    }
    std::ofstream(a->out, std::ios::binary) << *bytes;
    std::cout << "Badge for " << d.full_name << " on " << t.label.preset << " (" << t.label.width_mm
              << "x" << t.label.height_mm << " mm) written to " << a->out << "\n";
    exit_status = exit_code::ok;
  });
}

}  // namespace fd
