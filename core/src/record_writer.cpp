// The consent record's one layout, written straight to canonical bytes (RFC 8785): members in
// UTF-16 order (all keys are ASCII, so byte order), strings escaped by the shared JCS writer,
// integers in decimal. tests/unit/consent_test.cpp holds the output to canonicalize() of itself.
#include <algorithm>
#include <array>

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

std::string record_tail(const Policy& policy, const ConsentInputs& in, const Evaluation& ev,
                        Instant now, const std::string& record_id, crypto_hash_sha256_state state) {
  std::string out;
  out.reserve(1024);
  out += R"("collection":{"agent":)";
  append_json_string(out, in.agent);
  out += R"(,"surface":)";
  append_json_string(out, in.surface);
  out += R"(},"consent_by":)";
  if (ev.state.guardian_required) {
    out += R"({"affirmed":true,"covers":[)";
    // Listed in policy order, each once: the same choice always gives the same bytes.
    bool first = true;
    for (const auto& d : *ev.disclosures) {
      if (!d.optional_linkage || !contains(in.guardian_covers, d.id)) continue;
      if (!first) out += ',';
      first = false;
      append_json_string(out, d.id);
    }
    out += R"(],"name":)";
    append_json_string(out, ev.guardian_name);
    out += R"(,"name_kana":)";
    append_json_string(out, ev.guardian_name_kana);
    out += R"(,"relationship":)";
    append_json_string(out, to_string(ev.relationship));
    out += R"(,"role":"guardian"})";
  } else {
    out += R"({"role":"subject"})";
  }
  out += R"(,"consented_at":)";
  append_json_string(out, format_instant(now));
  out += ',';
  // "digest" goes here in the record; the digest is over the record without it.
  const std::size_t digest_at = out.size();
  out += R"("event":)";
  append_json_string(out, in.event);
  out += R"(,"locale":)";
  append_json_string(out, in.locale);
  out += R"(,"person":{"age":)";
  append_decimal(out, static_cast<long long>(ev.age->age));
  out += R"(,"age_rule":)";
  append_json_string(out, kAgeRule);
  out += R"(,"birthdate":)";
  append_json_string(out, format_date(*ev.birthdate));
  out += R"(,"guardian_required":)";
  out += ev.state.guardian_required ? "true" : "false";
  out += R"(,"tokyo_date":)";
  append_json_string(out, format_date(ev.age->on));
  out += R"(},"policy":{"digest":)";
  append_json_string(out, policy.digest);
  out += R"(,"effective_date":)";
  append_json_string(out, policy.effective_date);
  out += R"(,"id":)";
  append_json_string(out, policy.id);
  out += R"(,"version":)";
  append_json_string(out, policy.version);
  out += R"(},"policy_agreed":)";
  out += in.policy_agreed ? "true" : "false";
  out += R"(,"previous_record":)";
  if (in.previous_record.empty()) {
    out += "null";
  } else {
    append_json_string(out, in.previous_record);
  }
  out += R"(,"record_id":)";
  append_json_string(out, record_id);
  out += R"(,"schema":)";
  append_json_string(out, kRecordSchema);
  out += R"(,"subject":)";
  append_json_string(out, in.subject);
  out += '}';

  update(state, out);
  std::string digest_member = R"("digest":")" + hex_of(state) + "\",";
  out.insert(digest_at, digest_member);
  return out;
}

std::optional<Instant> tokyo_midnight(const std::string& date) {
  auto t = parse_instant(date + "T00:00:00+09:00");
  if (!t) return std::nullopt;
  return *t;
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
