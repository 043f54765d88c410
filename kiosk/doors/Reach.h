#pragma once
// Which of a door's addresses another door may use, and who this process is.
//
// A loopback address (127.0.0.0/8, ::1, localhost) reaches whichever
// machine dials it: a door's 127.0.0.1:8080 is that door only for a door on
// the same host; anywhere else it is the dialling door itself, or nothing.
// So loopback addresses are offered (the greeting, the pairing code),
// passed on (gossip) and dialled only between doors that share a host.
//
// "The same host" is the same loopback: the same kernel boot and the same
// network namespace. Not /etc/machine-id: SD cards cloned from one image
// share it, and two network namespaces on one machine (containers, the
// two-machine test) share it while their loopbacks differ.
//
// Thread-safety: pure functions, and reads of /proc.
#include <string>
#include <string_view>
#include <vector>

namespace fd {

// This process's host key: 32 hex digits, a hash of the boot id and the
// network namespace (nothing about the machine can be learnt from it).
std::string this_host();
// "127.0.0.1:8080", "localhost:80", "[::1]:8443".
bool is_loopback(std::string_view address);
// Whether a door on `my_host` may dial `address`, an address of a door on
// `their_host` ("" not known: never its loopback).
bool usable_from(std::string_view address, std::string_view their_host, std::string_view my_host);
// What of `addresses` (this door's, on `my_host`) to tell a door on `their_host`.
std::vector<std::string> offered_to(const std::vector<std::string>& addresses,
                                    std::string_view their_host, std::string_view my_host);

// This process, as long as it lives: "<boot id>/<pid>/<start time>".
std::string this_process();
// Whether the process `this_process()` returned there still runs (a pid
// reused since, or a reboot, says no). Only meaningful on the same machine.
bool process_alive(std::string_view process);

}  // namespace fd
