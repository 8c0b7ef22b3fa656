#include "args.hpp"

#include <algorithm>

namespace doui::cli {

bool Args::has(const std::string& flag) const {
  return std::find(switches.begin(), switches.end(), flag) != switches.end() || values.count(flag);
}

std::optional<std::string> Args::value(const std::string& flag) const {
  auto it = values.find(flag);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

Args parse(int argc, char** argv, int first, const std::vector<std::string>& with_value,
           const std::vector<std::string>& switches) {
  Args a;
  auto in = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  bool only_positional = false;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (only_positional || arg == "-" || arg.rfind("--", 0) != 0) {
      a.positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positional = true;
      continue;
    }
    std::string name = arg, val;
    bool inline_value = false;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      val = arg.substr(eq + 1);
      inline_value = true;
    }
    if (in(with_value, name)) {
      if (!inline_value) {
        if (i + 1 >= argc) {
          a.error = name + " needs a value";
          return a;
        }
        val = argv[++i];
      }
      a.values[name].push_back(val);
    } else if (in(switches, name) && !inline_value) {
      a.switches.push_back(name);
    } else {
      a.error = "unknown option " + name;
      return a;
    }
  }
  return a;
}

}  // namespace doui::cli
