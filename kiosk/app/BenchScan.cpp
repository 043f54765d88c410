// frontdesk bench scan [DIR...]: how many codes Frontdesk reads, per
// condition, against zbarimg and ZXingReader on the same images in the same
// run, what each decoder pass adds and what it costs.
//
// A set is a folder of conditions, each a folder of images (PNG or JPEG);
// IMAGE.txt holds the expected text (IMAGE.2.txt a second code in the same
// picture). An image without a .txt must not decode: any text read from it
// is a false read. A benchmark, not a test: it prints figures; it fails only
// when Frontdesk reads a wrong text.
#include "app/BenchScan.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "app/BenchFixtures.h"
#include "app/BenchStats.h"
#include "app/ExitCodes.h"
#include "camera/FrameSource.h"
#include "scan/Decoder.h"

namespace fd {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Sample {
  fs::path image;
  std::vector<std::string> expected;  // empty: must not decode
};
struct Condition {
  std::string name;
  std::vector<Sample> samples;
};

std::vector<Condition> load_set(const fs::path& dir) {
  std::vector<Condition> out;
  for (const auto& c : fs::directory_iterator(dir)) {
    if (!c.is_directory()) continue;
    Condition cond{c.path().filename().string(), {}};
    for (const auto& e : fs::directory_iterator(c.path())) {
      const auto ext = e.path().extension();
      if (ext != ".png" && ext != ".jpg" && ext != ".jpeg") continue;
      Sample s{e.path(), {}};
      for (const char* suffix : {".txt", ".2.txt", ".3.txt"}) {
        const fs::path t = fs::path(e.path()).replace_extension(suffix);
        if (fs::exists(t)) s.expected.push_back(read_file(t));
      }
      cond.samples.push_back(std::move(s));
    }
    std::sort(cond.samples.begin(), cond.samples.end(),
              [](const Sample& a, const Sample& b) { return a.image < b.image; });
    if (!cond.samples.empty()) out.push_back(std::move(cond));
  }
  std::sort(out.begin(), out.end(),
            [](const Condition& a, const Condition& b) { return a.name < b.name; });
  return out;
}

// Right when every expected code is read (or nothing, where nothing is
// expected); every other text is wrong.
struct Verdict {
  bool right = false;
  std::vector<std::string> wrong;
};
Verdict judge(const std::vector<std::string>& texts, const std::vector<std::string>& expected) {
  Verdict v;
  std::size_t hits = 0;
  for (const auto& e : expected) hits += std::find(texts.begin(), texts.end(), e) != texts.end();
  for (const auto& t : texts)
    if (std::find(expected.begin(), expected.end(), t) == expected.end()) v.wrong.push_back(t);
  v.right = expected.empty() ? texts.empty() : hits == expected.size();
  return v;
}

std::string run_capture(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// ZXingReader on a whole condition in one process. Its report prints each
// text raw between quotes, then a Bytes: line, so a text may span lines.
std::map<fs::path, std::vector<std::string>> zxingreader(const std::vector<Sample>& samples) {
  std::string cmd = "ZXingReader";
  for (const auto& s : samples) cmd += " " + shell_quote(s.image.string());
  const std::string out = run_capture(cmd + " 2>/dev/null");
  std::map<fs::path, std::vector<std::string>> texts;
  fs::path file = samples.size() == 1 ? samples[0].image : fs::path();
  for (std::size_t at = 0; at < out.size();) {
    const std::size_t eol = std::min(out.find('\n', at), out.size());
    const std::string_view line(out.data() + at, eol - at);
    if (line.starts_with("File:       ")) file = std::string(line.substr(12));
    if (line.starts_with("Text:       \"")) {
      const std::size_t begin = at + 13, end = out.find("\"\nBytes:", begin);
      if (end == std::string::npos) break;
      texts[file].push_back(out.substr(begin, end - begin));
      at = end + 2;
      continue;
    }
    at = eol + 1;
  }
  return texts;
}

// zbarimg prints codes raw, one after another, so its output is judged as a
// whole. -Sbinary keeps UTF-8 intact but leaves Shift-JIS and Latin-1 texts
// unconverted; without it zbar converts them: it counts as right if either
// way reads the expected text.
Verdict zbarimg(const Sample& s) {
  Verdict v;
  for (const char* binary : {"-Sbinary ", ""}) {
    std::string out = run_capture(std::string("zbarimg -q --raw ") + binary +
                                  shell_quote(s.image.string()) + " 2>/dev/null");
    if (!out.empty() && out.back() == '\n') out.pop_back();
    bool all = !s.expected.empty();
    for (const auto& e : s.expected) all = all && out.find(e) != std::string::npos;
    if (all || (s.expected.empty() && out.empty())) return {true, {}};
    if (!out.empty() && v.wrong.empty()) v.wrong.push_back(out);
  }
  return v;
}

struct Decoder {
  int right = 0, false_reads = 0;
  std::vector<std::string> wrong;  // "file: text"
  std::vector<std::string> missed;
};

struct Tally {
  int n = 0, negatives = 0;
  Decoder fd, zxr, zbar;
  int either_peer = 0, zbar_not_fd = 0;
  std::vector<double> fd_ms, zxd_ms;
};

struct PassTally {
  int ran = 0, adds = 0;
  int over_budget = 0;  // regions where the frame's budget left it out
  std::vector<double> ms;
  int alone = 0, only = 0;  // with --each-pass: read by this pass alone; by no other pass
};

void count(Decoder& d, const Sample& s, const Verdict& v) {
  d.right += v.right && !s.expected.empty();
  if (!v.right && !s.expected.empty()) d.missed.push_back(s.image.string());
  if (s.expected.empty() && !v.wrong.empty()) ++d.false_reads;
  for (const auto& w : v.wrong) {
    std::string shown = w.size() > 60 ? w.substr(0, 60) + "..." : w;
    std::replace(shown.begin(), shown.end(), '\n', ' ');
    d.wrong.push_back(s.image.string() + ": \"" + shown + "\"");
  }
}

// Every pass on its own: which codes each reads, and which no other does.
void each_pass(const Frame& frame, const Sample& s, std::map<std::string, PassTally>& passes) {
  if (s.expected.empty()) return;
  std::vector<const char*> right;
  for (const char* name : decoder_passes()) {
    DecodeOptions o;
    o.only_pass = name;
    std::vector<std::string> texts;
    for (const auto& d : decode_frame(frame, o)) texts.push_back(d.text);
    if (judge(texts, s.expected).right) right.push_back(name);
  }
  for (const char* name : right) {
    ++passes[name].alone;
    passes[name].only += right.size() == 1;
  }
}

void run_condition(const Condition& c, const BenchScanOptions& o, Tally& t,
                   std::map<std::string, PassTally>& passes) {
  const bool peers = o.peers;
  const auto zxr = peers ? zxingreader(c.samples) : decltype(zxingreader(c.samples)){};
  for (const Sample& s : c.samples) {
    auto frame = load_gray_image(s.image);
    if (!frame) {
      std::cerr << "  " << frame.error().message << "\n";
      continue;
    }
    ++t.n;
    t.negatives += s.expected.empty();
    DecodeTrace trace;
    auto t0 = Clock::now();
    const auto got = decode_frame(*frame, {}, &trace);
    t.fd_ms.push_back(ms_since(t0));
    for (const auto& r : trace.runs) {
      PassTally& p = passes[r.pass];
      ++p.ran;
      p.ms.push_back(r.ms);
      p.adds += r.reads > 0;
    }
    for (const char* name : trace.over_budget) ++passes[name].over_budget;
    std::vector<std::string> texts;
    for (const auto& d : got) texts.push_back(d.text);
    const Verdict fd = judge(texts, s.expected);
    count(t.fd, s, fd);
    if (o.each_pass) each_pass(*frame, s, passes);
    t0 = Clock::now();
    (void)decode_frame_zxing_default(*frame);
    t.zxd_ms.push_back(ms_since(t0));
    if (!peers) continue;
    const auto it = zxr.find(s.image);
    const Verdict zx = judge(it == zxr.end() ? std::vector<std::string>{} : it->second, s.expected);
    count(t.zxr, s, zx);
    const Verdict zb = zbarimg(s);
    count(t.zbar, s, zb);
    if (!s.expected.empty()) {
      t.either_peer += zx.right || zb.right;
      t.zbar_not_fd += zb.right && !fd.right;
    }
  }
}

void add(Decoder& a, const Decoder& b) {
  a.right += b.right;
  a.false_reads += b.false_reads;
  a.wrong.insert(a.wrong.end(), b.wrong.begin(), b.wrong.end());
  a.missed.insert(a.missed.end(), b.missed.begin(), b.missed.end());
}

void print_row(const std::string& name, const Tally& t, bool peers) {
  const Summary a = summarize(t.fd_ms), b = summarize(t.zxd_ms);
  const int codes = t.n - t.negatives;
  if (codes == 0) {  // a must-not-decode condition: false reads, not a rate
    std::printf("  %-22s %4d  %9s %11s %8s   %7.2f / %-7.2f  %7.2f / %-7.2f  must not decode\n",
                name.c_str(), t.n, (std::to_string(t.fd.false_reads) + " false").c_str(),
                peers ? std::to_string(t.zxr.false_reads).c_str() : "-",
                peers ? std::to_string(t.zbar.false_reads).c_str() : "-", a.median, a.p99, b.median,
                b.p99);
    return;
  }
  std::printf("  %-22s %4d  %9d %11s %8s   %7.2f / %-7.2f  %7.2f / %-7.2f%s\n", name.c_str(), codes,
              t.fd.right, peers ? std::to_string(t.zxr.right).c_str() : "-",
              peers ? std::to_string(t.zbar.right).c_str() : "-", a.median, a.p99, b.median, b.p99,
              t.fd.wrong.empty() ? "" : "  WRONG TEXT");
}

void print_list(const char* what, const std::vector<std::string>& items) {
  std::printf("  %s: %zu\n", what, items.size());
  for (const auto& i : items) std::printf("    %s\n", i.c_str());
}

// Returns false when Frontdesk read a wrong text.
bool bench_set(const fs::path& dir, const BenchScanOptions& o) {
  const auto conds = load_set(dir);
  std::map<std::string, PassTally> passes;
  Tally all;
  std::printf("bench scan: %s\n", dir.c_str());
  std::printf("  %-22s %4s  %9s %11s %8s   %-16s  %-16s\n", "condition", "n", "Frontdesk",
              "ZXingReader", "zbarimg", "Frontdesk ms", "ZXing 1.4 ms");
  std::printf("  %-22s %4s  %9s %11s %8s   %-16s  %-16s\n", "", "", "", "", "", "median / p99",
              "(in-process)");
  for (const Condition& c : conds) {
    Tally t;
    run_condition(c, o, t, passes);
    print_row(c.name, t, o.peers);
    all.n += t.n;
    all.negatives += t.negatives;
    add(all.fd, t.fd);
    add(all.zxr, t.zxr);
    add(all.zbar, t.zbar);
    all.either_peer += t.either_peer;
    all.zbar_not_fd += t.zbar_not_fd;
    all.fd_ms.insert(all.fd_ms.end(), t.fd_ms.begin(), t.fd_ms.end());
    all.zxd_ms.insert(all.zxd_ms.end(), t.zxd_ms.begin(), t.zxd_ms.end());
  }
  Tally codes = all;  // the total row counts codes; false reads are summed below
  codes.negatives = 0;
  codes.n = all.n - all.negatives;
  print_row("total (codes)", codes, o.peers);
  if (all.negatives)
    std::printf(
        "  must not decode: %d images, false reads: Frontdesk %d, ZXingReader %s, zbarimg %s\n",
        all.negatives, all.fd.false_reads,
        o.peers ? std::to_string(all.zxr.false_reads).c_str() : "-",
        o.peers ? std::to_string(all.zbar.false_reads).c_str() : "-");
  if (o.peers)
    std::printf("  read by a peer: %d; read by zbarimg but not by Frontdesk: %d\n", all.either_peer,
                all.zbar_not_fd);
  print_list("wrong texts, Frontdesk", all.fd.wrong);
  if (o.peers) {
    std::printf("  wrong texts, ZXingReader: %zu; zbarimg: %zu\n", all.zxr.wrong.size(),
                all.zbar.wrong.size());
  }
  if (o.list_misses) print_list("missed by Frontdesk", all.fd.missed);
  std::printf(
      "  passes, in order (adds: codes this pass read and no earlier pass did; left out: regions\n"
      "  where it would have overrun a camera frame's budget):\n");
  std::printf("    %-16s %6s %6s %8s   %-22s %10s%s\n", "pass", "ran", "adds", "left out",
              "ms median / p99", "ms total", o.each_pass ? "   alone   only it" : "");
  for (const char* name : decoder_passes()) {
    const auto it = passes.find(name);
    if (it == passes.end()) {
      std::printf("    %-16s %6d %6d %8d\n", name, 0, 0, 0);
      continue;
    }
    const PassTally& p = it->second;
    double total = 0;
    for (double m : p.ms) total += m;
    const Summary s = summarize(p.ms);
    std::printf("    %-16s %6d %6d %8d   %8.3f / %-11.3f %10.1f", name, p.ran, p.adds,
                p.over_budget, s.median, s.p99, total);
    if (o.each_pass) std::printf("   %5d   %7d", p.alone, p.only);
    std::printf("\n");
  }
  return all.fd.wrong.empty();
}

}  // namespace

std::filesystem::path default_scan_samples() { return FD_SCAN_SAMPLES; }

int bench_scan(const BenchScanOptions& o) {
  std::vector<fs::path> sets = o.dirs;
  if (o.stored && fs::is_directory(o.samples)) sets.insert(sets.begin(), o.samples);
  if (sets.empty()) {
    std::cerr << "bench scan: no stored sample set at " << o.samples
              << " (give --samples DIR) and no DIR\n";
    return exit_code::usage;
  }
  if (o.peers && (std::system("command -v zbarimg >/dev/null 2>&1") != 0 ||
                  std::system("command -v ZXingReader >/dev/null 2>&1") != 0)) {
    std::cerr << "bench scan: the peers need zbarimg (zbar-tools) and ZXingReader "
                 "(zxing-cpp-tools), or --no-peers\n";
    return exit_code::usage;
  }
  bool ok = true;
  for (const auto& dir : sets) ok = bench_set(dir, o) && ok;
  std::printf("  CPU per frame, repeatable: valgrind --tool=callgrind frontdesk scan IMAGE\n");
  return ok ? exit_code::ok : exit_code::failure;
}

}  // namespace fd
