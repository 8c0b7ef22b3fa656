#include "doui/result.hpp"

namespace doui {

std::string format_error(const Error& e) {
  std::string s(to_string(e.code));
  s += " at ";
  s += e.path.empty() ? "/" : e.path;
  if (!e.detail.empty()) {
    s += ": ";
    s += e.detail;
  }
  return s;
}

}  // namespace doui
