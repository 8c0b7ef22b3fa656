// libFuzzer target: the CLI's argument parser (native/cli/args.cpp) on arbitrary argument
// vectors (the input split at NUL bytes), with consent's options. Whatever arrives: no crash,
// and every value it hands on, and every error it writes, is valid UTF-8 without U+FFFD (raw
// bytes are never echoed); a single-value option is never kept twice.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "args.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<doui::cli::Option> options = {{"--subject"},
                                                         {"--birthdate"},
                                                         {"--at"},
                                                         {"--guardian-name"},
                                                         {"--guardian-kana"},
                                                         {"--guardian-relation"},
                                                         {"--link", true, true},
                                                         {"--guardian-covers", true, true},
                                                         {"--agree", false},
                                                         {"--guardian-affirm", false},
                                                         {"--locale"},
                                                         {"--id"}};
  std::vector<std::string> words(1, "doui");
  words.emplace_back("consent");
  words.emplace_back();
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      words.emplace_back();
    } else {
      words.back() += static_cast<char>(data[i]);
    }
  }
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  const auto args = doui::cli::parse(static_cast<int>(words.size()), argv.data(), 2, options);
  if (!doui::cli::clean_utf8(args.error)) std::abort();
  if (!args.error.empty()) return 0;
  for (const auto& p : args.positional) {
    if (!doui::cli::clean_utf8(p)) std::abort();
  }
  for (const auto& [name, value] : args.values) {
    if (!doui::cli::clean_utf8(value)) std::abort();
    bool repeatable = false;
    for (const auto& o : options) repeatable = repeatable || (o.name == name && o.repeatable);
    if (!repeatable && args.all(name).size() > 1) std::abort();
  }
  return 0;
}
