#pragma once
// The door's own TLS identity for HTTPS on the venue LAN: a self-signed
// certificate made on first run with OpenSSL, the key written owner-only in
// the config directory. There is no CA on a venue's Wi-Fi, so people check
// the certificate's SHA-256 fingerprint against the one the kiosk shows.
//
// Thread-safety: free functions; call ensure_certificate() from one process
// at a time (the door's startup).
#include <filesystem>
#include <string>
#include <vector>

#include "base/Error.h"

namespace fd {

struct TlsIdentity {
  std::filesystem::path cert_file;  // PEM
  std::filesystem::path key_file;   // PEM, mode 0600
  std::string fingerprint;          // "AB:CD:..." SHA-256 of the DER certificate
};

// Loads web-cert.pem / web-key.pem from `dir`, or makes them (EC P-256,
// valid ten years, names: localhost, 127.0.0.1 and `addresses`).
Result<TlsIdentity> ensure_certificate(const std::filesystem::path& dir,
                                       const std::vector<std::string>& addresses);
// The SHA-256 fingerprint of a PEM certificate file.
Result<std::string> certificate_fingerprint(const std::filesystem::path& cert_file);

// This machine's IPv4 addresses on the LAN (up, not loopback), for URLs.
std::vector<std::string> lan_addresses();

}  // namespace fd
