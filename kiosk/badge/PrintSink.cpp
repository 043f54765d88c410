// The only file that includes CUPS.
#include "badge/PrintSink.h"

#include <cups/cups.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <thread>

namespace fd {

std::string printer_problem_in_words(const std::string& r) {
  if (r.rfind("media-empty", 0) == 0 || r.rfind("media-needed", 0) == 0)
    return "Printer out of labels";
  if (r.rfind("media-jam", 0) == 0) return "Labels jammed in the printer";
  if (r.rfind("door-open", 0) == 0 || r.rfind("cover-open", 0) == 0)
    return "The printer's cover is open";
  if (r.rfind("offline", 0) == 0 || r.rfind("connecting-to-device", 0) == 0)
    return "Printer offline (unplugged or switched off?)";
  if (r.rfind("paused", 0) == 0 || r == "stopped")
    return "The print queue is paused: run `cupsenable QUEUE`";
  if (r.rfind("toner", 0) == 0 || r.rfind("marker-supply", 0) == 0)
    return "The printer needs ribbon or toner";
  if (r.empty() || r == "none") return "";
  return "Printer problem: " + r;
}

namespace {

struct IppDeleter {
  void operator()(ipp_t* p) const { ippDelete(p); }
};
using IppPtr = std::unique_ptr<ipp_t, IppDeleter>;

class IppSink final : public PrintSink {
 public:
  explicit IppSink(std::string printer) : printer_(std::move(printer)) {
    uri_ = printer_.find("://") == std::string::npos ? "ipp://localhost/printers/" + printer_
                                                     : printer_;
  }
  ~IppSink() override {
    if (http_) httpClose(http_);
  }

  Result<std::string> submit(const std::string& pdf, const std::string& job_name) override {
    // Busy printers (one job at a time) answer server-error-busy: wait a little.
    for (int attempt = 0; attempt < 5; ++attempt) {
      if (auto err = connect()) return *err;
      ipp_t* req = ippNewRequest(IPP_OP_PRINT_JOB);
      ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri_.c_str());
      ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr,
                   "frontdesk");
      ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nullptr, job_name.c_str());
      ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", nullptr,
                   "application/pdf");
      const std::string tmp = write_temp(pdf);
      IppPtr resp(cupsDoFileRequest(http_, req, resource_.c_str(), tmp.c_str()));
      ::unlink(tmp.c_str());
      const ipp_status_t st = cupsLastError();
      if (st == IPP_STATUS_ERROR_BUSY || st == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE) {
        std::this_thread::sleep_for(std::chrono::milliseconds(300 * (attempt + 1)));
        continue;
      }
      if (!resp || st > IPP_STATUS_OK_CONFLICTING) {
        const std::string why = cupsLastErrorString();
        drop();
        // A broken connection usually means the printer went away: say so.
        if (auto err = connect()) return *err;
        return Error{"print.submit", "The printer did not take the badge: " + why};
      }
      ipp_attribute_t* id = ippFindAttribute(resp.get(), "job-id", IPP_TAG_INTEGER);
      if (!id) return Error{"print.submit", "The printer took the badge but gave no job number"};
      return std::to_string(ippGetInteger(id, 0));
    }
    return Error{"print.busy", "The printer stayed busy; the badge will be retried"};
  }

  PrintStatus status(const std::string& job_ref) override {
    PrintStatus s;
    if (auto err = connect())
      return {PrintState::Queued, "offline", "Printer offline (unplugged or switched off?)", true};
    ipp_t* req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri_.c_str());
    ippAddInteger(req, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", std::atoi(job_ref.c_str()));
    IppPtr resp(cupsDoRequest(http_, req, resource_.c_str()));
    if (cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND)  // the printer restarted and forgot it
      return {PrintState::Failed, "job-lost", "The printer lost this badge; printing it again",
              true};
    if (!resp || cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
      drop();
      return {PrintState::Queued, "offline", "Printer offline (unplugged or switched off?)", true};
    }
    ipp_attribute_t* state = ippFindAttribute(resp.get(), "job-state", IPP_TAG_ENUM);
    ipp_attribute_t* reasons = ippFindAttribute(resp.get(), "job-state-reasons", IPP_TAG_KEYWORD);
    const int js = state ? ippGetInteger(state, 0) : IPP_JSTATE_PENDING;
    s.reason = reasons ? ippGetString(reasons, 0, nullptr) : "";
    switch (js) {
      case IPP_JSTATE_COMPLETED: s.state = PrintState::Done; break;
      case IPP_JSTATE_PROCESSING: s.state = PrintState::Printing; break;
      case IPP_JSTATE_CANCELED:
      case IPP_JSTATE_ABORTED:
        s.state = PrintState::Failed;
        s.message = "The printer gave up on this badge (" + s.reason + ")";
        break;
      default: s.state = PrintState::Queued;
    }
    if (s.state != PrintState::Done && s.state != PrintState::Failed) {
      const std::string p = printer_reason();
      if (!p.empty() && p != "none") {
        s.reason = p;
        s.message = printer_problem_in_words(p);
      }
    }
    return s;
  }

  std::string describe() const override { return uri_; }

 private:
  std::optional<Error> connect() {
    if (http_) return std::nullopt;
    char scheme[32], user[256], host[256], resource[1024];
    int port = 0;
    if (httpSeparateURI(HTTP_URI_CODING_ALL, uri_.c_str(), scheme, sizeof scheme, user, sizeof user,
                        host, sizeof host, &port, resource, sizeof resource) < HTTP_URI_STATUS_OK)
      return Error{"print.uri", "Not a printer address: " + uri_};
    resource_ = resource;
    const bool tls = std::string(scheme) == "ipps";
    http_ =
        httpConnect2(host, port, nullptr, AF_UNSPEC,
                     tls ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED, 1, 3000, nullptr);
    if (!http_) return Error{"print.offline", "Printer offline: cannot reach " + uri_};
    httpSetTimeout(http_, 10.0, nullptr, nullptr);  // a hung printer must not hang the worker
    return std::nullopt;
  }
  void drop() {
    if (http_) httpClose(http_);
    http_ = nullptr;
  }
  std::string printer_reason() {
    ipp_t* req = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri_.c_str());
    IppPtr resp(cupsDoRequest(http_, req, resource_.c_str()));
    if (!resp) return {};
    ipp_attribute_t* r = ippFindAttribute(resp.get(), "printer-state-reasons", IPP_TAG_KEYWORD);
    return r ? ippGetString(r, 0, nullptr) : "";
  }
  static std::string write_temp(const std::string& pdf) {
    char name[] = "/tmp/frontdesk-badge-XXXXXX";
    const int fd = ::mkstemp(name);
    if (fd >= 0) {
      (void)!::write(fd, pdf.data(), pdf.size());
      ::close(fd);
    }
    return name;
  }

  std::string printer_, uri_, resource_;
  http_t* http_ = nullptr;
};

class DirectorySink final : public PrintSink {
 public:
  explicit DirectorySink(std::filesystem::path dir) : dir_(std::move(dir)) {}
  Result<std::string> submit(const std::string& pdf, const std::string& job_name) override {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    const auto file = dir_ / (std::to_string(++n_) + "-" + job_name + ".pdf");
    std::ofstream(file, std::ios::binary) << pdf;
    if (!std::filesystem::exists(file)) return Error{"print.dir", "Cannot write " + file.string()};
    return file.string();
  }
  PrintStatus status(const std::string&) override { return {PrintState::Done, "", "", false}; }
  std::string describe() const override { return dir_.string(); }

 private:
  std::filesystem::path dir_;
  int n_ = 0;
};

}  // namespace

namespace {

void add_advice(PrinterInfo& p) {
  const std::string q = p.name.empty() ? "QUEUE" : p.name;
  if (p.state == "stopped")
    p.advice.push_back("The queue is paused (often after one failed job): run `cupsenable " + q +
                       "`.");
  if (!p.accepting) p.advice.push_back("The queue refuses jobs: run `cupsaccept " + q + "`.");
  for (std::size_t at = 0; at < p.reasons.size();) {
    const auto comma = std::min(p.reasons.find(',', at), p.reasons.size());
    const std::string words = printer_problem_in_words(p.reasons.substr(at, comma - at));
    if (!words.empty()) p.advice.push_back(words + ".");
    at = comma + 1;
  }
  if (!p.name.empty())
    p.advice.push_back(
        "So that one failure does not pause the queue for the evening: `lpadmin -p " + q +
        " -o printer-error-policy=retry-job`.");
}

std::string state_word(int s) {
  return s == IPP_PSTATE_PROCESSING ? "printing" : s == IPP_PSTATE_STOPPED ? "stopped" : "idle";
}

// Whether a scheduler answers at CUPS's address at all (its socket or
// host:port): no queues is then "add one", not "start CUPS".
bool cups_answers() {
  http_t* http =
      httpConnect2(cupsServer(), ippPort(), nullptr, AF_UNSPEC, cupsEncryption(), 1, 2000, nullptr);
  if (!http) return false;
  httpClose(http);
  return true;
}

}  // namespace

Result<std::vector<PrinterInfo>> list_printers() {
  cups_dest_t* dests = nullptr;
  const int n = cupsGetDests2(CUPS_HTTP_DEFAULT, &dests);
  if (n == 0 && cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
    cupsFreeDests(n, dests);
    if (cups_answers()) return std::vector<PrinterInfo>{};  // running, with no queue yet
    return Error{"printers.cups",
                 std::string("CUPS is not reachable (") + cupsLastErrorString() +
                     "). Start it (`sudo systemctl start cups`), or print to a label printer's "
                     "address directly: --print ipp://PRINTER/ipp/print"};
  }
  std::vector<PrinterInfo> out;
  for (int i = 0; i < n; ++i) {
    const cups_dest_t& d = dests[i];
    PrinterInfo p;
    p.name = d.name;
    p.is_default = d.is_default;
    const auto opt = [&](const char* k) {
      const char* v = cupsGetOption(k, d.num_options, d.options);
      return std::string(v ? v : "");
    };
    p.uri = opt("device-uri");
    p.make_and_model = opt("printer-make-and-model");
    p.state = state_word(std::atoi(opt("printer-state").c_str()));
    p.reasons = opt("printer-state-reasons");
    p.accepting = opt("printer-is-accepting-jobs") != "false";
    if (auto q = query_printer(p.name)) p.media = q->media;  // what labels it takes
    add_advice(p);
    out.push_back(std::move(p));
  }
  cupsFreeDests(n, dests);
  return out;
}

Result<PrinterInfo> query_printer(const std::string& printer) {
  const std::string uri =
      printer.find("://") == std::string::npos ? "ipp://localhost/printers/" + printer : printer;
  char scheme[32], user[256], host[256], resource[1024];
  int port = 0;
  if (httpSeparateURI(HTTP_URI_CODING_ALL, uri.c_str(), scheme, sizeof scheme, user, sizeof user,
                      host, sizeof host, &port, resource, sizeof resource) < HTTP_URI_STATUS_OK)
    return Error{"printers.uri", "Not a printer address: " + uri};
  http_t* http =
      httpConnect2(host, port, nullptr, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, 3000, nullptr);
  if (!http) return Error{"printers.offline", "Printer offline: cannot reach " + uri};
  ipp_t* req = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
  ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri.c_str());
  IppPtr resp(cupsDoRequest(http, req, resource));
  httpClose(http);
  if (!resp || cupsLastError() > IPP_STATUS_OK_CONFLICTING)
    return Error{"printers.query",
                 "The printer at " + uri + " did not answer: " + cupsLastErrorString()};
  PrinterInfo p;
  p.uri = uri;
  if (printer.find("://") == std::string::npos) p.name = printer;
  if (auto* a = ippFindAttribute(resp.get(), "printer-make-and-model", IPP_TAG_TEXT))
    p.make_and_model = ippGetString(a, 0, nullptr);
  if (auto* a = ippFindAttribute(resp.get(), "printer-state", IPP_TAG_ENUM))
    p.state = state_word(ippGetInteger(a, 0));
  if (auto* a = ippFindAttribute(resp.get(), "printer-state-reasons", IPP_TAG_KEYWORD))
    for (int i = 0; i < ippGetCount(a); ++i)
      p.reasons += (i ? "," : "") + std::string(ippGetString(a, i, nullptr));
  if (auto* a = ippFindAttribute(resp.get(), "printer-is-accepting-jobs", IPP_TAG_BOOLEAN))
    p.accepting = ippGetBoolean(a, 0);
  if (auto* a = ippFindAttribute(resp.get(), "media-supported", IPP_TAG_ZERO))
    for (int i = 0; i < ippGetCount(a); ++i) p.media.push_back(ippGetString(a, i, nullptr));
  if (auto* a = ippFindAttribute(resp.get(), "media-ready", IPP_TAG_ZERO))
    for (int i = 0; i < ippGetCount(a); ++i)
      if (const char* m = ippGetString(a, i, nullptr)) p.media_ready.push_back(m);
  if (auto* a = ippFindAttribute(resp.get(), "printer-error-policy", IPP_TAG_NAME))
    p.error_policy = ippGetString(a, 0, nullptr);
  add_advice(p);
  return p;
}

std::unique_ptr<PrintSink> make_ipp_sink(const std::string& printer) {
  return std::make_unique<IppSink>(printer);
}
std::unique_ptr<PrintSink> make_directory_sink(const std::filesystem::path& dir) {
  return std::make_unique<DirectorySink>(dir);
}

}  // namespace fd
