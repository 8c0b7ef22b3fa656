#include "doui/age.hpp"
#include "doui/messages.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#ifndef __EMSCRIPTEN__
// ICU's Japanese calendar is in libicui18n and its data, which the wasm build does not carry.
#include <unicode/calendar.h>
#include <unicode/locid.h>
#include <unicode/timezone.h>
#endif

namespace {

using doui::Code;
using doui::Date;
using doui::Instant;

constexpr std::int64_t kMsPerDay = 86'400'000;

Instant at(std::string_view s) {
  auto t = doui::parse_instant(s);
  EXPECT_TRUE(t.ok()) << s;
  return t.ok() ? *t : Instant{};
}

// The code of a failed parse_instant, or "ok" as a failure message when it parsed.
::testing::AssertionResult bad_instant(std::string_view s) {
  auto t = doui::parse_instant(s);
  if (t.ok()) return ::testing::AssertionFailure() << "'" << s << "' parsed";
  const auto& e = t.error();
  if (e.code != Code::TimeBadInstant) return ::testing::AssertionFailure() << "wrong code";
  if (e.path != "" || e.detail.empty()) return ::testing::AssertionFailure() << "path/detail";
  return ::testing::AssertionSuccess();
}

Date birth(std::string_view s) {
  auto d = doui::parse_birthdate(s);
  EXPECT_TRUE(d.ok()) << s << ": " << (d.ok() ? "" : d.error().detail);
  return d.ok() ? *d : Date{};
}

doui::AgeCheck age_at(Date b, std::string_view instant) {
  auto a = doui::check_age(b, at(instant));
  EXPECT_TRUE(a.ok()) << instant;
  return a.ok() ? *a : doui::AgeCheck{};
}

// "平成21年4月1日", with 元 for the first year, as people write it.
std::string era_text(const doui::EraYear& e, Date d) {
  return e.era + (e.year == 1 ? std::string("元") : std::to_string(e.year)) + "年" +
         std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
}

// ---- Instants ----------------------------------------------------------------------------------

TEST(Instant, ParsesUtcAndOffsets) {
  EXPECT_EQ(at("1970-01-01T00:00:00Z").unix_ms, 0);
  EXPECT_EQ(at("1970-01-01T09:00:00+09:00").unix_ms, 0);
  EXPECT_EQ(at("1969-12-31T19:00:00-05:00").unix_ms, 0);
  EXPECT_EQ(at("1970-01-01T05:30:00+05:30").unix_ms, 0);
  EXPECT_EQ(at("1970-01-01T00:00:00-00:00").unix_ms, 0);  // RFC 3339: UTC, local offset unknown
  EXPECT_EQ(at("1970-01-01t00:00:00z").unix_ms, 0);       // RFC 3339 allows lower case
  EXPECT_EQ(at("2025-03-31T23:59:59+09:00"), at("2025-03-31T14:59:59Z"));
  EXPECT_EQ(at("2025-03-31T23:59:59+09:00"), at("2025-03-31T09:59:59-05:00"));
  EXPECT_EQ(at("2025-03-31T14:59:59Z").unix_ms, 1'743'433'199'000);
  EXPECT_EQ(at("2000-03-01T00:00:00Z").unix_ms, 11017 * kMsPerDay);
  EXPECT_EQ(at("0001-01-01T00:00:00Z").unix_ms, -62'135'596'800'000);
  EXPECT_EQ(at("9999-12-31T23:59:59.999Z").unix_ms, 253'402'300'799'999);
  EXPECT_EQ(at("0001-01-01T00:00:00+23:59").unix_ms, -62'135'596'800'000 - 1439 * 60'000);
}

TEST(Instant, FractionsAreTruncatedToMilliseconds) {
  EXPECT_EQ(at("1970-01-01T00:00:00.5Z").unix_ms, 500);
  EXPECT_EQ(at("1970-01-01T00:00:00.05Z").unix_ms, 50);
  EXPECT_EQ(at("1970-01-01T00:00:00.123Z").unix_ms, 123);
  EXPECT_EQ(at("1970-01-01T00:00:00.1239Z").unix_ms, 123);  // truncated, never rounded up
  EXPECT_EQ(at("1970-01-01T00:00:00.123456789012345678901234567890Z").unix_ms, 123);
  EXPECT_EQ(at("1970-01-01T00:00:00.000+00:00").unix_ms, 0);
  EXPECT_EQ(at("1969-12-31T23:59:59.9999Z").unix_ms, -1);
  // 23:59:59.9999 stays on its day in Tokyo.
  EXPECT_EQ(doui::tokyo_date(at("2025-03-31T23:59:59.9999+09:00")), (Date{2025, 3, 31}));
}

TEST(Instant, RejectsWhatIsNotRfc3339WithAnOffset) {
  for (std::string_view s : {
           "",
           "2025-03-31",
           "2025-03-31T23:59:59",      // no offset: a local time, not an instant
           "2025-03-31T23:59:59.123",  // no offset after a fraction
           "2025-03-31 23:59:59Z",     // the space form of RFC 3339's note is not accepted
           "2025-03-31_23:59:59Z",
           "2025-03-31T23:59Z",      // seconds are required
           "2025-3-31T23:59:59Z",    // two-digit month
           "25-03-31T23:59:59Z",     // four-digit year
           "+2025-03-31T23:59:59Z",  // no expanded years
           "2025/03/31T23:59:59Z",
           "2025-03-31T23.59.59Z",
           "2025-03-31T24:00:00Z",  // 24:00 is not RFC 3339
           "2025-03-31T23:60:00Z",
           "2025-03-31T23:59:60Z",  // leap second: rejected
           "2025-03-31T23:59:61Z",
           "2025-02-29T00:00:00Z",  // not a leap year
           "2025-04-31T00:00:00Z",
           "2025-13-01T00:00:00Z",
           "2025-00-10T00:00:00Z",
           "2025-01-00T00:00:00Z",
           "0000-01-01T00:00:00Z",
           "2025-03-31T23:59:59.Z",  // a fraction needs digits
           "2025-03-31T23:59:59,5Z",
           "2025-03-31T23:59:59+24:00",
           "2025-03-31T23:59:59+09:60",
           "2025-03-31T23:59:59+0900",
           "2025-03-31T23:59:59+9:00",
           "2025-03-31T23:59:59+09",
           "2025-03-31T23:59:59+09:0",
           "2025-03-31T23:59:59 +09:00",
           "2025-03-31T23:59:59UTC",
           "2025-03-31T23:59:59+09:00 ",  // trailing junk of any kind
           "2025-03-31T23:59:59Zjunk",
           "2025-03-31T23:59:59ZZ",
           "2025-03-31T23:59:59+09:00\n",
           " 2025-03-31T23:59:59Z",
           "２０２５-03-31T23:59:59Z",  // full-width digits are for birth dates, not instants
           "2025-03-31T23:59:59\xef\xbc\xba",
       }) {
    EXPECT_TRUE(bad_instant(s)) << "'" << s << "'";
  }
  // An embedded NUL is not the end of the text.
  EXPECT_TRUE(bad_instant(std::string_view("2025-03-31T23:59:59Z\0", 21)));
}

TEST(Instant, FormatsAsUtcWithMilliseconds) {
  EXPECT_EQ(doui::format_instant(Instant{0}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(doui::format_instant(Instant{-1}), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(doui::format_instant(at("2025-03-31T23:59:59+09:00")), "2025-03-31T14:59:59.000Z");
  EXPECT_EQ(doui::format_instant(at("2025-04-01T00:00:00.5+09:00")), "2025-03-31T15:00:00.500Z");
  EXPECT_EQ(doui::format_instant(at("0001-01-01T00:00:00Z")), "0001-01-01T00:00:00.000Z");
  EXPECT_EQ(doui::format_instant(at("9999-12-31T23:59:59.999Z")), "9999-12-31T23:59:59.999Z");
  // The extremes do not overflow (the values are those of java.time.Instant, which uses the same
  // proleptic calendar with a year 0).
  EXPECT_EQ(doui::format_instant(Instant{std::numeric_limits<std::int64_t>::max()}),
            "292278994-08-17T07:12:55.807Z");
  EXPECT_EQ(doui::format_instant(Instant{std::numeric_limits<std::int64_t>::min()}),
            "-292275055-05-16T16:47:04.192Z");
  for (std::string_view s : {"2009-04-01T00:00:00.000Z", "1899-12-31T23:59:59.999Z",
                             "2024-02-29T12:34:56.789Z", "1600-03-01T00:00:00.001Z"}) {
    EXPECT_EQ(doui::format_instant(at(s)), s);
  }
}

TEST(Instant, TokyoDateIsUtcPlusNine) {
  EXPECT_EQ(doui::tokyo_date(at("2025-03-31T14:59:59.999Z")), (Date{2025, 3, 31}));
  EXPECT_EQ(doui::tokyo_date(at("2025-03-31T15:00:00Z")), (Date{2025, 4, 1}));
  EXPECT_EQ(doui::tokyo_date(at("2025-03-31T23:59:59-05:00")), (Date{2025, 4, 1}));
  EXPECT_EQ(doui::tokyo_date(at("2024-12-31T15:00:00Z")), (Date{2025, 1, 1}));
  EXPECT_EQ(doui::tokyo_date(at("2024-02-28T15:00:00Z")), (Date{2024, 2, 29}));
  // Before 1970 the day is found by floor division, not truncation toward zero.
  EXPECT_EQ(doui::tokyo_date(Instant{-1}), (Date{1970, 1, 1}));
  EXPECT_EQ(doui::tokyo_date(Instant{-9 * 3'600'000}), (Date{1970, 1, 1}));
  EXPECT_EQ(doui::tokyo_date(Instant{-9 * 3'600'000 - 1}), (Date{1969, 12, 31}));
  EXPECT_EQ(doui::tokyo_date(at("1899-12-31T15:00:00Z")), (Date{1900, 1, 1}));
  EXPECT_EQ(doui::tokyo_date(Instant{std::numeric_limits<std::int64_t>::max()}),
            (Date{292278994, 8, 17}));
  EXPECT_EQ(doui::tokyo_date(Instant{std::numeric_limits<std::int64_t>::min()}),
            (Date{-292275055, 5, 17}));
}

// ---- Dates -------------------------------------------------------------------------------------

TEST(Birthdate, ValidDatesAndFormatting) {
  EXPECT_TRUE(doui::is_valid_date({2024, 2, 29}));
  EXPECT_TRUE(doui::is_valid_date({2000, 2, 29}));  // divisible by 400
  EXPECT_FALSE(doui::is_valid_date({2023, 2, 29}));
  EXPECT_FALSE(doui::is_valid_date({1900, 2, 29}));  // divisible by 100
  EXPECT_FALSE(doui::is_valid_date({2010, 2, 30}));
  EXPECT_FALSE(doui::is_valid_date({2009, 4, 31}));
  EXPECT_TRUE(doui::is_valid_date({2009, 12, 31}));
  EXPECT_FALSE(doui::is_valid_date({2009, 13, 1}));
  EXPECT_FALSE(doui::is_valid_date({2009, 0, 1}));
  EXPECT_FALSE(doui::is_valid_date({2009, 1, 0}));
  EXPECT_FALSE(doui::is_valid_date({0, 1, 1}));
  EXPECT_TRUE(doui::is_valid_date({1, 1, 1}));
  EXPECT_TRUE(doui::is_valid_date({9999, 12, 31}));
  EXPECT_FALSE(doui::is_valid_date({10000, 1, 1}));
  EXPECT_FALSE(doui::is_valid_date({}));
  EXPECT_EQ(doui::format_date({2009, 4, 1}), "2009-04-01");
  EXPECT_EQ(doui::format_date({1, 1, 1}), "0001-01-01");
  EXPECT_EQ(doui::format_date({2024, 12, 31}), "2024-12-31");
}

TEST(Birthdate, GregorianForms) {
  const Date d{2009, 4, 1};
  for (std::string_view s : {
           "2009-04-01",
           "2009-4-1",
           "2009/4/1",
           "2009/04/01",
           "2009.4.1",
           "2009.04.01",
           "2009年4月1日",
           "2009年04月01日",
           "2009 年 4 月 1 日",
           "2009年 4月 1日",
           "2009 / 4 / 1",
           " 2009-04-01 ",
           "\t2009-04-01\n",
           "２００９ー４ー１",        // a Japanese keyboard's "-" key gives the long-vowel mark
           "2009−4−1",                // minus sign
           "2009‐04‐01",              // hyphen
           "\u00a02009-04-01\u200b",  // NBSP and zero width space at the ends
           "２００９年４月１日",      // full width
           "２００９／４／１",
           "２００９／０４／０１",
           "２００９－０４－０１",
           "２００９．４．１",
           "\u3000２００９年\u3000４月\u3000１日\u3000",  // ideographic spaces
           "2009\u00a0年4月1日",                          // no-break space
       }) {
    EXPECT_EQ(birth(s), d) << s;
  }
  EXPECT_EQ(birth("2000-02-29"), (Date{2000, 2, 29}));
  EXPECT_EQ(birth("1900-01-01"), (Date{1900, 1, 1}));
  EXPECT_EQ(birth("1850/12/31"), (Date{1850, 12, 31}));  // parses; check_age judges plausibility
}

TEST(Birthdate, JapaneseEras) {
  struct Case {
    std::string_view text;
    Date date;
  };
  for (const Case& c : std::vector<Case>{
           {"平成21年4月1日", {2009, 4, 1}},
           {"平成２１年４月１日", {2009, 4, 1}},
           {"平成 21 年 4 月 1 日", {2009, 4, 1}},
           {"平成　２１年　４月　１日", {2009, 4, 1}},
           {"㍻21年4月1日", {2009, 4, 1}},  // U+337B, one character; NFKC makes it 平成
           {"㍻２１年４月１日", {2009, 4, 1}},
           {"H21.4.1", {2009, 4, 1}},
           {"h21.4.1", {2009, 4, 1}},
           {"H21/4/1", {2009, 4, 1}},
           {"H21-04-01", {2009, 4, 1}},
           {"Ｈ２１．４．１", {2009, 4, 1}},
           {"H21年4月1日", {2009, 4, 1}},
           {"平成21.4.1", {2009, 4, 1}},
           {"平成元年1月8日", {1989, 1, 8}},
           {"平成1年1月8日", {1989, 1, 8}},
           {"H1.1.8", {1989, 1, 8}},
           {"平成31年4月30日", {2019, 4, 30}},
           {"平成12年2月29日", {2000, 2, 29}},
           {"令和元年5月1日", {2019, 5, 1}},
           {"令和1年5月1日", {2019, 5, 1}},
           {"㋿元年5月1日", {2019, 5, 1}},  // U+32FF
           {"R1/5/1", {2019, 5, 1}},
           {"r1.5.1", {2019, 5, 1}},
           {"R元年5月1日", {2019, 5, 1}},
           {"令和7年4月1日", {2025, 4, 1}},
           {"昭和64年1月7日", {1989, 1, 7}},
           {"㍼64年1月7日", {1989, 1, 7}},  // U+337C
           {"S64.1.7", {1989, 1, 7}},
           {"昭和元年12月25日", {1926, 12, 25}},
           {"昭和50年10月10日", {1975, 10, 10}},
           {"大正15年12月24日", {1926, 12, 24}},
           {"大正元年7月30日", {1912, 7, 30}},
           {"㍽元年7月30日", {1912, 7, 30}},  // U+337D
           {"T1.7.30", {1912, 7, 30}},
           {"明治45年7月29日", {1912, 7, 29}},
           {"明治6年1月1日", {1873, 1, 1}},
           {"㍾6年1月1日", {1873, 1, 1}},  // U+337E
           {"M6.1.1", {1873, 1, 1}},
           {"m33.2.28", {1900, 2, 28}},
       }) {
    EXPECT_EQ(birth(c.text), c.date) << c.text;
  }
}

TEST(Birthdate, ErrorsCarryTheRightCode) {
  struct Case {
    std::string_view text;
    Code code;
  };
  const std::string too_long(200, '1');
  for (const Case& c : std::vector<Case>{
           // Nothing typed: missing, not badly written.
           {"", Code::BirthdateMissing},
           {"   ", Code::BirthdateMissing},
           {"\u3000", Code::BirthdateMissing},
           {"\u3000\t \u3000", Code::BirthdateMissing},
           // Not a date doui reads.
           {"-", Code::BirthdateBadFormat},
           {"2009", Code::BirthdateBadFormat},
           {"2009-04", Code::BirthdateBadFormat},
           {"20090401", Code::BirthdateBadFormat},
           {"09-04-01", Code::BirthdateBadFormat},
           {"02009-04-01", Code::BirthdateBadFormat},
           {"2009-004-01", Code::BirthdateBadFormat},
           {"2009-04-001", Code::BirthdateBadFormat},
           {"2009/4-1", Code::BirthdateBadFormat},  // mixed separators
           {"2009 4 1", Code::BirthdateBadFormat},
           {"2009-04-01T00:00:00Z", Code::BirthdateBadFormat},
           {"2009-04-01x", Code::BirthdateBadFormat},
           {"2009年4月1", Code::BirthdateBadFormat},
           {"2009年4月", Code::BirthdateBadFormat},
           {"2009年4-1", Code::BirthdateBadFormat},
           {"2009年4月1日生", Code::BirthdateBadFormat},
           {"二〇〇九年四月一日", Code::BirthdateBadFormat},
           {"April 1, 2009", Code::BirthdateBadFormat},
           {"hello 2009-04-01", Code::BirthdateBadFormat},
           {"R元.5.1", Code::BirthdateBadFormat},  // 元 only in the 年 form
           {"平成年4月1日", Code::BirthdateBadFormat},
           {"平成21.4", Code::BirthdateBadFormat},
           {"平成21年4月1日日", Code::BirthdateBadFormat},
           {"Heisei 21.4.1", Code::BirthdateBadFormat},
           {"\xff"
            "2009-04-01",
            Code::BirthdateBadFormat},  // ill-formed UTF-8
           {too_long, Code::BirthdateBadFormat},
           // Well formed, but no such day.
           {"2010-02-30", Code::BirthdateNoSuchDate},
           {"1900-02-29", Code::BirthdateNoSuchDate},
           {"2023/2/29", Code::BirthdateNoSuchDate},
           {"2009-04-31", Code::BirthdateNoSuchDate},
           {"2009-13-01", Code::BirthdateNoSuchDate},
           {"2009-00-10", Code::BirthdateNoSuchDate},
           {"2009年4月0日", Code::BirthdateNoSuchDate},
           {"0000-01-01", Code::BirthdateNoSuchDate},
           {"平成13年2月29日", Code::BirthdateNoSuchDate},
           {"平成31年2月29日", Code::BirthdateNoSuchDate},
           {"H21.4.31", Code::BirthdateNoSuchDate},
           // Outside its era, or an era doui does not know.
           {"平成31年5月1日", Code::BirthdateBadEra},
           {"H31.5.1", Code::BirthdateBadEra},
           {"昭和64年1月8日", Code::BirthdateBadEra},
           {"平成元年1月7日", Code::BirthdateBadEra},
           {"令和元年4月30日", Code::BirthdateBadEra},
           {"大正15年12月25日", Code::BirthdateBadEra},
           {"昭和元年12月24日", Code::BirthdateBadEra},
           {"明治45年7月30日", Code::BirthdateBadEra},
           {"平成32年1月1日", Code::BirthdateBadEra},
           {"平成0年1月8日", Code::BirthdateBadEra},
           {"H0.1.8", Code::BirthdateBadEra},
           {"平成100年1月1日", Code::BirthdateBadEra},
           {"平成999999999年1月1日", Code::BirthdateBadEra},
           {"令和9999年1月1日", Code::BirthdateBadEra},
           {"明治5年12月31日", Code::BirthdateBadEra},  // before the Gregorian calendar in Japan
           {"明治元年10月23日", Code::BirthdateBadEra},
           {"大化2年1月1日", Code::BirthdateBadEra},
           {"天平 21年4月1日", Code::BirthdateBadEra},
           {"X21.4.1", Code::BirthdateBadEra},
       }) {
    auto r = doui::parse_birthdate(c.text);
    ASSERT_FALSE(r.ok()) << c.text << " parsed as " << doui::format_date(*r);
    EXPECT_EQ(r.error().code, c.code) << c.text << ": " << r.error().detail;
    EXPECT_EQ(r.error().path, "");
    EXPECT_FALSE(r.error().detail.empty());
  }
}

// ---- Age -------------------------------------------------------------------------------------

TEST(Age, LawMdExampleInTokyoTime) {
  const Date b = birth("2009-04-01");
  auto a = age_at(b, "2025-03-31T23:59:59+09:00");
  EXPECT_EQ(a.age, 15);
  EXPECT_TRUE(a.guardian_required);
  EXPECT_EQ(a.on, (Date{2025, 3, 31}));
  a = age_at(b, "2025-04-01T00:00:00+09:00");
  EXPECT_EQ(a.age, 16);
  EXPECT_FALSE(a.guardian_required);
  EXPECT_EQ(a.on, (Date{2025, 4, 1}));
}

TEST(Age, SameInstantsInOtherOffsets) {
  const Date b{2009, 4, 1};
  // UTC: the birthday starts at 15:00Z the day before.
  EXPECT_EQ(age_at(b, "2025-03-31T14:59:59Z").age, 15);
  EXPECT_EQ(age_at(b, "2025-03-31T14:59:59.999Z").age, 15);
  EXPECT_EQ(age_at(b, "2025-03-31T15:00:00Z").age, 16);
  // New York: still 31 March there, already 1 April in Tokyo.
  EXPECT_EQ(age_at(b, "2025-03-31T09:59:59-05:00").age, 15);
  EXPECT_EQ(age_at(b, "2025-03-31T10:00:00-05:00").age, 16);
  EXPECT_EQ(age_at(b, "2025-03-31T23:00:00-05:00").age, 16);
  EXPECT_EQ(age_at(b, "2025-03-31T23:00:00-05:00").on, (Date{2025, 4, 1}));
  // And the other way: 1 April in India is still 31 March 23:59 in Tokyo only until 20:29Z.
  EXPECT_EQ(age_at(b, "2025-03-31T20:29:59+05:30").age, 15);
  EXPECT_EQ(age_at(b, "2025-03-31T20:30:00+05:30").age, 16);
  // Far-east offsets: 1 April at +14:00 can be 31 March in Tokyo.
  EXPECT_EQ(age_at(b, "2025-04-01T04:59:59+14:00").age, 15);
  EXPECT_EQ(age_at(b, "2025-04-01T05:00:00+14:00").age, 16);
}

TEST(Age, BornOn29FebruaryAgesOn1MarchInCommonYears) {
  const Date b = birth("2008-02-29");
  // 2023 is a common year: 28 Feb ends, and the person ages, at 00:00 on 1 March.
  EXPECT_EQ(age_at(b, "2023-02-28T00:00:00+09:00").age, 14);
  EXPECT_EQ(age_at(b, "2023-02-28T23:59:59.999+09:00").age, 14);
  EXPECT_EQ(age_at(b, "2023-03-01T00:00:00+09:00").age, 15);
  EXPECT_EQ(age_at(b, "2023-02-28T14:59:59.999Z").age, 14);
  EXPECT_EQ(age_at(b, "2023-02-28T15:00:00Z").age, 15);
  EXPECT_EQ(age_at(b, "2023-02-28T15:00:00Z").on, (Date{2023, 3, 1}));
  // 2024 is a leap year: the birthday itself.
  EXPECT_EQ(age_at(b, "2024-02-28T23:59:59+09:00").age, 15);
  EXPECT_TRUE(age_at(b, "2024-02-28T23:59:59+09:00").guardian_required);
  EXPECT_EQ(age_at(b, "2024-02-29T00:00:00+09:00").age, 16);
  EXPECT_FALSE(age_at(b, "2024-02-29T00:00:00+09:00").guardian_required);
  EXPECT_EQ(age_at(b, "2024-02-28T15:00:00Z").age, 16);
  EXPECT_EQ(age_at(b, "2024-03-01T00:00:00+09:00").age, 16);
  // 2025 common again: 16 until 1 March.
  EXPECT_EQ(age_at(b, "2025-02-28T23:59:59+09:00").age, 16);
  EXPECT_EQ(age_at(b, "2025-03-01T00:00:00+09:00").age, 17);
}

TEST(Age, LegalAgeComparesMonthAndDay) {
  using doui::legal_age;
  EXPECT_EQ(legal_age({2008, 2, 29}, {2023, 2, 28}), 14);
  EXPECT_EQ(legal_age({2008, 2, 29}, {2023, 3, 1}), 15);
  EXPECT_EQ(legal_age({2008, 2, 29}, {2024, 2, 28}), 15);
  EXPECT_EQ(legal_age({2008, 2, 29}, {2024, 2, 29}), 16);
  EXPECT_EQ(legal_age({2008, 2, 29}, {2025, 2, 28}), 16);
  EXPECT_EQ(legal_age({2008, 2, 29}, {2025, 3, 1}), 17);
  // Neighbours of 29 Feb are unaffected by leap years.
  EXPECT_EQ(legal_age({2008, 2, 28}, {2023, 2, 28}), 15);
  EXPECT_EQ(legal_age({2008, 3, 1}, {2024, 2, 29}), 15);
  EXPECT_EQ(legal_age({2008, 3, 1}, {2024, 3, 1}), 16);
  EXPECT_EQ(legal_age({2009, 4, 1}, {2009, 4, 1}), 0);
  EXPECT_EQ(legal_age({2009, 4, 1}, {2010, 3, 31}), 0);
  EXPECT_EQ(legal_age({2009, 4, 1}, {2010, 4, 1}), 1);
  EXPECT_EQ(legal_age({2009, 12, 31}, {2010, 1, 1}), 0);
  EXPECT_EQ(legal_age({1900, 1, 1}, {2025, 12, 31}), 125);
}

TEST(Age, GuardianRuleIsFifteenOrUnder) {
  EXPECT_EQ(doui::kMaxAgeNeedingGuardian, 15);
  const Instant t = at("2025-06-15T12:00:00+09:00");
  for (int years = 0; years <= 20; ++years) {
    auto a = doui::check_age({2025 - years, 6, 15}, t);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->age, years);
    EXPECT_EQ(a->guardian_required, years <= 15) << years;
  }
  // Born today (Tokyo date) is age 0, not in the future.
  auto a = doui::check_age({2025, 4, 1}, at("2025-03-31T15:00:00Z"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->age, 0);
  EXPECT_TRUE(a->guardian_required);
}

TEST(Age, ImplausibleAndFutureBirthDates) {
  const Instant t = at("2025-03-31T23:59:59+09:00");
  auto a = doui::check_age({1899, 12, 31}, t);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, Code::BirthdateImplausible);
  EXPECT_EQ(a.error().path, "");
  a = doui::check_age(birth("1850-01-01"), t);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, Code::BirthdateImplausible);
  a = doui::check_age({1900, 1, 1}, t);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->age, 125);
  EXPECT_FALSE(a->guardian_required);

  // Tomorrow in Tokyo is the future, even where it is already that date elsewhere.
  a = doui::check_age({2025, 4, 1}, t);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, Code::BirthdateInFuture);
  a = doui::check_age({2025, 4, 1}, at("2025-04-01T00:00:00+14:00"));  // 2025-03-31 in Tokyo
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, Code::BirthdateInFuture);
  a = doui::check_age({2030, 1, 1}, t);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, Code::BirthdateInFuture);
  // A date that does not exist has no age.
  a = doui::check_age({2010, 2, 30}, t);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, Code::BirthdateNoSuchDate);
}

TEST(Age, FromTypedBirthDates) {
  const Instant t = at("2025-03-31T23:59:59+09:00");
  for (std::string_view s : {"平成21年4月1日", "H21.4.1", "２００９／４／１", "㍻21年4月1日"}) {
    auto a = doui::check_age(birth(s), t);
    ASSERT_TRUE(a.ok()) << s;
    EXPECT_EQ(a->age, 15) << s;
    EXPECT_TRUE(a->guardian_required) << s;
  }
}

// ---- Eras --------------------------------------------------------------------------------------

TEST(Era, Table) {
  struct Case {
    Date date;
    std::string_view era;
    int year;
  };
  for (const Case& c : std::vector<Case>{
           {{1868, 9, 8}, "", 0},  // 明治 began, but Japan was not yet Gregorian
           {{1872, 12, 31}, "", 0},
           {{1873, 1, 1}, "明治", 6},
           {{1912, 7, 29}, "明治", 45},
           {{1912, 7, 30}, "大正", 1},
           {{1926, 12, 24}, "大正", 15},
           {{1926, 12, 25}, "昭和", 1},
           {{1989, 1, 7}, "昭和", 64},
           {{1989, 1, 8}, "平成", 1},
           {{2009, 4, 1}, "平成", 21},
           {{2019, 4, 30}, "平成", 31},
           {{2019, 5, 1}, "令和", 1},
           {{2025, 4, 1}, "令和", 7},
           {{2100, 12, 31}, "令和", 82},
       }) {
    auto e = doui::japanese_era(c.date);
    EXPECT_EQ(e.era, c.era) << doui::format_date(c.date);
    EXPECT_EQ(e.year, c.year) << doui::format_date(c.date);
  }
}

// Every day of the era table's range: the Tokyo date advances one day at a time, each date reads
// back from its ISO form, and from its era forms (kanji with 元, and the letter abbreviation).
TEST(Era, EveryDayRoundTrips) {
  constexpr std::array<std::pair<std::string_view, char>, 5> kLetters = {
      {{"明治", 'M'}, {"大正", 'T'}, {"昭和", 'S'}, {"平成", 'H'}, {"令和", 'R'}}};
  std::int64_t ms = at("1873-01-01T00:00:00+09:00").unix_ms;
  const std::int64_t end = at("2100-12-31T00:00:00+09:00").unix_ms;
  Date prev{1872, 12, 31};
  int days = 0;
  for (; ms <= end; ms += kMsPerDay, ++days) {
    const Date d = doui::tokyo_date(Instant{ms});
    ASSERT_TRUE(doui::is_valid_date(d)) << doui::format_date(d);
    // The next day of prev: the day after it, or the first of the next month or year.
    const bool next = (d.year == prev.year && d.month == prev.month && d.day == prev.day + 1) ||
                      (d.year == prev.year && d.month == prev.month + 1 && d.day == 1 &&
                       !doui::is_valid_date({prev.year, prev.month, prev.day + 1})) ||
                      (d.year == prev.year + 1 && d.month == 1 && d.day == 1 && prev.month == 12 &&
                       prev.day == 31);
    ASSERT_TRUE(next) << doui::format_date(prev) << " -> " << doui::format_date(d);
    prev = d;
    ASSERT_EQ(doui::format_instant(Instant{ms}).substr(11), "15:00:00.000Z");

    auto iso = doui::parse_birthdate(doui::format_date(d));
    ASSERT_TRUE(iso.ok() && *iso == d) << doui::format_date(d);

    const auto e = doui::japanese_era(d);
    ASSERT_GE(e.year, 1) << doui::format_date(d);
    const std::string kanji = era_text(e, d);
    auto k = doui::parse_birthdate(kanji);
    ASSERT_TRUE(k.ok() && *k == d) << kanji;
    char letter = 0;
    for (const auto& [name, l] : kLetters) {
      if (name == e.era) letter = l;
    }
    ASSERT_NE(letter, 0) << e.era;
    const std::string dotted = std::string(1, letter) + std::to_string(e.year) + "." +
                               std::to_string(d.month) + "." + std::to_string(d.day);
    auto l = doui::parse_birthdate(dotted);
    ASSERT_TRUE(l.ok() && *l == d) << dotted;
  }
  EXPECT_EQ(prev, (Date{2100, 12, 31}));
  EXPECT_EQ(days, 83'275);
}

#ifndef __EMSCRIPTEN__

// doui's era table against ICU's Japanese calendar (CLDR's era data), for every day from
// 明治6年 to 2100. ICU numbers the eras from 大化 (0); the modern ones are 232-236.
TEST(Era, MatchesIcuJapaneseCalendarEveryDay) {
  constexpr std::array<std::string_view, 5> kIcuEras = {"明治", "大正", "昭和", "平成", "令和"};
  constexpr int kIcuMeiji = 232;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Calendar> cal(
      icu::Calendar::createInstance(icu::Locale("ja_JP@calendar=japanese"), status));
  ASSERT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  ASSERT_STREQ(cal->getType(), "japanese");
  cal->adoptTimeZone(icu::TimeZone::createTimeZone("UTC"));

  // Noon UTC of each day: the same Gregorian date in UTC and in Tokyo (21:00).
  std::int64_t ms = at("1873-01-01T12:00:00Z").unix_ms;
  const std::int64_t end = at("2100-12-31T12:00:00Z").unix_ms;
  int days = 0;
  for (; ms <= end; ms += kMsPerDay, ++days) {
    const Date d = doui::tokyo_date(Instant{ms});
    cal->setTime(static_cast<UDate>(ms), status);
    const int era = cal->get(UCAL_ERA, status);
    const int year = cal->get(UCAL_YEAR, status);
    const int month = cal->get(UCAL_MONTH, status) + 1;
    const int day = cal->get(UCAL_DATE, status);
    ASSERT_TRUE(U_SUCCESS(status)) << u_errorName(status);
    ASSERT_TRUE(era >= kIcuMeiji && era < kIcuMeiji + 5) << era << " at " << doui::format_date(d);
    // The Japanese calendar's months and days are Gregorian: this checks doui's date arithmetic.
    ASSERT_EQ(month, d.month) << doui::format_date(d);
    ASSERT_EQ(day, d.day) << doui::format_date(d);

    const auto e = doui::japanese_era(d);
    ASSERT_EQ(e.era, kIcuEras[static_cast<std::size_t>(era - kIcuMeiji)]) << doui::format_date(d);
    ASSERT_EQ(e.year, year) << doui::format_date(d);
  }
  EXPECT_EQ(days, 83'275);
}

#endif  // __EMSCRIPTEN__

}  // namespace

namespace {

// ---- Dates in words ----------------------------------------------------------------------------

TEST(DateWords, NameTheEraFromItsFirstDayWithGannen) {
  struct Case {
    Date date;
    std::string_view ja, en;
  };
  for (const Case& c : std::vector<Case>{
           {{2009, 4, 1}, "2009年4月1日（平成21年）", "1 April 2009 (Heisei 21)"},
           {{2019, 4, 30}, "2019年4月30日（平成31年）", "30 April 2019 (Heisei 31)"},
           {{2019, 5, 1}, "2019年5月1日（令和元年）", "1 May 2019 (Reiwa 1)"},
           {{2020, 1, 1}, "2020年1月1日（令和2年）", "1 January 2020 (Reiwa 2)"},
           {{1989, 1, 7}, "1989年1月7日（昭和64年）", "7 January 1989 (Showa 64)"},
           {{1989, 1, 8}, "1989年1月8日（平成元年）", "8 January 1989 (Heisei 1)"},
           {{1926, 12, 24}, "1926年12月24日（大正15年）", "24 December 1926 (Taisho 15)"},
           {{1926, 12, 25}, "1926年12月25日（昭和元年）", "25 December 1926 (Showa 1)"},
           {{1912, 7, 29}, "1912年7月29日（明治45年）", "29 July 1912 (Meiji 45)"},
           {{1912, 7, 30}, "1912年7月30日（大正元年）", "30 July 1912 (Taisho 1)"},
           {{1873, 1, 1}, "1873年1月1日（明治6年）", "1 January 1873 (Meiji 6)"},
           // Before Japan's Gregorian calendar no era is named.
           {{1872, 12, 31}, "1872年12月31日", "31 December 1872"},
           {{2012, 2, 29}, "2012年2月29日（平成24年）", "29 February 2012 (Heisei 24)"},
       }) {
    EXPECT_EQ(doui::date_words("ja", c.date), c.ja);
    EXPECT_EQ(doui::date_words("en", c.date), c.en);
  }
}

TEST(DateWords, EchoWhatEachAcceptedFormReads) {
  for (std::string_view text : {"2009-04-01", "2009/4/1", "２００９年４月１日", "平成21年4月1日",
                                "H21.4.1", "２００９／０４／０１"}) {
    const auto d = doui::parse_birthdate(text);
    ASSERT_TRUE(d.ok()) << text;
    EXPECT_EQ(doui::date_words("ja", *d), "2009年4月1日（平成21年）") << text;
  }
  const auto gannen = doui::parse_birthdate("令和元年5月1日");
  ASSERT_TRUE(gannen.ok());
  EXPECT_EQ(doui::date_words("ja", *gannen), "2019年5月1日（令和元年）");
  EXPECT_EQ(doui::japanese_era(*gannen).romaji, "Reiwa");
}

}  // namespace
