// Rendering the policy: HTML (semantic, accessible, every string escaped) and JSON. The text
// rendering, which needs ICU's line breaking, is in doui/text.hpp so the browser module can
// leave it out.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "doui/policy.hpp"

namespace doui {

struct HtmlOptions {
  /// true: an <article> to embed in a page; false: a complete HTML document.
  bool fragment = false;
  /// Prefix of every id attribute, so that an embedded policy cannot collide with the host page.
  std::string id_prefix = "doui-";
  /// Term and value pairs shown under the effective date (a page's version and digest), as a
  /// <dl class="doui-meta">; both escaped.
  std::vector<std::pair<std::string, std::string>> meta;
  /// Non-empty: each section and numbered item heading ends in a visible "#" link to itself (a
  /// deep link a person can copy), named by this text with "{title}" replaced by the heading.
  std::string self_link_label;
};

/// The policy as HTML. Numbering is in the text (not CSS counters) so it survives copy and
/// screen readers; links without a URL in `links` render as plain text.
std::string render_html(const Policy& policy, const Links& links, const HtmlOptions& options = {});

/// Escapes text for HTML element content and double-quoted attribute values.
std::string html_escape(std::string_view text);

}  // namespace doui
