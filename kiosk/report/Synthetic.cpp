#include "report/Synthetic.h"

#include <algorithm>
#include <cmath>

namespace fd {

SyntheticGroup synthetic_group(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  SyntheticGroup g;
  g.show_up_at_50 = 0.40 + 0.40 * u(rng);
  g.size_slope = 0.08 * u(rng);
  g.walk_in_rate = 0.10 * u(rng);
  g.guest_share = 0.08 * u(rng);
  g.arrival_median = 10 + 30 * u(rng);
  g.arrival_sigma = 0.4 + 0.4 * u(rng);
  return g;
}

SyntheticEvent synthetic_event(const SyntheticGroup& g, int rsvp_yes, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> n(0, 1);
  SyntheticEvent e;
  e.rsvp_yes = rsvp_yes;
  const double rate = std::clamp(
      g.show_up_at_50 - g.size_slope * std::log2(std::max(1, rsvp_yes) / 50.0) + 0.04 * n(rng),
      0.05, 0.98);
  const double pace = std::exp(0.15 * n(rng));  // this evening runs slower or faster
  const auto arrival = [&] { return g.arrival_median * pace * std::exp(g.arrival_sigma * n(rng)); };
  for (int i = 0; i < rsvp_yes; ++i) {
    e.guests.push_back(u(rng) < g.guest_share ? 1 : 0);
    e.came_at.push_back(u(rng) < rate ? arrival() : -1);
  }
  std::poisson_distribution<int> walk(g.walk_in_rate * rsvp_yes);
  for (int i = walk(rng); i > 0; --i) e.walk_ins.push_back(arrival());
  return e;
}

PastEvent past_event_of(const SyntheticEvent& e, TimeMs doors_open) {
  PastEvent p;
  p.doors_open = doors_open;
  p.rsvp_yes = e.rsvp_yes;
  for (std::size_t i = 0; i < e.came_at.size(); ++i) {
    const int heads = 1 + e.guests[i];
    p.expected += heads;
    if (e.came_at[i] < 0) continue;
    p.came += heads;
    for (int h = 0; h < heads; ++h) p.arrival_minutes.push_back(e.came_at[i]);
  }
  p.extra = static_cast<int>(e.walk_ins.size());
  p.arrival_minutes.insert(p.arrival_minutes.end(), e.walk_ins.begin(), e.walk_ins.end());
  std::sort(p.arrival_minutes.begin(), p.arrival_minutes.end());
  return p;
}

}  // namespace fd
