#include "doui/messages.hpp"

#include <nlohmann/json.hpp>

namespace doui {

// The catalogs i18n/messages/{ja,en}.json, embedded at build time (cmake/Embed.cmake).
std::string_view bundled_messages_ja();
std::string_view bundled_messages_en();

namespace {

const nlohmann::json& catalog(std::string_view locale) {
  // Parsed once; the files are part of the build and validated by the unit tests.
  static const nlohmann::json ja = nlohmann::json::parse(bundled_messages_ja(), nullptr, false);
  static const nlohmann::json en = nlohmann::json::parse(bundled_messages_en(), nullptr, false);
  return locale == "en" ? en : ja;
}

std::string fill(std::string text, const MessageArgs& args) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '{') {
      auto close = text.find('}', i);
      if (close != std::string::npos) {
        std::string_view name(text.data() + i + 1, close - i - 1);
        bool replaced = false;
        for (const auto& [k, v] : args) {
          if (k == name) {
            out += v;
            replaced = true;
            break;
          }
        }
        if (replaced) {
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

std::string lookup(std::string_view locale, const char* table, std::string_view key,
                   const MessageArgs& args) {
  const auto& cat = catalog(locale);
  if (cat.is_object() && cat.contains(table)) {
    const auto& t = cat[table];
    auto it = t.find(std::string(key));
    if (it != t.end() && it->is_string()) return fill(it->get<std::string>(), args);
  }
  return std::string(key);
}

}  // namespace

std::string message(std::string_view locale, Code code, const MessageArgs& args) {
  return lookup(locale, "errors", to_string(code), args);
}

std::string ui_text(std::string_view locale, std::string_view key, const MessageArgs& args) {
  return lookup(locale, "ui", key, args);
}

}  // namespace doui
