#include "doui/consent.hpp"

#include <algorithm>
#include <utility>

#include "doui/messages.hpp"
#include "doui/normalize.hpp"
#include "record_internal.hpp"

namespace doui {

namespace {

// The legal representatives of 民法 the policy names: the code in records, and the Japanese
// word people also type. Labels to show are in the catalogs (ui "relationship.*").
struct RelationshipName {
  Relationship value;
  std::string_view code;
  std::string_view japanese;
};
constexpr RelationshipName kRelationships[] = {
    {Relationship::Parent, "parent", "親権者"},
    {Relationship::Guardian, "guardian", "未成年後見人"},
    {Relationship::Other, "other", "その他の法定代理人"},
};

}  // namespace

std::optional<Relationship> parse_relationship(std::string_view t) {
  for (const auto& r : kRelationships) {
    if (t == r.code || t == r.japanese) return r.value;
  }
  return std::nullopt;
}

std::string_view to_string(Relationship r) {
  for (const auto& n : kRelationships) {
    if (n.value == r) return n.code;
  }
  return "";
}

namespace {

bool is_subject_id(std::string_view s) {
  // Opaque operator ids: 1–128 of [A-Za-z0-9._:-]. Rules out names, e-mail addresses, spaces.
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

const Disclosure* find_linkage(const std::vector<Disclosure>& ds, std::string_view id) {
  for (const auto& d : ds) {
    if (d.optional_linkage && d.id == id) return &d;
  }
  return nullptr;
}

std::string recipient_names(const Disclosure& d) {
  std::string s;
  for (const auto& r : d.recipients) s += (s.empty() ? "" : "、") + r.name;
  return s;
}

}  // namespace

namespace detail {

Evaluation evaluate_full(const Policy& policy, const ConsentInputs& in, Instant now,
                         const std::vector<Disclosure>* disclosures,
                         std::optional<Instant> effective) {
  Evaluation ev;
  auto& st = ev.state;
  const std::string& loc = in.locale;
  auto problem = [&](std::string field, Code code, MessageArgs args = {}) {
    st.problems.push_back(FieldProblem{std::move(field), code, message(loc, code, args)});
    ev.problem_args.push_back(std::move(args));
  };
  if (disclosures == nullptr) {
    ev.derived = std::make_shared<const std::vector<Disclosure>>(derive_disclosures(policy));
    disclosures = ev.derived.get();
  }
  ev.disclosures = disclosures;

  if (!is_subject_id(in.subject)) problem("subject", Code::ConsentMissingSubject);

  auto birth = parse_birthdate(in.birthdate);
  if (!birth) {
    problem("birthdate", birth.error().code);
  } else {
    ev.birthdate = *birth;
    st.birthdate = *birth;
    auto age = check_age(*birth, now);
    if (!age) {
      problem("birthdate", age.error().code);
    } else {
      ev.age = *age;
      st.age = age->age;
      st.guardian_required = age->guardian_required;
      st.tokyo_date = format_date(age->on);
    }
  }

  // Kanji names as typed (NFC, trimmed); kana NFKC (ﾔﾏﾀﾞ -> ヤマダ). Ill-formed UTF-8 is an error.
  // A typed name is printable text with something to see (check_typed_text: ICU's properties):
  // control and bidi characters are refused (and the name is still given: one problem, not also
  // "missing"); a name of nothing visible is no name.
  auto typed_name = [&](std::string_view raw,
                        std::optional<std::string> (*normalize)(std::string_view),
                        const char* field, const char* where) {
    if (raw.empty()) return std::string();  // nothing typed: no name, nothing to normalise
    const std::optional<std::string> normal = normalize(raw);
    const std::string text = normal ? trim_spaces(*normal) : std::string(raw);
    switch (normal ? check_typed_text(text) : TextProblem::InvalidUtf8) {
      case TextProblem::None:
        return text;
      case TextProblem::NoVisible:
        return std::string();
      default:
        problem(field, Code::RecordBadValue, {{"where", where}});
        return text;
    }
  };
  ev.guardian_name = typed_name(in.guardian_name, nfc, "guardian.name", "/guardian/name");
  ev.guardian_name_kana =
      typed_name(in.guardian_name_kana, nfkc, "guardian.name_kana", "/guardian/name_kana");
  bool guardian_given = !ev.guardian_name.empty() || !ev.guardian_name_kana.empty() ||
                        !in.guardian_relationship.empty() || in.guardian_affirmed ||
                        !in.guardian_covers.empty();
  auto rel = parse_relationship(in.guardian_relationship);
  ev.relationship = rel.value_or(Relationship::None);
  // Taking consent back never needs a representative: a person of any age may withdraw alone
  // (a representative may also do it for them). Only giving or widening consent needs one.
  const bool withdrawal = in.event == "withdrawn";
  ev.by_guardian = st.guardian_required && (!withdrawal || guardian_given);
  if (ev.age && st.guardian_required) {
    if (!guardian_given) {
      if (!withdrawal)
        problem("guardian", Code::GuardianRequired, {{"age", std::to_string(ev.age->age)}});
    } else {
      if (ev.guardian_name.empty()) problem("guardian.name", Code::GuardianMissingName);
      if (!rel) problem("guardian.relationship", Code::GuardianBadRelationship);
      if (!in.guardian_affirmed) problem("guardian.affirmed", Code::GuardianNotAffirmed);
    }
  } else if (ev.age && guardian_given) {
    // Reported, never silently dropped: an adult's record must not claim a representative.
    problem("guardian", Code::GuardianNotApplicable);
  }

  if (withdrawal) {
    // A withdrawal states what remains: the policy still agreed with some linkages taken back,
    // or nothing at all. No linkage remains without the policy. (That it only takes back, never
    // adds, is checked against the record it follows: check_withdrawal, withdrawal.hpp.)
    if (!in.policy_agreed && !in.linkages.empty())
      problem("linkages", Code::RecordBadValue, {{"where", "/linkages"}});
  } else if (!in.policy_agreed) {
    problem("policy_agreed", Code::ConsentNotGiven);
  }

  std::vector<std::string> seen;
  for (std::size_t i = 0; i < in.linkages.size(); ++i) {
    const std::string& id = in.linkages[i];
    std::string field = "linkages." + id;
    const Disclosure* d = find_linkage(*ev.disclosures, id);
    if (d == nullptr) {
      problem(field, Code::LinkageUnknown, {{"id", id}});
      continue;
    }
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) {
      problem(field, Code::LinkageDuplicate, {{"id", id}});
      continue;
    }
    seen.push_back(id);
    if (ev.age && st.guardian_required && !withdrawal &&
        std::find(in.guardian_covers.begin(), in.guardian_covers.end(), id) ==
            in.guardian_covers.end()) {
      problem(field, Code::LinkageNotCoveredByGuardian, {{"recipient", recipient_names(*d)}});
    }
  }
  for (const auto& id : in.guardian_covers) {
    if (find_linkage(*ev.disclosures, id) == nullptr)
      problem("guardian.covers", Code::LinkageUnknown, {{"id", id}});
  }
  // Consent is given to a policy in effect: not before its effective date (00:00 Japan time).
  if (!effective) effective = tokyo_midnight(policy.effective_date);
  if (effective && now < *effective) {
    problem("consented_at", Code::RecordBeforeEffective, {{"date", policy.effective_date}});
  }
  // How the record is framed: one of the two languages, an event, and the record it follows.
  if (in.locale != "ja" && in.locale != "en")
    problem("locale", Code::RecordBadValue, {{"where", "/locale"}});
  if (in.event != "given" && in.event != "changed" && in.event != "withdrawn") {
    problem("event", Code::RecordBadValue, {{"where", "/event"}});
  }
  if (!in.previous_record.empty() && !is_uuid_v4(in.previous_record)) {
    problem("previous_record", Code::RecordBadValue, {{"where", "/previous_record"}});
  } else if (in.event != "given" && in.previous_record.empty()) {
    // A change or a withdrawal names the record it changes, so the history can be followed.
    problem("previous_record", Code::RecordMissingField, {{"where", "/previous_record"}});
  }
  // Where and by what consent was collected: each named, each its own field.
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string&>{"surface", in.surface}, {"agent", in.agent}}) {
    const std::string where = std::string("/collection/") + field;
    if (value.empty()) {
      problem(field, Code::RecordMissingField, {{"where", where}});
    } else if (check_typed_text(value) != TextProblem::None) {
      problem(field, Code::RecordBadValue, {{"where", where}});
    } else if (value.size() > kMaxRecordString) {
      problem(field, Code::RecordTooLarge);
    }
  }
  // The verifier's limits, applied where both build and verify pass: no record is built that
  // verification would refuse. (subject, locale, event and previous_record are shorter by form.)
  if (ev.guardian_name.size() > kMaxRecordString) problem("guardian.name", Code::RecordTooLarge);
  if (ev.guardian_name_kana.size() > kMaxRecordString)
    problem("guardian.name_kana", Code::RecordTooLarge);
  const auto optional_linkages = static_cast<std::size_t>(
      std::count_if(ev.disclosures->begin(), ev.disclosures->end(),
                    [](const Disclosure& d) { return d.optional_linkage; }));
  if (optional_linkages > kMaxRecordChoices) problem("linkages", Code::RecordTooLarge);
  st.complete = st.problems.empty();
  return ev;
}

}  // namespace detail

namespace {

// Where a problem's field is in the inputs' JSON form (consent_inputs_from_json), as a JSON
// pointer: "guardian.name" -> /guardian/name, "linkages.ponta" -> /linkages/<its index>.
std::string input_pointer(const std::string& field, const ConsentInputs& in) {
  if (field.rfind("linkages.", 0) == 0) {
    const auto it = std::find(in.linkages.begin(), in.linkages.end(), field.substr(9));
    return "/linkages/" + std::to_string(it - in.linkages.begin());
  }
  std::string pointer = "/" + field;
  std::replace(pointer.begin(), pointer.end(), '.', '/');
  return pointer;
}

}  // namespace

ConsentState evaluate(const Policy& policy, const ConsentInputs& inputs, Instant now) {
  return detail::evaluate_full(policy, inputs, now).state;
}

Result<std::string> build_record(const Policy& policy, const ConsentInputs& inputs, Instant now,
                                 std::string record_id) {
  return build_record(policy, derive_disclosures(policy), inputs, now, std::move(record_id));
}

Result<std::string> build_record(const Policy& policy, const std::vector<Disclosure>& disclosures,
                                 const ConsentInputs& inputs, Instant now, std::string record_id) {
  std::vector<Error> errors;
  if (record_id.empty()) record_id = new_uuid_v4();
  if (!is_uuid_v4(record_id)) {
    errors.push_back(Error{Code::RecordBadValue, "/record_id", "not a lowercase UUID v4", -1});
  }
  auto ev = detail::evaluate_full(policy, inputs, now, &disclosures);
  for (const auto& p : ev.state.problems)
    errors.push_back(Error{p.code, input_pointer(p.field, inputs), p.message, -1});
  if (!errors.empty()) return errors;
  std::string text = detail::record_text(detail::derive_record(policy, inputs, ev, now, record_id));
  // The record's strings are each within their limits, so only a policy whose texts are huge
  // can make a record larger than a verifier accepts; then none is written.
  if (text.size() > kMaxRecordBytes)
    return Error{Code::RecordTooLarge, "", std::to_string(text.size()) + " bytes", -1};
  return text;
}

}  // namespace doui
