#include "doui/uuid.hpp"

#include <array>

#ifdef DOUI_WEB_RANDOM
#include <emscripten.h>
#else
#include <sodium.h>
#endif

namespace doui {

#ifdef DOUI_WEB_RANDOM
// The browser modules (doui_core_small): the page's CSPRNG, crypto.getRandomValues, as libsodium's
// own wasm randombytes uses it, without that code's node require() fallback, its stir and
// sodium_init, which the module otherwise does not need (0.8 KB gzip). The node programs keep
// libsodium's, which also finds node 18's crypto (no global `crypto` there).
EM_JS(void, doui_js_random, (unsigned char* p, int n),
      { crypto.getRandomValues(HEAPU8.subarray(p, p + n)); });
#endif

std::string new_uuid_v4() {
  std::array<unsigned char, 16> b{};
#ifdef DOUI_WEB_RANDOM
  doui_js_random(b.data(), static_cast<int>(b.size()));
#else
  static const int init = sodium_init();
  (void)init;
  randombytes_buf(b.data(), b.size());
#endif
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // variant 10xx
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += kHex[b[i] >> 4];
    s += kHex[b[i] & 0xF];
  }
  return s;
}

bool is_uuid_v4(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;  // lowercase only: one spelling per id keeps records canonical
    }
  }
  return s[14] == '4' && (s[19] == '8' || s[19] == '9' || s[19] == 'a' || s[19] == 'b');
}

}  // namespace doui
