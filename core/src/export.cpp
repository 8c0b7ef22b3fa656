#include "doui/export.hpp"

#include <nlohmann/json.hpp>

#include "doui/canonical.hpp"
#include "doui/consent.hpp"
#include "doui/disclosure.hpp"
#include "json_strict.hpp"

namespace doui {

using nlohmann::json;

namespace {

std::string str_at(const json& j, const json::json_pointer& p) {
  if (!j.contains(p)) return {};
  const json& v = j.at(p);
  return v.is_string() ? v.get<std::string>() : std::string();
}

// Text in the policy's language: DPV's labels are language-tagged literals.
json label(const std::string& text, const std::string& lang) {
  return {{"@value", text}, {"@language", lang}};
}

bool links_to(const Inlines& inlines, std::string_view target) {
  for (const auto& in : inlines) {
    if (in.kind == Inline::Kind::Link && in.target == target) return true;
  }
  return false;
}

bool links_to(const std::vector<Block>& blocks, std::string_view target) {
  for (const auto& b : blocks) {
    if (links_to(b.content, target) || links_to(b.title, target) || links_to(b.blocks, target))
      return true;
    for (const auto& item : b.items) {
      if (links_to(item, target)) return true;
    }
    for (const auto& e : b.ol) {
      if (links_to(e.content, target) || links_to(e.blocks, target)) return true;
    }
  }
  return false;
}

// The controller: named as the policy names it, with its contact point, the section that links
// to the policy's `contact` target (whose URL is in the deployment's links file).
json controller(const Policy& policy, const std::string& notice_iri) {
  const std::string name = controller_name(policy);
  json c = {{"@id", "urn:doui:controller:" + policy.id}, {"@type", "dpv:DataController"}};
  if (!name.empty()) c["rdfs:label"] = label(name, policy.lang);
  for (const auto& s : policy.sections) {
    if (!links_to(s.blocks, "contact")) continue;
    c["dpv:hasContact"] = {{"@id", notice_iri + "#" + s.id},
                           {"rdfs:label", label(s.number + " " + s.title, policy.lang)},
                           {"doui:linkTarget", "contact"}};
    break;
  }
  return c;
}

// Each purpose or data item as a node of its DPV class, its text as a label.
json nodes(const json& texts, const char* type, const std::string& lang) {
  json out = json::array();
  if (!texts.is_array()) return out;
  for (const auto& t : texts) {
    if (t.is_string()) out.push_back({{"@type", type}, {"rdfs:label", label(t, lang)}});
  }
  return out;
}

const PolicyRegistry& bundled_registry() {
  static const PolicyRegistry registry = [] {
    PolicyRegistry r;
    auto p = load_policy(bundled_policy_json());
    if (p) r.add(std::move(*p));
    return r;
  }();
  return registry;
}

}  // namespace

Result<std::string> export_dpv(std::string_view text) {
  return export_dpv(text, bundled_registry());
}

Result<std::string> export_dpv(std::string_view text, const PolicyRegistry& policies) {
  auto parsed = detail::parse_strict(text);
  if (!parsed) return parsed.errors();
  const json& r = *parsed;
  if (!r.is_object() || str_at(r, json::json_pointer("/schema")) != kRecordSchema) {
    return Error{Code::RecordUnsupportedSchema, "/schema", "expected " + std::string(kRecordSchema),
                 -1};
  }
  std::string policy_id = str_at(r, json::json_pointer("/policy/id"));
  std::string policy_version = str_at(r, json::json_pointer("/policy/version"));
  const Policy* policy = policies.find(policy_id, policy_version);
  if (!policy) {
    return Error{Code::RecordUnknownPolicy, "/policy", policy_id + " " + policy_version, -1};
  }
  if (str_at(r, json::json_pointer("/policy/digest")) != policy->digest) {
    return Error{Code::RecordPolicyDigestMismatch, "/policy/digest", "not " + policy->digest, -1};
  }
  const std::string& lang = policy->lang;
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
    // One node, named after the record, for every consent this person gave in it.
    indicated_by = {
        {"@id", "urn:uuid:" + id + "#consent-by"},
        {"@type", rel == "parent" ? "dpv:ParentOfDataSubject" : "dpv:GuardianOfDataSubject"},
        {"dct:title", str_at(r, json::json_pointer("/consent_by/name"))},
        {"doui:relationship", rel}};
  }
  auto status = [&](bool given) {
    // A withdrawal states what remains: what it still holds stands, the rest is taken back.
    if (event == "withdrawn" && !given) return std::string("dpv:ConsentWithdrawn");
    return std::string(given ? "dpv:ConsentGiven" : "dpv:ConsentRefused");
  };
  std::string notice_iri = "urn:doui:policy:" + policy_id + ":" + policy_version;
  json notice = {
      {"@id", notice_iri}, {"@type", "dpv:PrivacyNotice"}, {"doui:sha256", policy->digest}};
  json controller_node = controller(*policy, notice_iri);
  json controller_ref = {{"@id", controller_node["@id"]}};
  // The record's law: APPI, Japan (27560 jurisdiction).
  json japan = {{"@id", "loc:JP"}, {"@type", "dpv:Country"}};
  bool agreed = r.contains("policy_agreed") && r["policy_agreed"].is_boolean() &&
                r["policy_agreed"].get<bool>();
  json time = {{"@value", at}, {"@type", "xsd:dateTime"}};
  json linkages = json::array();
  if (r.contains("choices") && r["choices"].is_array()) {
    for (const auto& l : r["choices"]) {
      if (!l.is_object()) continue;
      // DPV 2 makes ThirdParty and Recipient siblings (both LegalEntity): a third party that
      // receives is both.
      json recipients = json::array();
      if (l.contains("recipients") && l["recipients"].is_array()) {
        for (const auto& n : l["recipients"]) {
          if (n.is_string())
            recipients.push_back({{"@type", json::array({"dpv:Recipient", "dpv:ThirdParty"})},
                                  {"rdfs:label", label(n, lang)}});
        }
      }
      bool chosen = l.contains("chosen") && l["chosen"].is_boolean() && l["chosen"].get<bool>();
      linkages.push_back(
          {{"@type", "dpv:ConsentRecord"},
           {"dct:identifier", str_at(l, json::json_pointer("/id"))},
           {"dpv:hasConsentStatus", {{"@id", status(chosen)}}},
           {"dpv:hasDataSubject", {{"@id", subject["@id"]}}},
           {"dpv:hasDataController", controller_ref},
           {"dpv:hasRecipient", recipients},
           {"dpv:hasPurpose", nodes(l.value("purposes", json::array()), "dpv:Purpose", lang)},
           {"dpv:hasPersonalData",
            nodes(l.value("data_items", json::array()), "dpv:PersonalData", lang)},
           {"doui:disclosureSha256", str_at(l, json::json_pointer("/disclosure_digest"))},
           {"dpv:isIndicatedBy", {{"@id", indicated_by["@id"]}}},
           {"dpv:isIndicatedAtTime", time}});
    }
  }
  json doc = {{"@context",
               {{"dpv", "https://w3id.org/dpv#"},
                {"loc", "https://w3id.org/dpv/loc#"},
                {"dct", "http://purl.org/dc/terms/"},
                {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
                {"xsd", "http://www.w3.org/2001/XMLSchema#"},
                {"doui", "urn:doui:vocab#"}}},
              {"@id", "urn:uuid:" + id},
              {"@type", "dpv:ConsentRecord"},
              {"dpv:hasDataSubject", subject},
              {"dpv:hasDataController", controller_node},
              {"dpv:hasJurisdiction", japan},
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
