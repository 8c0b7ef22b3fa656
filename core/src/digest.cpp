#include "doui/digest.hpp"

#include <sodium.h>

#include <array>

#include "hex.hpp"

namespace doui {

std::string sha256_hex(std::string_view bytes) {
#ifndef __EMSCRIPTEN__
  // sodium_init() is idempotent and thread-safe; crypto_hash_sha256 itself needs no init (its one
  // implementation has no CPU dispatch), but calling it keeps every native entry point safe. The
  // wasm programs leave it out: in them it only sets up random bytes, which uuid.cpp asks for
  // itself (and in the browser module takes from the page, without libsodium's set-up).
  static const int init = sodium_init();
  (void)init;
#endif
  std::array<unsigned char, crypto_hash_sha256_BYTES> out{};
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  return detail::lower_hex(out.data(), out.size());
}

}  // namespace doui
