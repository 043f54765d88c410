// report_demo_store FILE [SEED]: a store with a year of a synthetic user
// group's events (Meetup lists some months, Luma others, the same people
// across both), backdated check-ins at two doors, walk-ins, undos. For the
// report tests and to look at a report with real-looking numbers.
// Prints one line per event: slug, start (Unix ms), RSVPs, final headcount.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>

#include "report/Synthetic.h"
#include "search/Synthetic.h"
#include "store/Store.h"

using namespace fd;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: report_demo_store FILE [SEED]\n";
    return 2;
  }
  const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  auto opened = Store::open(argv[1]);
  if (!opened) {
    std::cerr << opened.error().message << "\n";
    return 1;
  }
  Store& store = **opened;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  const std::vector<SearchDoc> pool = synthetic_people(400, seed);
  SyntheticGroup g = synthetic_group(rng);
  g.show_up_at_50 = 0.62;
  g.arrival_median = 22;
  constexpr TimeMs kDay = 24LL * 3600 * 1000;
  const TimeMs first = 1'768'500'000'000;  // Thu 2026-01-15 18:00 UTC
  const int events = 13;
  for (int ev = 0; ev < events; ++ev) {
    const TimeMs open = first + ev * 28 * kDay;
    const bool meetup = ev % 3 != 2;  // every third month on Luma
    const std::string slug = "rust-" + std::to_string(ev + 1);
    EventRecord e = store.create_event(slug, "Rust Night #" + std::to_string(ev + 1));
    e.starts_at = open;
    e.capacity = 80;
    store.update_event(e);
    // Regulars: the first 50 of the pool come back often.
    const int rsvps = 60 + static_cast<int>(u(rng) * 60);
    std::vector<std::size_t> who;
    std::vector<bool> taken(pool.size());
    while (static_cast<int>(who.size()) < rsvps) {
      const std::size_t i = u(rng) < 0.45 ? static_cast<std::size_t>(u(rng) * 50)
                                          : 50 + static_cast<std::size_t>(u(rng) * 300);
      if (taken[i]) continue;
      taken[i] = true;
      who.push_back(i);
    }
    ImportBatch batch;
    batch.source = meetup ? "meetup" : "luma";
    for (std::size_t k = 0; k < who.size(); ++k) {
      const std::size_t i = who[k];
      AttendeeRow r;
      r.external_id = (meetup ? "rsvp-" : "gst-") + std::to_string(ev) + "-" + std::to_string(i);
      r.full_name = pool[i].name;
      r.company = pool[i].company;
      r.ticket_code = "T" + std::to_string(ev) + "-" + std::to_string(i);
      // Meetup shares e-mails of some members only; Luma always has them.
      if (meetup) r.member_id = std::to_string(100000 + i);
      if (!meetup || i % 3 == 0) r.email = "person" + std::to_string(i) + "@example.org";
      r.line = k + 2;
      batch.rows.push_back(r);
    }
    for (int k = 0; k < 6; ++k) {  // waitlist and declines
      AttendeeRow r;
      r.external_id = "wl-" + std::to_string(ev) + "-" + std::to_string(k);
      r.full_name = pool[360 + k * 5 + ev % 5].name;
      r.rsvp = k < 4 ? Rsvp::Waitlist : Rsvp::No;
      batch.rows.push_back(r);
    }
    store.merge_attendees(e.id, batch, "demo.csv", false);
    const std::vector<AttendeeRecord> list = store.attendees(e.id);
    const SyntheticEvent s = synthetic_event(g, rsvps, rng);
    int final_count = 0;
    for (std::size_t k = 0; k < who.size(); ++k) {
      if (s.came_at[k] < 0) continue;
      const TimeMs at = open + static_cast<TimeMs>(s.came_at[k] * 60'000);
      const LogEntry c = store.append_checkin(e.id, list[k].id, k % 4 ? "door 1" : "door 2",
                                              k % 5 ? Method::Qr : Method::Search, at);
      ++final_count;
      if (k % 41 == 7) {  // a mistake undone and done again
        store.append_annul(c, "door 1", at + 30'000);
        store.append_checkin(e.id, list[k].id, "door 1", Method::Search, at + 60'000);
      }
    }
    for (std::size_t w = 0; w < s.walk_ins.size(); ++w) {
      AttendeeRecord a;
      const std::size_t i = 350 + (w * 7 + ev) % 50;
      a.full_name = pool[i].name;
      a.email = w % 2 ? "person" + std::to_string(i) + "@example.org" : "";
      store.add_walk_in(e.id, a, "door 1", open + static_cast<TimeMs>(s.walk_ins[w] * 60'000));
      ++final_count;
    }
    std::cout << slug << " " << open << " " << rsvps << " " << final_count << "\n";
  }
  store.set_meta("current_event", "rust-" + std::to_string(events));
  return 0;
}
