#include "doui/withdrawal.hpp"

#include <algorithm>

#include "json_get.hpp"
#include "json_strict.hpp"
#include "verify_internal.hpp"

namespace doui {

namespace {

// A record as its fields, or the reasons it does not read as one (each error's path prefixed
// with `where`, so a caller can tell which of two records it was about).
Result<detail::RecordFields> read(std::string_view text, const std::string& where) {
  std::vector<Error> errors;
  detail::RecordFields fields;
  if (text.size() > kMaxRecordBytes) {
    errors.push_back(
        Error{Code::RecordTooLarge, where, std::to_string(text.size()) + " bytes", -1});
  } else {
    detail::ParseLimits limits;
    limits.max_depth = 8;
    auto parsed = detail::parse_strict(text, limits);
    if (!parsed) {
      errors = parsed.errors();
    } else {
      const nlohmann::json* schema =
          parsed->is_object() ? detail::JsonGetter::find(*parsed, "schema") : nullptr;
      if (schema != nullptr && schema->is_string() && *schema != kRecordSchema) {
        errors.push_back(
            Error{Code::RecordUnsupportedSchema, "/schema", schema->get<std::string>(), -1});
      } else {
        detail::read_record(*parsed, fields, errors);
      }
    }
    for (auto& e : errors) e.path = where + e.path;
  }
  if (!errors.empty()) return errors;
  return fields;
}

bool chosen(const detail::RecordFields& r, const std::string& id) {
  return std::any_of(r.choices.begin(), r.choices.end(),
                     [&](const detail::ChoiceFields& c) { return c.chosen && c.id == id; });
}

}  // namespace

Result<ConsentInputs> withdrawal_inputs(std::string_view record, std::string_view linkage) {
  auto r = read(record, "");
  if (!r) return r.errors();
  const detail::RecordFields& prev = *r;
  ConsentInputs in;
  in.subject = prev.subject;
  in.birthdate = prev.birthdate;
  in.locale = prev.locale;
  in.previous_record = prev.record_id;
  in.event = "withdrawn";
  const bool anything = prev.policy_agreed || std::any_of(prev.choices.begin(), prev.choices.end(),
                                                          [](const auto& c) { return c.chosen; });
  if (linkage.empty()) {
    if (!anything) return Error{Code::WithdrawalNothing, "/event", "nothing is agreed to", -1};
    in.policy_agreed = false;  // everything: the policy and every linkage
    return in;
  }
  const auto it = std::find_if(prev.choices.begin(), prev.choices.end(),
                               [&](const detail::ChoiceFields& c) { return c.id == linkage; });
  if (it == prev.choices.end()) {
    return Error{Code::LinkageUnknown, "/choices", std::string(linkage), -1};
  }
  if (!it->chosen) {
    return Error{Code::WithdrawalNothing, "/event", std::string(linkage) + " is not chosen", -1};
  }
  in.policy_agreed = prev.policy_agreed;
  for (const auto& c : prev.choices) {
    if (c.chosen && c.id != linkage) in.linkages.push_back(c.id);
  }
  return in;
}

std::vector<Error> check_withdrawal(std::string_view previous, std::string_view record) {
  auto now = read(record, "");
  auto before = read(previous, "/previous_record");
  std::vector<Error> errors;
  if (!now) errors = now.errors();
  if (!before) errors.insert(errors.end(), before.errors().begin(), before.errors().end());
  if (!errors.empty() || now->event != "withdrawn") return errors;
  if (now->policy_agreed && !before->policy_agreed) {
    errors.push_back(Error{Code::WithdrawalAdds, "/policy_agreed", "not agreed before", -1});
  }
  bool takes_back = before->policy_agreed && !now->policy_agreed;
  for (std::size_t i = 0; i < now->choices.size(); ++i) {
    const auto& c = now->choices[i];
    if (c.chosen && !chosen(*before, c.id)) {
      errors.push_back(Error{Code::WithdrawalAdds, "/choices/" + std::to_string(i),
                             c.id + " is not chosen before", -1});
    }
  }
  for (const auto& c : before->choices) {
    takes_back = takes_back || (c.chosen && !chosen(*now, c.id));
  }
  if (errors.empty() && !takes_back) {
    errors.push_back(
        Error{Code::WithdrawalNothing, "/event", "it holds all the record before", -1});
  }
  return errors;
}

}  // namespace doui
