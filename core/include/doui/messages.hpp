// Localised messages (i18n/messages/<locale>.json) with named placeholders ({age}, {where}).
// One small formatter for both targets: ICU MessageFormat would add ~650 KB gzip to the browser.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "doui/codes.hpp"

namespace doui {

using MessageArgs = std::vector<std::pair<std::string, std::string>>;

/// The message for `code` in `locale` (ja or en; anything else falls back to ja), with each
/// {name} replaced by its argument. An unknown placeholder is left as written.
std::string message(std::string_view locale, Code code, const MessageArgs& args = {});

/// A UI string by key (e.g. "label.birthdate"), same rules.
std::string ui_text(std::string_view locale, std::string_view key, const MessageArgs& args = {});

}  // namespace doui
