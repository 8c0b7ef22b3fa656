// Legal age in Japan: instants, birth dates as people type them, and the 15-or-under rule.
//
// Age follows 年齢計算ニ関スル法律 and 民法143条: a person becomes one year older at the start
// (00:00) of their birthday in Japan time (Asia/Tokyo, taken as UTC+9: Japan has had no summer
// time since 1951, and consent is refused before the policy's effective date), so someone born on
// 29 February ages on 1 March in common years. No "birth date plus N years" arithmetic: comparing
// (month, day) of the Tokyo date with the birth date is exact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "doui/result.hpp"

namespace doui {

/// A proleptic Gregorian calendar date.
struct Date {
  int year = 0;
  int month = 0;  ///< 1..12
  int day = 0;    ///< 1..31
  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date&, const Date&) = default;
};

/// A point in time, to the millisecond.
struct Instant {
  std::int64_t unix_ms = 0;  ///< milliseconds since 1970-01-01T00:00:00Z
  friend bool operator==(const Instant&, const Instant&) = default;
  friend auto operator<=>(const Instant&, const Instant&) = default;
};

/// Parses an RFC 3339 date-time with an offset ("2025-03-31T23:59:59+09:00", "…Z", fractional
/// seconds allowed, at most millisecond precision kept). Error: time.bad_instant.
Result<Instant> parse_instant(std::string_view text);

/// The canonical UTC form of an instant: "2025-03-31T14:59:59.000Z" (always milliseconds).
std::string format_instant(Instant t);

/// The calendar date in Asia/Tokyo at `t`.
Date tokyo_date(Instant t);

/// True when the date exists in the proleptic Gregorian calendar.
bool is_valid_date(Date d);

/// "2009-04-01".
std::string format_date(Date d);

/// Parses a birth date as typed in Japan, after NFKC normalisation (full-width digits and
/// spaces): "2009-04-01", "2009/4/1", "2009.4.1", "2009年4月1日", and Japanese eras
/// ("平成21年4月1日", "令和元年5月1日", "H21.4.1"; 明治 from 1873 on, 大正, 昭和, 平成, 令和). A
/// date must lie inside the era it names (平成31年5月1日 does not exist). Errors:
/// birthdate.missing (nothing but spaces), birthdate.bad_format, birthdate.no_such_date,
/// birthdate.bad_era.
Result<Date> parse_birthdate(std::string_view text);

/// Legal age on Tokyo date `on` of a person born on `birth` (on >= birth).
int legal_age(Date birth, Date on);

/// The age rule of this policy: 15 or under needs a legal representative's consent.
constexpr int kMaxAgeNeedingGuardian = 15;

struct AgeCheck {
  int age = 0;
  bool guardian_required = false;
  Date on;  ///< the Tokyo date the age was counted at
};

/// Age at `at`, with the guardian rule. Errors: birthdate.in_future (birth after the Tokyo date
/// at `at`), birthdate.implausible (before 1900-01-01).
Result<AgeCheck> check_age(Date birth, Instant at);

/// {"age":N,"guardian_required":BOOL}: the canonical JSON of an age check (`doui age`).
std::string age_json(const AgeCheck& check);

/// 00:00 Asia/Tokyo of a "YYYY-MM-DD" date (a policy's effective date), as an instant.
std::optional<Instant> tokyo_midnight(std::string_view date);

/// The Japanese era of a date, from the core's era table: {"平成", 21, "Heisei"} for 2009-04-01
/// (year 1 is written 元年). The year is 0 when the date precedes the table (before 明治6年 =
/// 1873).
struct EraYear {
  std::string era;
  int year = 0;
  std::string romaji;  ///< the era's name in English text: Meiji, Taisho, Showa, Heisei, Reiwa
};
EraYear japanese_era(Date d);

}  // namespace doui
