// The privacy center's pages (doui/site.hpp) and who receives what (doui/flow.hpp): the diagram
// and the table from one model, the English reference held to the Japanese policy's structure,
// every sentence of the policy on its page, and everything from a policy escaped.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "doui/disclosure.hpp"
#include "doui/flow.hpp"
#include "doui/render.hpp"
#include "doui/site.hpp"
#include "fidelity.hpp"
#include "test_util.hpp"

namespace {

using doui::test::bundled_policy;
using nlohmann::json;

const doui::Policy& reference() {
  static const doui::Policy p = doui::load_policy(doui::bundled_reference_policy_json()).value();
  return p;
}

std::map<std::string, std::string> site_files(const doui::SiteInput& in) {
  std::map<std::string, std::string> out;
  for (auto& f : doui::build_site(in)) out[f.path] = std::move(f.body);
  return out;
}

doui::SiteInput both() {
  doui::SiteInput in;
  in.policy = &bundled_policy();
  in.reference = &reference();
  return in;
}

// Text of each <text> element of an SVG (its tspans joined), whitespace removed: wrapped labels
// read back whole.
std::vector<std::string> svg_texts(const std::string& svg) {
  std::vector<std::string> out;
  static const std::regex text_re(R"(<text[^>]*>([\s\S]*?)</text>)");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), text_re);
       it != std::sregex_iterator(); ++it) {
    out.push_back(doui::test::strip_space(doui::test::html_text((*it)[1].str())));
  }
  return out;
}

bool any_contains(const std::vector<std::string>& hay, const std::string& needle) {
  for (const auto& h : hay) {
    if (h.find(needle) != std::string::npos) return true;
  }
  return false;
}

std::string strip(const std::string& s) {
  return doui::test::strip_space(s);
}

// The diagram and the table are two views of one model: every recipient, and every data item,
// of every disclosure is in both (in both languages).
TEST(Flow, DiagramAndTableNameEveryRecipientAndItem) {
  for (const doui::Policy* p : {&bundled_policy(), &reference()}) {
    const auto ds = doui::derive_disclosures(*p);
    ASSERT_EQ(ds.size(), 12u);
    const std::string svg = doui::flow_svg(*p, ds, p->lang);
    const std::string table = doui::flow_table_html(*p, ds, p->lang, "./");
    const auto texts = svg_texts(svg);
    const std::string table_text = strip(doui::test::html_text(table));
    for (const auto& d : ds) {
      SCOPED_TRACE(d.id);
      for (const auto& r : d.recipients) {
        EXPECT_TRUE(any_contains(texts, strip(r.name))) << r.name;
        EXPECT_NE(table_text.find(strip(r.name)), std::string::npos) << r.name;
      }
      for (const auto& item : d.data_items) {
        EXPECT_TRUE(any_contains(texts, strip("・" + item))) << item;
        EXPECT_NE(table_text.find(strip(item)), std::string::npos) << item;
      }
      // One edge and one row per disclosure.
      EXPECT_NE(svg.find("<g class=\"flow-edge\" data-disclosure=\"" + d.id + "\">"),
                std::string::npos);
      EXPECT_NE(table.find("<tr data-disclosure=\"" + d.id + "\">"), std::string::npos);
    }
    // The controller, as the policy's text names it, in the middle.
    const std::string company = doui::controller_name(*p);
    EXPECT_FALSE(company.empty());
    EXPECT_TRUE(any_contains(texts, strip(company)));
  }
}

TEST(Flow, OptionalLinkagesAreDrawnApartAndDashed) {
  const auto& p = bundled_policy();
  const auto ds = doui::derive_disclosures(p);
  const std::string svg = doui::flow_svg(p, ds, "ja");
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("<title id=\"flow-title\">個人情報の流れ</title>"), std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"flow-desc\">株式会社インディードリクルートパートナーズを中心に"),
            std::string::npos);
  const auto frame = svg.find("class=\"flow-optional\"");
  ASSERT_NE(frame, std::string::npos);
  for (const auto& d : ds) {
    const auto at = svg.find("data-disclosure=\"" + d.id + "\"");
    const auto end = svg.find("</g>", at);
    const std::string edge = svg.substr(at, end - at);
    SCOPED_TRACE(d.id);
    // Optional linkages after the frame, every line of theirs dashed; the others before it, solid.
    EXPECT_EQ(at > frame, d.optional_linkage);
    EXPECT_EQ(edge.find("stroke-dasharray") != std::string::npos, d.optional_linkage);
  }
}

TEST(Flow, TableSaysDirectionPlaceAndWhereInThePolicy) {
  const auto& p = bundled_policy();
  const std::string table = doui::flow_table_html(p, doui::derive_disclosures(p), "ja", "../");
  auto row = [&](const std::string& id) {
    const auto at = table.find("<tr data-disclosure=\"" + id + "\">");
    return table.substr(at, table.find("</tr>", at) - at);
  };
  EXPECT_NE(row("participating-organizations-receipt").find("<td>当社が受領</td>"),
            std::string::npos);
  EXPECT_NE(
      row("recruit").find("<td>当社から提供</td><td>ユーザーが当社サービスを利用する場合</td>"),
      std::string::npos);
  EXPECT_NE(row("foreign-outsourcing").find("<td>外国</td>"), std::string::npos);
  EXPECT_NE(row("ponta").find("<td>任意の連携（ご本人が選んだときだけ）</td>"), std::string::npos);
  EXPECT_NE(row("research-institutions").find("<td>加工してから提供</td>"), std::string::npos);
  EXPECT_NE(row("ponta").find("href=\"../#doui-s3-5\""), std::string::npos);
  EXPECT_NE(row("ponta").find(">3. (5)</a>"), std::string::npos);
  EXPECT_NE(row("participating-organizations-receipt").find(">4.</a>"), std::string::npos);
  EXPECT_NE(row("foreign-succession").find("href=\"../#doui-s6\""), std::string::npos);
}

// What a policy says is text wherever the site shows it: markup in a recipient's name, a title
// or an item stays text in the diagram, the table and the pages.
TEST(Flow, EveryTextFromThePolicyIsEscaped) {
  json doc = json::parse(doui::bundled_policy_json());
  const std::string hostile = "<script>alert(\"x\")</script>&'";
  std::function<void(json&)> walk = [&](json& j) {
    if (j.is_object()) {
      if (j.contains("disclosure")) j["disclosure"]["recipients"][0]["name"] = hostile;
      if (j.contains("title") && j["title"].is_array()) j["title"][0] = hostile + " title";
      for (auto& [k, v] : j.items()) walk(v);
    } else if (j.is_array()) {
      for (auto& v : j) walk(v);
    }
  };
  walk(doc);
  doc["title"] = hostile;
  auto p = doui::load_policy(doc.dump());
  ASSERT_TRUE(p.ok());
  doui::SiteInput in;
  in.policy = &*p;
  for (const auto& [path, body] : site_files(in)) {
    SCOPED_TRACE(path);
    EXPECT_EQ(body.find("<script"), std::string::npos);
    EXPECT_EQ(body.find("\"x\")"), std::string::npos);
    // Every page that shows the policy's text (the revisions list shows only its versions).
    if (path.ends_with(".html") && path != "revisions/index.html") {
      EXPECT_NE(body.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"),
                std::string::npos);
    }
  }
}

TEST(Site, PagesAndTheirLinks) {
  const auto files = site_files(both());
  std::vector<std::string> paths;
  for (const auto& [path, body] : files) paths.push_back(path);
  EXPECT_EQ(paths, (std::vector<std::string>{
                       "en/index.html", "en/recipients/index.html", "en/revisions/index.html",
                       "index.html", "privacy.css", "recipients/index.html",
                       "revisions/2025-04-01/index.html", "revisions/index.html"}));
  for (const auto& [path, body] : files) {
    if (!path.ends_with(".html")) continue;
    SCOPED_TRACE(path);
    const bool en = path.starts_with("en/");
    EXPECT_NE(body.find(en ? "<html lang=\"en\">" : "<html lang=\"ja\">"), std::string::npos);
    // A strict CSP holds: no script, no inline style, no event handler attribute.
    EXPECT_EQ(body.find("<script"), std::string::npos);
    EXPECT_EQ(body.find("<style"), std::string::npos);
    EXPECT_EQ(body.find(" style="), std::string::npos);
    EXPECT_FALSE(std::regex_search(body, std::regex(R"( on[a-z]+=)")));
    // Relative links only: the site works wherever it is mounted.
    std::string depth;
    for (auto n = std::count(path.begin(), path.end(), '/'); n > 0; --n) depth += "../";
    EXPECT_NE(body.find("<link rel=\"stylesheet\" href=\"" + depth + "privacy.css\">"),
              std::string::npos);
    // English pages say, before anything else in main, that the Japanese text governs.
    EXPECT_EQ(body.find("この文章は参考訳です") != std::string::npos, false);
    EXPECT_EQ(body.find("This English text is a reference translation.") != std::string::npos, en);
    EXPECT_NE(body.find("<a class=\"skip-link\" href=\"#main\">"), std::string::npos);
  }
  const std::string& ja = files.at("index.html");
  EXPECT_NE(ja.find("aria-current=\"page\">プライバシーポリシー</a>"), std::string::npos);
  EXPECT_NE(ja.find("<a href=\"recipients/\">誰が何を受け取るか</a>"), std::string::npos);
  EXPECT_NE(ja.find("<a href=\"en/\" hreflang=\"en\" lang=\"en\""), std::string::npos);
  EXPECT_NE(
      files.at("en/recipients/index.html").find("<a href=\"../../recipients/\" hreflang=\"ja\""),
      std::string::npos);
}

// The consents page: in the nav only when the site has it; every text the script shows is in
// the page (from the catalogs) as data, never as code; the API origin escaped into its place.
TEST(Site, ConsentsPageHoldsItsTextsAsData) {
  auto in = both();
  in.consents = true;
  in.api_origin = "https://consent.example.com";
  const auto files = site_files(in);
  ASSERT_EQ(files.count("consents/index.html"), 1u);
  ASSERT_EQ(files.count("en/consents/index.html"), 1u);
  ASSERT_EQ(files.count("consents.mjs"), 1u);
  const std::string& ja = files.at("consents/index.html");
  EXPECT_NE(ja.find("aria-current=\"page\">あなたの同意</a>"), std::string::npos);
  EXPECT_NE(files.at("index.html").find("<a href=\"consents/\">あなたの同意</a>"),
            std::string::npos);
  EXPECT_EQ(site_files(both()).at("index.html").find("consents/"), std::string::npos);
  EXPECT_NE(ja.find("<script type=\"module\" src=\"../consents.mjs\"></script>"),
            std::string::npos);
  EXPECT_NE(ja.find("data-api=\"https://consent.example.com\""), std::string::npos);
  EXPECT_NE(ja.find("<input id=\"consents-token\" name=\"token\" type=\"password\""),
            std::string::npos);
  // One withdraw button per optional linkage, named with it, and one for everything.
  EXPECT_NE(ja.find(">Pontaの同意を撤回する</button>"), std::string::npos);
  EXPECT_NE(ja.find(">すべての同意を撤回する</button>"), std::string::npos);
  // The texts: a JSON island, whole, nothing in it that could close it.
  const auto island = [](const std::string& html) {
    const std::string open = "<script type=\"application/json\" id=\"consents-texts\">";
    const auto from = html.find(open) + open.size();
    return html.substr(from, html.find("</script>", from) - from);
  };
  EXPECT_EQ(island(ja).find('<'), std::string::npos);
  const json texts = json::parse(island(ja));
  EXPECT_EQ(texts["refused"], "利用者IDまたはアクセストークンが正しくありません。");
  EXPECT_EQ(texts["linkages"],
            json({{"ponta", "Ponta"}, {"d-account", "dアカウント"}, {"amazon", "Amazon"}}));
  const json en = json::parse(island(files.at("en/consents/index.html")));
  EXPECT_EQ(en["withdrawn"], "Withdrawn");
  // An origin with markup in it (the CLI refuses one; the page escapes it all the same).
  in.api_origin = "https://x\"><b>";
  EXPECT_NE(
      site_files(in).at("consents/index.html").find("data-api=\"https://x&quot;&gt;&lt;b&gt;\""),
      std::string::npos);
}

// The consents page as doui serve answers its form (JavaScript off): the forms post to the page,
// what the person typed comes back escaped, their state and history are written in.
TEST(Site, ConsentsPageAnsweredByTheServer) {
  auto in = both();
  in.consents = true;
  in.server_forms = true;
  EXPECT_NE(site_files(in)
                .at("consents/index.html")
                .find("<form class=\"consents-sign-in\" "
                      "aria-labelledby=\"consents-sign-in\" "
                      "method=\"post\" action=\"./\">"),
            std::string::npos);
  doui::ConsentsView view;
  view.subject = "u-1\"><i>";
  view.token = "t<&>";
  view.shown = true;
  view.policy_agreed = true;
  view.linkages = {{"ponta", true}, {"d-account", false}, {"amazon", false}};
  view.withdrawable = {"", "ponta"};
  view.history = {{"2025-06-01T01:00:00.000Z", "given", true, {"ponta"}}};
  const std::string html = doui::consents_page(in, "ja", view);
  EXPECT_EQ(html.find("<i>"), std::string::npos);
  EXPECT_NE(html.find("value=\"u-1&quot;&gt;&lt;i&gt;\""), std::string::npos);
  EXPECT_NE(html.find("name=\"token\" value=\"t&lt;&amp;&gt;\""), std::string::npos);
  EXPECT_NE(
      html.find("<span class=\"consents-value\">連携しています</span> <button type=\"submit\" "
                "name=\"withdraw\" value=\"ponta\" class=\"consents-withdraw\">"),
      std::string::npos);
  EXPECT_NE(html.find("value=\"amazon\" class=\"consents-withdraw\" hidden>"), std::string::npos);
  // The time in Japan; what was consented to, by name.
  EXPECT_NE(html.find("<time datetime=\"2025-06-01T01:00:00.000Z\">2025-06-01 10:00</time></th>"
                      "<td>同意</td><td>プライバシーポリシーへの同意、Ponta</td>"),
            std::string::npos);
  view.confirming = true;
  view.confirm = "ponta";
  EXPECT_NE(doui::consents_page(in, "en", view).find(">Withdraw your consent to Ponta?</h2>"),
            std::string::npos);
}

// The policy page: every sentence of the published policy in order, its version, effective date
// and digest, and a deep link to every section and item.
TEST(Site, PolicyPageIsTheWholePolicyWithDeepLinks) {
  const auto files = site_files(both());
  const std::string& ja = files.at("index.html");
  EXPECT_EQ(doui::test::first_missing_sentence(doui::test::html_text(ja)), "");
  const auto& p = bundled_policy();
  EXPECT_NE(ja.find("<dd>" + p.digest + "</dd>"), std::string::npos);
  EXPECT_NE(ja.find("<dt>施行日</dt><dd>2025-04-01</dd>"), std::string::npos);
  std::size_t items = 0;
  std::function<void(const std::vector<doui::Block>&)> walk = [&](const auto& blocks) {
    for (const auto& b : blocks) {
      if (b.type == doui::Block::Type::Item) {
        ++items;
        EXPECT_NE(ja.find("<a class=\"doui-self\" href=\"#doui-" + b.id + "\""), std::string::npos)
            << b.id;
      }
      walk(b.blocks);
    }
  };
  for (const auto& s : p.sections) {
    EXPECT_NE(ja.find("<a class=\"doui-self\" href=\"#doui-" + s.id + "\" aria-label=\"" +
                      s.number + " " + s.title + "へのリンク\">#</a>"),
              std::string::npos)
        << s.id;
    walk(s.blocks);
  }
  EXPECT_EQ(items, 19u);  // every item of the policy
  const std::string& en = files.at("en/index.html");
  EXPECT_NE(en.find("<dd>" + reference().digest + "</dd>"), std::string::npos);
  EXPECT_NE(reference().digest, p.digest);
  EXPECT_NE(en.find("aria-label=\"Link to 1. Collection of personal information\""),
            std::string::npos);
}

// The English reference translation has the Japanese policy's structure: the same sections,
// items, groups, lists and entries, ids and cross-references, link targets and disclosures;
// only its words differ.
TEST(Site, ReferenceTranslationHasThePolicysStructure) {
  const json ja = json::parse(doui::bundled_policy_json());
  const json en = json::parse(doui::bundled_reference_policy_json());
  // Text a translation changes: plain strings in inlines, and these fields.
  static const std::set<std::string, std::less<>> words = {
      "title", "text", "heading", "term", "description", "toc_title", "name"};
  // The first difference found, as a JSON pointer and what differs; empty when none.
  std::function<std::string(const json&, const json&, const std::string&)> diff =
      [&](const json& a, const json& b, const std::string& at) -> std::string {
    if (a.type() != b.type()) return at + ": types differ";
    if (a.is_object()) {
      std::vector<std::string> ka, kb;
      for (const auto& [k, v] : a.items()) ka.push_back(k);
      for (const auto& [k, v] : b.items()) kb.push_back(k);
      if (ka != kb) return at + ": keys differ";
      for (const auto& [k, v] : a.items()) {
        if (k == "lang" || (words.count(k) != 0 && v.is_string())) continue;
        if (auto d = diff(v, b[k], at + "/" + k); !d.empty()) return d;
      }
    } else if (a.is_array()) {
      if (a.size() != b.size()) return at + ": lengths differ";
      for (std::size_t i = 0; i < a.size(); ++i) {
        // A plain string in an array is text: an inline run or a list's entry.
        if (a[i].is_string()) continue;
        if (auto d = diff(a[i], b[i], at + "/" + std::to_string(i)); !d.empty()) return d;
      }
    } else if (a != b) {
      return at + ": values differ";
    }
    return {};
  };
  EXPECT_EQ(diff(ja, en, ""), "");
  EXPECT_EQ(en["lang"], "en");
  EXPECT_EQ(ja["id"], en["id"]);
  EXPECT_EQ(ja["version"], en["version"]);
  // The checker must be able to fail: a dropped paragraph, a renamed id, a changed ref are found.
  json dropped = en;
  dropped["sections"][0]["blocks"].erase(0);
  EXPECT_EQ(diff(ja, dropped, ""), "/sections/0/blocks: lengths differ");
  json renamed = en;
  renamed["sections"][2]["id"] = "s99";
  EXPECT_EQ(diff(ja, renamed, ""), "/sections/2/id: values differ");
  // And the derived model agrees: the same disclosures, in the same order, of the same kinds.
  const auto dj = doui::derive_disclosures(bundled_policy());
  const auto de = doui::derive_disclosures(reference());
  ASSERT_EQ(dj.size(), de.size());
  for (std::size_t i = 0; i < dj.size(); ++i) {
    EXPECT_EQ(dj[i].id, de[i].id);
    EXPECT_EQ(dj[i].kind, de[i].kind);
    EXPECT_EQ(dj[i].source, de[i].source);
    EXPECT_EQ(dj[i].optional_linkage, de[i].optional_linkage);
    EXPECT_EQ(dj[i].deidentified, de[i].deidentified);
    EXPECT_EQ(dj[i].recipients.size(), de[i].recipients.size());
    EXPECT_EQ(dj[i].purposes.size(), de[i].purposes.size());
    EXPECT_EQ(dj[i].data_items.size(), de[i].data_items.size());
  }
  EXPECT_EQ(doui::controller_name(reference()), "Indeed Recruit Partners Co., Ltd.");
}

}  // namespace
