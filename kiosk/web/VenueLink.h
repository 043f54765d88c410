#pragma once
// The venue's read-only link: its own random token, kept owner-only in
// <config dir>/venue.token, separate from every organizer secret. The
// running server reads the file on each venue request, so `frontdesk
// venue-link --revoke` takes effect at once, in any process.
//
// Thread-safety: free functions; the file is replaced atomically (rename).
#include <filesystem>
#include <string>

#include "base/Error.h"

namespace fd {

// The current token, made (and saved) when there is none.
Result<std::string> ensure_venue_token(const std::filesystem::path& file);
// The current token, or "" when none (never made, or revoked).
std::string read_venue_token(const std::filesystem::path& file);
// Forgets the token: the old link stops working. The next ensure makes a new one.
Result<bool> revoke_venue_token(const std::filesystem::path& file);

}  // namespace fd
