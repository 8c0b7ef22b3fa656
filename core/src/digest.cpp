#include "doui/digest.hpp"

#include <sodium.h>

#include <array>

#include "hex.hpp"

namespace doui {

std::string sha256_hex(std::string_view bytes) {
  // sodium_init() is idempotent and thread-safe; crypto_hash_sha256 itself needs no init, but the
  // wasm build's randomness does, and calling it here keeps every entry point safe.
  static const int init = sodium_init();
  (void)init;
  std::array<unsigned char, crypto_hash_sha256_BYTES> out{};
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  return detail::lower_hex(out.data(), out.size());
}

}  // namespace doui
