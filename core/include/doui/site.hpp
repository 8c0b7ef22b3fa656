// The privacy center: its pages, rendered natively from the policy data and the catalogs (every
// sentence of the policy through the core, every label from i18n/messages), so that they work
// with JavaScript off. `doui serve` serves them under /privacy/ and `doui site build` writes them
// out for any static host: one function makes both, so they cannot differ.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "doui/policy.hpp"
#include "doui/revision.hpp"

namespace doui {

struct SiteInput {
  const Policy* policy = nullptr;  ///< the governing policy (Japanese) in effect; required
  Links links;                     ///< its link targets' URLs (each version uses those it declares)
  /// Every version of the governing policy, `policy` among them, in any order (revision.hpp's
  /// policy_in_effect() picks `policy`); empty: `policy` is the only one. Older ones are
  /// superseded, newer ones upcoming.
  std::vector<const Policy*> versions;
  const Policy* reference = nullptr;  ///< an English reference translation; null: no English pages
  Links reference_links;
  /// The policy pages get an in-page search (search.mjs, which loads the browser module from
  /// dist/ beside it: the site's host must serve the wasm build's web files there). Without
  /// JavaScript, or without the module, the search stays hidden.
  bool search = false;
  /// The "my consents" page (consents/): a person's history, status and receipts from the API
  /// with their access token, and their withdrawals (consents.mjs, with the browser module and
  /// the receipt module from dist/). Without JavaScript it says that it needs it.
  bool consents = false;
  /// The origin of the API the consents page talks to ("https://consent.example.com"); empty:
  /// the site's own (doui serve serves both).
  std::string api_origin;
  /// The consents page's forms post to the page itself, for a server that answers them
  /// (doui serve: consents_page below), so the page works with JavaScript off too. Off for a
  /// static host, where the page needs JavaScript and says so.
  bool server_forms = false;
};

/// What the consents page shows when the server answers its form itself (JavaScript off):
/// the person's own records, read by the server with the token they typed.
struct ConsentsView {
  std::string subject;  ///< as typed (escaped where written)
  std::string token;    ///< carried on in the page's forms (the page is sent no-store)
  enum class Note { None, Refused, Failed, Done } note = Note::None;
  bool shown = false;  ///< the state and the history follow
  bool policy_agreed = false;
  std::vector<std::pair<std::string, bool>> linkages;  ///< linkage id, chosen now
  std::vector<std::string> withdrawable;  ///< what may be withdrawn: "" everything, or an id
  struct Row {
    std::string consented_at;  ///< RFC 3339
    std::string event;         ///< given | changed | withdrawn
    bool policy_agreed = false;
    std::vector<std::string> chosen;  ///< linkage ids
  };
  std::vector<Row> history;  ///< newest first
  bool confirming = false;   ///< asking to confirm the withdrawal of `confirm`
  std::string confirm;       ///< "" everything, or a linkage id
};

/// The consents page (consents/ in `lang`, "ja" or "en") with `view` written into it: what
/// doui serve answers a post of its form. The same page as build_site's, plus the view.
std::string consents_page(const SiteInput& input, std::string_view lang, const ConsentsView& view);

struct SiteFile {
  std::string path;  ///< relative to the site's root: "index.html", "en/recipients/index.html"
  std::string type;  ///< its media type
  std::string body;
};

/// Every file of the site. Pages link to each other and to their stylesheet by relative URLs, so
/// the site works wherever it is mounted. Pages: the policy (index.html), who receives what
/// (recipients/), the revisions (revisions/: every version, and a diff of every two of them at
/// revisions/<older>..<newer>/), in Japanese, and under en/ in English (the reference
/// translation, marked on every page as one, with a link to the Japanese text that governs);
/// each version's full text in Japanese (revisions/<version>/); privacy.css. A version whose
/// name is not a plain path segment ([A-Za-z0-9._-], not starting with ".") is named by the
/// start of its digest in URLs. With `search`, search.mjs too; with `consents`, the consents
/// page (consents/, en/consents/) and consents.mjs.
std::vector<SiteFile> build_site(const SiteInput& input);

/// The English reference translation bundled with the site: i18n/policy/en/policy.json at build
/// time, minified (same content, so the same digest). Its structure is the Japanese policy's.
std::string_view bundled_reference_policy_json();

}  // namespace doui
