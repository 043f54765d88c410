#pragma once
// Where badges go: an IPP printer (a CUPS queue or a network label printer's
// ipp:// address), or a folder (the demo and tests without a printer).
// Calls are synchronous with timeouts; the print worker calls them on its
// own thread, never the UI's or the engine's.
//
// Thread-safety: one sink per thread.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/Error.h"

namespace fd {

enum class PrintState { Queued, Printing, Done, Failed };

struct PrintStatus {
  PrintState state = PrintState::Queued;
  std::string reason;   // IPP keyword: media-empty, media-jam, offline, door-open, stopped, ...
  std::string message;  // plain words: "Printer out of labels"
  bool retryable = true;
};

class PrintSink {
 public:
  virtual ~PrintSink() = default;
  // Sends a PDF; returns a job reference to follow. An Error is "could not
  // send" (printer off, unreachable): the job stays queued and is retried.
  virtual Result<std::string> submit(const std::string& pdf, const std::string& job_name) = 0;
  virtual PrintStatus status(const std::string& job_ref) = 0;
  virtual std::string describe() const = 0;
};

// printer: an ipp:// or ipps:// URI, or a CUPS queue name (printed through
// the local CUPS scheduler).
std::unique_ptr<PrintSink> make_ipp_sink(const std::string& printer);
std::unique_ptr<PrintSink> make_directory_sink(const std::filesystem::path& dir);

struct PrinterInfo {
  std::string name, uri, make_and_model;
  std::string state;    // idle, printing, stopped
  std::string reasons;  // printer-state-reasons, comma separated
  bool accepting = true;
  bool is_default = false;
  std::vector<std::string> media;        // media-supported
  std::vector<std::string> advice;       // plain-words fixes
  std::vector<std::string> media_ready;  // what is loaded now (media-ready), when it says
  std::string error_policy;              // CUPS queues: printer-error-policy
};
// The CUPS queues on this machine; an Error when CUPS cannot be reached.
Result<std::vector<PrinterInfo>> list_printers();
// One printer asked directly (an ipp:// address or a CUPS queue name).
Result<PrinterInfo> query_printer(const std::string& printer);

// Printer state reasons in the words an organizer needs.
std::string printer_problem_in_words(const std::string& reason);

}  // namespace fd
