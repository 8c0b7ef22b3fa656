// verify_record: the fast path for records in the writer's exact form, else the full walk —
// schema, then each rule re-derived with the engine, then every stated member compared with the
// re-derived record — and the verdict line.
#include "doui/verify.hpp"

#include <nlohmann/json.hpp>

#include "doui/canonical.hpp"
#include "doui/digest.hpp"
#include "json_get.hpp"
#include "json_strict.hpp"
#include "json_write.hpp"
#include "verify_internal.hpp"

namespace doui {

using detail::RecordFields;
using nlohmann::json;

namespace {

// The SHA-256 of the record's canonical form without its "digest" member: what the digest
// states. Empty (with the error) when the record holds a value canonical JSON cannot write.
std::string digest_of_body(const json& record, std::vector<Error>& errors) {
  json body = record;
  body.erase("digest");
  auto canonical = canonicalize(body);
  if (!canonical) {
    errors.insert(errors.end(), canonical.errors().begin(), canonical.errors().end());
    return {};
  }
  return sha256_hex(*canonical);
}

// The consent instant, within the clock skew of `now`.
std::optional<Instant> check_instant(const RecordFields& stated, Instant now,
                                     const VerifyOptions& options, std::vector<Error>& errors) {
  auto at = parse_instant(stated.consented_at);
  if (!at) {
    errors.push_back(Error{Code::TimeBadInstant, "/consented_at", at.error().detail, -1});
    return std::nullopt;
  }
  if (at->unix_ms > now.unix_ms + options.clock_skew_ms)
    errors.push_back(
        Error{Code::RecordInstantInFuture, "/consented_at", "later than now + clock skew", -1});
  return *at;
}

// The rules, re-derived from the record's own inputs at its own instant, and the record the
// engine would have written: each broken rule at the member stating its input, then each member
// that differs from the re-derived one.
void check_rules(const Policy& policy, const std::vector<Disclosure>& disclosures,
                 const RecordFields& stated, Instant at, std::vector<Error>& errors) {
  const ConsentInputs in = detail::stated_inputs(stated);
  const auto ev = detail::evaluate_full(policy, in, at, &disclosures);
  for (const auto& p : ev.state.problems)
    errors.push_back(Error{p.code, detail::record_pointer(p.field, stated), p.message, -1});
  if (!ev.age) return;  // without a usable birth date there is no record to compare with
  const auto expected = detail::derive_record(policy, in, ev, at, stated.record_id);
  detail::compare_fields(expected, stated, ev.state.problems, errors);
}

}  // namespace

Verdict verify_record(std::string_view text, const PolicyRegistry& registry, Instant now,
                      const VerifyOptions& options) {
  if (options.fast_path) {
    if (auto v = detail::accept_canonical_record(text, registry, now, options))
      return std::move(*v);
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
  const json& record = *parsed;
  // A record of another schema version is not judged by this one's rules.
  if (record.is_object()) {
    const json* schema = detail::JsonGetter::find(record, "schema");
    if (schema != nullptr && schema->is_string() && *schema != kRecordSchema) {
      v.errors.push_back(
          Error{Code::RecordUnsupportedSchema, "/schema", schema->get<std::string>(), -1});
      return v;
    }
  }
  detail::RecordFields stated;
  const bool readable = detail::read_record(record, stated, v.errors);
  if (record.is_object() && record.contains("record_id") && record["record_id"].is_string())
    v.record_id = record["record_id"].get<std::string>();
  if (!v.record_id.empty() && !is_uuid_v4(v.record_id))
    v.errors.push_back(Error{Code::RecordBadValue, "/record_id", "not a lowercase UUID v4", -1});
  if (!readable) return v;

  // Every problem is reported: the instant, the policy, each rule, each member, the digest.
  const auto at = check_instant(stated, now, options, v.errors);
  const Policy* policy = registry.find(stated.policy_id, stated.policy_version);
  if (policy == nullptr) {
    v.errors.push_back(Error{Code::RecordUnknownPolicy, "/policy",
                             stated.policy_id + " " + stated.policy_version, -1});
  } else if (at) {
    check_rules(*policy, registry.disclosures(policy), stated, *at, v.errors);
  }
  v.digest = digest_of_body(record, v.errors);
  if (!v.digest.empty() && v.digest != stated.digest)
    v.errors.push_back(
        Error{Code::RecordDigestMismatch, "/digest", "not the digest of the record", -1});
  v.valid = v.errors.empty();
  if (v.valid) v.reconsent_required = detail::reconsent_required(registry, *policy, now);
  return v;
}

std::string verdict_json(const Verdict& v) {
  // Written member by member in canonical order: one verdict per record, a million in a run.
  std::string out = R"({"digest":)";
  detail::append_json_string_or_null(out, v.digest);
  out += R"(,"errors":)";
  detail::append_error_list(out, v.errors);
  out += R"(,"id":)";
  detail::append_json_string_or_null(out, v.record_id);
  out += R"(,"reconsent_required":)";
  out += v.reconsent_required ? "true" : "false";
  out += R"(,"valid":)";
  out += v.valid ? "true" : "false";
  out += '}';
  return out;
}

}  // namespace doui
