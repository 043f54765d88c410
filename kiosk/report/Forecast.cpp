#include "report/Forecast.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include "report/Summary.h"
#include "report/Synthetic.h"

namespace fd {

namespace {

constexpr double kMinute = 60'000.0;
constexpr double kNegInf = -std::numeric_limits<double>::infinity();
constexpr double kSizeBandwidth = 0.5;  // in log RSVPs: an event 1.6x larger weighs 0.6
constexpr double kEnoughHistory = 3;    // past events (effective) before the prior steps aside

// The stated prior for free tech meetups: about half to three quarters of
// RSVPs come; larger groups fewer.
double generic_show_up(int rsvp_yes) {
  if (rsvp_yes <= 50) return 0.625;
  return std::max(0.35, 0.625 - 0.06 * std::log2(rsvp_yes / 50.0));
}
constexpr double kGenericShowUpSd = 0.1;
constexpr double kGenericWalkIns = 0.05, kGenericWalkInsSd = 0.04;

struct Normal {
  double mean = 0, var = 1, weight = 0;
};

// A share-in-by-then curve: a past event's (stretched in time), or a
// generic gamma(2, theta) one.
struct Curve {
  const std::vector<double>* minutes = nullptr;
  double stretch = 1;
  double theta = 0;
  double weight = 0;
  double share(double t) const {
    if (t <= 0) return 0;
    if (minutes) {
      if (minutes->empty()) return 0;
      const auto in = std::upper_bound(minutes->begin(), minutes->end(), t / stretch);
      return static_cast<double>(in - minutes->begin()) / static_cast<double>(minutes->size());
    }
    const double x = t / theta;
    return 1 - std::exp(-x) * (1 + x);
  }
};

double log_normal_pdf(double x, const Normal& n) {
  const double d = x - n.mean;
  return -0.5 * d * d / n.var - 0.5 * std::log(2 * M_PI * n.var);
}

// log P(k of n | p); `choose` is log(n choose k), shared by every curve.
double log_binomial(double k, double n, double p, double choose) {
  if (k > n) return kNegInf;
  if (p <= 0) return k == 0 ? 0 : kNegInf;
  if (p >= 1) return k == n ? 0 : kNegInf;
  return choose + k * std::log(p) + (n - k) * std::log1p(-p);
}

double log_sum_exp(const std::vector<double>& v) {
  double m = kNegInf;
  for (double x : v) m = std::max(m, x);
  if (m == kNegInf) return kNegInf;
  double s = 0;
  for (double x : v) s += std::exp(x - m);
  return m + std::log(s);
}

std::string pct(double x) {
  char b[16];
  std::snprintf(b, sizeof b, "%.0f%%", 100 * x);
  return b;
}

struct Weighted {
  double mean = 0, sd = 0;
};
Weighted weighted(const std::vector<double>& x, const std::vector<double>& w) {
  double sw = 0, m = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sw += w[i];
    m += w[i] * x[i];
  }
  if (sw <= 0) return {};
  m /= sw;
  double v = 0;
  for (std::size_t i = 0; i < x.size(); ++i) v += w[i] * (x[i] - m) * (x[i] - m);
  return {m, std::sqrt(v / sw)};
}

// What the RSVPs and the group's history say before any arrival: a
// mixture of normals over the final count.
struct Prior {
  std::vector<const PastEvent*> past;
  std::vector<double> kernel, rates, walkins;
  std::vector<Normal> parts;
  double generic_share = 0;  // how much of the stated prior is mixed in
  double s0 = 0;             // the stated prior's show-up rate
  double rate = 0;           // the show-up rate assumed, all parts weighed
};

Prior rsvp_prior(const std::vector<PastEvent>& history, int A, int E, int R) {
  Prior p;
  for (const PastEvent& e : history)
    if (e.expected > 0 && e.rsvp_yes > 0) p.past.push_back(&e);
  for (const PastEvent* e : p.past) {
    const double d = std::log(std::max(1, e->rsvp_yes)) - std::log(std::max(1, R));
    p.kernel.push_back(R ? std::exp(-d * d / (2 * kSizeBandwidth * kSizeBandwidth)) : 1.0);
    p.rates.push_back(static_cast<double>(e->came) / e->expected);
    p.walkins.push_back(static_cast<double>(e->extra) / e->rsvp_yes);
  }
  double ksum = 0, ksq = 0;
  for (double k : p.kernel) {
    ksum += k;
    ksq += k * k;
  }
  const double n_eff = ksq > 0 ? ksum * ksum / ksq : 0;
  p.generic_share = n_eff >= kEnoughHistory ? 0 : (kEnoughHistory - n_eff) / kEnoughHistory;
  p.s0 = generic_show_up(R);
  p.rate = p.generic_share * p.s0;
  if (E == 0) {
    // Nobody RSVP'd (a walk-in evening): past finals, or nothing but arrivals.
    for (const PastEvent* e : p.past)
      p.parts.push_back({double(e->final_count()), double(e->final_count()) + 1, 1.0});
    if (p.parts.empty()) p.parts.push_back({double(A) + 25, 400, 1.0});
    return p;
  }
  if (p.generic_share > 0) {
    const double mean = p.s0 * E + kGenericWalkIns * R;
    const double var = std::pow(kGenericShowUpSd * E, 2) + std::pow(kGenericWalkInsSd * R, 2) +
                       p.s0 * (1 - p.s0) * E + 0.25;
    p.parts.push_back({mean, var, p.generic_share});
  }
  if (p.past.empty()) return p;
  const Weighted ws = weighted(p.rates, p.kernel), ww = weighted(p.walkins, p.kernel);
  const double shrink = std::pow(std::max(1.0, n_eff), -0.2);
  const double bw_s = std::max(0.02, 0.5 * ws.sd * shrink);
  const double bw_w = std::max(0.01, 0.5 * ww.sd * shrink);
  for (std::size_t i = 0; i < p.past.size(); ++i) {
    const double s = p.rates[i], w = p.walkins[i];
    const double var =
        E * s * (1 - s) + R * w + std::pow(bw_s * E, 2) + std::pow(bw_w * R, 2) + 0.25;
    const double weight = (1 - p.generic_share) * p.kernel[i] / ksum;
    p.parts.push_back({s * E + w * R, var, weight});
    p.rate += weight * s;
  }
  return p;
}

// Past evenings' arrival curves (each stretched for a slower or faster
// evening), topped up with generic ones while the history is short.
std::vector<Curve> arrival_curves(const std::vector<const PastEvent*>& past,
                                  double& generic_share) {
  std::vector<Curve> curves;
  for (const PastEvent* p : past)
    if (!p->arrival_minutes.empty())
      for (double stretch : {0.9, 1.0, 1.1}) curves.push_back({&p->arrival_minutes, stretch, 0, 1});
  generic_share = curves.size() / 3.0 >= kEnoughHistory
                      ? 0
                      : (kEnoughHistory - curves.size() / 3.0) / kEnoughHistory;
  for (Curve& c : curves) c.weight = (1 - generic_share) / static_cast<double>(curves.size());
  if (generic_share > 0)
    for (double theta : {8.0, 12.0, 20.0}) curves.push_back({nullptr, 1, theta, generic_share / 3});
  return curves;
}

// A distribution over candidate final counts, as log weights on a grid.
struct Grid {
  std::vector<double> h, prior, arrivals;  // arrivals: log likelihood of the count so far
  bool evidence = false;                   // some curve allows the count so far
  // The median and the 10th/90th percentiles of prior + arrivals (either
  // may be left out), never below the count so far.
  double quantile(double q, bool with_prior, bool with_arrivals) const {
    std::vector<double> lp(h.size());
    for (std::size_t i = 0; i < h.size(); ++i)
      lp[i] = (with_prior ? prior[i] : 0) + (with_arrivals ? arrivals[i] : 0);
    const double peak = *std::max_element(lp.begin(), lp.end());
    if (peak == kNegInf) return h.front();
    std::vector<double> cdf(h.size());
    double total = 0;
    for (std::size_t i = 0; i < h.size(); ++i) cdf[i] = total += std::exp(lp[i] - peak);
    const auto it = std::lower_bound(cdf.begin(), cdf.end(), q * total);
    return h[static_cast<std::size_t>(
        std::min<std::ptrdiff_t>(it - cdf.begin(), static_cast<std::ptrdiff_t>(h.size()) - 1))];
  }
};

Grid posterior_grid(const Prior& prior, const std::vector<Curve>& curves, int A, int E, bool open,
                    double t, double share_now) {
  double top = A + 20;
  for (const Normal& n : prior.parts) top = std::max(top, n.mean + 5 * std::sqrt(n.var));
  if (open && share_now > 0.02) top = std::max(top, 3 * A / share_now + 20);
  // Beyond three times what was expected (or is in) this model knows nothing.
  top = std::ceil(std::min(top, 3.0 * std::max(E, A) + 50));
  const double span = top - A;
  const double step = span > 2000 ? span / 2000 : 1;
  // Each curve's share by now is the same for every candidate final count.
  std::vector<double> shares, terms;
  for (const Curve& c : curves) shares.push_back(c.share(t));
  Grid g;
  for (double h = A; h <= top + 1e-9; h += step) {
    terms.clear();
    for (const Normal& n : prior.parts) terms.push_back(std::log(n.weight) + log_normal_pdf(h, n));
    g.h.push_back(h);
    g.prior.push_back(log_sum_exp(terms));
    double ll = 0;
    if (open) {
      terms.clear();
      const double choose = std::lgamma(h + 1) - std::lgamma(A + 1.0) - std::lgamma(h - A + 1);
      for (std::size_t k = 0; k < curves.size(); ++k)
        terms.push_back(std::log(curves[k].weight) + log_binomial(A, h, shares[k], choose));
      ll = log_sum_exp(terms);
      if (ll > kNegInf) g.evidence = true;
    }
    g.arrivals.push_back(ll);
  }
  return g;
}

// When the room reaches capacity: the average curve, scaled to the forecast.
void room_fills(HeadcountForecast& f, const std::vector<Curve>& curves, const LiveEvent& live,
                TimeMs doors_open, double t, double share_now) {
  const int A = f.headcount_now;
  f.full_now = A >= live.capacity;
  f.may_fill = f.high >= live.capacity;
  if (f.full_now || f.expected < live.capacity || doors_open == 0 || share_now >= 1) return;
  const double still = f.expected - A;
  for (double tau = std::floor(t) + 1; tau <= t + 480; tau += 1) {
    double s = 0;
    for (const Curve& c : curves) s += c.weight * c.share(tau);
    if (A + still * (s - share_now) / (1 - share_now) >= live.capacity - 1e-9) {
      f.full_at = doors_open + static_cast<TimeMs>(tau * kMinute);
      return;
    }
  }
}

// What the count so far points to, from a slow evening to a fast one: the
// 10th to 90th percentile of the curves' shares by now (by their weights),
// and the count so far over each, capped where the forecast stops looking.
void arrival_range(HeadcountForecast& f, const std::vector<Curve>& curves, double t, double top) {
  std::vector<std::pair<double, double>> shares;  // share, weight
  for (const Curve& c : curves) shares.emplace_back(c.share(t), c.weight);
  std::sort(shares.begin(), shares.end());
  double total = 0;
  for (const auto& s : shares) total += s.second;
  const auto at = [&](double q) {
    double run = 0;
    for (const auto& [share, weight] : shares)
      if ((run += weight) >= q * total) return share;
    return shares.back().first;
  };
  f.share_low = at(0.1);
  f.share_high = at(0.9);
  const int A = f.headcount_now;
  const auto over = [&](double share) {
    return share <= 0
               ? static_cast<int>(top)
               : std::clamp(static_cast<int>(std::lround(A / share)), A, static_cast<int>(top));
  };
  f.arrivals_low = over(f.share_high);
  f.arrivals_high = over(f.share_low);
}

// What the RSVPs rest on, in words (the first sentence of the basis).
std::string prior_words(const Prior& p, int E, int R) {
  if (E == 0)
    return std::string("Nobody RSVP'd, so the forecast rests on ") +
           (p.past.empty() ? "arrivals alone." : "the group's past final counts and arrivals.");
  if (p.past.empty())
    return "No past events of this group in the store: assumed the usual for free tech meetups, "
           "about half to three quarters of RSVPs come (" +
           pct(p.s0) + " at " + std::to_string(R) + " RSVPs; larger groups fewer), plus " +
           pct(kGenericWalkIns) + " walk-ins.";
  const Weighted ws = weighted(p.rates, p.kernel), ww = weighted(p.walkins, p.kernel);
  std::string words =
      "From " + std::to_string(p.past.size()) + " past event" + (p.past.size() == 1 ? "" : "s") +
      " of this group (weighted towards events of about " + std::to_string(R) +
      " RSVPs): " + pct(ws.mean) + " of RSVPs came, walk-ins added " + pct(ww.mean) + ".";
  if (p.generic_share > 0)
    words += " Few past events, so blended with the usual for free tech meetups (" + pct(p.s0) +
             " come).";
  return words;
}

// The basis: how the number came about, from the numbers the forecast used,
// so the sentence and the figure never disagree.
std::string basis_words(const HeadcountForecast& f, const Prior& p, int E, int R,
                        bool generic_curves) {
  const std::string about = "about " + std::to_string(f.expected) + " (80% likely " +
                            std::to_string(f.low) + "–" + std::to_string(f.high) + ")";
  std::string w = prior_words(p, E, R);
  const std::string in_after =
      std::to_string(f.headcount_now) + (f.minutes_open < 1
                                             ? std::string(" in within the first minute")
                                             : " in after " + std::to_string(f.minutes_open) +
                                                   (f.minutes_open == 1 ? " minute" : " minutes"));
  const auto share_words = [](double lo, double hi) {
    const auto one = [](double x) { return x > 0 && x < 0.005 ? std::string("under 1%") : pct(x); };
    return one(lo) == one(hi) ? one(lo) : one(lo) + "–" + one(hi);
  };
  const std::string share = share_words(f.share_low, f.share_high);
  const std::string points_to =
      f.arrivals_low == f.arrivals_high
          ? "about " + std::to_string(f.arrivals_low)
          : std::to_string(f.arrivals_low) + "–" + std::to_string(f.arrivals_high);
  switch (f.stage) {
    case ForecastStage::BeforeDoors:
      return w + " Doors not open yet: from the RSVPs alone, " + about + ".";
    case ForecastStage::OpeningUnknown:
      return w + " " + std::to_string(f.headcount_now) +
             " in so far, and when the doors opened is not known: from the RSVPs alone, " + about +
             ".";
    case ForecastStage::FasterThanEver:
      return w + " " + in_after +
             ", more than any past evening had by then: from the RSVPs alone, " + about + ".";
    case ForecastStage::Open: break;
  }
  if (E > 0 || !p.past.empty())
    w += " The RSVPs point to about " + std::to_string(f.from_rsvps) + ".";
  return w + " " + in_after + "; " +
         (generic_curves ? "a typical meetup has " + share + " of its final count"
                         : "past events had " + share + " of their final count") +
         " in by then, so the arrivals point to " + points_to + ". Weighing both: " + about + ".";
}

}  // namespace

TimeMs doors_open_at(TimeMs starts_at, TimeMs first_arrival) {
  if (!starts_at) return first_arrival;
  if (!first_arrival) return starts_at;
  return std::min(starts_at, first_arrival);
}

HeadcountForecast forecast_headcount(const std::vector<PastEvent>& history, const LiveEvent& live,
                                     TimeMs now) {
  HeadcountForecast f;
  const int A = std::max(0, live.headcount);
  const int E = std::max(0, live.expected);
  const int R = std::max(0, live.rsvp_yes);
  f.headcount_now = A;
  const Prior prior = rsvp_prior(history, A, E, R);
  f.past_events = static_cast<int>(prior.past.size());
  f.show_up_rate = prior.rate;

  double curve_generic = 0;
  const std::vector<Curve> curves = arrival_curves(prior.past, curve_generic);
  // Doors open at the start time, or earlier when people came in earlier.
  const TimeMs doors_open = doors_open_at(live.doors_open, live.first_arrival);
  const bool open = doors_open != 0 && now > doors_open;
  const double t = open ? (now - doors_open) / kMinute : 0;
  double share_now = 0;
  for (const Curve& c : curves) share_now += c.weight * c.share(t);

  const Grid g = posterior_grid(prior, curves, A, E, open, t, share_now);
  // No past curve allows this many so soon (doors opened earlier than they
  // say): the RSVPs speak alone.
  const bool arrivals = open && g.evidence;
  f.expected = std::max(A, static_cast<int>(std::lround(g.quantile(0.5, true, arrivals))));
  f.low = std::max(A, static_cast<int>(std::lround(g.quantile(0.1, true, arrivals))));
  f.high = std::max(f.expected, static_cast<int>(std::lround(g.quantile(0.9, true, arrivals))));
  f.low = std::min(f.low, f.expected);
  f.from_rsvps = std::max(A, static_cast<int>(std::lround(g.quantile(0.5, true, false))));
  if (arrivals) arrival_range(f, curves, t, g.h.back());
  f.minutes_open = static_cast<int>(t);
  f.stage = arrivals ? ForecastStage::Open
            : open   ? ForecastStage::FasterThanEver
            : A > 0  ? ForecastStage::OpeningUnknown
                     : ForecastStage::BeforeDoors;
  if (live.capacity > 0) room_fills(f, curves, live, doors_open, t, share_now);
  f.basis = basis_words(f, prior, E, R, curve_generic >= 1);
  return f;
}

std::vector<PastEvent> past_events(const std::vector<EventAttendance>& all, std::int64_t event_id,
                                   TimeMs before) {
  std::vector<PastEvent> out;
  for (const EventAttendance& e : all) {
    if (e.event.id == event_id) continue;
    const EventSummary s = summarize_event(e);
    if (!s.date || (before && s.date >= before) || s.expected() < 5) continue;
    PastEvent p;
    p.event_id = e.event.id;
    p.doors_open = doors_open_at(e.event.starts_at, s.first_arrival);
    p.rsvp_yes = s.rsvp_yes;
    p.expected = s.expected();
    p.came = s.came_yes + s.guests_in;
    p.extra = s.walk_ins + s.off_list;
    if (p.rsvp_yes == 0) continue;
    for (const ListEntryFacts& a : e.entries) {
      if (!a.arrived_at) continue;
      const int heads = 1 + (!a.walk_in && a.rsvp == Rsvp::Yes ? a.guests : 0);
      for (int h = 0; h < heads; ++h)
        p.arrival_minutes.push_back((a.arrived_at - p.doors_open) / kMinute);
    }
    std::sort(p.arrival_minutes.begin(), p.arrival_minutes.end());
    out.push_back(std::move(p));
  }
  return out;
}

LiveEvent live_event(const EventAttendance& e, TimeMs now) {
  EventAttendance so_far = e;
  for (ListEntryFacts& a : so_far.entries)
    if (a.arrived_at > now) a.arrived_at = 0;
  const EventSummary s = summarize_event(so_far);
  LiveEvent l;
  l.doors_open = e.event.starts_at;
  l.first_arrival = s.first_arrival;
  l.rsvp_yes = s.rsvp_yes;
  l.expected = s.expected();
  l.capacity = e.event.capacity;
  l.headcount = s.headcount();
  return l;
}

// ---------------------------------------------------------------------------
// Backtest
// ---------------------------------------------------------------------------

namespace {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

}  // namespace

BacktestFigures backtest_forecast(int groups, int past_count, double minutes_after_open,
                                  std::uint64_t seed) {
  BacktestFigures b;
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> n01(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> abs_err, abs_pct, pct_rsvps, pct_none, pct_naive, full_err, ms;
  int inside = 0, inside_none = 0;
  constexpr TimeMs kWeek = 7LL * 24 * 3600 * 1000;
  const TimeMs first = 1'767'286'800'000;  // a Thursday evening, 2026
  for (int gi = 0; gi < groups; ++gi) {
    const SyntheticGroup g = synthetic_group(rng);
    const double base = std::exp(std::log(25.0) + u(rng) * (std::log(200.0) - std::log(25.0)));
    std::vector<PastEvent> history;
    PastEvent target;
    for (int i = 0; i <= past_count; ++i) {
      const int rsvps =
          std::max(5, static_cast<int>(std::lround(base * std::exp(0.35 * n01(rng)))));
      PastEvent p = past_event_of(synthetic_event(g, rsvps, rng), first + i * 4 * kWeek);
      p.event_id = i + 1;
      if (i < past_count)
        history.push_back(std::move(p));
      else
        target = std::move(p);
    }
    const int truth = target.final_count();
    if (truth <= 0) continue;
    LiveEvent live;
    live.doors_open = target.doors_open;
    live.rsvp_yes = target.rsvp_yes;
    live.expected = target.expected;
    live.headcount =
        static_cast<int>(std::upper_bound(target.arrival_minutes.begin(),
                                          target.arrival_minutes.end(), minutes_after_open) -
                         target.arrival_minutes.begin());
    live.capacity = std::max(1, static_cast<int>(std::lround(0.85 * truth)));
    const TimeMs now = target.doors_open + static_cast<TimeMs>(minutes_after_open * kMinute);

    const auto t0 = std::chrono::steady_clock::now();
    const HeadcountForecast f = forecast_headcount(history, live, now);
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    ++b.groups;
    abs_err.push_back(std::abs(f.expected - truth));
    abs_pct.push_back(100.0 * std::abs(f.expected - truth) / truth);
    if (f.low <= truth && truth <= f.high) ++inside;

    LiveEvent closed = live;
    closed.doors_open = 0;
    closed.headcount = 0;
    const HeadcountForecast r = forecast_headcount(history, closed, now);
    pct_rsvps.push_back(100.0 * std::abs(r.expected - truth) / truth);
    const HeadcountForecast none = forecast_headcount({}, live, now);
    pct_none.push_back(100.0 * std::abs(none.expected - truth) / truth);
    if (none.low <= truth && truth <= none.high) ++inside_none;
    pct_naive.push_back(100.0 * std::abs(std::lround(0.6 * target.expected) - truth) / truth);

    // When did the room truly fill? The capacity-th arrival.
    const double filled = target.arrival_minutes[static_cast<std::size_t>(live.capacity - 1)];
    if (filled > minutes_after_open) {
      ++b.full_cases;
      // A forecast that never fills counts as wrong by the rest of the evening.
      const double said =
          f.full_at ? (*f.full_at - target.doors_open) / kMinute : target.arrival_minutes.back();
      full_err.push_back(std::abs(said - filled));
    }
  }
  if (!b.groups) return b;
  b.median_abs_error = median(abs_err);
  b.median_abs_pct = median(abs_pct);
  b.p90_abs_pct = percentile(abs_pct, 0.9);
  b.coverage = static_cast<double>(inside) / b.groups;
  b.median_abs_pct_rsvps_only = median(pct_rsvps);
  b.median_abs_pct_no_history = median(pct_none);
  b.coverage_no_history = static_cast<double>(inside_none) / b.groups;
  b.median_abs_pct_naive = median(pct_naive);
  b.full_median_abs_minutes = median(full_err);
  b.median_ms = median(ms);
  b.p99_ms = percentile(ms, 0.99);
  return b;
}

}  // namespace fd
