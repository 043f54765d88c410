// The headcount forecast: its prior, how arrivals move it, when the room
// fills, and its error backtested on synthetic groups with known truths.
#include <doctest/doctest.h>

#include <cmath>

#include "report/Forecast.h"
#include "report/Synthetic.h"

using namespace fd;

namespace {

constexpr TimeMs kOpen = 1'773'336'600'000;  // 2026-03-12 17:30 UTC
constexpr TimeMs kMin = 60'000;

// A past event where exactly `rate` of `rsvps` came, evenly over the first
// `spread` minutes.
PastEvent past(int rsvps, double rate, double spread = 40, int walk_ins = 0) {
  PastEvent p;
  p.doors_open = kOpen - 28 * 24 * 3600 * 1000LL;
  p.rsvp_yes = p.expected = rsvps;
  p.came = static_cast<int>(std::lround(rsvps * rate));
  p.extra = walk_ins;
  for (int i = 0; i < p.final_count(); ++i)
    p.arrival_minutes.push_back(spread * (i + 0.5) / p.final_count());
  return p;
}

LiveEvent live(int rsvps, int headcount = 0, int capacity = 0) {
  LiveEvent l;
  l.doors_open = kOpen;
  l.rsvp_yes = l.expected = rsvps;
  l.headcount = headcount;
  l.capacity = capacity;
  return l;
}

}  // namespace

TEST_CASE("with no history the stated prior - about half to three quarters come") {
  const HeadcountForecast f = forecast_headcount({}, live(40), kOpen - 10 * kMin);
  // 62.5% of 40 plus 5% walk-ins.
  CHECK(f.expected == 27);
  CHECK(f.low >= 18);
  CHECK(f.low <= 23);
  CHECK(f.high >= 30);
  CHECK(f.high <= 35);
  CHECK(f.show_up_rate == doctest::Approx(0.625));
  CHECK(f.past_events == 0);
  CHECK(f.basis.find("half to three quarters") != std::string::npos);
  CHECK(f.basis.find("Doors not open yet") != std::string::npos);
  // Larger groups: fewer of their RSVPs come.
  const HeadcountForecast big = forecast_headcount({}, live(400), kOpen - 10 * kMin);
  CHECK(big.show_up_rate < 0.45);
  CHECK(big.expected < 0.5 * 400);
}

TEST_CASE("a group's own history replaces the prior - weighted towards events of its size") {
  std::vector<PastEvent> h;
  for (int i = 0; i < 6; ++i) h.push_back(past(40, 0.8));   // small evenings: 80% come
  for (int i = 0; i < 6; ++i) h.push_back(past(200, 0.4));  // big conferences: 40%
  const HeadcountForecast small = forecast_headcount(h, live(40), kOpen - kMin);
  CHECK(small.expected >= 30);
  CHECK(small.expected <= 34);
  CHECK(small.past_events == 12);
  CHECK(small.basis.find("From 12 past events") != std::string::npos);
  const HeadcountForecast big = forecast_headcount(h, live(200), kOpen - kMin);
  CHECK(big.expected >= 74);
  CHECK(big.expected <= 86);
  CHECK(big.low < big.expected);
  CHECK(big.high > big.expected);
}

TEST_CASE("arrivals so far move the forecast and narrow it") {
  std::vector<PastEvent> h(12, past(100, 0.5, 60));  // half come, evenly over an hour
  const HeadcountForecast before = forecast_headcount(h, live(100), kOpen - kMin);
  CHECK(before.expected == doctest::Approx(50).epsilon(0.06));
  // After 30 minutes past evenings had half their people in. Tonight 40 are in.
  const HeadcountForecast busy = forecast_headcount(h, live(100, 40), kOpen + 30 * kMin);
  CHECK(busy.expected > before.expected + 5);
  CHECK(busy.low >= 40);
  CHECK(busy.high - busy.low < before.high - before.low);
  CHECK(busy.basis.find("40 in after 30 minutes") != std::string::npos);
  // A quiet evening: 10 in.
  const HeadcountForecast quiet = forecast_headcount(h, live(100, 10), kOpen + 30 * kMin);
  CHECK(quiet.expected < before.expected - 5);
  CHECK(quiet.low >= 10);
}

TEST_CASE("when the room is expected to be full") {
  std::vector<PastEvent> h(12, past(100, 0.6, 60));
  // 60 expected, evenly over an hour: a room of 45 fills about 45 minutes in.
  const HeadcountForecast f = forecast_headcount(h, live(100, 30, 45), kOpen + 30 * kMin);
  REQUIRE(f.full_at.has_value());
  const double minutes = static_cast<double>(*f.full_at - kOpen) / kMin;
  CHECK(minutes >= 40);
  CHECK(minutes <= 50);
  CHECK(f.may_fill);
  CHECK_FALSE(f.full_now);
  const HeadcountForecast roomy = forecast_headcount(h, live(100, 30, 500), kOpen + 30 * kMin);
  CHECK_FALSE(roomy.full_at.has_value());
  CHECK_FALSE(roomy.may_fill);
  const HeadcountForecast full = forecast_headcount(h, live(100, 45, 45), kOpen + 35 * kMin);
  CHECK(full.full_now);
}

TEST_CASE("past events and the live event from the store's facts") {
  const auto entry = [](std::int64_t id, Rsvp r, TimeMs at, int guests = 0, bool walk_in = false) {
    ListEntryFacts f;
    f.attendee_id = id;
    f.rsvp = r;
    f.arrived_at = at;
    f.guests = guests;
    f.walk_in = walk_in;
    return f;
  };
  EventAttendance old;
  old.event = {1, "feb", "February", 0, 0};  // no start time: doors open at the first arrival
  for (int i = 0; i < 8; ++i)
    old.entries.push_back(
        entry(i + 1, Rsvp::Yes, i < 5 ? kOpen - 1000 * kMin + i * kMin : 0, i == 0 ? 1 : 0));
  old.entries.push_back(entry(20, Rsvp::Yes, kOpen - 990 * kMin, 0, true));
  EventAttendance tiny;  // too small to say anything about rates
  tiny.event = {2, "tiny", "Tiny", 0, 0};
  tiny.entries = {entry(30, Rsvp::Yes, kOpen - 2000 * kMin)};
  EventAttendance now;
  now.event = {3, "march", "March", kOpen, 50};
  now.entries = {entry(40, Rsvp::Yes, kOpen + 5 * kMin), entry(41, Rsvp::Yes, kOpen + 50 * kMin),
                 entry(42, Rsvp::Yes, 0, 2)};
  const std::vector<EventAttendance> all = {old, tiny, now};
  const auto h = past_events(all, 3, kOpen);
  REQUIRE(h.size() == 1);
  CHECK(h[0].event_id == 1);
  CHECK(h[0].rsvp_yes == 8);
  CHECK(h[0].expected == 9);
  CHECK(h[0].came == 6);
  CHECK(h[0].extra == 1);
  CHECK(h[0].arrival_minutes == std::vector<double>{0, 0, 1, 2, 3, 4, 10});
  CHECK(past_events(all, 3, kOpen - 2000 * kMin).empty());  // nothing before then
  const LiveEvent l = live_event(now, kOpen + 10 * kMin);
  CHECK(l.doors_open == kOpen);
  CHECK(l.rsvp_yes == 3);
  CHECK(l.expected == 5);
  CHECK(l.capacity == 50);
  CHECK(l.headcount == 1);  // the second arrives later
}

TEST_CASE("backtest - synthetic groups - forecast 30 minutes after doors open") {
  const BacktestFigures b = backtest_forecast(300, 12, 30, 2026);
  MESSAGE("median abs error ", b.median_abs_error, " people (", b.median_abs_pct,
          "%), 80% interval held the truth ", b.coverage * 100, "%; RSVPs only ",
          b.median_abs_pct_rsvps_only, "%, no history ", b.median_abs_pct_no_history,
          "%, 60% of RSVPs ", b.median_abs_pct_naive, "%; room full +- ", b.full_median_abs_minutes,
          " min");
  CHECK(b.groups == 300);
  CHECK(b.median_abs_pct < 9);
  CHECK(b.coverage >= 0.75);
  CHECK(b.coverage <= 0.97);
  // Each part earns its place: arrivals beat RSVPs alone, history beats the prior.
  CHECK(b.median_abs_pct < b.median_abs_pct_rsvps_only);
  CHECK(b.median_abs_pct < b.median_abs_pct_no_history);
  CHECK(b.median_abs_pct < b.median_abs_pct_naive / 2);
  CHECK(b.full_cases > 50);
  CHECK(b.full_median_abs_minutes < 15);
}

TEST_CASE("synthetic groups are deterministic for a seed") {
  std::mt19937_64 a(7), b(7);
  const SyntheticGroup ga = synthetic_group(a), gb = synthetic_group(b);
  const PastEvent ea = past_event_of(synthetic_event(ga, 80, a), kOpen);
  const PastEvent eb = past_event_of(synthetic_event(gb, 80, b), kOpen);
  CHECK(ea.arrival_minutes == eb.arrival_minutes);
  CHECK(ea.final_count() == eb.final_count());
}

TEST_CASE("odd inputs never break the forecast - its promises hold on 3000 random cases") {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0, 1);
  for (int i = 0; i < 3000; ++i) {
    std::vector<PastEvent> h;
    const int n = static_cast<int>(u(rng) * 5);
    for (int k = 0; k < n; ++k) {
      PastEvent p = past(static_cast<int>(u(rng) * 300), u(rng), 1 + u(rng) * 200,
                         static_cast<int>(u(rng) * 20));
      if (u(rng) < 0.2) p.arrival_minutes.clear();  // an event without a usable curve
      h.push_back(p);
    }
    LiveEvent l;
    const double size = u(rng);
    l.rsvp_yes = size < 0.1 ? 0 : size < 0.95 ? static_cast<int>(u(rng) * 400) : 200000;
    l.expected = l.rsvp_yes + static_cast<int>(u(rng) * 10);
    l.headcount = static_cast<int>(u(rng) * u(rng) * (l.expected + 50));
    l.capacity = u(rng) < 0.5 ? 0 : static_cast<int>(u(rng) * 300);
    l.doors_open = u(rng) < 0.2 ? 0 : kOpen;
    const TimeMs now = kOpen + static_cast<TimeMs>((u(rng) * 400 - 60) * kMin);
    const HeadcountForecast f = forecast_headcount(h, l, now);
    INFO("case " << i << ": rsvps " << l.rsvp_yes << " in " << l.headcount << " history " << n);
    REQUIRE(f.low <= f.expected);
    REQUIRE(f.expected <= f.high);
    REQUIRE(f.low >= l.headcount);
    REQUIRE(f.high <= 3 * std::max(l.expected, l.headcount) + 50);
    REQUIRE(std::isfinite(f.show_up_rate));
    REQUIRE_FALSE(f.basis.empty());
    if (f.full_at) REQUIRE(*f.full_at >= l.doors_open);
    if (l.capacity > 0 && l.headcount >= l.capacity) REQUIRE(f.full_now);
  }
}

TEST_CASE("the forecast's sentence and its number come from one computation") {
  // No history: a typical meetup's curves. 29 in after 16 minutes of 40 RSVPs.
  const HeadcountForecast f = forecast_headcount({}, live(40, 29), kOpen + 16 * kMin);
  REQUIRE(f.stage == ForecastStage::Open);
  // The number lies where the sentence says: between what the RSVPs alone
  // and what the arrivals alone suggest.
  CHECK(f.from_rsvps < f.expected);
  CHECK(f.expected <= f.arrivals_low);
  const auto pct = [](double x) { return std::to_string(static_cast<int>(std::lround(100 * x))); };
  const std::string expected_words =
      "The RSVPs point to about " + std::to_string(f.from_rsvps) + ". 29 in after 16 minutes; " +
      "a typical meetup has " + pct(f.share_low) + "%–" + pct(f.share_high) +
      "% of its final count in by then, so the arrivals point to " +
      std::to_string(f.arrivals_low) + "–" + std::to_string(f.arrivals_high) +
      ". Weighing both: about " + std::to_string(f.expected) + " (80% likely " +
      std::to_string(f.low) + "–" + std::to_string(f.high) + ").";
  INFO(f.basis);
  CHECK(f.basis.size() > expected_words.size());
  CHECK(f.basis.substr(f.basis.size() - expected_words.size()) == expected_words);
  // Before the doors open the sentence ends with the same number too.
  const HeadcountForecast before = forecast_headcount({}, live(40), kOpen - 5 * kMin);
  CHECK(before.basis.find("Doors not open yet: from the RSVPs alone, about " +
                          std::to_string(before.expected) + " (80% likely") != std::string::npos);
}

TEST_CASE("people in before the start time open the doors - never 'Doors not open yet'") {
  // Start set to 18:30; the first people came at 18:10 and 29 are in at 18:26.
  LiveEvent l = live(40, 29);
  l.doors_open = kOpen + 20 * kMin;
  l.first_arrival = kOpen;
  const HeadcountForecast f = forecast_headcount({}, l, kOpen + 16 * kMin);
  INFO(f.basis);
  CHECK(f.basis.find("Doors not open yet") == std::string::npos);
  CHECK(f.basis.find("29 in after 16 minutes") != std::string::npos);
  CHECK(f.expected >= 29);
  CHECK(f.expected >= f.from_rsvps);
  CHECK(f.expected <= f.arrivals_high);
  // People in, but no start and no first arrival given: it says what it does not know.
  LiveEvent unknown = live(40, 29);
  unknown.doors_open = 0;
  const HeadcountForecast u = forecast_headcount({}, unknown, kOpen);
  CHECK(u.basis.find("Doors not open yet") == std::string::npos);
  CHECK(u.basis.find("29 in so far, and when the doors opened is not known") != std::string::npos);
  CHECK(doors_open_at(kOpen + 20 * kMin, kOpen) == kOpen);
  CHECK(doors_open_at(kOpen, kOpen + 5 * kMin) == kOpen);
  CHECK(doors_open_at(0, kOpen) == kOpen);
}

TEST_CASE("the forecast stays inside what its sentence names - on evenings of every pace") {
  // Past evenings fast and slow, tonight at several counts and times: the
  // number is never below both the RSVPs' and the arrivals' figures, nor above both.
  std::vector<PastEvent> h;
  for (double spread : {20.0, 40.0, 90.0}) h.push_back(past(100, 0.6, spread));
  for (int in : {5, 20, 40, 60})
    for (int minutes : {5, 15, 30, 60}) {
      const HeadcountForecast f = forecast_headcount(h, live(100, in), kOpen + minutes * kMin);
      INFO(in << " in after " << minutes << " minutes: " << f.basis);
      if (f.stage != ForecastStage::Open) continue;
      CHECK(f.expected >= std::min(f.from_rsvps, f.arrivals_low) - 1);
      CHECK(f.expected <= std::max(f.from_rsvps, f.arrivals_high) + 1);
    }
}
