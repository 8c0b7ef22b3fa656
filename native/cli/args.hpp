// A small command-line parser: options with values, repeatable options, switches, positionals.
// Hand-written because the CLI is compiled to wasm too and needs nothing more.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace doui::cli {

struct Option {
  std::string_view name;  // "--subject"
  bool takes_value = true;
  bool repeatable = false;
};

struct Args {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> values;  // in command-line order
  std::vector<std::string> switches;
  std::string error;  // set when parsing failed: a cli.usage message, without raw bytes

  bool has(std::string_view flag) const;
  std::optional<std::string> value(std::string_view flag) const;
  std::vector<std::string> all(std::string_view flag) const;
};

/// Parses argv[first..] against `options`. A single-value option given twice, an unknown option,
/// a switch given a value and an argument that is not valid UTF-8 (or holds U+FFFD, which is
/// what node makes of bytes that are not: both targets must refuse the same arguments) are
/// errors. "--help" is a switch of every command.
Args parse(int argc, char** argv, int first, const std::vector<Option>& options);

/// True when `s` is valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF)
/// without U+FFFD.
bool clean_utf8(std::string_view s);

/// True when `s` is a web origin and nothing more: http:// or https://, then a host (letters,
/// digits, '.', '-', or a bracketed IPv6 address) and an optional :port; no path, no query.
bool is_web_origin(std::string_view s);

}  // namespace doui::cli
