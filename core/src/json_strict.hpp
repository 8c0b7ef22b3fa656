// Strict JSON parsing shared by every loader: one place that turns bytes into nlohmann::json and
// rejects what RFC 8259 tolerates but a consent system must not (duplicate keys, invalid UTF-8,
// unbounded nesting or size), each with a stable code and a location.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "doui/result.hpp"

namespace doui::detail {

struct ParseLimits {
  std::size_t max_bytes = std::size_t{8} << 20;
  std::size_t max_depth = 64;
};

/// Parses `text` as one JSON document. Never throws. An error's path is the JSON pointer of the
/// value being read when it occurred: the member (after its key) or the element (at the array's
/// next index) whose value is malformed, an overflowing number (json.bad_number: 1e999, -1e999,
/// and integers beyond ±2^53 as canonicalize() refuses them) or a bad string (json.invalid_utf8;
/// json.syntax for a lone surrogate escape); the member of the key before a missing ':'; the
/// container for a missing ',' or closing bracket (so the innermost open one for truncated input);
/// "" at the top level. A bad key string points at that key decoded up to the fault ("/ab" for
/// {"ab\xc0…"; "/" when nothing before the fault decodes). The offset is the byte at fault (one
/// past the end for truncated input), the first byte of a misplaced string, number or literal and
/// of an overflowing number, or -1 where the parser does not say (duplicate keys, depth, size,
/// integers beyond 2^53).
Result<nlohmann::json> parse_strict(std::string_view text, const ParseLimits& limits = {});

/// Escapes one JSON-pointer reference token (RFC 6901: '~' -> "~0", '/' -> "~1").
std::string pointer_token(std::string_view token);

/// "line L, column C" of a byte offset (1-based; columns count bytes).
std::string line_column(std::string_view text, std::size_t offset);

/// "object", "string", … for error details.
const char* type_name(const nlohmann::json& v);

/// The codes a schema walk reports: each document kind (policy, record) has its own.
struct SchemaCodes {
  Code missing_field;
  Code wrong_type;
  Code unknown_field;
};

/// Checks that `v` is an object with every `required` field and no field outside `required` and
/// `optional`, appending one error per problem. False when `v` is not an object at all.
bool check_object(const nlohmann::json& v, const std::string& path,
                  std::initializer_list<const char*> required,
                  std::initializer_list<const char*> optional, const SchemaCodes& codes,
                  std::string_view format, std::vector<Error>& errors);

}  // namespace doui::detail
