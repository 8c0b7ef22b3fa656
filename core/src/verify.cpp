#include "doui/verify.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>

#include <nlohmann/json.hpp>

#include "doui/canonical.hpp"
#include "doui/consent.hpp"
#include "doui/digest.hpp"
#include "doui/normalize.hpp"
#include "json_strict.hpp"
#include "json_write.hpp"
#include "record_internal.hpp"
#include "verify_internal.hpp"

namespace doui {

using nlohmann::json;

void PolicyRegistry::add(Policy policy) {
  auto cache = std::make_shared<const detail::PolicyCache>(detail::make_policy_cache(policy));
  entries_.push_back(Entry{std::move(policy), std::move(cache)});
}

const Policy* PolicyRegistry::find(std::string_view id, std::string_view version) const {
  for (const auto& e : entries_) {
    if (e.policy.id == id && e.policy.version == version) return &e.policy;
  }
  return nullptr;
}

const std::vector<Disclosure>& PolicyRegistry::disclosures(const Policy* policy) const {
  for (const auto& e : entries_) {
    if (&e.policy == policy) return e.cache->disclosures;
  }
  static const std::vector<Disclosure> none;
  return none;
}

const Policy* PolicyRegistry::current(std::string_view id, Instant now) const {
  const Policy* best = nullptr;
  for (const auto& e : entries_) {
    const Policy& p = e.policy;
    if (p.id != id) continue;
    const auto& from = e.cache->effective;
    if (!from || *from > now) continue;
    if (best == nullptr || p.effective_date > best->effective_date) best = &p;
  }
  return best;
}

namespace detail {

struct RegistryAccess {
  static const std::deque<PolicyRegistry::Entry>& entries(const PolicyRegistry& r) {
    return r.entries_;
  }
};

}  // namespace detail

namespace {

// A newer version of the policy is in effect at `now`. By effective date, not by "is another
// version": a record made on the newest version inside the clock-skew allowance before it takes
// effect is not superseded by the version it replaces.
bool reconsent_required(const PolicyRegistry& registry, const Policy& policy, Instant now) {
  const Policy* current = registry.current(policy.id, now);
  return current != nullptr && current->effective_date > policy.effective_date;
}

constexpr std::size_t kMaxString = detail::kMaxRecordString;

using detail::type_name;

// The schema walk: types, required and unknown fields, sizes. Collects every problem.
class Checker {
 public:
  std::vector<Error>& errors;

  void add(Code c, std::string path, std::string detail) {
    errors.push_back(Error{c, std::move(path), std::move(detail), -1});
  }

  bool object(const json& v, const std::string& path, std::initializer_list<const char*> required,
              std::initializer_list<const char*> optional = {}) {
    static constexpr detail::SchemaCodes kCodes{Code::RecordMissingField, Code::RecordWrongType,
                                                Code::RecordUnknownField};
    return detail::check_object(v, path, required, optional, kCodes, kRecordSchema, errors);
  }

  const json* get(const json& obj, const char* key) {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
  }

  std::string str(const json& obj, const char* key, const std::string& path,
                  bool allow_empty = false) {
    const json* v = get(obj, key);
    if (v == nullptr) return {};
    std::string p = path + "/" + key;
    if (!v->is_string()) {
      add(Code::RecordWrongType, p, std::string("expected string, found ") + type_name(*v));
      return {};
    }
    const auto& s = v->get_ref<const std::string&>();
    if (s.size() > kMaxString)
      add(Code::RecordTooLarge, p, "longer than " + std::to_string(kMaxString) + " bytes");
    if (s.empty() && !allow_empty) add(Code::RecordBadValue, p, "must not be empty");
    return s;
  }

  bool boolean(const json& obj, const char* key, const std::string& path) {
    const json* v = get(obj, key);
    if (v == nullptr) return false;
    if (!v->is_boolean()) {
      add(Code::RecordWrongType, path + "/" + key,
          std::string("expected boolean, found ") + type_name(*v));
      return false;
    }
    return v->get<bool>();
  }

  std::vector<std::string> strings(const json& obj, const char* key, const std::string& path) {
    std::vector<std::string> out;
    const json* v = get(obj, key);
    if (v == nullptr) return out;
    std::string p = path + "/" + key;
    if (!v->is_array()) {
      add(Code::RecordWrongType, p, std::string("expected array, found ") + type_name(*v));
      return out;
    }
    if (v->size() > 64) add(Code::RecordTooLarge, p, "more than 64 entries");
    std::size_t i = 0;
    for (const auto& e : *v) {
      std::string ep = p + "/" + std::to_string(i++);
      if (!e.is_string()) {
        add(Code::RecordWrongType, ep, std::string("expected string, found ") + type_name(e));
        continue;
      }
      if (e.get_ref<const std::string&>().size() > kMaxString)
        add(Code::RecordTooLarge, ep, "too long");
      out.push_back(e.get<std::string>());
    }
    return out;
  }
};

// Which record field an input problem is about.
std::string record_path(const std::string& field, const json& rec) {
  if (field == "subject") return "/subject";
  if (field == "birthdate") return "/person/birthdate";
  if (field == "policy") return "/policy_agreed";
  if (field == "guardian") return "/consent_by";
  if (field == "guardian.name") return "/consent_by/name";
  if (field == "guardian.name_kana") return "/consent_by/name_kana";
  if (field == "guardian.relationship") return "/consent_by/relationship";
  if (field == "guardian.affirmed") return "/consent_by/affirmed";
  if (field == "guardian.covers") return "/consent_by/covers";
  if (field == "consented_at" || field == "locale" || field == "event" ||
      field == "previous_record" || field == "collection")
    return "/" + field;
  if (field.rfind("linkages.", 0) == 0) {
    std::string id = field.substr(9);
    const auto& ls = rec["choices"];
    for (std::size_t i = 0; i < ls.size(); ++i) {
      if (ls[i].is_object() && ls[i].contains("id") && ls[i]["id"] == id)
        return "/choices/" + std::to_string(i);
    }
  }
  return "/choices";
}

// Code for a field whose stated value differs from the re-derived one.
Code mismatch_code(const std::string& path) {
  if (path.rfind("/person/", 0) == 0) return Code::RecordAgeMismatch;
  if (path.rfind("/choices", 0) == 0) return Code::LinkageDisclosureMismatch;
  if (path == "/digest") return Code::RecordDigestMismatch;
  if (path.rfind("/policy/", 0) == 0) return Code::RecordPolicyDigestMismatch;
  return Code::RecordBadValue;
}

void diff(const json& expected, const json& actual, const std::string& path,
          std::vector<Error>& out) {
  if (expected.is_object() && actual.is_object()) {
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      auto a = actual.find(it.key());
      if (a != actual.end()) diff(*it, *a, path + "/" + detail::pointer_token(it.key()), out);
    }
    return;
  }
  if (expected.is_array() && actual.is_array() && expected.size() == actual.size()) {
    for (std::size_t i = 0; i < expected.size(); ++i)
      diff(expected[i], actual[i], path + "/" + std::to_string(i), out);
    return;
  }
  if (expected != actual)
    out.push_back(Error{mismatch_code(path), path, "differs from what the rules derive", -1});
}

// The fast path. A valid record is, byte for byte, the record the engine writes for the inputs
// it states, so a verifier can read those inputs, re-derive the record and compare bytes: equal
// bytes prove every rule, the schema and the size limits at once (the engine enforces the limits
// when it builds; nothing the reader gets wrong can make the bytes equal). Only well-formed UTF-8
// is checked apart. The record's first bytes (the choices prefix) come with their hash state.
// The reader below therefore only needs the exact shape doui writes: at the first surprise it
// gives up and verify_record takes the full walk, which names every problem.
class ExactReader {
 public:
  explicit ExactReader(std::string_view s) : s_(s) {}

  bool lit(std::string_view l) {
    if (s_.compare(pos_, l.size(), l) != 0) return false;
    pos_ += l.size();
    return true;
  }

  // A string as RFC 8785 writes it: only ", \ and control characters escaped, short escapes
  // where JSON has them. No longer than the full walk allows.
  bool str(std::string& out) {
    out.clear();
    if (!lit("\"")) return false;
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
        pos_ += std::max<std::size_t>(1, detail::plain_run(s_.data() + pos_, s_.size() - pos_));
        continue;
      }
      out.append(s_.data() + run, pos_ - run);
      if (pos_ + 1 >= s_.size()) return false;
      const char e = s_[pos_ + 1];
      pos_ += 2;
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {  // \u00XX: how the other control characters are written
          if (s_.compare(pos_, 2, "00") != 0 || pos_ + 4 > s_.size()) return false;
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
          break;
        }
        default:
          return false;
      }
      run = pos_;
    }
    return false;
  }

  bool boolean(bool& b) {
    if (lit("true")) {
      b = true;
    } else if (lit("false")) {
      b = false;
    } else {
      return false;
    }
    return true;
  }

  bool digits() {
    const std::size_t from = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    return pos_ > from && pos_ - from <= 3;
  }

  bool strings(std::vector<std::string>& out) {
    if (!lit("[")) return false;
    if (lit("]")) return true;
    do {
      if (!str(out.emplace_back())) return false;
    } while (lit(","));
    return lit("]");
  }

  bool at_end() const { return pos_ == s_.size(); }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
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

// The members after the choices prefix, in canonical order: write_tail's layout, read back (if
// the two ever drift apart the fast path accepts nothing, and FastPath.TakesEveryValidRecord…
// fails). False: not the exact shape.
bool read_tail(std::string_view tail, ConsentInputs& in, std::string& at, std::string& record_id,
               std::string& policy_id, std::string& policy_version) {
  ExactReader r(tail);
  std::string scratch, schema;
  bool flag = false;
  if (!(r.lit(R"("collection":{"agent":)") && r.str(in.agent) && r.lit(R"(,"surface":)") &&
        r.str(in.surface) && r.lit(R"(},"consent_by":{)")))
    return false;
  if (r.lit(R"("affirmed":)")) {
    if (!(r.boolean(in.guardian_affirmed) && r.lit(R"(,"covers":)") &&
          r.strings(in.guardian_covers) && r.lit(R"(,"name":)") && r.str(in.guardian_name) &&
          r.lit(R"(,"name_kana":)") && r.str(in.guardian_name_kana) &&
          r.lit(R"(,"relationship":)") && r.str(in.guardian_relationship) &&
          r.lit(R"(,"role":"guardian"})")))
      return false;
  } else if (!r.lit(R"("role":"subject"})")) {
    return false;
  }
  if (!(r.lit(R"(,"consented_at":)") && r.str(at) && r.lit(R"(,"digest":)") && r.str(scratch) &&
        r.lit(R"(,"event":)") && r.str(in.event) && r.lit(R"(,"locale":)") && r.str(in.locale) &&
        r.lit(R"(,"person":{"age":)") && r.digits() && r.lit(R"(,"age_rule":)") && r.str(scratch) &&
        r.lit(R"(,"birthdate":)") && r.str(in.birthdate) && r.lit(R"(,"guardian_required":)") &&
        r.boolean(flag) && r.lit(R"(,"tokyo_date":)") && r.str(scratch) &&
        r.lit(R"(},"policy":{"digest":)") && r.str(scratch) && r.lit(R"(,"effective_date":)") &&
        r.str(scratch) && r.lit(R"(,"id":)") && r.str(policy_id) && r.lit(R"(,"version":)") &&
        r.str(policy_version) && r.lit(R"(},"policy_agreed":)") && r.boolean(in.policy_agreed) &&
        r.lit(R"(,"previous_record":)")))
    return false;
  if (!r.lit("null") && !r.str(in.previous_record)) return false;
  return r.lit(R"(,"record_id":)") && r.str(record_id) && r.lit(R"(,"schema":)") && r.str(schema) &&
         schema == kRecordSchema && r.lit(R"(,"subject":)") && r.str(in.subject) && r.lit("}") &&
         r.at_end();
}

}  // namespace

namespace detail {

std::optional<Verdict> verify_exact(std::string_view text, const PolicyRegistry& registry,
                                    Instant now, const VerifyOptions& options) {
  if (text.size() > options.max_record_bytes) return std::nullopt;
  for (const auto& entry : RegistryAccess::entries(registry)) {
    const PolicyCache& cache = *entry.cache;
    if (cache.prefixes.empty()) continue;
    // Which linkages the record says were chosen, read at their known offsets; then one
    // comparison of the whole prefix decides whether it is this policy's.
    std::size_t mask = 0, chosen = 0;
    for (std::size_t i = 0; i < cache.chosen_at.size(); ++i) {
      const std::size_t at = cache.chosen_at[i] - chosen;
      if (at + 4 <= text.size() && text.compare(at, 4, "true") == 0) {
        mask |= std::size_t{1} << i;
        ++chosen;
      }
    }
    const ChoicesPrefix& prefix = cache.prefixes[mask];
    if (text.size() < prefix.bytes.size() || !same_bytes(text.data(), prefix.bytes)) continue;
    const std::string_view tail = text.substr(prefix.bytes.size());
    // The full walk's parser rejects ill-formed UTF-8; the prefix is the policy's own text.
    if (!is_valid_utf8(tail)) return std::nullopt;
    ConsentInputs in;
    std::string at_text, record_id, policy_id, policy_version;
    if (!read_tail(tail, in, at_text, record_id, policy_id, policy_version)) return std::nullopt;
    // Another version of the policy may open its records with the same bytes; and of two
    // policies added with the same id and version, the full walk uses the first (find()).
    if (registry.find(policy_id, policy_version) != &entry.policy) continue;
    if (!is_uuid_v4(record_id)) return std::nullopt;
    auto at = parse_instant(at_text);
    if (!at || at->unix_ms > now.unix_ms + options.clock_skew_ms) return std::nullopt;
    for (std::size_t i = 0; i < cache.linkage_ids.size(); ++i) {
      if (mask & (std::size_t{1} << i)) in.linkages.push_back(cache.linkage_ids[i]);
    }
    auto ev = evaluate_full(entry.policy, in, *at, &cache.disclosures, cache.effective);
    if (!ev.state.complete) return std::nullopt;
    auto digest = match_tail(tail, entry.policy, in, ev, *at, record_id, prefix.hashed);
    if (!digest) return std::nullopt;
    Verdict v;
    v.record_id = std::move(record_id);
    v.valid = true;
    v.digest = std::move(*digest);
    v.reconsent_required = reconsent_required(registry, entry.policy, now);
    return v;
  }
  return std::nullopt;
}

}  // namespace detail

Verdict verify_record(std::string_view text, const PolicyRegistry& registry, Instant now,
                      const VerifyOptions& options) {
  if (options.fast_path) {
    if (auto v = detail::verify_exact(text, registry, now, options)) return std::move(*v);
  }
  Verdict v;
  if (text.size() > options.max_record_bytes) {
    v.errors.push_back(Error{Code::RecordTooLarge, "", std::to_string(text.size()) + " bytes", -1});
    return v;
  }
  detail::ParseLimits limits;
  limits.max_depth = 8;
  auto parsed = detail::parse_strict(text, limits);
  if (!parsed) {
    v.errors = parsed.errors();
    return v;
  }
  const json& rec = *parsed;
  Checker c{v.errors};
  if (!c.object(
          rec, "",
          {"schema", "record_id", "event", "subject", "consented_at", "policy", "locale", "person",
           "consent_by", "policy_agreed", "choices", "collection", "previous_record", "digest"})) {
    return v;
  }
  std::string schema = c.str(rec, "schema", "");
  if (!schema.empty() && schema != kRecordSchema) {
    v.errors.push_back(Error{Code::RecordUnsupportedSchema, "/schema", schema, -1});
    return v;
  }
  v.record_id = c.str(rec, "record_id", "");
  if (!v.record_id.empty() && !is_uuid_v4(v.record_id))
    c.add(Code::RecordBadValue, "/record_id", "not a lowercase UUID v4");

  ConsentInputs in;
  in.event = c.str(rec, "event", "");
  in.subject = c.str(rec, "subject", "");
  std::string at_text = c.str(rec, "consented_at", "");
  in.locale = c.str(rec, "locale", "");
  in.policy_agreed = c.boolean(rec, "policy_agreed", "");
  c.str(rec, "digest", "");
  std::string policy_id, policy_version;
  if (const json* p = c.get(rec, "policy");
      p && c.object(*p, "/policy", {"id", "version", "digest", "effective_date"})) {
    policy_id = c.str(*p, "id", "/policy");
    policy_version = c.str(*p, "version", "/policy");
    c.str(*p, "digest", "/policy");
    c.str(*p, "effective_date", "/policy");
  }
  if (const json* p = c.get(rec, "person");
      p && c.object(*p, "/person",
                    {"birthdate", "age", "age_rule", "tokyo_date", "guardian_required"})) {
    in.birthdate = c.str(*p, "birthdate", "/person");
    if (p->contains("age") && !(*p)["age"].is_number_integer())
      c.add(Code::RecordWrongType, "/person/age", "expected integer");
    c.str(*p, "age_rule", "/person");
    c.str(*p, "tokyo_date", "/person");
    c.boolean(*p, "guardian_required", "/person");
  }
  if (const json* p = c.get(rec, "consent_by"); p && p->is_object()) {
    std::string role =
        p->contains("role") && (*p)["role"].is_string() ? (*p)["role"].get<std::string>() : "";
    if (role == "guardian") {
      c.object(*p, "/consent_by",
               {"role", "name", "name_kana", "relationship", "affirmed", "covers"});
      in.guardian_name = c.str(*p, "name", "/consent_by");
      in.guardian_name_kana = c.str(*p, "name_kana", "/consent_by", true);
      in.guardian_relationship = c.str(*p, "relationship", "/consent_by");
      in.guardian_affirmed = c.boolean(*p, "affirmed", "/consent_by");
      in.guardian_covers = c.strings(*p, "covers", "/consent_by");
    } else {
      c.object(*p, "/consent_by", {"role"});
      if (role != "subject") c.add(Code::RecordBadValue, "/consent_by/role", "subject or guardian");
    }
  } else if (p != nullptr) {
    c.add(Code::RecordWrongType, "/consent_by", "expected object");
  }
  if (const json* ls = c.get(rec, "choices")) {
    if (!ls->is_array()) {
      c.add(Code::RecordWrongType, "/choices", "expected array");
    } else if (ls->size() > 16) {
      c.add(Code::RecordTooLarge, "/choices", "more than 16 choices");
    } else {
      for (std::size_t i = 0; i < ls->size(); ++i) {
        std::string lp = "/choices/" + std::to_string(i);
        const json& l = (*ls)[i];
        if (!c.object(
                l, lp,
                {"id", "chosen", "recipients", "purposes", "data_items", "disclosure_digest"}))
          continue;
        std::string id = c.str(l, "id", lp);
        if (c.boolean(l, "chosen", lp)) in.linkages.push_back(id);
        c.strings(l, "recipients", lp);
        c.strings(l, "purposes", lp);
        c.strings(l, "data_items", lp);
        c.str(l, "disclosure_digest", lp);
      }
    }
  }
  if (const json* p = c.get(rec, "collection");
      p && c.object(*p, "/collection", {"surface", "agent"})) {
    in.surface = c.str(*p, "surface", "/collection");
    in.agent = c.str(*p, "agent", "/collection");
  }
  if (const json* p = c.get(rec, "previous_record"); p && !p->is_null()) {
    if (!p->is_string()) {
      c.add(Code::RecordWrongType, "/previous_record", "expected string or null");
    } else {
      in.previous_record = p->get<std::string>();
    }
  }
  if (!v.errors.empty()) return v;

  // The record's own digest, over the bytes both targets produce identically. A valid record
  // equals the re-derived one, whose digest is already computed; only an invalid one needs this.
  auto digest_of_body = [&] {
    json body = rec;
    body.erase("digest");
    auto canonical_body = canonicalize(body);
    if (!canonical_body) {
      v.errors.insert(v.errors.end(), canonical_body.errors().begin(),
                      canonical_body.errors().end());
      return;
    }
    v.digest = sha256_hex(*canonical_body);
  };

  auto at = parse_instant(at_text);
  if (!at) {
    v.errors.push_back(Error{Code::TimeBadInstant, "/consented_at", at.error().detail, -1});
    digest_of_body();
    return v;
  }
  if (at->unix_ms > now.unix_ms + options.clock_skew_ms) {
    v.errors.push_back(
        Error{Code::RecordInstantInFuture, "/consented_at", "later than now + clock skew", -1});
  }
  const Policy* policy = registry.find(policy_id, policy_version);
  if (policy == nullptr) {
    v.errors.push_back(
        Error{Code::RecordUnknownPolicy, "/policy", policy_id + " " + policy_version, -1});
    digest_of_body();
    return v;
  }

  // Re-derive: the same engine, the record's own inputs and instant.
  auto ev = detail::evaluate_full(*policy, in, *at, &registry.disclosures(policy));
  for (const auto& p : ev.state.problems)
    v.errors.push_back(Error{p.code, record_path(p.field, rec), p.message, -1});
  if (v.errors.empty()) {
    // The engine's own output always parses; the DOM is only for naming what differs.
    json expected = *detail::parse_strict(detail::record_text(*policy, in, ev, *at, v.record_id));
    if (expected == rec) {
      v.digest = expected["digest"].get<std::string>();
    } else {
      diff(expected, rec, "", v.errors);
      if (v.errors.empty())
        v.errors.push_back(
            Error{Code::RecordBadValue, "", "differs from what the rules derive", -1});
    }
  }
  if (v.digest.empty()) digest_of_body();
  v.valid = v.errors.empty();
  if (v.valid) v.reconsent_required = reconsent_required(registry, *policy, now);
  return v;
}

std::string verdict_json(const Verdict& v) {
  // Written member by member in canonical order: one verdict per record, a million in a run.
  std::string out = R"({"digest":)";
  auto string_or_null = [&out](const std::string& value) {
    if (value.empty()) {
      out += "null";
    } else {
      detail::append_json_string(out, value);
    }
  };
  string_or_null(v.digest);
  out += R"(,"errors":[)";
  for (std::size_t i = 0; i < v.errors.size(); ++i) {
    out += i ? R"(,{"code":)" : R"({"code":)";
    detail::append_json_string(out, to_string(v.errors[i].code));
    out += R"(,"path":)";
    detail::append_json_string(out, v.errors[i].path);
    out += '}';
  }
  out += R"(],"id":)";
  string_or_null(v.record_id);
  out += R"(,"reconsent_required":)";
  out += v.reconsent_required ? "true" : "false";
  out += R"(,"valid":)";
  out += v.valid ? "true" : "false";
  out += '}';
  return out;
}

}  // namespace doui
