#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "doui/canonical.hpp"
#include "doui/digest.hpp"
#include "test_util.hpp"

namespace {

using nlohmann::json;

json fixtures() {
  return json::parse(doui::test::read_source_file("tests/fixtures/jcs.json"), nullptr, false);
}

std::string from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

TEST(Canonical, SharedFixturesProduceTheRfc8785Bytes) {
  json f = fixtures();
  ASSERT_FALSE(f.is_discarded());
  ASSERT_GE(f["canonical"].size(), 20u);
  for (const auto& c : f["canonical"]) {
    auto out = doui::canonicalize_text(c["input"].get<std::string>());
    ASSERT_TRUE(out.ok()) << c["name"] << ": " << doui::format_error(out.error());
    EXPECT_EQ(*out, c["expected"].get<std::string>()) << c["name"];
  }
}

TEST(Canonical, SharedFixturesRejectWithCodeAndPath) {
  json f = fixtures();
  ASSERT_GE(f["errors"].size(), 5u);
  for (const auto& c : f["errors"]) {
    std::string input = c.contains("input_hex") ? from_hex(c["input_hex"].get<std::string>())
                                                : c["input"].get<std::string>();
    auto out = doui::canonicalize_text(input);
    ASSERT_FALSE(out.ok()) << c["name"];
    EXPECT_EQ(doui::to_string(out.error().code), c["code"].get<std::string>()) << c["name"];
    EXPECT_EQ(out.error().path, c["path"].get<std::string>()) << c["name"];
  }
}

TEST(Canonical, IsIdempotent) {
  auto once = doui::canonicalize_text(R"({"b":[1,2,{"z":1,"a":"\u00e9"}],"a":0.5})");
  ASSERT_TRUE(once.ok());
  auto twice = doui::canonicalize_text(*once);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(*once, *twice);
  EXPECT_EQ(*once, R"({"a":0.5,"b":[1,2,{"a":"é","z":1}]})");
}

TEST(Canonical, SyntaxErrorsSayWhere) {
  auto out = doui::canonicalize_text("{\n  \"a\": tru\n}");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, doui::Code::JsonSyntax);
  EXPECT_NE(out.error().detail.find("line 2"), std::string::npos) << out.error().detail;
  EXPECT_GE(out.error().offset, 8);
}

TEST(Canonical, RejectsOversizedInput) {
  std::string big(9u << 20, ' ');
  big[0] = '1';
  auto out = doui::canonicalize_text(big);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, doui::Code::JsonTooLarge);
}

// Doubles against node's String(x), the ECMAScript Number::toString that RFC 8785 requires:
// shortest round-trip digits, the closest of them to the exact value, laid out per ECMA-262.
TEST(Canonical, NumbersMatchEcmaScript) {
  json f =
      json::parse(doui::test::read_source_file("tests/fixtures/jcs-numbers.json"), nullptr, false);
  ASSERT_FALSE(f.is_discarded());
  ASSERT_GE(f["cases"].size(), 2000u);
  for (const auto& c : f["cases"]) {
    // IEEE-754 bits, so no decimal parsing is involved (memcpy: Emscripten 3.1.6 has no bit_cast).
    const std::string bits = c[0].get<std::string>();
    const std::uint64_t u = std::stoull(bits, nullptr, 16);
    double d;
    std::memcpy(&d, &u, sizeof d);
    auto out = doui::canonicalize(json(d));
    ASSERT_TRUE(out.ok()) << bits;
    EXPECT_EQ(*out, c[1].get<std::string>()) << bits;
  }
}

TEST(Digest, Sha256KnownAnswers) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(doui::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(doui::sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
