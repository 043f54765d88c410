#pragma once
// Synthetic user groups with known show-up rates and arrival curves, for the
// forecast's backtest (tests/report, `frontdesk bench forecast`) and for
// demo stores. Deterministic for a seed.
#include <random>
#include <vector>

#include "report/Forecast.h"

namespace fd {

struct SyntheticGroup {
  double show_up_at_50 = 0.6;  // share of RSVPs who come, at 50 RSVPs
  double size_slope = 0.04;    // show-up lost per doubling of RSVPs (larger groups lower)
  double walk_in_rate = 0.05;  // walk-ins per RSVP
  double guest_share = 0.05;   // RSVPs bringing a +1
  double arrival_median = 20;  // minutes after doors open when half are in
  double arrival_sigma = 0.6;  // log-normal spread of arrival times
};

// A group drawn at random: show-up 40-80%, slope 0-0.08, walk-ins 0-10%,
// half in by 10-40 minutes.
SyntheticGroup synthetic_group(std::mt19937_64& rng);

struct SyntheticEvent {
  int rsvp_yes = 0;
  std::vector<int> guests;       // per RSVP
  std::vector<double> came_at;   // per RSVP: minutes after doors open, negative: never came
  std::vector<double> walk_ins;  // minutes after doors open
};

// One evening: this evening's show-up varies around the group's (±4 points)
// and its arrivals run faster or slower (±15%, rain or a late speaker).
SyntheticEvent synthetic_event(const SyntheticGroup& g, int rsvp_yes, std::mt19937_64& rng);
PastEvent past_event_of(const SyntheticEvent& e, TimeMs doors_open);

}  // namespace fd
