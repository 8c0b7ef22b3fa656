// SHA-256 digests (libsodium), as lowercase hex: how doui names exact bytes.
#pragma once

#include <string>
#include <string_view>

namespace doui {

/// Lowercase hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

}  // namespace doui
