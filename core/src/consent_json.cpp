// JSON in and out of the consent engine, for the browser module and the server.
#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "doui/canonical.hpp"
#include "doui/consent.hpp"
#include "doui/messages.hpp"
#include "json_get.hpp"
#include "json_strict.hpp"
#include "record_internal.hpp"

namespace doui {

using nlohmann::json;

namespace {

// Every text of the state is given in both languages, so a UI can switch without asking again:
// {"ja": text[0], "en": text[1]}. (Plain arrays and one function: the browser module's size.)
constexpr std::string_view kLangs[2] = {"ja", "en"};
using Texts = std::array<std::string, 2>;

json both(const Texts& text) {
  return {{"ja", text[0]}, {"en", text[1]}};
}

// A catalog template filled with one argument, its value per language.
json filled(UiKey key, const char* arg, const Texts& value) {
  Texts out;
  for (std::size_t i = 0; i < 2; ++i) out[i] = ui_text(kLangs[i], key, {{arg, value[i]}});
  return both(out);
}

// The inputs' members: each field's reader, and the object it belongs to.
using Reader = void (*)(detail::JsonGetter&, const json&, const std::string&, ConsentInputs&);
struct InputField {
  const char* key;
  Reader read;
};

template <std::string ConsentInputs::*P>
void text(detail::JsonGetter& get, const json& v, const std::string& path, ConsentInputs& in) {
  get.string(v, path, in.*P, kMaxInputBytes);
}
template <bool ConsentInputs::*P>
void flag(detail::JsonGetter& get, const json& v, const std::string& path, ConsentInputs& in) {
  get.boolean(v, path, in.*P);
}
template <std::vector<std::string> ConsentInputs::*P>
void ids(detail::JsonGetter& get, const json& v, const std::string& path, ConsentInputs& in) {
  get.strings(v, path, in.*P, detail::kMaxRecordChoices, kMaxInputBytes);
}

constexpr InputField kGuardianFields[] = {
    {"name", text<&ConsentInputs::guardian_name>},
    {"name_kana", text<&ConsentInputs::guardian_name_kana>},
    {"relationship", text<&ConsentInputs::guardian_relationship>},
    {"affirmed", flag<&ConsentInputs::guardian_affirmed>},
    {"covers", ids<&ConsentInputs::guardian_covers>},
};

void read_fields(detail::JsonGetter& get, const json& obj, const std::string& base,
                 const InputField* begin, const InputField* end, ConsentInputs& in);

void guardian(detail::JsonGetter& get, const json& v, const std::string& path, ConsentInputs& in) {
  if (get.is(v, json::value_t::object, path))
    read_fields(get, v, path, std::begin(kGuardianFields), std::end(kGuardianFields), in);
}

constexpr InputField kFields[] = {
    {"subject", text<&ConsentInputs::subject>},
    {"birthdate", text<&ConsentInputs::birthdate>},
    {"policy_agreed", flag<&ConsentInputs::policy_agreed>},
    {"linkages", ids<&ConsentInputs::linkages>},
    {"guardian", guardian},
    {"locale", text<&ConsentInputs::locale>},
    {"surface", text<&ConsentInputs::surface>},
    {"agent", text<&ConsentInputs::agent>},
    {"previous_record", text<&ConsentInputs::previous_record>},
    {"event", text<&ConsentInputs::event>},
};

void read_fields(detail::JsonGetter& get, const json& obj, const std::string& base,
                 const InputField* begin, const InputField* end, ConsentInputs& in) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string path = base + "/" + detail::pointer_token(it.key());
    const auto* f =
        std::find_if(begin, end, [&](const InputField& k) { return it.key() == k.key; });
    if (f == end) {
      get.add(Code::RecordUnknownField, path, "not an input");
    } else {
      f->read(get, it.value(), path, in);
    }
  }
}

}  // namespace

Result<ConsentInputs> consent_inputs_from_json(std::string_view text) {
  detail::ParseLimits limits;
  limits.max_bytes = kMaxInputBytes * 4;
  limits.max_depth = 4;
  auto parsed = detail::parse_strict(text, limits);
  if (!parsed) return parsed.errors();
  std::vector<Error> errors;
  detail::JsonGetter get(errors, Code::RecordWrongType, Code::RecordTooLarge);
  ConsentInputs in;
  if (get.is(*parsed, json::value_t::object, ""))
    read_fields(get, *parsed, "", std::begin(kFields), std::end(kFields), in);
  if (!errors.empty()) return errors;
  return in;
}

std::string consent_inputs_json(const ConsentInputs& in) {
  json out = {{"subject", in.subject},
              {"birthdate", in.birthdate},
              {"policy_agreed", in.policy_agreed},
              {"linkages", in.linkages},
              {"locale", in.locale},
              {"surface", in.surface},
              {"agent", in.agent},
              {"previous_record", in.previous_record},
              {"event", in.event}};
  if (!in.guardian_name.empty() || !in.guardian_name_kana.empty() ||
      !in.guardian_relationship.empty() || in.guardian_affirmed || !in.guardian_covers.empty()) {
    out["guardian"] = {{"name", in.guardian_name},
                       {"name_kana", in.guardian_name_kana},
                       {"relationship", in.guardian_relationship},
                       {"affirmed", in.guardian_affirmed},
                       {"covers", in.guardian_covers}};
  }
  // Strings and booleans only: canonical form always exists.
  return canonicalize(out).value();
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
    const auto& p = st.problems[i];
    const json msg = both({message(kLangs[0], p.code, ev.problem_args[i]),
                           message(kLangs[1], p.code, ev.problem_args[i])});
    problems.push_back({{"field", p.field}, {"code", to_string(p.code)}, {"message", msg}});
  }
  json linkages = json::array();
  for (const auto& d : *ev.disclosures) {
    if (!d.optional_linkage) continue;
    json recipients = json::array();
    for (const auto& r : d.recipients) recipients.push_back(r.name);
    bool chosen = std::find(in.linkages.begin(), in.linkages.end(), d.id) != in.linkages.end();
    const Texts name{linkage_name(kLangs[0], d), linkage_name(kLangs[1], d)};
    linkages.push_back({{"id", d.id},
                        {"recipients", recipients},
                        {"title", d.title},
                        {"chosen", chosen},
                        {"needs_guardian", st.guardian_required},
                        {"disclosure_digest", d.digest},
                        {"name", both(name)},
                        {"label", filled(UiKey::LabelLinkage, "name", name)},
                        {"guardian_label", filled(UiKey::LabelGuardianCovers, "name", name)}});
  }
  // The birth date as the engine read it, in words with its era, and the age it gives.
  json birthdate = nullptr;
  if (st.birthdate) {
    const Date b = *st.birthdate;
    const std::string age = st.age ? std::to_string(*st.age) : std::string();
    birthdate = {
        {"iso", format_date(b)},
        {"words", both({date_words(kLangs[0], b), date_words(kLangs[1], b)})},
        {"age", st.age ? json(*st.age) : json(nullptr)},
        {"age_words", st.age ? filled(UiKey::BirthdateAge, "age", {age, age}) : json(nullptr)}};
  }
  json j = {{"age", st.age ? json(*st.age) : json(nullptr)},
            {"birthdate", birthdate},
            {"guardian_required", st.guardian_required},
            {"tokyo_date", st.tokyo_date.empty() ? json(nullptr) : json(st.tokyo_date)},
            {"complete", st.complete},
            {"problems", problems},
            {"linkages", linkages}};
  return canonicalize(j).value();
}

}  // namespace doui
