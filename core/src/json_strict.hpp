// Strict JSON parsing shared by every loader: one place that turns bytes into nlohmann::json and
// rejects what RFC 8259 tolerates but a consent system must not (duplicate keys, invalid UTF-8,
// unbounded nesting or size), each with a stable code and a location.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "doui/result.hpp"

namespace doui::detail {

struct ParseLimits {
  std::size_t max_bytes = std::size_t{8} << 20;
  std::size_t max_depth = 64;
};

/// Parses `text` as one JSON document. Never throws.
Result<nlohmann::json> parse_strict(std::string_view text, const ParseLimits& limits = {});

/// Escapes one JSON-pointer reference token (RFC 6901: '~' -> "~0", '/' -> "~1").
std::string pointer_token(std::string_view token);

/// "line L, column C" of a byte offset (1-based; columns count bytes).
std::string line_column(std::string_view text, std::size_t offset);

}  // namespace doui::detail
