#include "args.hpp"

#include <algorithm>

namespace doui::cli {

bool clean_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n = 0;
    unsigned cp = 0, min = 0;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1, cp = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2, cp = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffd) return false;
    p += n + 1;
  }
  return true;
}

bool Args::has(std::string_view flag) const {
  if (std::find(switches.begin(), switches.end(), flag) != switches.end()) return true;
  return std::any_of(values.begin(), values.end(), [&](const auto& v) { return v.first == flag; });
}

std::optional<std::string> Args::value(std::string_view flag) const {
  for (const auto& [name, val] : values)
    if (name == flag) return val;
  return std::nullopt;
}

std::vector<std::string> Args::all(std::string_view flag) const {
  std::vector<std::string> out;
  for (const auto& [name, val] : values)
    if (name == flag) out.push_back(val);
  return out;
}

Args parse(int argc, char** argv, int first, const std::vector<Option>& options) {
  Args a;
  // Arguments are counted from the command name's (1), as a person reads the command line.
  auto bad_bytes = [&](int i, const std::string& what) {
    a.error = what + " (argument " + std::to_string(i) +
              ") is not valid UTF-8 or holds U+FFFD; give it as UTF-8 text";
  };
  bool only_positional = false;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (only_positional || arg == "-" || arg.rfind("--", 0) != 0) {
      if (!clean_utf8(arg)) {
        bad_bytes(i, "a positional argument");
        return a;
      }
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
    if (!clean_utf8(name)) {
      bad_bytes(i, "an option name");
      return a;
    }
    const Option* opt = nullptr;
    static constexpr Option kHelp{"--help", false, false};
    if (name == kHelp.name) opt = &kHelp;
    for (const auto& o : options)
      if (o.name == name) opt = &o;
    if (opt == nullptr) {
      a.error = "unknown option " + name;
      return a;
    }
    if (!opt->repeatable && a.has(name)) {
      a.error = name + " is given twice; it takes one value";
      if (!opt->takes_value) a.error = name + " is given twice";
      return a;
    }
    if (!opt->takes_value) {
      if (inline_value) {
        a.error = name + " takes no value";
        return a;
      }
      a.switches.push_back(name);
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= argc) {
        a.error = name + " needs a value";
        return a;
      }
      val = argv[++i];
    }
    if (!clean_utf8(val)) {
      bad_bytes(i, "the value of " + name);
      return a;
    }
    a.values.emplace_back(name, val);
  }
  return a;
}

bool is_web_origin(std::string_view s) {
  std::size_t at = s.rfind("https://", 0) == 0 ? 8 : s.rfind("http://", 0) == 0 ? 7 : 0;
  if (at == 0 || at == s.size()) return false;
  for (; at < s.size(); ++at) {
    const char c = s[at];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

}  // namespace doui::cli
