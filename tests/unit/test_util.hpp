#pragma once

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "doui/age.hpp"
#include "doui/consent.hpp"
#include "doui/policy.hpp"

namespace doui::test {

/// The bundled policy, loaded once.
inline const Policy& bundled_policy() {
  static const Policy p = load_policy(bundled_policy_json()).value();
  return p;
}

/// An instant the test writes as RFC 3339.
inline Instant at(const std::string& rfc3339) {
  return parse_instant(rfc3339).value();
}

inline std::string read_source_file(const std::string& relative) {
  std::ifstream f(std::string(DOUI_SOURCE_DIR) + "/" + relative, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

/// Inputs as a front end gives them before the person types anything: where and by what.
inline ConsentInputs base_inputs() {
  ConsentInputs in;
  in.surface = "signup";
  in.agent = "doui-test/1";
  return in;
}

/// Each error as "code path", to compare a list of them at once.
inline std::vector<std::string> errors_of(const std::vector<Error>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(std::string(to_string(e.code)) + " " + e.path);
  return out;
}

}  // namespace doui::test
