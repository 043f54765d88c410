#pragma once
// How many people will have come by the end, forecast from the moment the
// doors open, with an interval, and when the room is expected to be full.
//
// Method (doc/guide.md, "Reports and forecast"):
//  - Before anyone arrives, the final headcount follows from the RSVPs:
//    this group's own show-up rate (RSVP yes -> came, guests with them) and
//    walk-in rate from its past events in the store, weighted towards events
//    of a similar size (a kernel on log RSVPs: larger events show up less).
//    With fewer than three past events a stated prior for free tech meetups
//    fills in: 62% of RSVPs come up to 50 RSVPs (an 80% interval of about
//    half to three quarters), 6 points fewer per doubling above that (never
//    below 35%), plus 5% walk-ins.
//  - Once doors are open, arrivals so far are evidence: under each past
//    event's arrival curve (share of its final count in by this many minutes
//    after doors opened, stretched 0.8x/1x/1.25x for a slower or faster
//    evening) the count so far is binomial in the final count. With no past
//    curves, three generic ones (half the room in by 13, 20 or 34 minutes).
//  - The posterior over the final count (at least the count so far, at most
//    three times what was expected or is in, plus 50) gives the forecast (its
//    median) and an 80% interval (10th to 90th percentile).
//  - The room is expected to be full when the average past curve, scaled to
//    the forecast, reaches the capacity.
// Doors open at the event's start time, or at its first arrival when that
// came earlier or no start is set; past events are measured the same way.
// The basis (the reason in words) is made from the same figures as the
// number: "... The RSVPs point to about 32. 29 in after 16 minutes; a
// typical meetup has 19%–59% of its final count in by then, so the arrivals
// point to 49–152. Weighing both: about 39 (80% likely 36–43)."
//
// Thread-safety: pure functions over values.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/Attendance.h"

namespace fd {

// A past event of the group, as the forecast learns from it.
struct PastEvent {
  std::int64_t event_id = 0;
  TimeMs doors_open = 0;
  int rsvp_yes = 0;
  int expected = 0;  // RSVP yes and their guests
  int came = 0;      // of those expected, how many came (guests included)
  int extra = 0;     // walk-ins and people let in off the list
  int final_count() const { return came + extra; }
  // Minutes after doors opened at which each person (guests included)
  // arrived, ascending.
  std::vector<double> arrival_minutes;
};

// The event being forecast, as it stands. From an engine snapshot:
// {event.starts_at, first minute of arrivals_per_minute (0 when empty),
// rsvp_yes, expected(), event.capacity, headcount()}; the history
// changes rarely, so compute past_events(engine.attendance().get(), ...) once
// and again only after an import.
struct LiveEvent {
  TimeMs doors_open = 0;     // the start time; 0: none set
  TimeMs first_arrival = 0;  // 0: nobody in yet (doors open at the earlier of the two)
  int rsvp_yes = 0;
  int expected = 0;   // RSVP yes and their guests
  int capacity = 0;   // 0: no limit
  int headcount = 0;  // in so far (guests, walk-ins included)
};

// Where the evening stands, which decides what the forecast rests on.
enum class ForecastStage {
  BeforeDoors,     // doors not open, nobody in: the RSVPs alone
  OpeningUnknown,  // people are in but when the doors opened is not known: the RSVPs alone
  FasterThanEver,  // more in than any past evening had by then: the RSVPs alone
  Open,            // the RSVPs and the arrivals so far, weighed together
};

// One computation, one result: the number, its interval and the reason in
// figures, and the sentence made from those same figures.
struct HeadcountForecast {
  int expected = 0;       // the final headcount, most likely
  int low = 0, high = 0;  // 80% interval
  int headcount_now = 0;
  std::optional<TimeMs> full_at;  // when the room is expected to reach capacity
  bool full_now = false;          // capacity already reached
  bool may_fill = false;          // the interval's top reaches capacity
  double show_up_rate = 0;        // the RSVP show-up rate assumed before arrivals
  int past_events = 0;            // past events it learned from
  ForecastStage stage = ForecastStage::BeforeDoors;
  int from_rsvps = 0;  // what the RSVPs (and history) alone point to
  // Open: the share of their final count past (or typical) evenings had in
  // by now, from a slow to a fast evening (10th to 90th percentile), and the
  // final counts the count so far points to under those: in / share.
  double share_low = 0, share_high = 0;
  int arrivals_low = 0, arrivals_high = 0;
  int minutes_open = 0;  // since the doors opened
  std::string basis;     // the figures above in words, ending with the forecast itself
};

// When the doors opened: the start time, or the first arrival when people
// came in before it (or no start time is set); 0 when neither is known.
TimeMs doors_open_at(TimeMs starts_at, TimeMs first_arrival);

HeadcountForecast forecast_headcount(const std::vector<PastEvent>& history, const LiveEvent& live,
                                     TimeMs now);

// The group's past events as the forecast learns from them: every event in
// `all` but `event_id` that had arrivals and took place before `before`,
// with at least five people expected (smaller ones say little about rates).
std::vector<PastEvent> past_events(const std::vector<EventAttendance>& all, std::int64_t event_id,
                                   TimeMs before);
// An event as it stood at `now` (arrivals after `now` not yet made).
LiveEvent live_event(const EventAttendance& e, TimeMs now);

// The forecast against the truth on synthetic groups with known show-up
// rates and arrival curves (report/Synthetic.h): each group has
// `past_count` past events and one more, forecast `minutes_after_open`
// minutes after its doors opened.
struct BacktestFigures {
  int groups = 0;
  double median_abs_error = 0;  // people
  double median_abs_pct = 0;    // % of the final count
  double p90_abs_pct = 0;
  double coverage = 0;  // share of finals inside the 80% interval
  // The same forecast without its parts, for comparison.
  double median_abs_pct_rsvps_only = 0;  // history, but no arrivals yet
  double median_abs_pct_no_history = 0;  // arrivals, but the generic prior and curves
  double coverage_no_history = 0;
  double median_abs_pct_naive = 0;  // 60% of RSVPs, nothing else
  // When the room fills (capacity at 85% of the final count).
  int full_cases = 0;
  double full_median_abs_minutes = 0;
  double median_ms = 0, p99_ms = 0;  // time per forecast
};
BacktestFigures backtest_forecast(int groups, int past_count, double minutes_after_open,
                                  std::uint64_t seed);

}  // namespace fd
