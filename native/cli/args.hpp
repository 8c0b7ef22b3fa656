// A small command-line parser: flags with values, repeated flags, positionals. Hand-written
// because the CLI is compiled to wasm too and needs nothing more.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace doui::cli {

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> values;  // --flag VALUE (repeatable)
  std::vector<std::string> switches;                       // --flag
  std::string error;                                       // set when parsing failed

  bool has(const std::string& flag) const;
  std::optional<std::string> value(const std::string& flag) const;
};

/// Parses argv[first..] given which flags take a value and which are switches.
Args parse(int argc, char** argv, int first, const std::vector<std::string>& with_value,
           const std::vector<std::string>& switches);

}  // namespace doui::cli
