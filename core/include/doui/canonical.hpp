// RFC 8785 JSON Canonicalization Scheme (JCS): the byte form that doui hashes and signs.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "doui/result.hpp"

namespace doui {

/// Parses `json_text` strictly (no duplicate keys, valid UTF-8) and returns its JCS form.
Result<std::string> canonicalize_text(std::string_view json_text);

/// JCS form of an already-parsed value. Object keys are sorted by UTF-16 code units, strings are
/// escaped minimally, numbers are written as ECMAScript's Number.prototype.toString would.
/// Fails with json.bad_number for integers beyond 2^53 that a double cannot hold exactly.
Result<std::string> canonicalize(const nlohmann::json& value);

}  // namespace doui
