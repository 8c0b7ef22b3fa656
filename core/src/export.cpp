#include "doui/export.hpp"

#include <nlohmann/json.hpp>

#include "doui/canonical.hpp"
#include "json_strict.hpp"

namespace doui {

using nlohmann::json;

namespace {

std::string str_at(const json& j, const json::json_pointer& p) {
  if (!j.contains(p)) return {};
  const json& v = j.at(p);
  return v.is_string() ? v.get<std::string>() : std::string();
}

}  // namespace

Result<std::string> export_dpv(std::string_view text) {
  auto parsed = detail::parse_strict(text);
  if (!parsed) return parsed.errors();
  const json& r = *parsed;
  if (!r.is_object() || str_at(r, json::json_pointer("/schema")) != "doui.consent/1") {
    return Error{Code::RecordUnsupportedSchema, "/schema", "expected doui.consent/1", -1};
  }
  std::string id = str_at(r, json::json_pointer("/record_id"));
  std::string event = str_at(r, json::json_pointer("/event"));
  std::string at = str_at(r, json::json_pointer("/consented_at"));
  bool minor = r.contains(json::json_pointer("/person/guardian_required")) &&
               r.at(json::json_pointer("/person/guardian_required")).is_boolean() &&
               r.at(json::json_pointer("/person/guardian_required")).get<bool>();
  json subject = {{"@id", "urn:doui:subject:" + str_at(r, json::json_pointer("/subject"))},
                  {"@type", minor ? json::array({"dpv:DataSubject", "dpv:Child"})
                                  : json::array({"dpv:DataSubject"})}};
  // Who expressed the consent (ISO/IEC TS 27560 entity_id).
  json indicated_by = {{"@id", subject["@id"]}};
  if (str_at(r, json::json_pointer("/consent_by/role")) == "guardian") {
    std::string rel = str_at(r, json::json_pointer("/consent_by/relationship"));
    indicated_by = {
        {"@type", rel == "parent" ? "dpv:ParentOfDataSubject" : "dpv:GuardianOfDataSubject"},
        {"dct:title", str_at(r, json::json_pointer("/consent_by/name"))},
        {"doui:relationship", rel}};
  }
  auto status = [&](bool given) {
    if (event == "withdrawn") return std::string("dpv:ConsentWithdrawn");
    return std::string(given ? "dpv:ConsentGiven" : "dpv:ConsentRefused");
  };
  json notice = {{"@id", "urn:doui:policy:" + str_at(r, json::json_pointer("/policy/id")) + ":" +
                             str_at(r, json::json_pointer("/policy/version"))},
                 {"@type", "dpv:PrivacyNotice"},
                 {"doui:sha256", str_at(r, json::json_pointer("/policy/digest"))}};
  bool agreed = r.contains("policy_agreed") && r["policy_agreed"].is_boolean() &&
                r["policy_agreed"].get<bool>();
  json time = {{"@value", at}, {"@type", "xsd:dateTime"}};
  json linkages = json::array();
  if (r.contains("choices") && r["choices"].is_array()) {
    for (const auto& l : r["choices"]) {
      if (!l.is_object()) continue;
      json recipients = json::array();
      if (l.contains("recipients") && l["recipients"].is_array()) {
        for (const auto& n : l["recipients"])
          recipients.push_back({{"@type", "dpv:ThirdParty"}, {"dct:title", n}});
      }
      bool chosen = l.contains("chosen") && l["chosen"].is_boolean() && l["chosen"].get<bool>();
      linkages.push_back(
          {{"@type", "dpv:ConsentRecord"},
           {"dct:identifier", str_at(l, json::json_pointer("/id"))},
           {"dpv:hasConsentStatus", {{"@id", status(chosen)}}},
           {"dpv:hasRecipient", recipients},
           {"dpv:hasPurpose", l.value("purposes", json::array())},
           {"dpv:hasPersonalData", l.value("data_items", json::array())},
           {"doui:disclosureSha256", str_at(l, json::json_pointer("/disclosure_digest"))},
           {"dpv:isIndicatedBy", indicated_by},
           {"dpv:isIndicatedAtTime", time}});
    }
  }
  json doc = {{"@context",
               {{"dpv", "https://w3id.org/dpv#"},
                {"dct", "http://purl.org/dc/terms/"},
                {"xsd", "http://www.w3.org/2001/XMLSchema#"},
                {"doui", "urn:doui:vocab#"}}},
              {"@id", "urn:uuid:" + id},
              {"@type", "dpv:ConsentRecord"},
              {"dpv:hasDataSubject", subject},
              {"dpv:hasConsentStatus", {{"@id", status(agreed)}}},
              {"dpv:hasNotice", notice},
              {"dct:language", str_at(r, json::json_pointer("/locale"))},
              {"dpv:isIndicatedBy", indicated_by},
              {"dpv:isIndicatedAtTime", time},
              {"doui:sha256", str_at(r, json::json_pointer("/digest"))},
              {"doui:linkages", linkages}};
  if (r.contains("previous_record") && r["previous_record"].is_string()) {
    doc["dct:replaces"] = {{"@id", "urn:uuid:" + r["previous_record"].get<std::string>()}};
  }
  return canonicalize(doc);
}

}  // namespace doui
