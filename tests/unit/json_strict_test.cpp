#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "doui/codes.hpp"
#include "json_strict.hpp"

namespace {

using doui::detail::parse_strict;
using doui::detail::ParseLimits;

struct Case {
  const char* name;
  std::string input;
  const char* code;
  const char* path;
  std::int64_t offset;
  ParseLimits limits = {};
};

void expect_errors(const std::vector<Case>& cases) {
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    auto out = parse_strict(c.input, c.limits);
    ASSERT_FALSE(out.ok()) << c.name;
    ASSERT_EQ(out.errors().size(), 1u) << c.name;
    EXPECT_EQ(doui::to_string(out.error().code), std::string(c.code)) << c.name;
    EXPECT_EQ(out.error().path, c.path) << c.name;
    EXPECT_EQ(out.error().offset, c.offset) << c.name << ": " << out.error().detail;
  }
}

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(JsonStrict, NumbersBeyondADoubleNameTheirMember) {
  expect_errors({
      // The offset is the number's first byte.
      {"top level", "1e999", "json.bad_number", "", 0},
      {"negative top level", " -1e999 ", "json.bad_number", "", 1},
      {"member", R"({"person":{"age":1e999}})", "json.bad_number", "/person/age", 17},
      {"negative member", R"({"person":{"age":-1e999,"x":1}})", "json.bad_number", "/person/age",
       17},
      {"element", "[0,-1e999]", "json.bad_number", "/1", 3},
      {"element in member", R"({"a":[1,2,1E400]})", "json.bad_number", "/a/2", 10},
  });
}

// canonicalize() refuses integers beyond 2^53 (canonical.cpp); the parser refuses them too, at
// the same pointer, including those beyond 64 bits that nlohmann would turn into doubles. No
// offset: the SAX callbacks that see them are not told where they are.
TEST(JsonStrict, IntegersBeyondTwoToThe53AreBadNumbers) {
  expect_errors({
      {"2^53 + 1", R"({"n":[1,9007199254740993]})", "json.bad_number", "/n/1", -1},
      {"-(2^53 + 1)", R"({"n":-9007199254740993})", "json.bad_number", "/n", -1},
      {"2^64", R"({"a":{"n":18446744073709551616}})", "json.bad_number", "/a/n", -1},
      {"below -2^63", R"([-9223372036854775809])", "json.bad_number", "/0", -1},
  });
  for (const char* ok : {"9007199254740992", "-9007199254740992", "1e20", "1.5e300", "-0", "1e-999",
                         "18446744073709551616.0"}) {
    EXPECT_TRUE(parse_strict(ok).ok()) << ok;
  }
}

TEST(JsonStrict, BadStringsNameTheMemberOrKeyAtFault) {
  expect_errors({
      {"lone high surrogate value", R"({"a":{"b":"\ud800"}})", "json.syntax", "/a/b", 17},
      {"lone low surrogate element", R"(["x","\udc00"])", "json.syntax", "/1", 11},
      {"top-level string", R"("\ud800x")", "json.syntax", "", 7},
      {"overlong in value", "{\"a\":\"\xc0\xaf\"}", "json.invalid_utf8", "/a", 6},
      {"overlong in element", "{\"a\":[\"ok\",\"x\xc0\xaf\"]}", "json.invalid_utf8", "/a/1", 13},
      {"surrogate bytes in value", "{\"a\":\"\xed\xa0\x80\"}", "json.invalid_utf8", "/a", 7},
      {"control character in value", "{\"a\":\"x\x01\"}", "json.syntax", "/a", 7},
      // A bad key: the pointer of the key decoded up to the fault.
      {"lone surrogate key", R"({"a":{"x\ud800y":1}})", "json.syntax", "/a/x", 14},
      {"lone surrogate as the whole key", R"({"\ud800":1})", "json.syntax", "/", 8},
      {"overlong in key", "{\"k\":1,\"ab\xc0\xaf\":2}", "json.invalid_utf8", "/ab", 10},
      {"control character in key", "{\"a\":{\"k\x01\":1}}", "json.syntax", "/a/k", 8},
      {"key cut short at a sequence", "{\"ab\xe3\x80\":1}", "json.invalid_utf8", "/ab", 6},
      {"escapes in the key decoded", R"({"a\/b\u00e9\ud83d\ude00\"c\u12":1})", "json.syntax",
       "/a~1bé😀\"c", 31},
  });
}

TEST(JsonStrict, SyntaxErrorsNameTheValueBeingRead) {
  expect_errors({
      {"bad literal in member", "{\"a\":{\"b\":tru}}", "json.syntax", "/a/b", 13},
      {"bad literal in element", R"({"a":[1,x]})", "json.syntax", "/a/1", 8},
      {"missing value", R"({"a":})", "json.syntax", "/a", 5},
      {"missing colon", R"({"a" 1})", "json.syntax", "/a", 5},
      // Between members and elements: the container's own structure.
      {"missing comma", R"({"a":{"b":1 "c":2}})", "json.syntax", "/a", 12},  // at "c"
      {"unexpected true", R"({"a":[1 true]})", "json.syntax", "/a", 8},
      {"unexpected false", R"({"a":1 false})", "json.syntax", "", 7},
      {"unexpected number", R"({"a":"x" 12.5e3})", "json.syntax", "", 9},
      {"trailing comma in object", R"({"a":1,})", "json.syntax", "", 7},
      {"missing comma in array", R"([[1 2]])", "json.syntax", "/0", 4},
      {"non-string key", R"({"a":{1:2}})", "json.syntax", "/a", 6},
      {"garbage after the document", R"({"a":1} x)", "json.syntax", "", 8},
      {"empty document", "", "json.syntax", "", 0},
  });
}

TEST(JsonStrict, TruncatedDocumentsNameTheInnermostOpenPlace) {
  expect_errors({
      {"inside an array", R"({"a":{"b":[1,2)", "json.syntax", "/a/b", 14},
      {"after a key", R"({"a":{"b":)", "json.syntax", "/a/b", 10},
      {"inside a string", R"({"a":"xy)", "json.syntax", "/a", 8},
      {"after a comma", R"([1,)", "json.syntax", "/1", 3},
  });
}

TEST(JsonStrict, LimitsAndDuplicates) {
  ParseLimits small;
  small.max_bytes = 4;
  ParseLimits shallow;
  shallow.max_depth = 2;
  expect_errors({
      {"duplicate key at depth", R"({"a":[{"b":1},{"c":{"d":1,"e":2,"d":3}}]})",
       "json.duplicate_key", "/a/1/c/d", -1},
      {"duplicate escaped key", R"({"x":{"a/b":1,"a\/b":2}})", "json.duplicate_key", "/x/a~1b", -1},
      {"too deep", nested_arrays(65), "json.too_deep",
       "/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/"
       "0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0",
       -1},
      {"too deep, in a member", R"({"a":[1,{"b":[]}]})", "json.too_deep", "/a/1", -1, shallow},
      {"too large", "12345", "json.too_large", "", -1, small},
  });
  EXPECT_TRUE(parse_strict(nested_arrays(64)).ok());
  EXPECT_TRUE(parse_strict("1234", small).ok());
}

TEST(JsonStrict, AcceptsWhatIsWellFormed) {
  auto out = parse_strict(R"({"a\/b":[1,-2,0.5,"\ud83d\ude00",true,null,{}],"c":""})");
  ASSERT_TRUE(out.ok()) << doui::format_error(out.error());
  EXPECT_EQ(out->dump(), R"({"a/b":[1,-2,0.5,"😀",true,null,{}],"c":""})");
}

}  // namespace
