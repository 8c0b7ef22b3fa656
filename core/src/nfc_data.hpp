// ICU's NFC data for the browser module's normaliser (normalize.cpp): libicuuc's own
// norm2_nfc_data.h, recoded for gzip by scripts/gen_nfc_data.py at build time (nfc_data.inc) and
// decoded once into the arrays ICU's Normalizer2Impl reads. The unit test compares them with
// norm2_nfc_data.h element by element.
#pragma once

#if DOUI_ICU_COMPILED_NORM
#include <cstdint>

#include <unicode/ucptrie.h>

namespace doui::detail {

struct NfcData {
  const std::int32_t* indexes;
  const UCPTrie* trie;
  const std::uint16_t* extra;
  const std::uint8_t* small_fcd;
};

/// The decoded data (decoded on first call; never freed).
const NfcData& nfc_data();

}  // namespace doui::detail
#endif
