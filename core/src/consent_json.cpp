// JSON in and out of the consent engine, for the browser module and the server.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "doui/canonical.hpp"
#include "doui/consent.hpp"
#include "doui/messages.hpp"
#include "json_strict.hpp"
#include "record_internal.hpp"

namespace doui {

using nlohmann::json;

Result<ConsentInputs> consent_inputs_from_json(std::string_view text) {
  detail::ParseLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.max_depth = 4;
  auto parsed = detail::parse_strict(text, limits);
  if (!parsed) return parsed.errors();
  const json& j = *parsed;
  if (!j.is_object()) return Error{Code::RecordWrongType, "", "expected an object", -1};
  std::vector<Error> errors;
  ConsentInputs in;
  auto str = [&](const json& obj, const char* key, std::string& out, const std::string& base) {
    if (!obj.contains(key)) return;
    if (!obj[key].is_string()) {
      errors.push_back(Error{Code::RecordWrongType, base + "/" + key, "expected string", -1});
      return;
    }
    out = obj[key].get<std::string>();
  };
  auto boolean = [&](const json& obj, const char* key, bool& out, const std::string& base) {
    if (!obj.contains(key)) return;
    if (!obj[key].is_boolean()) {
      errors.push_back(Error{Code::RecordWrongType, base + "/" + key, "expected boolean", -1});
      return;
    }
    out = obj[key].get<bool>();
  };
  auto strings = [&](const json& obj, const char* key, std::vector<std::string>& out,
                     const std::string& base) {
    if (!obj.contains(key)) return;
    const json& a = obj[key];
    if (!a.is_array() || a.size() > 16 ||
        !std::all_of(a.begin(), a.end(), [](const json& e) { return e.is_string(); })) {
      errors.push_back(
          Error{Code::RecordWrongType, base + "/" + key, "expected up to 16 strings", -1});
      return;
    }
    out = a.get<std::vector<std::string>>();
  };
  static const char* known[] = {"subject",         "birthdate", "policy_agreed", "linkages",
                                "guardian",        "locale",    "surface",       "agent",
                                "previous_record", "event"};
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (std::find_if(std::begin(known), std::end(known),
                     [&](const char* k) { return it.key() == k; }) == std::end(known)) {
      errors.push_back(
          Error{Code::RecordUnknownField, "/" + detail::pointer_token(it.key()), "", -1});
    }
  }
  str(j, "subject", in.subject, "");
  str(j, "birthdate", in.birthdate, "");
  boolean(j, "policy_agreed", in.policy_agreed, "");
  strings(j, "linkages", in.linkages, "");
  str(j, "locale", in.locale, "");
  str(j, "surface", in.surface, "");
  str(j, "agent", in.agent, "");
  str(j, "previous_record", in.previous_record, "");
  str(j, "event", in.event, "");
  if (j.contains("guardian")) {
    const json& g = j["guardian"];
    if (!g.is_object()) {
      errors.push_back(Error{Code::RecordWrongType, "/guardian", "expected object", -1});
    } else {
      for (auto it = g.begin(); it != g.end(); ++it) {
        const std::string& k = it.key();
        if (k != "name" && k != "name_kana" && k != "relationship" && k != "affirmed" &&
            k != "covers") {
          errors.push_back(
              Error{Code::RecordUnknownField, "/guardian/" + detail::pointer_token(k), "", -1});
        }
      }
      str(g, "name", in.guardian_name, "/guardian");
      str(g, "name_kana", in.guardian_name_kana, "/guardian");
      str(g, "relationship", in.guardian_relationship, "/guardian");
      boolean(g, "affirmed", in.guardian_affirmed, "/guardian");
      strings(g, "covers", in.guardian_covers, "/guardian");
    }
  }
  if (!errors.empty()) return errors;
  return in;
}

std::string consent_state_json(const Policy& policy, const ConsentInputs& in, Instant now) {
  return consent_state_json(policy, derive_disclosures(policy), in, now);
}

std::string consent_state_json(const Policy& policy, const std::vector<Disclosure>& disclosures,
                               const ConsentInputs& in, Instant now) {
  auto ev = detail::evaluate_full(policy, in, now, &disclosures);
  const auto& st = ev.state;
  json problems = json::array();
  for (std::size_t i = 0; i < st.problems.size(); ++i) {
    // Both languages, so a UI can switch without asking again.
    const auto& p = st.problems[i];
    json msg = {{"ja", message("ja", p.code, ev.problem_args[i])},
                {"en", message("en", p.code, ev.problem_args[i])}};
    problems.push_back({{"field", p.field}, {"code", to_string(p.code)}, {"message", msg}});
  }
  json linkages = json::array();
  for (const auto& d : *ev.disclosures) {
    if (!d.optional_linkage) continue;
    json recipients = json::array();
    for (const auto& r : d.recipients) recipients.push_back(r.name);
    bool chosen = std::find(in.linkages.begin(), in.linkages.end(), d.id) != in.linkages.end();
    linkages.push_back({{"id", d.id},
                        {"recipients", recipients},
                        {"title", d.title},
                        {"chosen", chosen},
                        {"needs_guardian", st.guardian_required},
                        {"disclosure_digest", d.digest}});
  }
  json j = {{"age", st.age ? json(*st.age) : json(nullptr)},
            {"guardian_required", st.guardian_required},
            {"tokyo_date", st.tokyo_date.empty() ? json(nullptr) : json(st.tokyo_date)},
            {"complete", st.complete},
            {"problems", problems},
            {"linkages", linkages}};
  return canonicalize(j).value();
}

}  // namespace doui
