#include "web/Certificate.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>

#include "base/Paths.h"

namespace fd {
namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

std::string hex_fingerprint(const unsigned char* md, unsigned int n) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    if (i) out.push_back(':');
    out.push_back(digits[md[i] >> 4]);
    out.push_back(digits[md[i] & 15]);
  }
  return out;
}

std::string fingerprint_of(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (X509_digest(cert, EVP_sha256(), md, &n) != 1) return {};
  return hex_fingerprint(md, n);
}

bool add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

Result<TlsIdentity> make_certificate(const TlsIdentity& id,
                                     const std::vector<std::string>& addresses) {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return Error{"tls.key", "OpenSSL could not make a key"};
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  // A random serial: two doors' certificates must never look alike.
  unsigned char serial[16];
  FILE* urandom = std::fopen("/dev/urandom", "rb");
  if (!urandom || std::fread(serial, 1, sizeof serial, urandom) != sizeof serial) {
    if (urandom) std::fclose(urandom);
    return Error{"tls.random", "Cannot read /dev/urandom"};
  }
  std::fclose(urandom);
  serial[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24 * 3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Frontdesk door"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Frontdesk"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  std::string san = "DNS:localhost,IP:127.0.0.1";
  for (const std::string& a : addresses) san += ",IP:" + a;
  if (!add_extension(cert.get(), NID_subject_alt_name, san) ||
      !add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension(cert.get(), NID_ext_key_usage, "serverAuth"))
    return Error{"tls.cert", "OpenSSL could not describe the certificate"};
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
    return Error{"tls.cert", "OpenSSL could not sign the certificate"};

  ensure_private_dir(id.key_file.parent_path());
  // The key is written owner-only from the first byte (umask), not chmod'ed after.
  const mode_t old = ::umask(077);
  FilePtr kf(std::fopen(id.key_file.c_str(), "wb"));
  ::umask(old);
  if (!kf || PEM_write_PrivateKey(kf.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return Error{"tls.write", "Cannot write " + id.key_file.string()};
  kf.reset();
  ::chmod(id.key_file.c_str(), 0600);
  FilePtr cf(std::fopen(id.cert_file.c_str(), "wb"));
  if (!cf || PEM_write_X509(cf.get(), cert.get()) != 1)
    return Error{"tls.write", "Cannot write " + id.cert_file.string()};
  TlsIdentity out = id;
  out.fingerprint = fingerprint_of(cert.get());
  return out;
}

}  // namespace

Result<std::string> certificate_fingerprint(const std::filesystem::path& cert_file) {
  FilePtr f(std::fopen(cert_file.c_str(), "rb"));
  if (!f) return Error{"tls.read", "Cannot read " + cert_file.string()};
  X509Ptr cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
  if (!cert) return Error{"tls.read", cert_file.string() + " is not a PEM certificate"};
  return fingerprint_of(cert.get());
}

Result<TlsIdentity> ensure_certificate(const std::filesystem::path& dir,
                                       const std::vector<std::string>& addresses) {
  TlsIdentity id;
  id.cert_file = dir / "web-cert.pem";
  id.key_file = dir / "web-key.pem";
  std::error_code ec;
  if (std::filesystem::exists(id.cert_file, ec) && std::filesystem::exists(id.key_file, ec)) {
    auto fp = certificate_fingerprint(id.cert_file);
    if (!fp) return fp.error();
    id.fingerprint = *fp;
    return id;
  }
  return make_certificate(id, addresses);
}

std::vector<std::string> lan_addresses() {
  std::vector<std::string> out;
  ifaddrs* all = nullptr;
  if (::getifaddrs(&all) != 0) return out;
  for (ifaddrs* i = all; i; i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
    if ((i->ifa_flags & IFF_UP) == 0 || (i->ifa_flags & IFF_LOOPBACK) != 0) continue;
    char buf[INET_ADDRSTRLEN];
    const auto* in = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
    if (::inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf)) out.emplace_back(buf);
  }
  ::freeifaddrs(all);
  return out;
}

}  // namespace fd
