#include "print/PrintWorker.h"

#include <pthread.h>

#include <condition_variable>
#include <mutex>

#include "badge/BadgeRenderer.h"

namespace fd {

std::unique_ptr<PrintSink> make_sink(const std::string& printer) {
  if (printer.rfind("folder:", 0) == 0) return make_directory_sink(printer.substr(7));
  return make_ipp_sink(printer);
}

PrintWorker::PrintWorker(Engine& engine, PrintOptions options)
    : engine_(engine), options_(std::move(options)) {
  thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
  pthread_setname_np(thread_.native_handle(), "fd-print");
}

PrintWorker::~PrintWorker() { thread_.request_stop(); }

WorkerHealth PrintWorker::health() const {
  std::lock_guard lock(mutex_);
  return {"Printer", problem_.empty(), problem_.empty() ? "Printing" : problem_,
          WorkerKind::Printer};
}

void PrintWorker::set_problem(const std::string& problem) {
  std::lock_guard lock(mutex_);
  problem_ = problem;
}

namespace {
// Sleeps unless asked to stop.
void nap(std::stop_token& stop, std::chrono::milliseconds d) {
  std::mutex m;
  std::unique_lock lock(m);
  std::condition_variable_any().wait_for(lock, stop, d, [] { return false; });
}
}  // namespace

void PrintWorker::loop(std::stop_token stop) {
  std::vector<std::unique_ptr<PrintSink>> sinks;
  sinks.push_back(make_sink(options_.printer));
  if (!options_.fallback.empty()) sinks.push_back(make_sink(options_.fallback));
  std::chrono::milliseconds backoff(1000);
  while (!stop.stop_requested()) {
    try {
      // Asleep until a snapshot says a badge waits: a check-in's commit (in
      // this process or another) wakes it, with no store access while idle.
      // The timeout lets a job that was put off (printer backoff) come due.
      auto snap = engine_.snapshot();
      if (snap->queues.badge_jobs_open == 0) {
        engine_.wait_newer(snap->version, stop, options_.idle_wait);
        continue;
      }
      const Decision claimed = engine_.run(ClaimBadgeJob{});
      if (!claimed.badge_job || !claimed.who) {
        // Open jobs, none to claim now (followed elsewhere, or not due):
        // wait for the next change rather than asking again at once.
        engine_.wait_newer(engine_.snapshot()->version, stop, options_.idle_wait);
        continue;
      }
      const BadgeJob job = *claimed.badge_job;
      const AttendeeView& who = *claimed.who;
      std::size_t used = 0;
      std::string ref;
      if (!job.printer_job.empty()) {  // sent before a restart: follow it, never send twice
        const auto colon = job.printer_job.find(':');
        used =
            std::min<std::size_t>(std::stoul(job.printer_job.substr(0, colon)), sinks.size() - 1);
        ref = job.printer_job.substr(colon + 1);
      } else {
        const BadgeData data = badge_data(who, engine_.snapshot()->event.name);
        auto pdf = render_badge_pdf(data, options_.badge);
        if (!pdf) {
          engine_.run(
              FinishBadgeJob{job.id, "failed", "Cannot draw this badge: " + pdf.error().message});
          continue;
        }
        std::string problem;
        for (std::size_t i = 0; i < sinks.size() && ref.empty(); ++i) {
          auto sent = sinks[i]->submit(*pdf, "badge-" + std::to_string(job.id));
          if (sent) {
            ref = *sent;
            used = i;
          } else if (problem.empty()) {
            problem = sent.error().message;
          }
        }
        if (ref.empty()) {
          // No printer took it: the badge waits, the door goes on.
          engine_.run(FinishBadgeJob{job.id, "queued", problem});
          set_problem(problem);
          nap(stop, backoff);
          backoff = std::min(backoff * 2, std::chrono::milliseconds(15000));
          continue;
        }
        engine_.run(BadgeJobSent{job.id, std::to_string(used) + ":" + ref});
      }
      backoff = std::chrono::milliseconds(1000);
      // Follow the job until the printer says done or gave up.
      const auto deadline = std::chrono::steady_clock::now() + options_.follow_timeout;
      std::string last_problem;
      bool finished = false;
      while (!stop.stop_requested() && std::chrono::steady_clock::now() < deadline) {
        const PrintStatus st = sinks[used]->status(ref);
        if (st.state == PrintState::Done) {
          engine_.run(FinishBadgeJob{job.id, "done", ""});
          set_problem("");
          finished = true;
          break;
        }
        if (st.state == PrintState::Failed && st.reason == "job-lost") {
          engine_.run(BadgeJobSent{job.id, ""});  // never printed: send it again
          engine_.run(FinishBadgeJob{job.id, "queued", st.message});
          finished = true;
          break;
        }
        if (st.state == PrintState::Failed) {
          engine_.run(FinishBadgeJob{job.id, "failed", st.message});
          finished = true;
          break;
        }
        if (st.message != last_problem) {
          engine_.run(ReportPrinter{st.message});
          set_problem(st.message);
          last_problem = st.message;
        }
        nap(stop, std::chrono::milliseconds(300));
      }
      // Not done yet (printer off mid-job, or stopping): keep the printer's
      // job number so the next claim follows it instead of printing twice.
      if (!finished)
        engine_.run(FinishBadgeJob{
            job.id, "queued", last_problem.empty() ? "Waiting for the printer" : last_problem});
    } catch (const std::exception& e) {
      set_problem(std::string("Badge printing stopped: ") + e.what());
      engine_.run(ReportPrinter{std::string("Badge printing stopped: ") + e.what()});
      nap(stop, std::chrono::milliseconds(2000));
    }
  }
}

}  // namespace fd
