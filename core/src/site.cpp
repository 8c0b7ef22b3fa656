#include "doui/site.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include <nlohmann/json.hpp>

#include "doui/age.hpp"
#include "doui/disclosure.hpp"
#include "doui/flow.hpp"
#include "doui/messages.hpp"
#include "doui/render.hpp"

namespace doui {

/// web/privacy/privacy.css and web/privacy/search.mjs, compiled in (cmake/Embed.cmake).
std::string_view privacy_css();
std::string_view privacy_search_js();
std::string_view privacy_consents_js();

namespace {

enum class Nav { Policy, Recipients, Revisions, Consents };

struct NavItem {
  Nav id;
  std::string_view path;  // relative to a language's root: "", "recipients/"
  SiteKey label;
};
constexpr NavItem kNav[] = {{Nav::Policy, "", SiteKey::NavPolicy},
                            {Nav::Recipients, "recipients/", SiteKey::NavRecipients},
                            {Nav::Revisions, "revisions/", SiteKey::NavRevisions},
                            {Nav::Consents, "consents/", SiteKey::NavConsents}};

std::string esc(std::string_view s) {
  return html_escape(s);
}

std::string other_lang(std::string_view lang) {
  return lang == "ja" ? "en" : "ja";
}

// A page of the site in `lang` ("ja" or "en") at `path` (relative to the language's root, "" or
// ending in "/"). `counterpart` is the same page's path in the other language; without one, the
// language switch leads to the other language's page of the same part of the site.
class Page {
 public:
  Page(std::string_view lang, std::string path, Nav part, bool has_english,
       std::optional<std::string> counterpart = std::nullopt)
      : lang_(lang),
        path_(std::move(path)),
        part_(part),
        has_english_(has_english),
        counterpart_(std::move(counterpart)) {
    const auto depth = (lang_ == "en" ? 1 : 0) + std::count(path_.begin(), path_.end(), '/');
    for (long i = 0; i < depth; ++i) root_ += "../";
  }

  const std::string& lang() const { return lang_; }
  std::string t(UiKey k, const MessageArgs& a = {}) const { return ui_text(lang_, k, a); }
  std::string t(SiteKey k, const MessageArgs& a = {}) const { return ui_text(lang_, k, a); }
  // The URL of the page at `path` in `lang`, relative to this page.
  std::string url(std::string_view lang, std::string_view path) const {
    // Below this page: the shortest relative URL ("2025-04-01..2026-04-01/").
    if (lang == lang_ && !path_.empty() && path.starts_with(path_)) {
      return path.size() == path_.size() ? "./" : std::string(path.substr(path_.size()));
    }
    std::string h = root_;
    if (lang == "en") h += "en/";
    h += path;
    return h.empty() ? "./" : h;
  }
  // A notice under the header (the English pages' reference notice), already HTML.
  void set_notice(std::string html) { notice_ = std::move(html); }
  // A module script of the site's (root-relative name), loaded by this page.
  void set_script(std::string name) { script_ = std::move(name); }
  // Whether the site has the consents page (the nav links it only then).
  void set_consents(bool on) { consents_ = on; }

  std::string wrap(std::string_view title, const std::string& main) const {
    const std::string other = other_lang(lang_);
    const std::string switch_href =
        counterpart_ ? url(other, *counterpart_) : url(other, kNav[static_cast<int>(part_)].path);
    std::string o;
    o.reserve(main.size() + 4096);
    o += "<!DOCTYPE html>\n<html lang=\"" + esc(lang_) + "\">\n<head>\n<meta charset=\"utf-8\">\n";
    o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    o += "<title>" + esc(title) + " | " + esc(t(SiteKey::Name)) + "</title>\n";
    o += "<link rel=\"stylesheet\" href=\"" + esc(root_) + "privacy.css\">\n";
    // No icon of its own: without this the browser asks for /favicon.ico on every page (404).
    o += "<link rel=\"icon\" href=\"data:,\">\n";
    if (!script_.empty()) {
      o += "<script type=\"module\" src=\"" + esc(root_ + script_) + "\"></script>\n";
    }
    if (has_english_ && counterpart_) {
      o +=
          "<link rel=\"alternate\" hreflang=\"" + other + "\" href=\"" + esc(switch_href) + "\">\n";
    }
    o += "</head>\n<body>\n<a class=\"skip-link\" href=\"#main\">" + esc(t(SiteKey::Skip)) +
         "</a>\n";
    o += "<header class=\"site-header\">\n<div class=\"site-header-inner\">\n";
    o += "<p class=\"site-name\"><a href=\"" + esc(url(lang_, "")) + "\">" + esc(t(SiteKey::Name)) +
         "</a></p>\n";
    o += "<nav class=\"site-nav\" aria-label=\"" + esc(t(SiteKey::Nav)) + "\"><ul>\n";
    for (const auto& n : kNav) {
      if (n.id == Nav::Consents && !consents_) continue;
      o += "<li><a href=\"" + esc(url(lang_, n.path)) + "\"";
      // "page" on the page itself; "true" on the part of the site a deeper page belongs to.
      if (n.path == path_) {
        o += " aria-current=\"page\"";
      } else if (n.id == part_) {
        o += " aria-current=\"true\"";
      }
      o += ">" + esc(t(n.label)) + "</a></li>\n";
    }
    o += "</ul></nav>\n";
    if (has_english_) {
      // The switch is named in the language it leads to, and says so (lang, hreflang).
      o += "<p class=\"site-lang\"><a href=\"" + esc(switch_href) + "\" hreflang=\"" + other +
           "\" lang=\"" + other + "\">" + esc(t(SiteKey::LangSwitch)) + "</a></p>\n";
    }
    o += "</div>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n";
    o += notice_;
    o += main;
    o += "</main>\n</body>\n</html>\n";
    return o;
  }

 private:
  std::string lang_;
  std::string path_;
  Nav part_;
  bool has_english_;
  std::optional<std::string> counterpart_;
  std::string root_;
  std::string notice_;
  std::string script_;
  bool consents_ = false;
};

// The site's versions of the governing policy, oldest first, with what each page needs.
struct Version {
  const Policy* policy;
  std::string slug;  // its path segment
  enum class Status { Past, Current, Upcoming } status;
  Links links;
};

std::string slug_of(const Policy& p) {
  const bool plain = !p.version.empty() && p.version.front() != '.' &&
                     std::all_of(p.version.begin(), p.version.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                     });
  return plain ? p.version : "v-" + p.digest.substr(0, 16);
}

std::string version_path(const Version& v) {
  return "revisions/" + v.slug + "/";
}
std::string diff_path(const Version& from, const Version& to) {
  return "revisions/" + from.slug + ".." + to.slug + "/";
}

std::vector<Version> versions_of(const SiteInput& in) {
  std::vector<const Policy*> list = in.versions;
  if (std::find(list.begin(), list.end(), in.policy) == list.end()) list.push_back(in.policy);
  std::sort(list.begin(), list.end(), [](const Policy* a, const Policy* b) {
    return std::tie(a->effective_date, a->version) < std::tie(b->effective_date, b->version);
  });
  std::vector<Version> out;
  for (const Policy* p : list) {
    Version v{p, slug_of(*p), Version::Status::Current, {}};
    if (p != in.policy) {
      v.status = std::tie(p->effective_date, p->version) <
                         std::tie(in.policy->effective_date, in.policy->version)
                     ? Version::Status::Past
                     : Version::Status::Upcoming;
    }
    // Each version links the targets it declares.
    for (const auto& target : p->links) {
      if (auto it = in.links.find(target.name); it != in.links.end()) v.links.insert(*it);
    }
    out.push_back(std::move(v));
  }
  return out;
}

// The in-page search's form: hidden until search.mjs has the browser module running, so that
// without JavaScript nothing is offered that would not work. Its texts are the page's; the
// script fills in the numbers.
std::string search_form(const Page& pg) {
  std::string o = "<form class=\"policy-search\" role=\"search\" hidden data-found=\"" +
                  esc(pg.t(SiteKey::SearchFound)) + "\" data-none=\"" +
                  esc(pg.t(SiteKey::SearchNone)) + "\">\n";
  o += "<label for=\"policy-search-q\">" + esc(pg.t(SiteKey::SearchLabel)) + "</label>\n";
  o += "<div class=\"policy-search-row\"><input id=\"policy-search-q\" type=\"search\" "
       "autocomplete=\"off\" enterkeyhint=\"search\" aria-describedby=\"policy-search-hint\">";
  o += "<button type=\"button\" data-step=\"-1\">" + esc(pg.t(SiteKey::SearchPrev)) +
       "</button><button type=\"button\" data-step=\"1\">" + esc(pg.t(SiteKey::SearchNext)) +
       "</button></div>\n";
  o += "<p id=\"policy-search-hint\" class=\"policy-search-hint\">" +
       esc(pg.t(SiteKey::SearchHint)) + "</p>\n";
  o += "<p class=\"policy-search-status\" role=\"status\"></p>\n</form>\n";
  return o;
}

std::string policy_page(const Page& pg, const Policy& policy, const Links& links,
                        const std::string& before) {
  HtmlOptions opt;
  opt.fragment = true;
  opt.self_link_label = pg.t(SiteKey::PolicySelfLink);
  opt.meta = {{pg.t(UiKey::PolicyVersion), policy.version},
              {pg.t(UiKey::PolicyEffectiveDate), policy.effective_date},
              {pg.t(SiteKey::PolicyDigest), policy.digest}};
  std::string main = before + render_html(policy, links, opt);
  main += "<p class=\"digest-explain\">" + esc(pg.t(SiteKey::PolicyDigestExplain)) + "</p>\n";
  return pg.wrap(policy.title, main);
}

std::string recipients_page(const Page& pg, const Policy& policy) {
  const auto disclosures = derive_disclosures(policy);
  const std::string title = pg.t(SiteKey::NavRecipients);
  std::string main = "<h1>" + esc(title) + "</h1>\n<p class=\"lead\">" +
                     esc(pg.t(SiteKey::RecipientsIntro)) + "</p>\n";
  // The diagram scrolls sideways on narrow screens rather than shrinking its text away; the
  // table after it says the same in text.
  main += "<div class=\"flow-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"" +
          esc(pg.t(SiteKey::DiagramTitle)) + "\">\n" + flow_svg(policy, disclosures, pg.lang()) +
          "</div>\n";
  main += "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"" +
          esc(pg.t(SiteKey::TableCaption)) + "\">\n" +
          flow_table_html(policy, disclosures, pg.lang(), pg.url(pg.lang(), "")) + "</div>\n";
  return pg.wrap(title, main);
}

// A link to a Japanese-only page from a page in `pg`'s language.
std::string ja_link(const Page& pg, const std::string& path, const std::string& fragment,
                    const std::string& text) {
  std::string a = "<a href=\"" + esc(pg.url("ja", path) + fragment) + "\"";
  if (pg.lang() != "ja") a += " hreflang=\"ja\"";
  return a + ">" + esc(text) + "</a>";
}

SiteKey status_key(Version::Status s) {
  switch (s) {
    case Version::Status::Past:
      return SiteKey::StatusPast;
    case Version::Status::Upcoming:
      return SiteKey::StatusUpcoming;
    case Version::Status::Current:
      break;
  }
  return SiteKey::StatusCurrent;
}

std::string revisions_page(const Page& pg, const std::vector<Version>& versions) {
  const std::string title = pg.t(SiteKey::NavRevisions);
  std::string main = "<h1>" + esc(title) + "</h1>\n<p class=\"lead\">" +
                     esc(pg.t(SiteKey::RevisionsIntro)) + "</p>\n";
  main += "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"" +
          esc(pg.t(SiteKey::RevisionsTable)) + "\">\n<table class=\"versions\">\n<caption>" +
          esc(pg.t(SiteKey::RevisionsTable)) + "</caption>\n<thead><tr><th scope=\"col\">" +
          esc(pg.t(SiteKey::ColVersion)) + "</th><th scope=\"col\">" +
          esc(pg.t(SiteKey::ColEffective)) + "</th><th scope=\"col\">" +
          esc(pg.t(SiteKey::PolicyDigest)) + "</th><th scope=\"col\">" +
          esc(pg.t(SiteKey::ColStatus)) + "</th></tr></thead>\n<tbody>\n";
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    const Policy& p = *it->policy;
    main += "<tr class=\"status-" +
            std::string(it->status == Version::Status::Current ? "current"
                        : it->status == Version::Status::Past  ? "past"
                                                               : "upcoming") +
            "\"><th scope=\"row\">" + ja_link(pg, version_path(*it), "", p.version) +
            "</th><td><time datetime=\"" + esc(p.effective_date) + "\">" + esc(p.effective_date) +
            "</time></td><td><code class=\"digest\">" + esc(p.digest) + "</code></td><td>" +
            esc(pg.t(status_key(it->status))) + "</td></tr>\n";
  }
  main += "</tbody>\n</table>\n</div>\n";
  if (pg.lang() != "ja") main += "<p>" + esc(pg.t(SiteKey::VersionJapaneseOnly)) + "</p>\n";
  main += "<h2 id=\"compare\">" + esc(pg.t(SiteKey::RevisionsCompare)) + "</h2>\n";
  if (versions.size() < 2) {
    main += "<p>" + esc(pg.t(SiteKey::RevisionsOnlyOne)) + "</p>\n";
  } else {
    // Every two versions, the newest comparisons first.
    main += "<ul class=\"compare\">\n";
    for (std::size_t j = versions.size(); j-- > 1;) {
      for (std::size_t i = j; i-- > 0;) {
        main += "<li><a href=\"" + esc(pg.url(pg.lang(), diff_path(versions[i], versions[j]))) +
                "\">" +
                esc(pg.t(SiteKey::RevisionsCompareLink, {{"from", versions[i].policy->version},
                                                         {"to", versions[j].policy->version}})) +
                "</a></li>\n";
      }
    }
    main += "</ul>\n";
  }
  main += "<h2 id=\"reconsent\">" + esc(pg.t(SiteKey::RevisionsReconsentTitle)) + "</h2>\n<p>" +
          esc(pg.t(SiteKey::RevisionsReconsent)) + "</p>\n";
  return pg.wrap(title, main);
}

// A version's full text, in its own language (Japanese: the governing text).
std::string version_page(const Page& pg, const Version& v, const Version& current) {
  std::string notice;
  if (v.status != Version::Status::Current) {
    const std::string text =
        v.status == Version::Status::Past
            ? pg.t(SiteKey::VersionPast, {{"version", current.policy->version}})
            : pg.t(SiteKey::VersionUpcoming, {{"date", v.policy->effective_date}});
    notice = "<p class=\"version-notice\">" + esc(text) + " <a href=\"" + esc(pg.url("ja", "")) +
             "\">" + esc(pg.t(SiteKey::VersionReadCurrent)) + "</a></p>\n";
  }
  return policy_page(pg, *v.policy, v.links, notice);
}

std::string section_anchor(const SectionDiff& s) {
  return "d-" + (s.id.empty() ? std::string("preamble") : s.id);
}

std::string diff_lines(const Page& pg, const std::vector<DiffLine>& lines, bool has_heading) {
  // Unchanged sentences next to a change are shown for context; longer runs of them are
  // counted instead, so a long section's one change does not drown. An unchanged heading is
  // the <h2> above the list already.
  std::vector<bool> shown(lines.size(), false);
  const std::size_t first = has_heading && !lines.empty() && lines[0].op == DiffLine::Op::Same;
  for (std::size_t i = first; i < lines.size(); ++i) {
    if (lines[i].op == DiffLine::Op::Same) continue;
    shown[i] = true;
    if (i > first) shown[i - 1] = true;
    if (i + 1 < lines.size()) shown[i + 1] = true;
  }
  std::string o = "<ol class=\"diff\">\n";
  for (std::size_t i = first; i < lines.size();) {
    if (!shown[i]) {
      std::size_t j = i;
      while (j < lines.size() && !shown[j]) ++j;
      o += "<li class=\"diff-skip\">" +
           esc(pg.t(SiteKey::DiffUnchanged, {{"count", std::to_string(j - i)}})) + "</li>\n";
      i = j;
      continue;
    }
    const DiffLine& l = lines[i++];
    switch (l.op) {
      case DiffLine::Op::Same:
        o += "<li class=\"diff-same\">" + esc(l.text) + "</li>\n";
        break;
      case DiffLine::Op::Added:
        o += "<li class=\"diff-add\"><span class=\"diff-mark\">" + esc(pg.t(SiteKey::DiffAdded)) +
             "</span> <ins>" + esc(l.text) + "</ins></li>\n";
        break;
      case DiffLine::Op::Removed:
        o += "<li class=\"diff-del\"><span class=\"diff-mark\">" + esc(pg.t(SiteKey::DiffRemoved)) +
             "</span> <del>" + esc(l.text) + "</del></li>\n";
        break;
    }
  }
  return o + "</ol>\n";
}

std::string diff_page(const Page& pg, const Version& from, const Version& to) {
  const PolicyDiff diff = diff_policies(*from.policy, *to.policy);
  const Policy& a = *from.policy;
  const Policy& b = *to.policy;
  const std::string title = pg.t(SiteKey::DiffTitle, {{"from", a.version}, {"to", b.version}});
  int changed = 0;
  for (const auto& s : diff.sections) changed += s.change != SectionDiff::Change::Same ? 1 : 0;

  std::string main = "<h1>" + esc(title) + "</h1>\n";
  main += "<dl class=\"doui-meta diff-versions\">\n";
  for (const Version* v : {&from, &to}) {
    main += "<div><dt>" + ja_link(pg, version_path(*v), "", v->policy->version) + "</dt><dd>" +
            esc(pg.t(SiteKey::ColEffective)) + " <time datetime=\"" +
            esc(v->policy->effective_date) + "\">" + esc(v->policy->effective_date) + "</time> · " +
            esc(pg.t(SiteKey::PolicyDigest)) + " <code class=\"digest\">" + esc(v->policy->digest) +
            "</code></dd></div>\n";
  }
  main += "</dl>\n";
  if (changed == 0) {
    main += "<p class=\"lead\">" + esc(pg.t(SiteKey::DiffNone)) + "</p>\n";
    return pg.wrap(title, main);
  }
  main += "<p class=\"lead\">" +
          esc(pg.t(SiteKey::DiffSummary, {{"sections", std::to_string(changed)},
                                          {"added", std::to_string(diff.added)},
                                          {"removed", std::to_string(diff.removed)}})) +
          "</p>\n<p class=\"diff-legend\">" + esc(pg.t(SiteKey::DiffLegend)) + "</p>\n";
  if (to.status == Version::Status::Current) {
    // What a person whose record names the older version meets: the verifier says
    // reconsent_required for it, and this page is what they are shown.
    main += "<section class=\"reconsent\" aria-labelledby=\"reconsent\">\n<h2 id=\"reconsent\">" +
            esc(pg.t(SiteKey::DiffReconsentTitle, {{"from", a.version}})) + "</h2>\n<p>" +
            esc(pg.t(SiteKey::DiffReconsent,
                     {{"from", a.version}, {"to", b.version}, {"date", b.effective_date}})) +
            "</p>\n</section>\n";
  }
  const bool foreign = pg.lang() != b.lang;
  for (const auto& s : diff.sections) {
    if (s.change == SectionDiff::Change::Same) continue;
    const std::string id = section_anchor(s);
    SiteKey badge = SiteKey::DiffSectionChanged;
    if (s.change == SectionDiff::Change::Added) badge = SiteKey::DiffSectionAdded;
    if (s.change == SectionDiff::Change::Removed) badge = SiteKey::DiffSectionRemoved;
    std::string heading = s.id.empty() ? pg.t(SiteKey::DiffPreamble) : s.number + " " + s.title;
    main += "<section class=\"diff-section\" aria-labelledby=\"" + id + "\">\n<h2 id=\"" + id +
            "\"><span";
    if (foreign && !s.id.empty()) main += " lang=\"" + esc(b.lang) + "\"";
    main += ">" + esc(heading) + "</span> <span class=\"diff-badge\">" + esc(pg.t(badge)) +
            "</span></h2>\n";
    // The sentences are the governing text's, whatever the page's language.
    main += "<div" + (foreign ? " lang=\"" + esc(b.lang) + "\"" : std::string()) + ">\n" +
            diff_lines(pg, s.lines, !s.id.empty()) + "</div>\n";
    const Version& in = s.change == SectionDiff::Change::Removed ? from : to;
    const std::string fragment = s.id.empty() ? "" : "#doui-" + s.id;
    main += "<p class=\"diff-read\">" +
            ja_link(pg, version_path(in), fragment,
                    pg.t(SiteKey::DiffReadSection, {{"version", in.policy->version}})) +
            "</p>\n</section>\n";
  }
  return pg.wrap(title, main);
}

// JSON as the text of a <script type="application/json">: nothing in it can close the element
// or open markup ("<" and ">" and "&" as \u escapes, which JSON reads back as they were).
std::string json_island(const std::string& json_text) {
  std::string o;
  o.reserve(json_text.size());
  for (char c : json_text) {
    if (c == '<') {
      o += "\\u003c";
    } else if (c == '>') {
      o += "\\u003e";
    } else if (c == '&') {
      o += "\\u0026";
    } else {
      o += c;
    }
  }
  return o;
}

// "My consents": a person's own records, read from the API with their access token. The page is
// the texts and the structure; consents.mjs fills in what the API says and builds withdrawals
// with the browser module (the core decides what a withdrawal states: the server's status gives
// its inputs). Every text a script shows is here, from the catalogs, in a JSON data island.
// With `server_forms` its forms post to the page, and doui serve answers them with `view` written
// in (JavaScript off); the script, when it runs, takes the forms over.
std::string consents_page(const Page& pg, const Policy& policy, const SiteInput& in,
                          const ConsentsView* view) {
  const std::string title = pg.t(SiteKey::NavConsents);
  const bool forms = in.server_forms;
  std::vector<std::pair<std::string, std::string>> linkages;  // id, name
  for (const auto& d : derive_disclosures(policy)) {
    if (d.optional_linkage) linkages.emplace_back(d.id, linkage_name(pg.lang(), d));
  }
  auto name_of = [&](const std::string& id) {
    if (id.empty()) return pg.t(SiteKey::ConsentsStatePolicy);
    for (const auto& [lid, name] : linkages) {
      if (lid == id) return name;
    }
    return id;
  };
  // Who is asking, carried on by each form of a page the server answered.
  std::string carried;
  if (view != nullptr) {
    carried = "<input type=\"hidden\" name=\"subject\" value=\"" + esc(view->subject) +
              "\"><input type=\"hidden\" name=\"token\" value=\"" + esc(view->token) + "\">";
  }
  const std::string post = forms ? " method=\"post\" action=\"./\"" : "";
  const bool shown = view != nullptr && view->shown;

  std::string main = "<h1>" + esc(title) + "</h1>\n<p class=\"lead\">" +
                     esc(pg.t(SiteKey::ConsentsIntro)) + "</p>\n";
  if (!forms) {
    main += "<noscript><p class=\"notice\">" + esc(pg.t(SiteKey::ConsentsNoscript)) +
            "</p></noscript>\n";
  }
  main += "<div class=\"consents\" data-api=\"" + esc(in.api_origin) + "\" data-agent=\"" +
          esc("doui-privacy-center/" DOUI_VERSION) + "\" data-locale=\"" + esc(pg.lang()) + "\"" +
          (forms ? "" : " hidden") + ">\n";
  // The sign-in form: the token is a password (never put in the URL by the form, never stored).
  main += "<form class=\"consents-sign-in\" aria-labelledby=\"consents-sign-in\"" + post +
          ">\n<h2 id=\"consents-sign-in\">" + esc(pg.t(SiteKey::ConsentsSignIn)) + "</h2>\n";
  main += "<p class=\"field\"><label for=\"consents-subject\">" +
          esc(pg.t(SiteKey::ConsentsSubject)) +
          "</label><input id=\"consents-subject\" name=\"subject\" autocomplete=\"username\" "
          "spellcheck=\"false\" autocapitalize=\"off\" required" +
          (view != nullptr ? " value=\"" + esc(view->subject) + "\"" : std::string()) + "></p>\n";
  main += "<p class=\"field\"><label for=\"consents-token\">" + esc(pg.t(SiteKey::ConsentsToken)) +
          "</label><input id=\"consents-token\" name=\"token\" type=\"password\" "
          "autocomplete=\"current-password\" spellcheck=\"false\" "
          "aria-describedby=\"consents-token-hint\" required></p>\n";
  main += "<p id=\"consents-token-hint\" class=\"hint\">" + esc(pg.t(SiteKey::ConsentsTokenHint)) +
          "</p>\n<p><button type=\"submit\">" + esc(pg.t(SiteKey::ConsentsShow)) +
          "</button></p>\n</form>\n";
  std::string note;
  if (view != nullptr) {
    switch (view->note) {
      case ConsentsView::Note::Refused:
        note = pg.t(SiteKey::ConsentsRefused);
        break;
      case ConsentsView::Note::Failed:
        note = pg.t(SiteKey::ConsentsFailed);
        break;
      case ConsentsView::Note::Done:
        note = pg.t(SiteKey::ConsentsDone);
        break;
      case ConsentsView::Note::None:
        break;
    }
  }
  main += "<p class=\"consents-message\" role=\"status\" tabindex=\"-1\">" + esc(note) + "</p>\n";
  // Without JavaScript the confirmation is a step of its own, before anything is sent.
  if (view != nullptr && view->confirming) {
    const std::string what = name_of(view->confirm);
    main +=
        "<section class=\"consents-confirm-step\" aria-labelledby=\"consents-confirm-step\">\n"
        "<h2 id=\"consents-confirm-step\">" +
        esc(pg.t(SiteKey::ConsentsConfirmTitle, {{"what", what}})) + "</h2>\n<p>" +
        esc(pg.t(view->confirm.empty() ? SiteKey::ConsentsConfirmAll
                                       : SiteKey::ConsentsConfirmLinkage)) +
        "</p>\n<form" + post + " class=\"consents-confirm-buttons\">" + carried +
        "<button type=\"submit\">" + esc(pg.t(SiteKey::ConsentsCancel)) +
        "</button> <button type=\"submit\" name=\"withdraw\" value=\"" + esc(view->confirm) +
        "\" class=\"consents-confirm-yes\">" + esc(pg.t(SiteKey::ConsentsConfirm)) +
        "</button><input type=\"hidden\" name=\"confirm\" value=\"1\"></form>\n</section>\n";
  }
  // Where consent stands: the policy, then each optional linkage, each with its withdrawal.
  main += "<section class=\"consents-state\" aria-labelledby=\"consents-state\"" +
          std::string(shown ? "" : " hidden") + ">\n<h2 id=\"consents-state\">" +
          esc(pg.t(SiteKey::ConsentsState)) + "</h2>\n";
  if (forms) main += "<form" + post + ">" + carried + "\n";
  main += "<ul class=\"consents-list\">\n";
  auto item = [&](const std::string& key, const std::string& name, SiteKey withdraw) {
    std::string value;
    bool can = false;
    if (shown) {
      bool on = view->policy_agreed;
      if (!key.empty()) {
        on = false;
        for (const auto& [id, chosen] : view->linkages) on = on || (id == key && chosen);
      }
      value = key.empty() ? pg.t(on ? SiteKey::ConsentsAgreed : SiteKey::ConsentsNotAgreed)
                          : pg.t(on ? SiteKey::ConsentsLinked : SiteKey::ConsentsNotLinked);
      can = std::find(view->withdrawable.begin(), view->withdrawable.end(), key) !=
            view->withdrawable.end();
    }
    return "<li data-consent=\"" + esc(key) + "\"><span class=\"consents-name\">" + esc(name) +
           "</span> <span class=\"consents-value\">" + esc(value) + "</span> <button type=\"" +
           (forms ? "submit\" name=\"withdraw\" value=\"" + esc(key) : std::string("button")) +
           "\" class=\"consents-withdraw\"" + (can ? "" : " hidden") + ">" +
           esc(pg.t(withdraw, {{"what", name}})) + "</button></li>\n";
  };
  main += item("", pg.t(SiteKey::ConsentsStatePolicy), SiteKey::ConsentsWithdrawAll);
  for (const auto& [id, name] : linkages) main += item(id, name, SiteKey::ConsentsWithdraw);
  main += "</ul>\n";
  if (forms) main += "</form>\n";
  main += "</section>\n";
  // The history, newest first, each receipt checked in the browser.
  main += "<section class=\"consents-history\" aria-labelledby=\"consents-history\"" +
          std::string(shown ? "" : " hidden") + ">\n<h2 id=\"consents-history\">" +
          esc(pg.t(SiteKey::ConsentsHistory)) +
          "</h2>\n<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" "
          "aria-labelledby=\"consents-history\">\n<table class=\"history\">\n<thead><tr>";
  for (SiteKey k : {SiteKey::ConsentsColWhen, SiteKey::ConsentsColEvent,
                    SiteKey::ConsentsColChoices, SiteKey::ConsentsColReceipt}) {
    main += "<th scope=\"col\">" + esc(pg.t(k)) + "</th>";
  }
  main += "</tr></thead>\n<tbody>";
  if (shown) {
    const std::string sep = pg.lang() == "ja" ? "、" : ", ";
    for (const auto& row : view->history) {
      // The time in Japan, as the page's script shows it: 2026-12-02 17:28.
      std::string when = row.consented_at;
      if (auto t = parse_instant(row.consented_at)) {
        const std::int64_t s = t->unix_ms / 1000 + 9 * 3600;
        const std::int64_t day = ((s % 86400) + 86400) % 86400;
        char hm[8];
        std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(day / 3600),
                      static_cast<int>(day / 60 % 60));
        when = format_date(tokyo_date(*t)) + " " + hm;
      }
      std::string chosen;
      if (row.policy_agreed) chosen = pg.t(SiteKey::ConsentsStatePolicy);
      for (const auto& id : row.chosen) chosen += (chosen.empty() ? "" : sep) + name_of(id);
      if (chosen.empty()) chosen = pg.t(SiteKey::ConsentsNothing);
      const SiteKey event = row.event == "withdrawn" ? SiteKey::ConsentsEventWithdrawn
                            : row.event == "changed" ? SiteKey::ConsentsEventChanged
                                                     : SiteKey::ConsentsEventGiven;
      main += "\n<tr><th scope=\"row\"><time datetime=\"" + esc(row.consented_at) + "\">" +
              esc(when) + "</time></th><td>" + esc(pg.t(event)) + "</td><td>" + esc(chosen) +
              "</td><td class=\"receipt\">" + esc(pg.t(SiteKey::ConsentsReceiptScript)) +
              "</td></tr>";
    }
  }
  main +=
      "</tbody>\n</table>\n</div>\n<p>" + esc(pg.t(SiteKey::ConsentsDownloadExplain)) + "</p>\n";
  main += forms ? "<form" + post + ">" + carried +
                      "<p><button type=\"submit\" name=\"download\" value=\"1\" "
                      "class=\"consents-download\">" +
                      esc(pg.t(SiteKey::ConsentsDownload)) + "</button></p></form>\n"
                : "<p><button type=\"button\" class=\"consents-download\">" +
                      esc(pg.t(SiteKey::ConsentsDownload)) + "</button></p>\n";
  main += "</section>\n";
  main +=
      "<dialog class=\"consents-confirm\" aria-labelledby=\"consents-confirm-title\" "
      "aria-describedby=\"consents-confirm-text\">\n<h2 id=\"consents-confirm-title\"></h2>\n"
      "<p id=\"consents-confirm-text\"></p>\n<form method=\"dialog\" "
      "class=\"consents-confirm-buttons\"><button value=\"cancel\">" +
      esc(pg.t(SiteKey::ConsentsCancel)) + "</button> <button value=\"confirm\">" +
      esc(pg.t(SiteKey::ConsentsConfirm)) + "</button></form>\n</dialog>\n</div>\n";
  // What the script says, as data (not code: the CSP runs no inline script).
  nlohmann::json texts = nlohmann::json::object();
  const std::pair<const char*, SiteKey> keys[] = {
      {"loading", SiteKey::ConsentsLoading},
      {"refused", SiteKey::ConsentsRefused},
      {"failed", SiteKey::ConsentsFailed},
      {"agreed", SiteKey::ConsentsAgreed},
      {"not_agreed", SiteKey::ConsentsNotAgreed},
      {"linked", SiteKey::ConsentsLinked},
      {"not_linked", SiteKey::ConsentsNotLinked},
      {"confirm_title", SiteKey::ConsentsConfirmTitle},
      {"confirm_linkage", SiteKey::ConsentsConfirmLinkage},
      {"confirm_all", SiteKey::ConsentsConfirmAll},
      {"done", SiteKey::ConsentsDone},
      {"moved_on", SiteKey::ConsentsMovedOn},
      {"given", SiteKey::ConsentsEventGiven},
      {"changed", SiteKey::ConsentsEventChanged},
      {"withdrawn", SiteKey::ConsentsEventWithdrawn},
      {"nothing", SiteKey::ConsentsNothing},
      {"policy", SiteKey::ConsentsStatePolicy},
      {"receipt_valid", SiteKey::ConsentsReceiptValid},
      {"receipt_invalid", SiteKey::ConsentsReceiptInvalid},
      {"receipt_checking", SiteKey::ConsentsReceiptChecking},
  };
  for (const auto& [name, key] : keys) texts[name] = pg.t(key);
  texts["linkages"] = nlohmann::json::object();
  for (const auto& [id, name] : linkages) texts["linkages"][id] = name;
  main += "<script type=\"application/json\" id=\"consents-texts\">" + json_island(texts.dump()) +
          "</script>\n";
  return pg.wrap(title, main);
}

// A page of the site: its nav, and on the English pages the reference notice.
Page site_page(const SiteInput& in, const std::string& lang, std::string path, Nav part,
               std::optional<std::string> counterpart) {
  Page pg(lang, std::move(path), part, in.reference != nullptr, std::move(counterpart));
  pg.set_consents(in.consents);
  if (lang == "en") {
    std::string notice = "<p class=\"reference-notice\">" + esc(pg.t(SiteKey::ReferenceNotice));
    if (in.reference->version != in.policy->version) {
      notice += " " + esc(pg.t(SiteKey::ReferenceOutdated, {{"version", in.reference->version},
                                                            {"current", in.policy->version}}));
    }
    notice += " <a href=\"" + esc(pg.url("ja", "")) + "\" hreflang=\"ja\">" +
              esc(pg.t(SiteKey::ReferenceGoverning)) + "</a></p>\n";
    pg.set_notice(std::move(notice));
  }
  return pg;
}

}  // namespace

std::string consents_page(const SiteInput& in, std::string_view lang, const ConsentsView& view) {
  const std::string l = lang == "en" && in.reference != nullptr ? "en" : "ja";
  Page pg = site_page(in, l, "consents/", Nav::Consents, "consents/");
  pg.set_script("consents.mjs");
  return consents_page(pg, l == "en" ? *in.reference : *in.policy, in, &view);
}

std::vector<SiteFile> build_site(const SiteInput& in) {
  std::vector<SiteFile> files;
  if (in.policy == nullptr) return files;
  const bool english = in.reference != nullptr;
  const std::vector<Version> versions = versions_of(in);
  const Version& current = *std::find_if(versions.begin(), versions.end(), [](const Version& v) {
    return v.status == Version::Status::Current;
  });
  auto add = [&files](const std::string& lang, const std::string& path, std::string body) {
    files.push_back({(lang == "en" ? "en/" : "") + path + "index.html", "text/html; charset=utf-8",
                     std::move(body)});
  };

  for (const std::string lang : {"ja", "en"}) {
    if (lang == "en" && !english) continue;
    const Policy& policy = lang == "en" ? *in.reference : *in.policy;
    const Links& links = lang == "en" ? in.reference_links : in.links;
    auto page = [&](std::string path, Nav part, std::optional<std::string> counterpart) {
      return site_page(in, lang, std::move(path), part, std::move(counterpart));
    };

    // The policy page says when a newer version is coming, and what it changes.
    std::string upcoming;
    for (const auto& v : versions) {
      if (v.status != Version::Status::Upcoming) continue;
      Page pg = page("", Nav::Policy, "");
      upcoming += "<p class=\"version-notice\">" +
                  esc(pg.t(SiteKey::PolicyUpcoming,
                           {{"version", v.policy->version}, {"date", v.policy->effective_date}})) +
                  " <a href=\"" + esc(pg.url(lang, diff_path(current, v))) + "\">" +
                  esc(pg.t(SiteKey::DiffTitle,
                           {{"from", current.policy->version}, {"to", v.policy->version}})) +
                  "</a></p>\n";
    }
    {
      Page pg = page("", Nav::Policy, "");
      if (in.search) pg.set_script("search.mjs");
      add(lang, "",
          policy_page(pg, policy, links, upcoming + (in.search ? search_form(pg) : std::string())));
    }
    add(lang, "recipients/",
        recipients_page(page("recipients/", Nav::Recipients, "recipients/"), policy));
    add(lang, "revisions/",
        revisions_page(page("revisions/", Nav::Revisions, "revisions/"), versions));
    for (std::size_t j = 1; j < versions.size(); ++j) {
      for (std::size_t i = 0; i < j; ++i) {
        const std::string path = diff_path(versions[i], versions[j]);
        add(lang, path, diff_page(page(path, Nav::Revisions, path), versions[i], versions[j]));
      }
    }
    if (in.consents) {
      Page pg = page("consents/", Nav::Consents, std::string("consents/"));
      pg.set_script("consents.mjs");
      add(lang, "consents/", consents_page(pg, policy, in, nullptr));
    }
    // Each version's full text: the governing Japanese only.
    if (lang == "ja") {
      for (const auto& v : versions) {
        const std::string path = version_path(v);
        add(lang, path, version_page(page(path, Nav::Revisions, std::nullopt), v, current));
      }
    }
  }
  files.push_back({"privacy.css", "text/css; charset=utf-8", std::string(privacy_css())});
  if (in.search) {
    files.push_back(
        {"search.mjs", "text/javascript; charset=utf-8", std::string(privacy_search_js())});
  }
  if (in.consents) {
    files.push_back(
        {"consents.mjs", "text/javascript; charset=utf-8", std::string(privacy_consents_js())});
    // The policy in effect, which the consents page builds its withdrawals against (as the
    // server does for its own forms): the browser module's bundled policy may be an older
    // version. Its canonical form: the same digest as its source.
    files.push_back({"policy.json", "application/json", in.policy->canonical_json});
  }
  return files;
}

}  // namespace doui
