// Writing a record: its values from the engine's evaluation (derive_record), then its canonical
// bytes (RFC 8785) member by member from the layout (record_layout.hpp), without a DOM. All keys
// are ASCII, so the layout's order is UTF-16 order. tests/unit/fast_path_test.cpp holds the
// output to canonicalize() of itself.
#include <algorithm>
#include <array>
#include <cstring>

#include "decimal.hpp"
#include "doui/age.hpp"
#include "hex.hpp"
#include "json_write.hpp"
#include "record_internal.hpp"

namespace doui::detail {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string hex_of(const crypto_hash_sha256_state& state) {
  crypto_hash_sha256_state s = state;  // finishing consumes the state
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(&s, digest.data());
  return lower_hex(digest.data(), digest.size());
}

void update(crypto_hash_sha256_state& s, std::string_view bytes) {
  crypto_hash_sha256_update(&s, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

// Where the bytes go. StringSink builds a record; MatchSink checks a record's bytes against the
// same layout without building anything (the verifier's fast path). Each has raw(bytes),
// string(JSON string value) and digest() for the place of the ,"digest":"…" member, which the
// digest itself does not cover.
class StringSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  void raw(std::string_view s) { out_ += s; }
  void string(std::string_view s) { append_json_string(out_, s); }
  void digest() { digest_at_ = out_.size(); }
  std::size_t digest_at() const { return digest_at_; }

 private:
  std::string& out_;
  std::size_t digest_at_ = 0;
};

class MatchSink {
 public:
  explicit MatchSink(std::string_view text) : text_(text) {}
  void raw(std::string_view s) {
    if (!ok_ || text_.size() - pos_ < s.size() ||
        std::memcmp(text_.data() + pos_, s.data(), s.size()) != 0) {
      ok_ = false;
      return;
    }
    pos_ += s.size();
  }
  // The value as append_json_string writes it: plain runs, then the escape of each special byte.
  void string(std::string_view s) {
    raw("\"");
    for (std::size_t i = 0; ok_ && i < s.size();) {
      const std::size_t run = plain_run(s.data() + i, s.size() - i);
      raw(s.substr(i, run));
      i += run;
      if (i == s.size()) break;
      std::string escaped;
      append_json_string(escaped, s.substr(i++, 1));  // "\n", "\u0001", …
      raw(std::string_view(escaped).substr(1, escaped.size() - 2));
    }
    raw("\"");
  }
  void digest() {
    digest_begin_ = pos_;
    raw(R"(,"digest":")");
    digest_value_ = pos_;
    for (std::size_t i = 0; ok_ && i < 2 * crypto_hash_sha256_BYTES; ++i) {
      const char c = pos_ < text_.size() ? text_[pos_] : '\0';
      ok_ = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      ++pos_;
    }
    raw("\"");
    digest_end_ = pos_;
  }
  bool matched() const { return ok_ && pos_ == text_.size(); }
  std::size_t digest_begin() const { return digest_begin_; }
  std::size_t digest_value() const { return digest_value_; }
  std::size_t digest_end() const { return digest_end_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  bool ok_ = true;
  std::size_t digest_begin_ = 0, digest_value_ = 0, digest_end_ = 0;
};

// The layout's visitor that writes: commas between members, keys, values.
template <class Sink>
class RecordWriter {
 public:
  RecordWriter(Sink& out, const RecordFields& record) : out_(out), record_(record) {}

  template <class F>
  void object(const Member& m, F&& body) {
    key(m);
    out_.raw("{");
    first_ = true;
    body();
    out_.raw("}");
    first_ = false;
  }
  template <class F, class G>
  void one_of(const Member& m, bool RecordFields::*flag, F&& when_true, G&& when_false) {
    key(m);
    out_.raw("{");
    first_ = true;
    if (record_.*flag) {
      when_true();
    } else {
      when_false();
    }
    out_.raw("}");
    first_ = false;
  }
  template <class F>
  void array(const Member& m, std::vector<ChoiceFields> RecordFields::*list, F&& body) {
    key(m);
    out_.raw("[");
    bool first = true;
    for (const auto& c : record_.*list) {
      if (!first) out_.raw(",");
      first = false;
      choice_ = &c;
      out_.raw("{");
      first_ = true;
      body();
      out_.raw("}");
    }
    choice_ = nullptr;
    out_.raw("]");
    first_ = false;
  }
  void constant(const Member& m, std::string_view value) {
    key(m);
    out_.string(value);
  }
  template <class C>
  void string(const Member& m, std::string C::*p) {
    key(m);
    out_.string(of<C>().*p);
  }
  void nullable_string(const Member& m, std::string RecordFields::*p) {
    key(m);
    if ((record_.*p).empty()) {
      out_.raw("null");
    } else {
      out_.string(record_.*p);
    }
  }
  template <class C>
  void strings(const Member& m, std::vector<std::string> C::*p) {
    key(m);
    out_.raw("[");
    const auto& items = of<C>().*p;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i) out_.raw(",");
      out_.string(items[i]);
    }
    out_.raw("]");
  }
  template <class C>
  void boolean(const Member& m, bool C::*p) {
    key(m);
    out_.raw(of<C>().*p ? "true" : "false");
  }
  void integer(const Member& m, std::int64_t RecordFields::*p) {
    key(m);
    std::string digits;
    append_decimal(digits, static_cast<long long>(record_.*p));
    out_.raw(digits);
  }
  // Never the first member; the sink writes (or matches) ,"digest":"…" itself.
  void digest(const Member&, std::string RecordFields::*) { out_.digest(); }

  // The tail follows the choices prefix, which ends with its comma.
  void start_tail() { first_ = true; }

 private:
  template <class C>
  const C& of() const {
    if constexpr (std::is_same_v<C, ChoiceFields>) {
      return *choice_;
    } else {
      return record_;
    }
  }
  void key(const Member& m) {
    out_.raw(first_ ? "\"" : ",\"");
    first_ = false;
    out_.raw(m.key);
    out_.raw("\":");
  }

  Sink& out_;
  const RecordFields& record_;
  const ChoiceFields* choice_ = nullptr;
  bool first_ = true;
};

template <class Sink>
void write_after_choices(Sink& sink, const RecordFields& record) {
  RecordWriter<Sink> w(sink, record);
  w.start_tail();
  visit_after_choices(w);
  sink.raw("}");
}

}  // namespace

std::vector<ChoiceFields> choices_for(const std::vector<Disclosure>& disclosures,
                                      const std::vector<std::string>& chosen) {
  std::vector<ChoiceFields> out;
  for (const auto& d : disclosures) {
    if (!d.optional_linkage) continue;
    ChoiceFields c;
    c.chosen = contains(chosen, d.id);
    c.data_items = d.data_items;
    c.disclosure_digest = d.digest;
    c.id = d.id;
    for (const auto& p : d.purposes) c.purposes.push_back(p.text);
    for (const auto& r : d.recipients) c.recipients.push_back(r.name);
    out.push_back(std::move(c));
  }
  return out;
}

std::string choices_prefix(const std::vector<ChoiceFields>& choices) {
  RecordFields record;
  record.choices = choices;
  std::string out = "{";
  StringSink sink(out);
  RecordWriter<StringSink> w(sink, record);
  visit_choices(w);
  out += ',';
  return out;
}

ChoicesPrefix hash_prefix(std::string bytes) {
  ChoicesPrefix p{std::move(bytes), {}};
  crypto_hash_sha256_init(&p.hashed);
  update(p.hashed, p.bytes);
  return p;
}

void derive_record_into(RecordFields& r, const Policy& policy, const ConsentInputs& in,
                        const Evaluation& ev, Instant now, const std::string& record_id,
                        bool with_choices) {
  // Every member assigned, never left from a previous use: `r` may be scratch reused between
  // records (assignment keeps a string's buffer).
  if (with_choices) {
    r.choices = choices_for(*ev.disclosures, in.linkages);
  } else {
    r.choices.clear();
  }
  r.agent = in.agent;
  r.surface = in.surface;
  r.by_guardian = ev.by_guardian;
  r.affirmed = r.by_guardian && in.guardian_affirmed;
  r.covers.clear();
  r.name.clear();
  r.name_kana.clear();
  r.relationship.clear();
  if (r.by_guardian) {
    // The chosen linkages the representative consents to (covering one not chosen consents to
    // nothing), in policy order, each once: the same choice always gives the same bytes.
    for (const auto& d : *ev.disclosures) {
      if (d.optional_linkage && contains(in.guardian_covers, d.id) && contains(in.linkages, d.id))
        r.covers.push_back(d.id);
    }
    r.name = ev.guardian_name;
    r.name_kana = ev.guardian_name_kana;
    r.relationship = to_string(ev.relationship);
  }
  r.consented_at = format_instant(now);
  r.event = in.event;
  r.locale = in.locale;
  r.age = 0;
  r.age_rule.clear();
  r.birthdate.clear();
  r.guardian_required = false;
  r.tokyo_date.clear();
  if (ev.age && ev.birthdate) {
    r.age = ev.age->age;
    r.age_rule = kAgeRule;
    r.birthdate = format_date(*ev.birthdate);
    r.guardian_required = ev.state.guardian_required;
    r.tokyo_date = format_date(ev.age->on);
  }
  r.digest.clear();
  r.policy_digest = policy.digest;
  r.effective_date = policy.effective_date;
  r.policy_id = policy.id;
  r.policy_version = policy.version;
  r.policy_agreed = in.policy_agreed;
  r.previous_record = in.previous_record;
  r.record_id = record_id;
  r.schema = kRecordSchema;
  r.subject = in.subject;
}

RecordFields derive_record(const Policy& policy, const ConsentInputs& in, const Evaluation& ev,
                           Instant now, const std::string& record_id, bool with_choices) {
  RecordFields r;
  derive_record_into(r, policy, in, ev, now, record_id, with_choices);
  return r;
}

std::string record_text(const RecordFields& record) {
  ChoicesPrefix prefix = hash_prefix(choices_prefix(record.choices));
  return prefix.bytes + record_after_choices(record, prefix.hashed);
}

std::string record_after_choices(const RecordFields& record, crypto_hash_sha256_state state) {
  std::string out;
  out.reserve(1024);
  StringSink sink(out);
  write_after_choices(sink, record);
  update(state, out);
  out.insert(sink.digest_at(), R"(,"digest":")" + hex_of(state) + "\"");
  return out;
}

std::optional<std::string> match_after_choices(std::string_view tail, const RecordFields& expected,
                                               const crypto_hash_sha256_state& after_prefix) {
  MatchSink sink(tail);
  write_after_choices(sink, expected);
  if (!sink.matched()) return std::nullopt;
  // The layout matched; the digest must be the one over these very bytes, without its member.
  crypto_hash_sha256_state state = after_prefix;
  update(state, tail.substr(0, sink.digest_begin()));
  update(state, tail.substr(sink.digest_end()));
  std::string digest = hex_of(state);
  if (tail.compare(sink.digest_value(), digest.size(), digest) != 0) return std::nullopt;
  return digest;
}

PolicyCache make_policy_cache(const Policy& policy) {
  PolicyCache c;
  c.disclosures = derive_disclosures(policy);
  c.effective = tokyo_midnight(policy.effective_date);
  for (const auto& d : c.disclosures) {
    if (d.optional_linkage) c.linkage_ids.push_back(d.id);
  }
  // Only texts within the limits the verifier's full walk enforces: a record whose prefix breaks
  // them must take that walk, which reports record.too_large.
  const auto none = choices_for(c.disclosures, {});
  auto fits = [](const std::vector<std::string>& items) {
    return items.size() <= kMaxRecordList &&
           std::all_of(items.begin(), items.end(),
                       [](const auto& s) { return s.size() <= kMaxRecordString; });
  };
  const bool within_limits = std::all_of(none.begin(), none.end(), [&](const ChoiceFields& d) {
    return fits(d.purposes) && fits(d.recipients) && fits(d.data_items) &&
           fits({d.id, d.disclosure_digest});
  });
  if (within_limits && c.linkage_ids.size() <= kMaxCachedLinkages) {
    const std::size_t sets = std::size_t{1} << c.linkage_ids.size();
    c.prefixes.reserve(sets);
    for (std::size_t mask = 0; mask < sets; ++mask) {
      auto choices = none;
      for (std::size_t i = 0; i < choices.size(); ++i) choices[i].chosen = (mask >> i) & 1;
      c.prefixes.push_back(hash_prefix(choices_prefix(choices)));
    }
    // Object texts hold no bare '"', so each {"chosen": opens the next decision.
    const std::string_view unchosen = c.prefixes[0].bytes;
    constexpr std::string_view kOpen = R"({"chosen":)";
    std::size_t from = 0;
    for (std::size_t i = 0; i < c.linkage_ids.size(); ++i) {
      from = unchosen.find(kOpen, from) + kOpen.size();
      c.chosen_at.push_back(from);
    }
  }
  return c;
}

}  // namespace doui::detail
