// Record ids: random UUIDs (RFC 9562 version 4) in one spelling, so a record's bytes are canonical.
#pragma once

#include <string>
#include <string_view>

namespace doui {

/// A random (version 4) UUID from libsodium's CSPRNG, lowercase.
std::string new_uuid_v4();

/// True for a lowercase 8-4-4-4-12 hex UUID of version 4, variant 10xx (one spelling per id).
bool is_uuid_v4(std::string_view s);

}  // namespace doui
