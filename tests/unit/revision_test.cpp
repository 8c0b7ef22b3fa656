// Versions and their diff (doui/revision.hpp), and the privacy center's revisions pages: the
// test-only second version is the bundled policy with tests/fixtures/policy-next.patch.json
// (RFC 6902) applied, the same fixture the browser and CLI tests use.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "doui/revision.hpp"
#include "doui/site.hpp"
#include "fidelity.hpp"
#include "test_util.hpp"

namespace {

using doui::DiffLine;
using doui::SectionDiff;
using doui::test::bundled_policy;
using nlohmann::json;

std::string next_policy_json() {
  json doc = json::parse(std::string(doui::bundled_policy_json()));
  const json patch =
      json::parse(doui::test::read_source_file("tests/fixtures/policy-next.patch.json"));
  return doc.patch(patch).dump();
}

const doui::Policy& next_policy() {
  static const doui::Policy p = doui::load_policy(next_policy_json()).value();
  return p;
}

const doui::Policy& reference() {
  static const doui::Policy p = doui::load_policy(doui::bundled_reference_policy_json()).value();
  return p;
}

doui::Instant at(const char* text) {
  return doui::parse_instant(text).value();
}

// The sentences a side of the diff reads: the unchanged ones and its own.
std::vector<std::string> side(const SectionDiff& s, DiffLine::Op own) {
  std::vector<std::string> out;
  for (const auto& l : s.lines) {
    if (l.op == DiffLine::Op::Same || l.op == own) out.push_back(l.text);
  }
  return out;
}

TEST(Revision, VersionInEffectTurnsAtMidnightInJapan) {
  const std::vector<const doui::Policy*> both{&next_policy(), &bundled_policy()};
  EXPECT_EQ(doui::policy_in_effect(both, at("2026-03-31T14:59:59Z")), &bundled_policy());
  EXPECT_EQ(doui::policy_in_effect(both, at("2026-03-31T15:00:00Z")), &next_policy());
  // Before any version takes effect, the oldest is the one shown.
  EXPECT_EQ(doui::policy_in_effect(both, at("2020-01-01T00:00:00Z")), &bundled_policy());
  EXPECT_EQ(doui::policy_in_effect({}, at("2026-01-01T00:00:00Z")), nullptr);
}

TEST(Revision, APolicyDiffedWithItselfHasNoChange) {
  const auto d = doui::diff_policies(bundled_policy(), bundled_policy());
  EXPECT_EQ(d.added, 0);
  EXPECT_EQ(d.removed, 0);
  ASSERT_EQ(d.sections.size(), bundled_policy().sections.size() + 1);  // and the preamble
  for (const auto& s : d.sections) EXPECT_EQ(s.change, SectionDiff::Change::Same) << s.id;
}

TEST(Revision, SentencesCoverThePublishedText) {
  // Every sentence of the published policy is one of the diff's sentences (or within one):
  // nothing the diff compares is left out.
  std::string all;
  for (const auto& s : doui::preamble_sentences(bundled_policy())) all += s;
  for (const auto& sec : bundled_policy().sections) {
    for (const auto& s : doui::section_sentences(sec, "ja")) all += s;
  }
  const std::string hay = doui::test::strip_space(all);
  std::size_t pos = 0;
  for (const auto& s : doui::test::published_sentences()) {
    if (s.rfind("#", 0) == 0 || s == "目次") continue;  // markdown headings: titles, contents
    const auto found = hay.find(s, pos);
    if (found == std::string::npos) {
      // The contents repeat the section headings; they must still be somewhere. The lines
      // around the body (effective date, revision summary, back to top) are not compared: the
      // versions list says each version's date.
      const auto& p = bundled_policy();
      const std::set<std::string> outside{
          doui::test::strip_space(p.effective_text),
          doui::test::strip_space(doui::plain_text(p.revision_summary)),
          doui::test::strip_space(doui::plain_text(p.back_to_top))};
      EXPECT_TRUE(hay.find(s) != std::string::npos || outside.count(s)) << s;
      continue;
    }
    pos = found + s.size();
  }
}

TEST(Revision, DiffOfTheTestVersionNamesEachChange) {
  const auto d = doui::diff_policies(bundled_policy(), next_policy());
  EXPECT_EQ(d.added, 2);
  EXPECT_EQ(d.removed, 2);
  std::map<std::string, const SectionDiff*> changed;
  for (const auto& s : d.sections) {
    if (s.change != SectionDiff::Change::Same) changed[s.id] = &s;
  }
  ASSERT_EQ(changed.size(), 2u);
  ASSERT_TRUE(changed.count("s1") && changed.count("s8"));
  EXPECT_EQ(changed["s8"]->number, "8.");
  EXPECT_EQ(changed["s8"]->title, "個人情報提供の任意性");

  std::vector<std::pair<DiffLine::Op, std::string>> edits;
  for (const auto* s : {changed["s1"], changed["s8"]}) {
    for (const auto& l : s->lines) {
      if (l.op != DiffLine::Op::Same) edits.emplace_back(l.op, l.text);
    }
  }
  ASSERT_EQ(edits.size(), 4u);
  EXPECT_EQ(
      edits[0],
      std::make_pair(DiffLine::Op::Removed,
                     std::string("刊行物やインターネット等で公開された個人情報を取得する方法")));
  // A sentence changed in part: the old one removed, then the new one added, in place.
  EXPECT_EQ(edits[1].first, DiffLine::Op::Removed);
  EXPECT_NE(edits[1].second.find("当社サービスを受けられない場合があります。"), std::string::npos);
  EXPECT_EQ(edits[2].first, DiffLine::Op::Added);
  EXPECT_NE(edits[2].second.find("当社サービスの全部または一部を受けられない"), std::string::npos);
  EXPECT_EQ(edits[3].first, DiffLine::Op::Added);
  EXPECT_NE(edits[3].second.find("法定代理人の同意を得たうえで"), std::string::npos);
}

TEST(Revision, EachSideOfTheDiffReadsAsItsVersion) {
  for (const auto& [from, to] : {std::pair{&bundled_policy(), &next_policy()},
                                 std::pair{&next_policy(), &bundled_policy()}}) {
    const auto d = doui::diff_policies(*from, *to);
    std::size_t k = 0;
    for (const auto& s : d.sections) {
      if (s.id.empty()) {
        EXPECT_EQ(side(s, DiffLine::Op::Removed), doui::preamble_sentences(*from));
        EXPECT_EQ(side(s, DiffLine::Op::Added), doui::preamble_sentences(*to));
        continue;
      }
      ASSERT_LT(k, to->sections.size());
      EXPECT_EQ(side(s, DiffLine::Op::Removed), doui::section_sentences(from->sections[k], "ja"));
      EXPECT_EQ(side(s, DiffLine::Op::Added), doui::section_sentences(to->sections[k], "ja"));
      ++k;
    }
    EXPECT_EQ(k, to->sections.size());
  }
}

TEST(Revision, SectionsAddedAndRemovedWhole) {
  json doc = json::parse(std::string(doui::bundled_policy_json()));
  doc["version"] = "x";
  doc["sections"].erase(doc["sections"].begin() + 8);  // s9
  const auto fewer = doui::load_policy(doc.dump()).value();
  const auto d = doui::diff_policies(bundled_policy(), fewer);
  int removed_sections = 0;
  for (const auto& s : d.sections) {
    if (s.change != SectionDiff::Change::Removed) continue;
    ++removed_sections;
    EXPECT_EQ(s.id, "s9");
    EXPECT_EQ(static_cast<int>(s.lines.size()), d.removed);
    for (const auto& l : s.lines) EXPECT_EQ(l.op, DiffLine::Op::Removed);
  }
  EXPECT_EQ(removed_sections, 1);
  const auto back = doui::diff_policies(fewer, bundled_policy());
  EXPECT_EQ(back.added, d.removed);
  EXPECT_EQ(back.removed, 0);
}

std::map<std::string, std::string> site(const doui::Policy& in_effect) {
  doui::SiteInput in;
  in.policy = &in_effect;
  in.versions = {&bundled_policy(), &next_policy()};
  in.reference = &reference();
  std::map<std::string, std::string> out;
  for (auto& f : doui::build_site(in)) out[f.path] = std::move(f.body);
  return out;
}

TEST(RevisionPages, EveryVersionAndEveryComparison) {
  auto files = site(next_policy());
  for (const char* path :
       {"revisions/index.html", "en/revisions/index.html", "revisions/2025-04-01/index.html",
        "revisions/2026-04-01/index.html", "revisions/2025-04-01..2026-04-01/index.html",
        "en/revisions/2025-04-01..2026-04-01/index.html"}) {
    EXPECT_TRUE(files.count(path)) << path;
  }
  // The site's policy is the version in effect, in full.
  EXPECT_NE(files["index.html"].find(next_policy().digest), std::string::npos);
  EXPECT_EQ(doui::test::first_missing_sentence(
                doui::test::html_text(files["revisions/2025-04-01/index.html"])),
            "");
  const std::string& list = files["revisions/index.html"];
  for (const auto* p : {&bundled_policy(), &next_policy()}) {
    EXPECT_NE(list.find("<code class=\"digest\">" + p->digest + "</code>"), std::string::npos);
  }
  EXPECT_NE(list.find("href=\"2025-04-01..2026-04-01/\""), std::string::npos);
  EXPECT_NE(list.find("<td>現行</td>"), std::string::npos);
  EXPECT_NE(list.find("<td>過去の版</td>"), std::string::npos);
  // The old version says it is one, and where the current one is.
  EXPECT_NE(files["revisions/2025-04-01/index.html"].find(
                "これは過去の版です。現在施行されているのは2026-04-01版です。"),
            std::string::npos);
  // The English pages say which version their translation is of.
  EXPECT_NE(files["en/index.html"].find("This translation is of version 2025-04-01"),
            std::string::npos);
}

TEST(RevisionPages, TheDiffMarksAndTheReconsentQuestion) {
  auto files = site(next_policy());
  const std::string& page = files["revisions/2025-04-01..2026-04-01/index.html"];
  EXPECT_NE(page.find("<span class=\"diff-mark\">削除</span> "
                      "<del>刊行物やインターネット等で公開された個人情報を取得する方法</del>"),
            std::string::npos);
  EXPECT_NE(page.find("<span class=\"diff-mark\">追加</span> <ins>ユーザーが15歳以下の場合は"),
            std::string::npos);
  EXPECT_NE(page.find("2025-04-01版に同意した方へ"), std::string::npos);
  EXPECT_NE(page.find("href=\"../../revisions/2026-04-01/#doui-s8\""), std::string::npos);
  // Unchanged sections are not listed; long unchanged runs are counted.
  EXPECT_EQ(page.find("d-s3"), std::string::npos);
  EXPECT_NE(page.find("（変更のない3文）"), std::string::npos);
  // In English: the UI in English, the sentences Japanese and marked so.
  const std::string& en = files["en/revisions/2025-04-01..2026-04-01/index.html"];
  EXPECT_NE(en.find("<span class=\"diff-mark\">Removed</span>"), std::string::npos);
  EXPECT_NE(en.find("<div lang=\"ja\">"), std::string::npos);
  EXPECT_NE(en.find("hreflang=\"ja\""), std::string::npos);
}

TEST(RevisionPages, AnUpcomingVersionIsAnnouncedNotShown) {
  auto files = site(bundled_policy());
  EXPECT_NE(files["index.html"].find(bundled_policy().digest), std::string::npos);
  EXPECT_NE(files["index.html"].find("2026-04-01版が2026-04-01から施行されます。"),
            std::string::npos);
  EXPECT_NE(files["index.html"].find("href=\"revisions/2025-04-01..2026-04-01/\""),
            std::string::npos);
  EXPECT_NE(files["revisions/index.html"].find("<td>施行予定</td>"), std::string::npos);
  // Not yet in effect: nobody is asked to consent again.
  EXPECT_EQ(files["revisions/2025-04-01..2026-04-01/index.html"].find("class=\"reconsent\""),
            std::string::npos);
  EXPECT_EQ(files["en/index.html"].find("This translation is of version"), std::string::npos);
}

TEST(RevisionPages, AVersionNameIsEscapedAndNotAPath) {
  json doc = json::parse(next_policy_json());
  doc["version"] = "<b>../x";
  const auto odd = doui::load_policy(doc.dump()).value();
  doui::SiteInput in;
  in.policy = &bundled_policy();
  in.versions = {&bundled_policy(), &odd};
  std::map<std::string, std::string> files;
  for (auto& f : doui::build_site(in)) files[f.path] = std::move(f.body);
  const std::string slug = "v-" + odd.digest.substr(0, 16);
  EXPECT_TRUE(files.count("revisions/" + slug + "/index.html"));
  EXPECT_TRUE(files.count("revisions/2025-04-01.." + slug + "/index.html"));
  for (const auto& [path, body] : files) {
    EXPECT_EQ(path.find("../"), std::string::npos) << path;
    EXPECT_EQ(path.find("<"), std::string::npos) << path;
    EXPECT_EQ(body.find("<b>"), std::string::npos) << path;
  }
  EXPECT_NE(files["revisions/index.html"].find("&lt;b&gt;../x"), std::string::npos);
}

}  // namespace
