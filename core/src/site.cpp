#include "doui/site.hpp"

#include "doui/disclosure.hpp"
#include "doui/flow.hpp"
#include "doui/messages.hpp"
#include "doui/render.hpp"

namespace doui {

/// web/privacy/privacy.css, compiled in (cmake/Embed.cmake).
std::string_view privacy_css();

namespace {

enum class PageId { Policy, Recipients };

struct PageSpec {
  PageId id;
  std::string_view dir;  // "" or "recipients/"
  SiteKey nav;
};
constexpr PageSpec kPages[] = {{PageId::Policy, "", SiteKey::NavPolicy},
                               {PageId::Recipients, "recipients/", SiteKey::NavRecipients}};

std::string esc(std::string_view s) {
  return html_escape(s);
}

// A page of the site in `lang` ("ja" or "en"); `root` is the relative URL of the site's root.
class Page {
 public:
  Page(std::string_view lang, const PageSpec& spec, bool has_english)
      : lang_(lang), spec_(spec), has_english_(has_english) {
    const int depth = (lang_ == "en" ? 1 : 0) + (spec_.dir.empty() ? 0 : 1);
    for (int i = 0; i < depth; ++i) root_ += "../";
    if (root_.empty()) root_ = "./";
  }

  std::string t(UiKey k) const { return ui_text(lang_, k); }
  std::string t(SiteKey k) const { return ui_text(lang_, k); }
  const std::string& root() const { return root_; }
  // The URL of `page` in `lang`, relative to this page.
  std::string href(const PageSpec& page, std::string_view lang) const {
    std::string h = root_ == "./" ? "" : root_;
    if (lang == "en") h += "en/";
    h += page.dir;
    return h.empty() ? "./" : h;
  }

  std::string wrap(std::string_view title, const std::string& main) const {
    const std::string other = lang_ == "ja" ? "en" : "ja";
    std::string o;
    o.reserve(main.size() + 4096);
    o += "<!DOCTYPE html>\n<html lang=\"" + esc(lang_) + "\">\n<head>\n<meta charset=\"utf-8\">\n";
    o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    o += "<title>" + esc(title) + " | " + esc(t(SiteKey::Name)) + "</title>\n";
    o += "<link rel=\"stylesheet\" href=\"" + esc(root_) + "privacy.css\">\n";
    if (has_english_) {
      o += "<link rel=\"alternate\" hreflang=\"" + other + "\" href=\"" + esc(href(spec_, other)) +
           "\">\n";
    }
    o += "</head>\n<body>\n<a class=\"skip-link\" href=\"#main\">" + esc(t(SiteKey::Skip)) +
         "</a>\n";
    o += "<header class=\"site-header\">\n<div class=\"site-header-inner\">\n";
    o += "<p class=\"site-name\"><a href=\"" + esc(href(kPages[0], lang_)) + "\">" +
         esc(t(SiteKey::Name)) + "</a></p>\n";
    o += "<nav class=\"site-nav\" aria-label=\"" + esc(t(SiteKey::Nav)) + "\"><ul>\n";
    for (const auto& p : kPages) {
      o += "<li><a href=\"" + esc(href(p, lang_)) + "\"";
      if (p.id == spec_.id) o += " aria-current=\"page\"";
      o += ">" + esc(t(p.nav)) + "</a></li>\n";
    }
    o += "</ul></nav>\n";
    if (has_english_) {
      // The switch is named in the language it leads to, and says so (lang, hreflang).
      o += "<p class=\"site-lang\"><a href=\"" + esc(href(spec_, other)) + "\" hreflang=\"" +
           other + "\" lang=\"" + other + "\">" + esc(t(SiteKey::LangSwitch)) + "</a></p>\n";
    }
    o += "</div>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n";
    if (lang_ == "en") {
      o += "<p class=\"reference-notice\">" + esc(t(SiteKey::ReferenceNotice)) + " <a href=\"" +
           esc(href(spec_, "ja")) + "\" hreflang=\"ja\">" + esc(t(SiteKey::ReferenceGoverning)) +
           "</a></p>\n";
    }
    o += main;
    o += "</main>\n</body>\n</html>\n";
    return o;
  }

 private:
  std::string lang_;
  const PageSpec& spec_;
  bool has_english_;
  std::string root_;
};

std::string policy_page(const Page& pg, std::string_view lang, const Policy& policy,
                        const Links& links) {
  HtmlOptions opt;
  opt.fragment = true;
  opt.self_link_label = pg.t(SiteKey::PolicySelfLink);
  opt.meta = {{pg.t(UiKey::PolicyVersion), policy.version},
              {pg.t(UiKey::PolicyEffectiveDate), policy.effective_date},
              {pg.t(SiteKey::PolicyDigest), policy.digest}};
  (void)lang;
  std::string main = render_html(policy, links, opt);
  main += "<p class=\"digest-explain\">" + esc(pg.t(SiteKey::PolicyDigestExplain)) + "</p>\n";
  return pg.wrap(policy.title, main);
}

std::string recipients_page(const Page& pg, std::string_view lang, const Policy& policy) {
  const auto disclosures = derive_disclosures(policy);
  const std::string title = pg.t(SiteKey::NavRecipients);
  std::string main = "<h1>" + esc(title) + "</h1>\n<p class=\"lead\">" +
                     esc(pg.t(SiteKey::RecipientsIntro)) + "</p>\n";
  // The diagram scrolls sideways on narrow screens rather than shrinking its text away; the
  // table after it says the same in text.
  main += "<div class=\"flow-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"" +
          esc(pg.t(SiteKey::DiagramTitle)) + "\">\n" + flow_svg(policy, disclosures, lang) +
          "</div>\n";
  main += "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"" +
          esc(pg.t(SiteKey::TableCaption)) + "\">\n" +
          flow_table_html(policy, disclosures, lang, pg.href(kPages[0], lang)) + "</div>\n";
  return pg.wrap(title, main);
}

}  // namespace

std::vector<SiteFile> build_site(const SiteInput& in) {
  std::vector<SiteFile> files;
  const bool english = in.reference != nullptr;
  for (std::string_view lang : {std::string_view("ja"), std::string_view("en")}) {
    if (lang == "en" && !english) continue;
    const Policy& policy = lang == "en" ? *in.reference : *in.policy;
    const Links& links = lang == "en" ? in.reference_links : in.links;
    const std::string prefix = lang == "en" ? "en/" : "";
    for (const auto& spec : kPages) {
      Page pg(lang, spec, english);
      std::string body = spec.id == PageId::Policy ? policy_page(pg, lang, policy, links)
                                                   : recipients_page(pg, lang, policy);
      files.push_back({prefix + std::string(spec.dir) + "index.html", "text/html; charset=utf-8",
                       std::move(body)});
    }
  }
  files.push_back({"privacy.css", "text/css; charset=utf-8", std::string(privacy_css())});
  return files;
}

}  // namespace doui
