// The verifier's fast path. A valid record is, byte for byte, the record the engine writes for
// the inputs it states, so a verifier can read those inputs, re-derive the record and compare
// bytes: equal bytes prove every rule, the schema and the size limits at once (the engine
// enforces the limits when it builds; nothing the reader gets wrong can make the bytes equal).
// Only well-formed UTF-8 is checked apart. The record's first bytes (the choices prefix) come
// with their hash state from the policy's cache. The reader below therefore only needs the exact
// shape the writer writes (record_layout.hpp): at the first surprise it gives up and
// verify_record takes the full walk, which names every problem.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "doui/consent.hpp"
#include "doui/normalize.hpp"
#include "doui/uuid.hpp"
#include "json_write.hpp"
#include "record_internal.hpp"
#include "verify_internal.hpp"

namespace doui::detail {

namespace {

// Reads the layout's members from bytes in the writer's exact form; ok() false at the first
// byte that is not where the writer would put it.
class ExactReader {
 public:
  ExactReader(std::string_view text, RecordFields& record) : s_(text), record_(record) {}

  /// After the layout: the record's closing brace, and nothing after it.
  bool finish() {
    expect("}");
    return ok_ && pos_ == s_.size();
  }

  template <class F>
  void object(const Member& m, F&& body) {
    if (!(key(m) && expect("{"))) return;
    first_ = true;
    body();
    expect("}");
    first_ = false;
  }
  template <class F, class G>
  void one_of(const Member& m, bool RecordFields::*flag, F&& when_true, G&& when_false) {
    if (!(key(m) && expect("{"))) return;
    first_ = true;
    // The representative's object opens with "affirmed"; the person's own is {"role":…}.
    record_.*flag = s_.compare(pos_, 11, R"("affirmed":)") == 0;
    if (record_.*flag) {
      when_true();
    } else {
      when_false();
    }
    expect("}");
    first_ = false;
  }
  // A constant is plain ASCII, which RFC 8785 never escapes: its bytes are the value's.
  void constant(const Member& m, std::string_view value) {
    ok_ = ok_ && key(m) && literal("\"") && literal(value) && literal("\"");
  }
  void string(const Member& m, std::string RecordFields::*p) {
    ok_ = ok_ && key(m) && string_value(record_.*p);
  }
  void nullable_string(const Member& m, std::string RecordFields::*p) {
    if (!key(m)) return;
    if (literal("null")) {
      (record_.*p).clear();
    } else {
      ok_ = string_value(record_.*p);
    }
  }
  void strings(const Member& m, std::vector<std::string> RecordFields::*p) {
    if (!(key(m) && expect("["))) return;
    auto& out = record_.*p;
    out.clear();
    if (literal("]")) return;
    do {
      if (!string_value(out.emplace_back())) return fail();
    } while (literal(","));
    expect("]");
  }
  void boolean(const Member& m, bool RecordFields::*p) {
    if (!key(m)) return;
    if (literal("true")) {
      record_.*p = true;
    } else if (literal("false")) {
      record_.*p = false;
    } else {
      fail();
    }
  }
  void integer(const Member& m, std::int64_t RecordFields::*p) {
    if (!key(m)) return;
    const std::size_t from = pos_;
    std::int64_t value = 0;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9')
      value = value * 10 + (s_[pos_++] - '0');
    ok_ = pos_ > from && pos_ - from <= kMaxAgeDigits;
    record_.*p = value;
  }
  // The digest's place: read here, proven by match_after_choices.
  void digest(const Member&, std::string RecordFields::*p) {
    ok_ = expect(R"(,"digest":)") && string_value(record_.*p);
  }

 private:
  void fail() { ok_ = false; }

  // Literals here are keys and punctuation, a few bytes each: compared inline, as a call to
  // memcmp per key costs more than the comparison.
  bool literal(std::string_view l) {
    if (!ok_ || s_.size() - pos_ < l.size()) return false;
    const char* p = s_.data() + pos_;
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (p[i] != l[i]) return false;
    }
    pos_ += l.size();
    return true;
  }

  // What must come next; false (and no more reading) when it does not.
  bool expect(std::string_view l) {
    ok_ = literal(l);
    return ok_;
  }

  bool key(const Member& m) {
    ok_ = literal(first_ ? "\"" : ",\"") && literal(m.key) && literal("\":");
    first_ = false;
    return ok_;
  }

  // A string as RFC 8785 writes it: only ", \ and control characters escaped, short escapes
  // where JSON has them (match_after_choices rejects any other spelling of the same value).
  bool string_value(std::string& out) {
    out.clear();
    if (!literal("\"")) return false;
    std::size_t run = pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '"') {
        out.append(s_.data() + run, pos_ - run);
        ++pos_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        pos_ += std::max<std::size_t>(1, plain_run(s_.data() + pos_, s_.size() - pos_));
        continue;
      }
      out.append(s_.data() + run, pos_ - run);
      if (pos_ + 1 >= s_.size()) return false;
      const char e = s_[pos_ + 1];
      pos_ += 2;
      if (!unescape(e, out)) return false;
      run = pos_;
    }
    return false;
  }

  bool unescape(char e, std::string& out) {
    static constexpr std::string_view kShort = "\"\"\\\\b\bf\fn\nr\rt\t";
    for (std::size_t i = 0; i < kShort.size(); i += 2) {
      if (kShort[i] == e) {
        out += kShort[i + 1];
        return true;
      }
    }
    // \u00XX: how the other control characters are written.
    if (e != 'u' || s_.compare(pos_, 2, "00") != 0 || pos_ + 4 > s_.size()) return false;
    int value = 0;
    for (std::size_t k = pos_ + 2; k < pos_ + 4; ++k) {
      const char h = s_[k];
      if (h >= '0' && h <= '9') {
        value = value * 16 + (h - '0');
      } else if (h >= 'a' && h <= 'f') {
        value = value * 16 + (h - 'a' + 10);
      } else {
        return false;
      }
    }
    out += static_cast<char>(value);
    pos_ += 4;
    return true;
  }

  std::string_view s_;
  RecordFields& record_;
  std::size_t pos_ = 0;
  bool ok_ = true;
  bool first_ = true;
};

// Whether the bytes at `p` equal `expected` (which fits in the record). Records are compared
// whole; wasm's memcmp goes byte by byte, so there a word at a time.
bool same_bytes(const char* p, std::string_view expected) {
#ifdef __EMSCRIPTEN__
  std::size_t i = 0;
  for (; i + 8 <= expected.size(); i += 8) {
    std::uint64_t a, b;
    std::memcpy(&a, p + i, 8);
    std::memcpy(&b, expected.data() + i, 8);
    if (a != b) return false;
  }
  return std::memcmp(p + i, expected.data() + i, expected.size() - i) == 0;
#else
  return std::memcmp(p, expected.data(), expected.size()) == 0;
#endif
}

// Which of the policy's linkages the record says were chosen, read at their known offsets in
// the prefix (bit i: linkage_ids[i]).
std::size_t chosen_mask(std::string_view text, const PolicyCache& cache) {
  std::size_t mask = 0, chosen = 0;
  for (std::size_t i = 0; i < cache.chosen_at.size(); ++i) {
    // "true" is one byte shorter than "false": each earlier choice moves the next one back.
    const std::size_t at = cache.chosen_at[i] - chosen;
    if (at + 4 <= text.size() && text.compare(at, 4, "true") == 0) {
      mask |= std::size_t{1} << i;
      ++chosen;
    }
  }
  return mask;
}

// What the fast path fills per record, kept per thread between records.
struct FastPathScratch {
  RecordFields stated, expected;
  ConsentInputs inputs;
};

// Empties every member the layout reads (strings keep their buffers), as a fresh RecordFields.
struct Clearer {
  RecordFields& r;
  template <class F>
  void object(const Member&, F&& body) {
    body();
  }
  template <class F, class G>
  void one_of(const Member&, bool RecordFields::*flag, F&& when_true, G&&) {
    r.*flag = false;
    when_true();
  }
  void constant(const Member&, std::string_view) {}
  void string(const Member&, std::string RecordFields::*p) { (r.*p).clear(); }
  void nullable_string(const Member&, std::string RecordFields::*p) { (r.*p).clear(); }
  void strings(const Member&, std::vector<std::string> RecordFields::*p) { (r.*p).clear(); }
  void boolean(const Member&, bool RecordFields::*p) { r.*p = false; }
  void integer(const Member&, std::int64_t RecordFields::*p) { r.*p = 0; }
  void digest(const Member&, std::string RecordFields::*p) { (r.*p).clear(); }
};

void clear_fields(RecordFields& r) {
  r.choices.clear();
  Clearer c{r};
  visit_after_choices(c);
}

}  // namespace

std::optional<Verdict> accept_canonical_record(std::string_view text,
                                               const PolicyRegistry& registry, Instant now,
                                               const VerifyOptions& options) {
  if (text.size() > options.max_record_bytes) return std::nullopt;
  for (const auto& entry : RegistryAccess::entries(registry)) {
    const PolicyCache& cache = *entry.cache;
    if (cache.prefixes.empty()) continue;
    // One comparison of the whole prefix decides whether the record is this policy's.
    const std::size_t mask = chosen_mask(text, cache);
    const ChoicesPrefix& prefix = cache.prefixes[mask];
    if (text.size() < prefix.bytes.size() || !same_bytes(text.data(), prefix.bytes)) continue;
    const std::string_view tail = text.substr(prefix.bytes.size());
    // The full walk's parser rejects ill-formed UTF-8; the prefix is the policy's own text.
    if (!is_valid_utf8(tail)) return std::nullopt;
    // Reused from record to record: their strings fit the buffers the last one left, so a
    // record costs almost no allocations here.
    thread_local FastPathScratch scratch;
    RecordFields& stated = scratch.stated;
    clear_fields(stated);
    ExactReader reader(tail, stated);
    visit_after_choices(reader);
    if (!reader.finish() || stated.schema != kRecordSchema) return std::nullopt;
    // Another version of the policy may open its records with the same bytes; and of two
    // policies added with the same id and version, the full walk uses the first (find()).
    if (registry.find(stated.policy_id, stated.policy_version) != &entry.policy) continue;
    if (!is_uuid_v4(stated.record_id)) return std::nullopt;
    auto at = parse_instant(stated.consented_at);
    if (!at || at->unix_ms > now.unix_ms + options.clock_skew_ms) return std::nullopt;
    ConsentInputs& in = scratch.inputs;
    stated_inputs_into(stated, in);
    for (std::size_t i = 0; i < cache.linkage_ids.size(); ++i) {
      if (mask & (std::size_t{1} << i)) in.linkages.push_back(cache.linkage_ids[i]);
    }
    auto ev = evaluate_full(entry.policy, in, *at, &cache.disclosures, cache.effective);
    if (!ev.state.complete) return std::nullopt;
    RecordFields& expected = scratch.expected;
    derive_record_into(expected, entry.policy, in, ev, *at, stated.record_id,
                       /*with_choices=*/false);
    auto digest = match_after_choices(tail, expected, prefix.hashed);
    if (!digest) return std::nullopt;
    Verdict v;
    v.record_id = stated.record_id;
    v.valid = true;
    v.digest = std::move(*digest);
    v.reconsent_required = reconsent_required(registry, entry.policy, now);
    return v;
  }
  return std::nullopt;
}

}  // namespace doui::detail
