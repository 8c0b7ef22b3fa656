// libFuzzer target: receipts and key files. Arbitrary bytes are a verdict with every problem
// named, never a crash; a receipt accepted is exactly the one its facts sign to, whitespace
// aside (so nothing but a receipt the key signed verifies); key files load or give errors.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "doui/canonical.hpp"
#include "doui/receipt.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const doui::SigningKey key = [] {
    std::array<unsigned char, 32> seed{};
    for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<unsigned char>(i);
    return doui::signing_key_from_seed(seed);
  }();
  static const std::vector<doui::PublicKey> keys{doui::public_key_of(key)};
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto facts = doui::verify_receipt(text, keys);
  const auto verdict = doui::check_receipt(text, keys);
  if (verdict.valid != facts.ok()) std::abort();
  if (!facts) {
    if (facts.errors().empty() || verdict.errors.size() != facts.errors().size()) std::abort();
  } else if (doui::sign_receipt(*facts, key) != doui::canonicalize_text(text).value()) {
    std::abort();
  }
  (void)doui::receipt_verdict_json(verdict);

  auto pub = doui::load_public_key(text);
  if (!pub && pub.errors().empty()) std::abort();
  auto secret = doui::load_signing_key(text);
  if (!secret && secret.errors().empty()) std::abort();
  if (secret && doui::public_key_json(doui::public_key_of(*secret)).empty()) std::abort();
  return 0;
}
