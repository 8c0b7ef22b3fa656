// The privacy center: its pages, rendered natively from the policy data and the catalogs (every
// sentence of the policy through the core, every label from i18n/messages), so that they work
// with JavaScript off. `doui serve` serves them under /privacy/ and `doui site build` writes them
// out for any static host: one function makes both, so they cannot differ.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "doui/policy.hpp"

namespace doui {

struct SiteInput {
  const Policy* policy = nullptr;     ///< the governing policy (Japanese); required
  Links links;                        ///< its link targets' URLs
  const Policy* reference = nullptr;  ///< an English reference translation; null: no English pages
  Links reference_links;
};

struct SiteFile {
  std::string path;  ///< relative to the site's root: "index.html", "en/recipients/index.html"
  std::string type;  ///< its media type
  std::string body;
};

/// Every file of the site. Pages link to each other and to their stylesheet by relative URLs, so
/// the site works wherever it is mounted. Pages: the policy (index.html) and who receives what
/// (recipients/index.html), in Japanese, and under en/ in English (the reference translation,
/// marked on every page as one, with a link to the Japanese text that governs); privacy.css.
std::vector<SiteFile> build_site(const SiteInput& input);

/// The English reference translation bundled with the site: i18n/policy/en/policy.json at build
/// time, minified (same content, so the same digest). Its structure is the Japanese policy's.
std::string_view bundled_reference_policy_json();

}  // namespace doui
