// verify_record's fast path, on its own so the tests can tell which path gave a verdict.
#pragma once

#include <optional>
#include <string_view>

#include "doui/verify.hpp"

namespace doui::detail {

/// The verdict for `text` if it is, byte for byte, the valid record the engine re-derives from
/// the inputs it states; nullopt otherwise (verify_record then takes the full walk).
std::optional<Verdict> verify_exact(std::string_view text, const PolicyRegistry& registry,
                                    Instant now, const VerifyOptions& options);

}  // namespace doui::detail
