#include "doui/age.hpp"

#include "decimal.hpp"
#include "doui/normalize.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <utility>

#include <unicode/utf8.h>

namespace doui {

namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;
// Asia/Tokyo has had no DST since 1951 and doui never counts an age at an earlier instant that
// matters (birth dates start in 1900, consents are recent), so a fixed +9 h is exact.
constexpr std::int64_t kTokyoOffsetMs = 9 * 3'600'000;

constexpr bool is_leap(std::int64_t y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

constexpr int days_in_month(std::int64_t y, int m) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). Years are
// counted from 1 March so that the leap day is the last day of its year, and in 400-year eras
// of 146097 days so that the same arithmetic holds before 1970 and before year 0.
constexpr std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;                          // [0, 399]
  const std::int64_t mp = m > 2 ? m - 3 : m + 9;                   // [0, 11], March = 0
  const std::int64_t doy = (153 * mp + 2) / 5 + d - 1;             // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;
}

// The inverse: the proleptic Gregorian date `z` days after 1970-01-01.
constexpr Date civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;                                       // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;                             // [1, 31]
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;                                // [1, 12]
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return Date{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11017);
static_assert(civil_from_days(-1) == Date{1969, 12, 31});
static_assert(civil_from_days(11016) == Date{2000, 2, 29});

// Splits a millisecond count into whole days and the milliseconds into the day, rounding toward
// minus infinity (instants before 1970 belong to the earlier day). No multiplication, so even
// INT64_MIN cannot overflow.
constexpr std::pair<std::int64_t, std::int64_t> split_days(std::int64_t ms) {
  std::int64_t days = ms / kMsPerDay;
  std::int64_t rem = ms % kMsPerDay;
  if (rem < 0) {
    rem += kMsPerDay;
    --days;
  }
  return {days, rem};
}

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Exactly `n` ASCII digits at `pos`.
bool fixed_digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t k = pos; k < pos + n; ++k) {
    if (!is_digit(s[k])) return false;
    v = v * 10 + (s[k] - '0');
  }
  out = v;
  return true;
}

Error bad_instant(std::string detail) {
  return Error{Code::TimeBadInstant, "", std::move(detail), -1};
}

}  // namespace

Result<Instant> parse_instant(std::string_view s) {
  // RFC 3339 section 5.6: date-time = full-date "T" full-time, and full-time always carries an
  // offset. A local time without one would not name an instant, so it is an error, not UTC.
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!fixed_digits(s, 0, 4, year) || s.size() < 5 || s[4] != '-' ||
      !fixed_digits(s, 5, 2, month) || s.size() < 8 || s[7] != '-' || !fixed_digits(s, 8, 2, day)) {
    return bad_instant("expected a date YYYY-MM-DD at the start");
  }
  if (s.size() < 11 || (s[10] != 'T' && s[10] != 't')) {
    return bad_instant("expected 'T' between the date and the time");
  }
  if (!fixed_digits(s, 11, 2, hour) || s.size() < 14 || s[13] != ':' ||
      !fixed_digits(s, 14, 2, minute) || s.size() < 17 || s[16] != ':' ||
      !fixed_digits(s, 17, 2, second)) {
    return bad_instant("expected a time HH:MM:SS after 'T'");
  }
  std::size_t i = 19;
  int ms = 0;
  if (i < s.size() && s[i] == '.') {
    // Any number of digits is valid RFC 3339; doui keeps milliseconds and truncates the rest, so
    // an instant never moves to a later millisecond (or a later day) than the one written.
    const std::size_t start = ++i;
    while (i < s.size() && is_digit(s[i])) {
      if (i - start < 3) ms = ms * 10 + (s[i] - '0');
      ++i;
    }
    if (i == start) return bad_instant("expected digits after '.'");
    for (std::size_t k = i - start; k < 3; ++k) ms *= 10;
  }
  if (i >= s.size()) return bad_instant("missing offset: expected 'Z' or +HH:MM/-HH:MM");
  int offset_min = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    int oh = 0, om = 0;
    if (!fixed_digits(s, i + 1, 2, oh) || i + 3 >= s.size() || s[i + 3] != ':' ||
        !fixed_digits(s, i + 4, 2, om)) {
      return bad_instant("offset must be 'Z' or +HH:MM/-HH:MM");
    }
    if (oh > 23 || om > 59) return bad_instant("offset out of range (hours 00-23, minutes 00-59)");
    offset_min = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
    i += 6;
  } else {
    return bad_instant("expected 'Z' or +HH:MM/-HH:MM after the time");
  }
  if (i != s.size()) return bad_instant("unexpected text after the offset");

  if (year < 1) return bad_instant("year 0000 is outside 0001-9999");
  if (!is_valid_date(Date{year, month, day})) return bad_instant("no such calendar date");
  if (hour > 23) return bad_instant("hour out of range (00-23)");
  if (minute > 59) return bad_instant("minute out of range (00-59)");
  // RFC 3339 allows :60 for a leap second, but Unix time has no place for it and no consent
  // depends on that second: reject rather than silently fold it into the next minute.
  if (second == 60) return bad_instant("leap seconds (:60) are not accepted");
  if (second > 59) return bad_instant("second out of range (00-59)");

  const std::int64_t days = days_from_civil(year, month, day);
  const std::int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_min * 60;
  return Instant{secs * 1000 + ms};
}

namespace {

void append_date(std::string& out, Date d) {
  detail::append_decimal(out, d.year, 4);
  out += '-';
  detail::append_decimal(out, d.month, 2);
  out += '-';
  detail::append_decimal(out, d.day, 2);
}

}  // namespace

std::string format_instant(Instant t) {
  const auto [days, ms_of_day] = split_days(t.unix_ms);
  const auto ms = static_cast<int>(ms_of_day);
  std::string out;
  out.reserve(24);
  append_date(out, civil_from_days(days));
  out += 'T';
  detail::append_decimal(out, ms / 3'600'000, 2);
  out += ':';
  detail::append_decimal(out, ms / 60'000 % 60, 2);
  out += ':';
  detail::append_decimal(out, ms / 1000 % 60, 2);
  out += '.';
  detail::append_decimal(out, ms % 1000, 3);
  out += 'Z';
  return out;
}

Date tokyo_date(Instant t) {
  // Split first and add the offset to the remainder: unix_ms + 9 h could overflow near INT64_MAX.
  auto [days, ms_of_day] = split_days(t.unix_ms);
  if (ms_of_day + kTokyoOffsetMs >= kMsPerDay) ++days;
  return civil_from_days(days);
}

bool is_valid_date(Date d) {
  // Years 0001-9999: what YYYY (RFC 3339, format_date) can write, and far beyond any birth date.
  if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12) return false;
  return d.day >= 1 && d.day <= days_in_month(d.year, d.month);
}

std::string format_date(Date d) {
  std::string out;
  append_date(out, d);
  return out;
}

namespace {

struct Era {
  std::string_view name;    // as written in Japanese
  std::string_view romaji;  // for error details, which are English
  char letter;              // the abbreviation used in "H21.4.1"
  Date start;               // first day, as in ICU's (CLDR's) Japanese calendar
};

// The modern eras. Only 令和 may be followed by another era; when one is proclaimed it is added
// here (and the ICU cross-check in the tests will notice ICU's data moving first).
constexpr std::array<Era, 5> kEras = {{
    {"明治", "Meiji", 'M', {1868, 9, 8}},
    {"大正", "Taisho", 'T', {1912, 7, 30}},
    {"昭和", "Showa", 'S', {1926, 12, 25}},
    {"平成", "Heisei", 'H', {1989, 1, 8}},
    {"令和", "Reiwa", 'R', {2019, 5, 1}},
}};

// Japan switched from its lunisolar calendar to the Gregorian one on 明治6年1月1日: earlier 明治
// dates were written in the old calendar, so reading them as Gregorian would be wrong by weeks.
constexpr Date kGregorianInJapan = {1873, 1, 1};

// Birth dates are short; a long input is rejected before ICU sees it.
constexpr std::size_t kMaxBirthdateBytes = 128;

constexpr bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// A cursor over NFKC-normalised UTF-8. Japanese tokens (年, 月, 日, era names) are matched as
// byte strings, which is exact for UTF-8.
struct Cursor {
  std::string_view s;
  std::size_t i = 0;

  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  void skip_spaces() {
    while (!done() && is_space(s[i])) ++i;
  }
  bool eat(std::string_view lit) {
    if (s.substr(i).substr(0, lit.size()) != lit) return false;
    i += lit.size();
    return true;
  }
  // A run of ASCII digits; returns its length (0 when there is none). Runs longer than
  // `max_len` are consumed but not valued, and the caller rejects them by their length.
  std::size_t number(int& value, std::size_t max_len) {
    const std::size_t start = i;
    int v = 0;
    while (!done() && is_digit(s[i])) {
      if (i - start < max_len) v = v * 10 + (s[i] - '0');
      ++i;
    }
    value = v;
    return i - start;
  }
};

// What the text says, before any calendar check.
struct Written {
  int year = 0;  // Gregorian year, or the era year (1 for 元年)
  int month = 0;
  int day = 0;
};

// Everything after the era (or from the start for Gregorian dates): a year, then either 年M月D日
// or <sep>M<sep>D with one of - / . used for both separators, then the end. Spaces may stand
// between parts ("2009年 4月 1日"). Gregorian years have four digits; an era year up to nine
// (absurd ones are an era error, not a format error), and 元 ("first") only in the 年 form.
std::optional<Written> year_month_day(Cursor c, bool era) {
  Written w;
  c.skip_spaces();
  bool gannen = false;
  if (era && c.eat("元")) {
    gannen = true;
    w.year = 1;
  } else {
    const std::size_t n = c.number(w.year, 9);
    if (n == 0 || n > 9 || (!era && n != 4)) return std::nullopt;
  }
  c.skip_spaces();
  auto part = [&c](int& v) {
    c.skip_spaces();
    const std::size_t n = c.number(v, 2);
    c.skip_spaces();
    return n >= 1 && n <= 2;
  };
  if (c.eat("年")) {
    if (!part(w.month) || !c.eat("月") || !part(w.day) || !c.eat("日")) return std::nullopt;
  } else {
    const char sep = c.peek();
    if (gannen || (sep != '-' && sep != '/' && sep != '.')) return std::nullopt;
    ++c.i;
    if (!part(w.month) || c.peek() != sep) return std::nullopt;
    ++c.i;
    if (!part(w.day)) return std::nullopt;
  }
  c.skip_spaces();
  if (!c.done()) return std::nullopt;
  return w;
}

Error birth_error(Code code, std::string detail) {
  return Error{code, "", std::move(detail), -1};
}

// "1989-01-08 to 2019-04-30": the days an era covers in doui (明治 from 1873).
std::string era_span(std::size_t e) {
  const Date from = e == 0 ? kGregorianInJapan : kEras[e].start;
  std::string span = std::string(kEras[e].romaji) + " runs from " + format_date(from);
  if (e + 1 < kEras.size()) {
    span += " to " + format_date(civil_from_days(days_from_civil(kEras[e + 1].start.year,
                                                                 kEras[e + 1].start.month,
                                                                 kEras[e + 1].start.day) -
                                                 1));
  }
  return span;
}

Result<Date> era_date(std::size_t e, const Written& w) {
  const Era& era = kEras[e];
  const bool has_next = e + 1 < kEras.size();
  const Date from = e == 0 ? kGregorianInJapan : era.start;
  if (w.year < 1) return birth_error(Code::BirthdateBadEra, "era years start at 1 (元年)");
  // Years first, so that an absurd era year is an era error rather than a date beyond 9999.
  const std::int64_t gy = std::int64_t{era.start.year} + w.year - 1;
  if (gy < from.year || gy > 9999 || (has_next && gy > kEras[e + 1].start.year)) {
    return birth_error(Code::BirthdateBadEra, "year outside the era: " + era_span(e));
  }
  const Date d{static_cast<int>(gy), w.month, w.day};
  if (!is_valid_date(d)) return birth_error(Code::BirthdateNoSuchDate, "no such calendar date");
  // 1989 and 2019 each hold two eras: 昭和64年1月7日 exists, 昭和64年1月8日 does not.
  if (d < from || (has_next && d >= kEras[e + 1].start)) {
    return birth_error(Code::BirthdateBadEra, "date outside the era: " + era_span(e));
  }
  return d;
}

// One to four ASCII letters or CJK ideographs: the shape of an era name, 大化 or X, as opposed
// to a stray symbol or U+FFFD from ill-formed input. Plain ranges rather than u_isalpha: the
// character property tables would add ~30 KB gzip to the browser module.
bool looks_like_era_name(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  int32_t i = 0;
  int letters = 0;
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    const bool ascii_letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    const bool ideograph = (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
                           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
    if (c < 0 || !(ascii_letter || ideograph) || ++letters > 4) return false;
  }
  return letters > 0;
}

}  // namespace

Result<Date> parse_birthdate(std::string_view text) {
  if (text.size() > kMaxBirthdateBytes) {
    return birth_error(Code::BirthdateBadFormat, "longer than a birth date can be");
  }
  // ASCII digits, '-' and '/' are their own NFKC form with nothing to trim or replace: the
  // form records carry (2009-04-01) skips the normalisation below and is read as it is.
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return is_digit(c) || c == '-' || c == '/';
  });
  std::string trimmed;
  if (plain) {
    trimmed = text;
  } else {
    // NFKC folds what Japanese input methods and forms produce into ASCII: full-width digits
    // and punctuation, the ideographic space, and the era ligatures (㍻ → 平成, ㋿ →
    // 令和).
    const auto normal = nfkc(text);
    if (!normal) return birth_error(Code::BirthdateBadFormat, "could not normalise (NFKC)");
    trimmed = trim_spaces(*normal);
    // Dashes NFKC leaves alone but people type between the numbers: the long-vowel mark ー of
    // a Japanese keyboard's "-" key, minus −, hyphens ‐ ‑, and dashes – —.
    for (std::string_view dash : {"ー", "−", "‐", "‑", "–", "—"}) {
      for (auto at = trimmed.find(dash); at != std::string::npos; at = trimmed.find(dash, at + 1))
        trimmed.replace(at, dash.size(), "-");
    }
  }
  std::string_view s = trimmed;
  // Nothing typed (or only spaces) is a missing birth date, not a badly written one.
  if (s.empty()) return birth_error(Code::BirthdateMissing, "empty");

  const char* const kFormats = "expected 2009-04-01, 2009/4/1, 2009年4月1日 or 平成21年4月1日";
  if (is_digit(s.front())) {
    const auto w = year_month_day(Cursor{s}, false);
    if (!w) return birth_error(Code::BirthdateBadFormat, kFormats);
    const Date d{w->year, w->month, w->day};
    if (!is_valid_date(d)) return birth_error(Code::BirthdateNoSuchDate, "no such calendar date");
    return d;
  }

  for (std::size_t e = 0; e < kEras.size(); ++e) {
    Cursor c{s};
    const char lower = static_cast<char>(kEras[e].letter - 'A' + 'a');
    if (c.eat(kEras[e].name) || c.eat(std::string_view(&kEras[e].letter, 1)) ||
        c.eat(std::string_view(&lower, 1))) {
      const auto w = year_month_day(c, true);
      if (!w) return birth_error(Code::BirthdateBadFormat, kFormats);
      return era_date(e, *w);
    }
  }

  // A short word before an era-style date ("大化2年1月1日", "X1.2.3") names an era doui does not
  // know; anything else is simply not a date.
  std::size_t k = 0;
  while (k < s.size() && !is_digit(s[k]) && !is_space(s[k]) && s.substr(k, 3) != "元") ++k;
  if (looks_like_era_name(s.substr(0, k)) && year_month_day(Cursor{s, k}, true)) {
    return birth_error(Code::BirthdateBadEra,
                       "unknown era (明治 from 1873, 大正, 昭和, 平成, 令和)");
  }
  return birth_error(Code::BirthdateBadFormat, kFormats);
}

int legal_age(Date birth, Date on) {
  // The birthday (month, day) starts the new year of age at 00:00; a 29 February birthday is
  // never "reached" in a common year until 1 March, which is exactly what the law says.
  int years = on.year - birth.year;
  if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) --years;
  return years;
}

Result<AgeCheck> check_age(Date birth, Instant at) {
  // Callers pass parsed dates; a hand-built impossible one would make the age meaningless.
  if (!is_valid_date(birth)) {
    return birth_error(Code::BirthdateNoSuchDate, "no such calendar date");
  }
  const Date on = tokyo_date(at);
  if (birth < Date{1900, 1, 1}) {
    return birth_error(Code::BirthdateImplausible, "before 1900-01-01");
  }
  if (birth > on) {
    return birth_error(Code::BirthdateInFuture, "after the Tokyo date of the consent instant");
  }
  const int age = legal_age(birth, on);
  return AgeCheck{age, age <= kMaxAgeNeedingGuardian, on};
}

EraYear japanese_era(Date d) {
  if (d < kGregorianInJapan) return {};
  for (std::size_t e = kEras.size(); e-- > 0;) {
    if (d >= kEras[e].start) {
      return {std::string(kEras[e].name), d.year - kEras[e].start.year + 1,
              std::string(kEras[e].romaji)};
    }
  }
  return {};
}

std::string age_json(const AgeCheck& check) {
  std::string out = R"({"age":)";
  detail::append_decimal(out, static_cast<long long>(check.age));
  out +=
      check.guardian_required ? R"(,"guardian_required":true})" : R"(,"guardian_required":false})";
  return out;
}

std::optional<Instant> tokyo_midnight(std::string_view date) {
  auto t = parse_instant(std::string(date) + "T00:00:00+09:00");
  if (!t) return std::nullopt;
  return *t;
}

}  // namespace doui
