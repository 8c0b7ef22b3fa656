#include "doui/verify.hpp"

#include <initializer_list>

#include <nlohmann/json.hpp>

#include "doui/canonical.hpp"
#include "doui/consent.hpp"
#include "doui/digest.hpp"
#include "json_strict.hpp"
#include "record_internal.hpp"

namespace doui {

using nlohmann::json;

void PolicyRegistry::add(Policy policy) {
  auto disclosures = derive_disclosures(policy);
  entries_.push_back(Entry{std::move(policy), std::move(disclosures)});
}

const Policy* PolicyRegistry::find(std::string_view id, std::string_view version) const {
  for (const auto& e : entries_) {
    if (e.policy.id == id && e.policy.version == version) return &e.policy;
  }
  return nullptr;
}

const std::vector<Disclosure>& PolicyRegistry::disclosures(const Policy* policy) const {
  for (const auto& e : entries_) {
    if (&e.policy == policy) return e.disclosures;
  }
  static const std::vector<Disclosure> none;
  return none;
}

namespace {

// 00:00 Asia/Tokyo of a YYYY-MM-DD date, as an instant.
std::optional<Instant> tokyo_midnight(const std::string& date) {
  auto t = parse_instant(date + "T00:00:00+09:00");
  if (!t) return std::nullopt;
  return *t;
}

}  // namespace

const Policy* PolicyRegistry::current(std::string_view id, Instant now) const {
  const Policy* best = nullptr;
  for (const auto& e : entries_) {
    const Policy& p = e.policy;
    if (p.id != id) continue;
    auto from = tokyo_midnight(p.effective_date);
    if (!from || *from > now) continue;
    if (best == nullptr || p.effective_date > best->effective_date) best = &p;
  }
  return best;
}

namespace {

constexpr std::size_t kMaxString = 1024;

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
  if (field == "guardian.relationship") return "/consent_by/relationship";
  if (field == "guardian.affirmed") return "/consent_by/affirmed";
  if (field == "guardian.covers") return "/consent_by/covers";
  if (field == "consented_at" || field == "locale" || field == "event" ||
      field == "previous_record" || field == "collection")
    return "/" + field;
  if (field.rfind("linkages.", 0) == 0) {
    std::string id = field.substr(9);
    const auto& ls = rec["linkages"];
    for (std::size_t i = 0; i < ls.size(); ++i) {
      if (ls[i].is_object() && ls[i].contains("id") && ls[i]["id"] == id)
        return "/linkages/" + std::to_string(i);
    }
  }
  return "/linkages";
}

// Code for a field whose stated value differs from the re-derived one.
Code mismatch_code(const std::string& path) {
  if (path.rfind("/person/", 0) == 0) return Code::RecordAgeMismatch;
  if (path.rfind("/linkages", 0) == 0) return Code::LinkageDisclosureMismatch;
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

}  // namespace

Verdict verify_record(std::string_view text, const PolicyRegistry& registry, Instant now,
                      const VerifyOptions& options) {
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
           "consent_by", "policy_agreed", "linkages", "collection", "previous_record", "digest"})) {
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
  if (const json* ls = c.get(rec, "linkages")) {
    if (!ls->is_array()) {
      c.add(Code::RecordWrongType, "/linkages", "expected array");
    } else if (ls->size() > 16) {
      c.add(Code::RecordTooLarge, "/linkages", "more than 16 linkages");
    } else {
      for (std::size_t i = 0; i < ls->size(); ++i) {
        std::string lp = "/linkages/" + std::to_string(i);
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
    json expected = detail::record_json(*policy, in, ev, *at, v.record_id);
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
  if (v.valid) {
    const Policy* current = registry.current(policy_id, now);
    v.reconsent_required = current != nullptr && current->version != policy->version;
  }
  return v;
}

std::string verdict_json(const Verdict& v) {
  json errors = json::array();
  for (const auto& e : v.errors) errors.push_back({{"code", to_string(e.code)}, {"path", e.path}});
  json j = {{"id", v.record_id.empty() ? json(nullptr) : json(v.record_id)},
            {"valid", v.valid},
            {"reconsent_required", v.reconsent_required},
            {"errors", errors},
            {"digest", v.digest.empty() ? json(nullptr) : json(v.digest)}};
  return canonicalize(j).value();
}

}  // namespace doui
