// The sync outbox: what each service may be sent now, what deliveries and
// pulls came to, dead letters, and the leases that keep one worker per store.
#include "engine/Engine.h"
#include "engine/EngineState.h"
#include "store/Store.h"

namespace fd {

std::future<std::vector<OutboxItem>> Engine::outbox_due(std::string service, TimeMs now,
                                                        int limit) {
  return read<std::vector<OutboxItem>>(
      [id = event_id_, service = std::move(service), now, limit](const Store& s) {
        return s.outbox_due(id, service, now, limit);
      });
}

std::future<std::vector<SyncServiceStatus>> Engine::sync_status(std::vector<std::string> services) {
  return read<std::vector<SyncServiceStatus>>(
      [id = event_id_, services = std::move(services)](const Store& s) {
        return s.sync_status(id, services);
      });
}

Decision Engine::decide(RecordDeliveries& c) {
  store_->record_deliveries(c.service, c.results, c.services, now_ms());
  bool delivered = false;
  for (const Delivery& r : c.results) delivered = delivered || r.state == "sent";
  if (delivered) store_->record_sync_result(event_id_, c.service, true, "", now_ms());
  Decision d;
  d.verdict = Verdict::Done;
  return d;
}

Decision Engine::decide(RecordSyncResult& c) {
  store_->record_sync_result(event_id_, c.service, c.ok, c.error, now_ms());
  Decision d;
  d.verdict = Verdict::Done;
  return d;
}

Decision Engine::decide(RetryDeadLetters& c) {
  Decision d;
  const int n = store_->retry_dead_letters(event_id_, c.service);
  d.verdict = Verdict::Done;
  d.message = std::to_string(n) + (n == 1 ? " check-in" : " check-ins") + " queued again";
  return d;
}

Decision Engine::decide(Lease& c) {
  Decision d;
  d.verdict = Verdict::Done;
  if (c.ttl.count() > 0)
    d.lease_held = store_->take_lease(c.name, c.holder, now_ms(), c.ttl.count());
  else
    store_->drop_lease(c.name, c.holder);
  return d;
}

}  // namespace fd
