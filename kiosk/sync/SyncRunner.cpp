#include "sync/SyncRunner.h"

#include <random>

namespace fd {

SyncRunner::SyncRunner(Engine& engine, std::vector<std::unique_ptr<Connector>> connectors,
                       SyncOptions options)
    : engine_(engine), connectors_(std::move(connectors)), options_(options) {}

std::vector<std::string> SyncRunner::pushing_services() const {
  std::vector<std::string> out;
  for (const auto& c : connectors_)
    if (c->can_push()) out.push_back(c->name());
  return out;
}

std::vector<std::string> SyncRunner::pulling_services() const {
  std::vector<std::string> out;
  for (const auto& c : connectors_)
    if (c->can_pull()) out.push_back(c->name());
  return out;
}

std::vector<Connector*> SyncRunner::connectors() {
  std::vector<Connector*> out;
  for (auto& c : connectors_) out.push_back(c.get());
  return out;
}

TimeMs SyncRunner::backoff(int attempts, std::chrono::milliseconds base) const {
  // Exponential with full jitter between half and one and a half times:
  // a hundred kiosks coming back online do not knock at once.
  thread_local std::mt19937 rng{std::random_device{}()};
  std::uniform_real_distribution<double> f(0.5, 1.5);
  const double grown =
      static_cast<double>(base.count()) * static_cast<double>(1LL << std::clamp(attempts, 0, 16));
  const double capped = std::min(grown, static_cast<double>(options_.retry_max.count()));
  return static_cast<TimeMs>(capped * f(rng));
}

std::chrono::milliseconds SyncRunner::pause_left() const {
  TimeMs left = 0;
  const TimeMs now = now_ms();
  for (const auto& [service, until] : paused_until_) left = std::max(left, until - now);
  return std::chrono::milliseconds(std::max<TimeMs>(left, 0));
}

void SyncRunner::tell(const std::string& service, const std::string& problem) {
  // Once per problem and half minute, not once per row and round (it is a
  // write); again later, as a pull that worked meanwhile clears it.
  const TimeMs now = now_ms();
  auto& [said, at] = told_[service];
  if (problem.empty() || (said == problem && now - at < 30000)) return;
  said = problem;
  at = now;
  engine_.run(RecordSyncResult{service, false, problem});
}

PushRound SyncRunner::push_once(const std::function<bool()>& stopping) {
  PushRound round;
  const std::vector<std::string> services = pushing_services();
  for (auto& c : connectors_) {
    if (!c->can_push()) continue;
    const std::string service = c->name();
    TimeMs now = now_ms();
    if (paused_until_[service] > now) continue;
    const auto due = engine_.outbox_due(service, now, options_.batch).get();
    std::vector<Delivery> results;
    auto flush = [&] {
      if (results.empty()) return;
      engine_.run(RecordDeliveries{service, std::move(results), services});
      results.clear();
    };
    for (const OutboxItem& item : due) {
      if (stopping && stopping()) break;
      if (paused_until_[service] > now_ms()) break;
      // An undo waits until the check-in it cancels reached the service.
      if (item.kind == "annul" && (item.ref_state.empty() || item.ref_state == "pending")) {
        ++round.waiting;
        continue;
      }
      Delivery d;
      d.outbox_id = item.id;
      if (item.kind == "annul" && item.ref_state == "dead") {
        d.state = "dead";
        d.refused = true;
        d.error = "its check-in never reached " + service;
        ++round.dead;
        results.push_back(d);
        continue;
      }
      const PushOutcome o = c->push(item);
      now = now_ms();
      switch (o.verdict) {
        case PushVerdict::Delivered:
          d.state = "sent";
          ++round.delivered;
          offline_streak_[service] = 0;
          told_.erase(service);  // the delivery records the success (and clears the problem)
          break;
        case PushVerdict::Retry: {
          d.state = "pending";
          d.error = o.message;
          const TimeMs wait =
              o.retry_after >= 0 ? o.retry_after : backoff(item.attempts, options_.retry_base);
          d.next_attempt_at = now + wait;
          ++round.retried;
          round.last_error = o.message;
          if (o.retry_after >= 0) paused_until_[service] = now + o.retry_after;
          if (o.offline) {
            // Every row would fail alike: the whole service waits, longer each time,
            // and `sync status` says why.
            paused_until_[service] = now + backoff(offline_streak_[service]++, options_.retry_base);
            tell(service, o.message);
          }
          break;
        }
        case PushVerdict::Refused:
          d.refused = true;
          d.error = o.message;
          round.last_error = o.message;
          if (o.final || item.refusals + 1 >= options_.max_refusals) {
            d.state = "dead";
            ++round.dead;
          } else {
            d.state = "pending";
            d.next_attempt_at = now + backoff(item.refusals, options_.refusal_base);
            ++round.refused;
          }
          break;
      }
      results.push_back(std::move(d));
      if (results.size() >= 20) flush();
    }
    flush();
  }
  return round;
}

Result<PullSummary> SyncRunner::pull(const std::string& service, bool full, const PullRequest& ctx,
                                     bool go_ahead) {
  Connector* c = nullptr;
  for (auto& x : connectors_)
    if (x->name() == service && x->can_pull()) c = x.get();
  if (!c) return Error{"sync.config", service + " is not configured to pull from"};
  const auto started = std::chrono::steady_clock::now();
  const int requests_before = c->counters().requests.load();
  PullRequest req = ctx;
  if (!full) {
    const auto st = engine_.sync_status({service}).get();
    if (!st.empty()) req.cursor = st.front().cursor;
  } else {
    req.cursor.clear();
  }
  auto result = c->pull(req);
  if (!result) {
    if (result.error().code != "sync.stopped")
      engine_.run(RecordSyncResult{service, false, result.error().message});
    return result.error();
  }
  PullSummary s;
  s.service = service;
  s.people = static_cast<int>(result->batch.rows.size());
  s.incremental = result->incremental;
  s.notice = result->notice;
  MergePull merge{service, std::move(result->batch), std::move(result->remote), result->cursor,
                  std::move(result->rules)};
  merge.complete = result->complete;
  merge.confirmed = go_ahead;
  const Decision d = engine_.run(std::move(merge));
  if (d.verdict == Verdict::Failed) return Error{"sync.merge", d.message};
  if (d.verdict == Verdict::Held) {
    // Said in the status too, with the way on: a background pull (a kiosk,
    // `serve`) has no terminal to say it on, and no --yes to give.
    engine_.run(RecordSyncResult{
        service, false,
        d.message + " If the list really changed this much, go ahead with `frontdesk sync pull" +
            (full ? " --full" : "") + " --yes`."});
    return Error{"sync.held", d.message};
  }
  // A pull that worked but could not do everything keeps saying so.
  if (!s.notice.empty()) engine_.run(RecordSyncResult{service, false, s.notice});
  s.merged = d.import;
  s.message = d.message;
  s.requests = c->counters().requests.load() - requests_before;
  s.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 started);
  return s;
}

}  // namespace fd
