#pragma once
// The door's log: one line per event, with a level the journal understands.
// Under systemd (stderr connected to the journal, as JOURNAL_STREAM says)
// each line starts with a "<N>" priority prefix (sd-daemon(3)), so
// `journalctl -p warning` shows what needs a person; on a terminal the lines
// stay plain.
//
// Privacy: log lines never carry e-mail addresses, tokens or PINs. Callers
// never pass them (names of attendees and scanned codes stay out too), and
// every line goes through redact() as a safety net.
//
// Thread-safety: log() is safe from any thread; lines never interleave.
#include <string>
#include <string_view>

namespace fd {

enum class LogLevel { Error = 3, Warning = 4, Notice = 5, Info = 6, Debug = 7 };

// "frontdesk-kiosk": what the line starts with when no journal prefixes it.
void set_log_program(std::string_view name);
void log(LogLevel level, std::string_view message);
inline void log_error(std::string_view m) { log(LogLevel::Error, m); }
inline void log_warning(std::string_view m) { log(LogLevel::Warning, m); }
inline void log_notice(std::string_view m) { log(LogLevel::Notice, m); }
inline void log_info(std::string_view m) { log(LogLevel::Info, m); }

// E-mail addresses become "<e-mail>"; long mixed-case alphanumeric runs
// (API tokens, signed ticket secrets) become "<secret>".
std::string redact(std::string_view text);
// True when stderr is the journal's stream (systemd's JOURNAL_STREAM check).
bool stderr_is_journal();

}  // namespace fd
