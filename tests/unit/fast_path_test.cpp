// The record writer and the verifier's fast path (core/src/record_writer.cpp, verify.cpp): a
// record's bytes are their own canonical form, and the fast path gives exactly the verdicts of
// the full schema walk, accepting every valid record and nothing else.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "doui/canonical.hpp"
#include "doui/consent.hpp"
#include "doui/digest.hpp"
#include "doui/verify.hpp"
#include "test_util.hpp"
#include "verify_internal.hpp"

namespace {

using doui::test::at;
using nlohmann::json;

const doui::Policy& policy() {
  return doui::test::bundled_policy();
}

const doui::PolicyRegistry& registry() {
  static const doui::PolicyRegistry r = [] {
    doui::PolicyRegistry reg;
    reg.add(policy());
    return reg;
  }();
  return r;
}

const doui::Instant kNow = at("2030-01-01T00:00:00Z");

// Records across the shapes a record takes: adults and minors, every set of linkages, both
// locales, each event, and guardian names with every character JSON escapes or sorts oddly.
std::vector<std::string> varied_records() {
  // (Control characters are no longer names: check_typed_text refuses them.)
  const char* names[] = {"山田 花子", "O\"Brien \\ 太郎", "\\\"\\\"",
                         "\"q\\/u\"", "😀 絵文字",         "\xe3\x80\x80全角空白\xe3\x80\x80"};
  const char* ids[] = {"ponta", "d-account", "amazon"};
  std::vector<std::string> out;
  for (int i = 0; i < 48; ++i) {
    doui::ConsentInputs in = doui::test::base_inputs();
    in.subject = "u-" + std::to_string(i);
    const bool minor = i % 2 == 1;
    in.birthdate = minor ? "平成22年4月1日" : "1980-02-29";
    in.locale = i % 3 == 0 ? "en" : "ja";
    in.surface = i % 4 == 0 ? "privacy-center" : "signup";
    in.agent = "doui-widget/0.1.0";
    const int event = (i / 8) % 3;  // given, changed, withdrawn
    in.event = event == 0 ? "given" : event == 1 ? "changed" : "withdrawn";
    if (event != 0) in.previous_record = "0b8e2f7c-4f7a-4c1e-9d1a-2b3c4d5e6f70";
    // Withdrawals: some take everything back, some keep the policy and linkages; a minor's is
    // made alone half of the time.
    in.policy_agreed = event != 2 || i % 4 < 2;
    if (in.policy_agreed) {
      for (int b = 0; b < 3; ++b) {
        if ((i >> (b + 1)) & 1) in.linkages.push_back(ids[b]);
      }
    }
    if (minor && !(event == 2 && i % 3 == 0)) {
      in.guardian_name = names[(i / 2) % 6];
      in.guardian_name_kana = i % 5 == 0 ? "ﾔﾏﾀﾞ ﾊﾅｺ" : "";
      in.guardian_relationship = i % 3 == 0 ? "other" : "parent";
      in.guardian_affirmed = true;
      in.guardian_covers = in.linkages;
    }
    auto rec = doui::build_record(policy(), in, at("2025-06-01T09:00:00+09:00"));
    EXPECT_TRUE(rec.ok()) << i << ": " << (rec.ok() ? "" : doui::format_error(rec.error()));
    if (rec.ok()) out.push_back(*rec);
  }
  return out;
}

// What a forger would do: recompute the digest of an altered record, so that only the rules and
// limits can refuse it.
std::string reseal(std::string rec) {
  const std::size_t d = rec.find(R"("digest":")");
  const std::size_t digest_end = rec.find(',', d) + 1;
  const std::string body = rec.substr(0, d) + rec.substr(digest_end);
  rec.replace(d, digest_end - d, "\"digest\":\"" + doui::sha256_hex(body) + "\",");
  return rec;
}

doui::VerifyOptions full_walk() {
  doui::VerifyOptions o;
  o.fast_path = false;
  return o;
}

TEST(RecordBytes, AreTheirOwnCanonicalForm) {
  for (const auto& rec : varied_records()) {
    auto canonical = doui::canonicalize_text(rec);
    ASSERT_TRUE(canonical.ok()) << rec;
    EXPECT_EQ(*canonical, rec);
  }
}

TEST(RecordBytes, DigestIsTheSha256OfTheRecordWithoutIt) {
  for (const auto& rec : varied_records()) {
    json j = json::parse(rec);
    const std::string stated = j["digest"];
    j.erase("digest");
    EXPECT_EQ(doui::sha256_hex(doui::canonicalize(j).value()), stated);
  }
}

TEST(RecordBytes, ChoicesOpenTheRecord) {
  // The verifier's cached prefix relies on it: "choices" sorts before every other member.
  for (const auto& rec : varied_records()) EXPECT_EQ(rec.rfind(R"({"choices":[)", 0), 0u);
}

TEST(FastPath, TakesEveryValidRecordWithTheFullWalksVerdict) {
  for (const auto& rec : varied_records()) {
    auto fast = doui::detail::accept_canonical_record(rec, registry(), kNow, {});
    ASSERT_TRUE(fast.has_value()) << rec;
    EXPECT_TRUE(fast->valid);
    const auto full = doui::verify_record(rec, registry(), kNow, full_walk());
    EXPECT_TRUE(full.valid) << doui::verdict_json(full);
    EXPECT_EQ(doui::verdict_json(*fast), doui::verdict_json(full));
  }
}

TEST(FastPath, AgreesWithTheFullWalkOnEveryMutation) {
  // Every byte changed, dropped or doubled (the choices prefix sampled, the rest exhaustively):
  // the fast path must decline each, and verify_record's verdict must be the full walk's.
  const auto records = varied_records();
  const char replacements[] = {'x', '"', '\\', '0', '}', ' ', '\x01', '\xff', 't'};
  std::size_t tried = 0;
  for (std::size_t r : {std::size_t{1}, std::size_t{6}, std::size_t{23}}) {
    const std::string& rec = records[r];
    const std::size_t tail = rec.find(R"("collection":)");
    for (std::size_t i = 0; i < rec.size(); i += (i < tail ? 61 : 1)) {
      std::vector<std::string> mutants;
      for (char c : replacements) {
        if (rec[i] == c) continue;
        mutants.push_back(rec);
        mutants.back()[i] = c;
      }
      mutants.push_back(rec.substr(0, i) + rec.substr(i + 1));
      mutants.push_back(rec.substr(0, i + 1) + rec.substr(i));
      for (const auto& m : mutants) {
        ++tried;
        EXPECT_FALSE(doui::detail::accept_canonical_record(m, registry(), kNow, {}).has_value())
            << "byte " << i << " of record " << r;
        const auto fast = doui::verify_record(m, registry(), kNow);
        const auto full = doui::verify_record(m, registry(), kNow, full_walk());
        ASSERT_EQ(doui::verdict_json(fast), doui::verdict_json(full)) << "byte " << i;
        EXPECT_FALSE(full.valid) << "byte " << i;
      }
    }
  }
  EXPECT_GT(tried, 10000u);
}

TEST(FastPath, DeclinesWhatTheFullWalkRefuses) {
  doui::ConsentInputs in = doui::test::base_inputs();
  in.subject = "u-1";
  in.birthdate = "2012-05-05";
  in.policy_agreed = true;
  in.guardian_name = std::string(1100, 'x');  // over the verifier's string limit
  in.guardian_relationship = "parent";
  in.guardian_affirmed = true;
  // The engine does not build what verification would refuse…
  auto refused = doui::build_record(policy(), in, at("2025-06-01T00:00:00Z"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(doui::to_string(refused.error().code), "record.too_large");
  EXPECT_EQ(refused.error().path, "/guardian/name");
  // …and a record forged to hold it is refused on both paths.
  in.guardian_name = std::string(1000, 'x');
  auto built = doui::build_record(policy(), in, at("2025-06-01T00:00:00Z"));
  ASSERT_TRUE(built.ok());
  std::string forged = *built;
  forged.replace(forged.find(in.guardian_name), in.guardian_name.size(), std::string(1100, 'x'));
  std::string rec = reseal(forged);
  EXPECT_FALSE(doui::detail::accept_canonical_record(rec, registry(), kNow, {}).has_value());
  EXPECT_EQ(doui::to_string(doui::verify_record(rec, registry(), kNow).errors.at(0).code),
            "record.too_large");

  in.guardian_name = "鈴木 恵";
  built = doui::build_record(policy(), in, at("2025-06-01T00:00:00Z"));
  ASSERT_TRUE(built.ok());
  rec = *built;
  doui::VerifyOptions small;
  small.max_record_bytes = rec.size() - 1;
  EXPECT_FALSE(doui::detail::accept_canonical_record(rec, registry(), kNow, small).has_value());
  EXPECT_FALSE(doui::verify_record(rec, registry(), kNow, small).valid);
  // Made "in the future" of the verifier's clock: refused on both paths alike.
  const auto early = at("2025-05-31T00:00:00Z");
  EXPECT_FALSE(doui::detail::accept_canonical_record(rec, registry(), early, {}).has_value());
  EXPECT_EQ(doui::verdict_json(doui::verify_record(rec, registry(), early)),
            doui::verdict_json(doui::verify_record(rec, registry(), early, full_walk())));
}

TEST(FastPath, RefusesIllFormedUtf8EvenWithAMatchingDigest) {
  // The full walk's parser refuses ill-formed UTF-8; the fast path must too, even when whoever
  // forged the record recomputed its digest.
  std::string rec = varied_records()[0];
  const std::string agent = R"("agent":"doui-widget/0.1.0")";
  rec.replace(rec.find(agent), agent.size(), "\"agent\":\"doui-widget/0.1.\xff\"");
  rec = reseal(rec);
  EXPECT_FALSE(doui::detail::accept_canonical_record(rec, registry(), kNow, {}).has_value());
  const auto v = doui::verify_record(rec, registry(), kNow);
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(doui::to_string(v.errors.at(0).code), "json.invalid_utf8") << doui::verdict_json(v);

  // Nor does the engine write such a record.
  doui::ConsentInputs in = doui::test::base_inputs();
  in.subject = "u-3";
  in.birthdate = "1990-01-01";
  in.policy_agreed = true;
  in.agent = "doui-widget/0.1.\xff";
  auto built = doui::build_record(policy(), in, at("2025-06-01T00:00:00Z"));
  ASSERT_FALSE(built.ok());
  EXPECT_EQ(built.error().path, "/agent");
}

TEST(FastPath, TellsPolicyVersionsWithTheSameChoicesApart) {
  // A newer version with the same disclosures opens its records with the same bytes.
  json newer = json::parse(doui::bundled_policy_json());
  newer["version"] = "2026-01-01";
  newer["effective"]["date"] = "2026-01-01";
  const auto newer_policy = doui::load_policy(newer.dump()).value();
  doui::PolicyRegistry reg;
  reg.add(policy());
  reg.add(newer_policy);
  doui::ConsentInputs in = doui::test::base_inputs();
  in.subject = "u-2";
  in.birthdate = "1990-01-01";
  in.policy_agreed = true;
  in.linkages = {"amazon"};
  const auto old_rec = doui::build_record(policy(), in, at("2025-06-01T00:00:00Z")).value();
  const auto new_rec = doui::build_record(newer_policy, in, at("2026-02-01T00:00:00Z")).value();
  for (const auto& rec : {old_rec, new_rec}) {
    auto fast = doui::detail::accept_canonical_record(rec, reg, kNow, {});
    ASSERT_TRUE(fast.has_value());
    const auto full = doui::verify_record(rec, reg, kNow, full_walk());
    EXPECT_EQ(doui::verdict_json(*fast), doui::verdict_json(full));
  }
  EXPECT_TRUE(doui::verify_record(old_rec, reg, kNow).reconsent_required);
  EXPECT_FALSE(doui::verify_record(new_rec, reg, kNow).reconsent_required);
}

TEST(FastPath, FollowsTheFullWalkWhenTwoPoliciesShareIdAndVersion) {
  // A second policy under the bundled id and version, differing only in its title: the same
  // choices prefix, another policy digest. The full walk checks against the first one added
  // (find()), and so must the fast path.
  json altered = json::parse(doui::bundled_policy_json());
  altered["title"] = "プライバシーポリシー（改）";
  const auto altered_policy = doui::load_policy(altered.dump()).value();
  doui::PolicyRegistry reg;
  reg.add(policy());
  reg.add(altered_policy);
  doui::ConsentInputs in = doui::test::base_inputs();
  in.subject = "u-4";
  in.birthdate = "1990-01-01";
  in.policy_agreed = true;
  in.linkages = {"ponta"};
  const auto rec = doui::build_record(altered_policy, in, at("2025-06-01T00:00:00Z")).value();
  const auto fast = doui::verify_record(rec, reg, kNow);
  EXPECT_FALSE(fast.valid);
  EXPECT_EQ(doui::verdict_json(fast),
            doui::verdict_json(doui::verify_record(rec, reg, kNow, full_walk())));
}

TEST(FastPath, ARecordOnTheNewestVersionWithinTheClockSkewNeedsNoReconsent) {
  // Made at the instant the newer version takes effect, verified by a clock 3 minutes behind
  // (inside the 5-minute allowance): valid, and not superseded by the version it replaces.
  json newer = json::parse(doui::bundled_policy_json());
  newer["version"] = "2026-01-01";
  newer["effective"]["date"] = "2026-01-01";
  const auto newer_policy = doui::load_policy(newer.dump()).value();
  doui::PolicyRegistry reg;
  reg.add(policy());
  reg.add(newer_policy);
  doui::ConsentInputs in = doui::test::base_inputs();
  in.subject = "u-5";
  in.birthdate = "1990-01-01";
  in.policy_agreed = true;
  const auto rec = doui::build_record(newer_policy, in, at("2026-01-01T00:00:00+09:00")).value();
  const auto now = at("2025-12-31T23:57:00+09:00");
  for (const auto& options : {doui::VerifyOptions{}, full_walk()}) {
    const auto v = doui::verify_record(rec, reg, now, options);
    EXPECT_TRUE(v.valid) << doui::verdict_json(v);
    EXPECT_FALSE(v.reconsent_required);
  }
}

TEST(Verdict, IsCanonicalJson) {
  auto v = doui::verify_record(R"({"a\"~/b":1})", registry(), kNow);
  ASSERT_FALSE(v.errors.empty());
  const auto text = doui::verdict_json(v);
  EXPECT_EQ(doui::canonicalize_text(text).value(), text);
  const auto valid = doui::verdict_json(doui::verify_record(varied_records()[0], registry(), kNow));
  EXPECT_EQ(doui::canonicalize_text(valid).value(), valid);
}

}  // namespace
