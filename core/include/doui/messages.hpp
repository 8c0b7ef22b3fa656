// Localised messages (i18n/messages/<locale>.json) with named placeholders ({age}, {where}).
// One small formatter for both targets: ICU MessageFormat would add ~650 KB gzip to the browser.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "doui/age.hpp"
#include "doui/codes.hpp"
#include "doui/ui_keys.hpp"

namespace doui {

struct Disclosure;

using MessageArgs = std::vector<std::pair<std::string, std::string>>;

/// The message for `code` in `locale` (ja or en; anything else falls back to ja), with each
/// {name} replaced by its argument. An unknown placeholder is left as written.
std::string message(std::string_view locale, Code code, const MessageArgs& args = {});

/// A UI string by key (e.g. "label.birthdate"), same rules; an unknown key is returned as it is.
std::string ui_text(std::string_view locale, std::string_view key, const MessageArgs& args = {});
std::string ui_text(std::string_view locale, UiKey key, const MessageArgs& args = {});
/// The privacy center's texts ("site.*"), natively only (the browser module's catalogs lack them).
/// An optional linkage's short name in `locale`: the catalogs' "name.<id>" (Ponta, dアカウント),
/// else its recipients' names. What the widget's labels and the privacy center both call it.
std::string linkage_name(std::string_view locale, const Disclosure& linkage);

inline std::string ui_text(std::string_view locale, SiteKey key, const MessageArgs& args = {}) {
  return ui_text(locale, to_string(key), args);
}

/// The catalog of `locale` ("ja" or "en"; anything else: empty) as this build embeds it, minified
/// JSON: {"locale","errors":{code: message},"ui":{key: text}}. Texts keep their {placeholders}.
/// The browser module's catalogs leave out the messages of cli.*, key.* and receipt.* codes.
std::string_view messages_json(std::string_view locale);

/// A date in words, with its Japanese era once there is one (from 1873):
/// "2009年4月1日（平成21年）", "2019年5月1日（令和元年）"; in English "1 April 2009 (Heisei 21)".
/// Templates "birthdate.date" and "birthdate.era" of the catalogs.
std::string date_words(std::string_view locale, Date d);

}  // namespace doui
