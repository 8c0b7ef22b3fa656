#include "doui/messages.hpp"

#include <array>

#include <nlohmann/json.hpp>

#include "decimal.hpp"
#include "doui/disclosure.hpp"
#include "json_strict.hpp"

namespace doui {

// The catalogs i18n/messages/{ja,en}.json, embedded at build time (cmake/Embed.cmake).
std::string_view bundled_messages_ja();
std::string_view bundled_messages_en();

namespace {

const nlohmann::json& catalog(std::string_view locale) {
  // Parsed once; the files are part of the build and validated by the unit tests. They go through
  // the same strict reader as every document, not nlohmann::json::parse: that would link
  // nlohmann's own lexer and its number parsing into the browser module (~21 KB gzip) for two
  // files the strict reader already reads. A catalog that does not parse yields null, and every
  // lookup falls back to its key.
  auto parse = [](std::string_view text) {
    auto r = detail::parse_strict(text);
    return r ? std::move(r).value() : nlohmann::json();
  };
  static const nlohmann::json ja = parse(bundled_messages_ja());
  static const nlohmann::json en = parse(bundled_messages_en());
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

std::string linkage_name(std::string_view locale, const Disclosure& linkage) {
  const std::string key = "name." + linkage.id;
  std::string name = ui_text(locale, key);
  if (name != key) return name;
  name.clear();
  for (const auto& r : linkage.recipients) name += (name.empty() ? "" : "、") + r.name;
  return name;
}

std::string ui_text(std::string_view locale, UiKey key, const MessageArgs& args) {
  return lookup(locale, "ui", to_string(key), args);
}

std::string_view messages_json(std::string_view locale) {
  if (locale == "ja") return bundled_messages_ja();
  if (locale == "en") return bundled_messages_en();
  return {};
}

std::string date_words(std::string_view locale, Date d) {
  // The catalogs choose the order and the words around the numbers; the month's name in English
  // and the era's name in each language come from here (the era table is age.cpp's).
  static constexpr std::array<std::string_view, 12> kMonths = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  const bool en = locale == "en";
  auto number = [](int n) {
    std::string s;
    detail::append_decimal(s, static_cast<long long>(n));
    return s;
  };
  const bool month_ok = d.month >= 1 && d.month <= 12;
  std::string date = ui_text(
      locale, UiKey::BirthdateDate,
      {{"year", number(d.year)},
       {"month", en && month_ok ? std::string(kMonths[static_cast<std::size_t>(d.month - 1)])
                                : number(d.month)},
       {"day", number(d.day)}});
  const EraYear era = japanese_era(d);
  if (era.year == 0) return date;
  return ui_text(locale, UiKey::BirthdateEra,
                 {{"date", std::move(date)},
                  {"era", en ? era.romaji : era.era},
                  {"era_year", !en && era.year == 1 ? std::string("元") : number(era.year)}});
}

}  // namespace doui
