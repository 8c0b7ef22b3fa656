// Plain-text rendering of the policy, wrapped for fixed-width display. Uses ICU's line
// BreakIterator for `ja` (JIS X 4051 kinsoku) and East Asian Width; linked only where text
// output is needed (CLI, server), not into the browser module.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "doui/policy.hpp"
#include "doui/result.hpp"

namespace doui {

constexpr int kMinTextWidth = 8;
constexpr int kMaxTextWidth = 1000;

/// Display columns of UTF-8 text: East Asian Wide and Fullwidth count 2, combining marks and
/// format characters 0, everything else (Ambiguous included) 1.
int display_width(std::string_view utf8);

/// Wraps one paragraph at `width` columns. The first line starts with `first_prefix`, the
/// others with `rest_prefix`. Lines break only where ICU's `ja` line rules allow; a line is
/// wider than `width` only when one unbreakable run is. Trailing spaces are dropped.
std::vector<std::string> wrap(std::string_view text, int width, std::string_view first_prefix = {},
                              std::string_view rest_prefix = {});

/// The whole policy as text, `width` columns wide (kMinTextWidth..kMaxTextWidth). A link with a
/// URL in `links` is followed by " <URL>".
Result<std::string> render_text(const Policy& policy, const Links& links, int width);

}  // namespace doui
