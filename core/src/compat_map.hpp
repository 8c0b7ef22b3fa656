// NFKC as ICU's NFC over the compatibility decompositions (compat_map.inc), so that the browser
// module carries ICU's NFC data and normaliser but not its NFKC data (10 KB gzip less,
// BENCHMARKS.md).
// Why it is exactly NFKC: NFKC(s) = compose(NFKD(s)), and NFKD(s) is the canonical ordering of
// every code point's full compatibility decomposition. Replacing each code point whose NFKD
// differs from its NFD by that NFKD leaves a string whose NFD is NFKD(s) (an NFKD is its own NFD,
// and canonical ordering gives the same result however much of it was done before), so NFC of it
// is NFKC(s). normalize_test checks this against ICU's NFKC for every code point and for mixed
// strings, and holds the table to ICU, so it cannot drift.
#pragma once

#include <string>
#include <string_view>

namespace doui::detail {

/// The compatibility decomposition (NFKD, UTF-8) of `c` where it differs from its canonical one;
/// otherwise empty.
std::string_view compat_decomposition(char32_t c);

/// `s` with every code point that has a compat_decomposition replaced by it (bytes that are not
/// well-formed UTF-8 are copied as they are).
std::string expand_compat(std::string_view s);

}  // namespace doui::detail
