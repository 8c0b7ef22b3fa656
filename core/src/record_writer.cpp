// The consent record's one layout, written straight to canonical bytes (RFC 8785): members in
// UTF-16 order (all keys are ASCII, so byte order), strings escaped by the shared JCS writer,
// integers in decimal. tests/unit/fast_path_test.cpp holds the output to canonicalize() of itself.
#include <algorithm>
#include <array>
#include <cstring>

#include "decimal.hpp"
#include "doui/age.hpp"
#include "json_write.hpp"
#include "record_internal.hpp"

namespace doui::detail {

namespace {

void string_array(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, items[i]);
  }
  out += ']';
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string hex_of(const crypto_hash_sha256_state& state) {
  crypto_hash_sha256_state s = state;  // finishing consumes the state
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(&s, digest.data());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), crypto_hash_sha256_BYTES * 2);
}

void update(crypto_hash_sha256_state& s, std::string_view bytes) {
  crypto_hash_sha256_update(&s, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

}  // namespace

std::string choices_prefix(const std::vector<Disclosure>& disclosures,
                           const std::vector<std::string>& chosen) {
  std::string out = R"({"choices":[)";
  bool first = true;
  for (const auto& d : disclosures) {
    if (!d.optional_linkage) continue;
    if (!first) out += ',';
    first = false;
    out += R"({"chosen":)";
    out += contains(chosen, d.id) ? "true" : "false";
    out += R"(,"data_items":)";
    string_array(out, d.data_items);
    out += R"(,"disclosure_digest":)";
    append_json_string(out, d.digest);
    out += R"(,"id":)";
    append_json_string(out, d.id);
    out += R"(,"purposes":[)";
    for (std::size_t i = 0; i < d.purposes.size(); ++i) {
      if (i) out += ',';
      append_json_string(out, d.purposes[i].text);
    }
    out += R"(],"recipients":[)";
    for (std::size_t i = 0; i < d.recipients.size(); ++i) {
      if (i) out += ',';
      append_json_string(out, d.recipients[i].name);
    }
    out += "]}";
  }
  out += "],";
  return out;
}

ChoicesPrefix hash_prefix(std::string bytes) {
  ChoicesPrefix p{std::move(bytes), {}};
  crypto_hash_sha256_init(&p.hashed);
  update(p.hashed, p.bytes);
  return p;
}

std::string record_text(const Policy& policy, const ConsentInputs& in, const Evaluation& ev,
                        Instant now, const std::string& record_id) {
  ChoicesPrefix prefix = hash_prefix(choices_prefix(*ev.disclosures, in.linkages));
  return prefix.bytes + record_tail(policy, in, ev, now, record_id, prefix.hashed);
}

namespace {

// Where the bytes after the choices prefix go. The layout below is written once, for two sinks:
// StringSink builds a record; MatchSink checks a record's bytes against the same layout without
// building anything (the verifier's fast path). Each has raw(bytes), string(JSON string value)
// and digest() for the place of the "digest" member, which the digest itself does not cover.
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
    raw(R"("digest":")");
    for (std::size_t i = 0; ok_ && i < 2 * crypto_hash_sha256_BYTES; ++i) {
      const char c = pos_ < text_.size() ? text_[pos_] : '\0';
      ok_ = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      ++pos_;
    }
    raw("\",");
    digest_end_ = pos_;
  }
  bool matched() const { return ok_ && pos_ == text_.size(); }
  std::size_t digest_begin() const { return digest_begin_; }
  std::size_t digest_end() const { return digest_end_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  bool ok_ = true;
  std::size_t digest_begin_ = 0, digest_end_ = 0;
};

template <class Sink>
void write_tail(Sink& out, const Policy& policy, const ConsentInputs& in, const Evaluation& ev,
                Instant now, const std::string& record_id) {
  out.raw(R"("collection":{"agent":)");
  out.string(in.agent);
  out.raw(R"(,"surface":)");
  out.string(in.surface);
  out.raw(R"(},"consent_by":)");
  if (ev.state.guardian_required) {
    out.raw(R"({"affirmed":true,"covers":[)");
    // The chosen linkages the representative consents to (covering one not chosen consents to
    // nothing), in policy order, each once: the same choice always gives the same bytes.
    bool first = true;
    for (const auto& d : *ev.disclosures) {
      if (!d.optional_linkage || !contains(in.guardian_covers, d.id) ||
          !contains(in.linkages, d.id))
        continue;
      if (!first) out.raw(",");
      first = false;
      out.string(d.id);
    }
    out.raw(R"(],"name":)");
    out.string(ev.guardian_name);
    out.raw(R"(,"name_kana":)");
    out.string(ev.guardian_name_kana);
    out.raw(R"(,"relationship":)");
    out.string(to_string(ev.relationship));
    out.raw(R"(,"role":"guardian"})");
  } else {
    out.raw(R"({"role":"subject"})");
  }
  out.raw(R"(,"consented_at":)");
  out.string(format_instant(now));
  out.raw(",");
  out.digest();  // "digest" sorts here; the digest is over the record without it
  out.raw(R"("event":)");
  out.string(in.event);
  out.raw(R"(,"locale":)");
  out.string(in.locale);
  out.raw(R"(,"person":{"age":)");
  std::string age;
  append_decimal(age, static_cast<long long>(ev.age->age));
  out.raw(age);
  out.raw(R"(,"age_rule":)");
  out.string(kAgeRule);
  out.raw(R"(,"birthdate":)");
  out.string(format_date(*ev.birthdate));
  out.raw(R"(,"guardian_required":)");
  out.raw(ev.state.guardian_required ? "true" : "false");
  out.raw(R"(,"tokyo_date":)");
  out.string(format_date(ev.age->on));
  out.raw(R"(},"policy":{"digest":)");
  out.string(policy.digest);
  out.raw(R"(,"effective_date":)");
  out.string(policy.effective_date);
  out.raw(R"(,"id":)");
  out.string(policy.id);
  out.raw(R"(,"version":)");
  out.string(policy.version);
  out.raw(R"(},"policy_agreed":)");
  out.raw(in.policy_agreed ? "true" : "false");
  out.raw(R"(,"previous_record":)");
  if (in.previous_record.empty()) {
    out.raw("null");
  } else {
    out.string(in.previous_record);
  }
  out.raw(R"(,"record_id":)");
  out.string(record_id);
  out.raw(R"(,"schema":)");
  out.string(kRecordSchema);
  out.raw(R"(,"subject":)");
  out.string(in.subject);
  out.raw("}");
}

}  // namespace

std::string record_tail(const Policy& policy, const ConsentInputs& in, const Evaluation& ev,
                        Instant now, const std::string& record_id, crypto_hash_sha256_state state) {
  std::string out;
  out.reserve(1024);
  StringSink sink(out);
  write_tail(sink, policy, in, ev, now, record_id);
  update(state, out);
  out.insert(sink.digest_at(), R"("digest":")" + hex_of(state) + "\",");
  return out;
}

std::optional<std::string> match_tail(std::string_view tail, const Policy& policy,
                                      const ConsentInputs& in, const Evaluation& ev, Instant now,
                                      const std::string& record_id,
                                      const crypto_hash_sha256_state& after_prefix) {
  MatchSink sink(tail);
  write_tail(sink, policy, in, ev, now, record_id);
  if (!sink.matched()) return std::nullopt;
  // The layout matched; the digest must be the one over these very bytes, without its member.
  crypto_hash_sha256_state state = after_prefix;
  update(state, tail.substr(0, sink.digest_begin()));
  update(state, tail.substr(sink.digest_end()));
  std::string digest = hex_of(state);
  if (tail.compare(sink.digest_begin() + 10, digest.size(), digest) != 0) return std::nullopt;
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
  auto fits = [](const std::vector<std::string>& items) {
    return items.size() <= 64 && std::all_of(items.begin(), items.end(), [](const auto& s) {
             return s.size() <= kMaxRecordString;
           });
  };
  bool within_limits = true;
  for (const auto& d : c.disclosures) {
    if (!d.optional_linkage) continue;
    std::vector<std::string> purposes, recipients;
    for (const auto& p : d.purposes) purposes.push_back(p.text);
    for (const auto& r : d.recipients) recipients.push_back(r.name);
    within_limits = within_limits && fits(purposes) && fits(recipients) && fits(d.data_items) &&
                    fits({d.id, d.digest});
  }
  if (within_limits && c.linkage_ids.size() <= kMaxCachedLinkages) {
    const std::size_t sets = std::size_t{1} << c.linkage_ids.size();
    c.prefixes.reserve(sets);
    for (std::size_t mask = 0; mask < sets; ++mask) {
      std::vector<std::string> chosen;
      for (std::size_t i = 0; i < c.linkage_ids.size(); ++i) {
        if (mask & (std::size_t{1} << i)) chosen.push_back(c.linkage_ids[i]);
      }
      c.prefixes.push_back(hash_prefix(choices_prefix(c.disclosures, chosen)));
    }
    // Object texts hold no bare '"', so each {"chosen": opens the next decision.
    const std::string_view none = c.prefixes[0].bytes;
    constexpr std::string_view kOpen = R"({"chosen":)";
    std::size_t from = 0;
    for (std::size_t i = 0; i < c.linkage_ids.size(); ++i) {
      from = none.find(kOpen, from) + kOpen.size();
      c.chosen_at.push_back(from);
    }
  }
  return c;
}

}  // namespace doui::detail
