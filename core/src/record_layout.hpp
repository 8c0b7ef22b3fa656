// The consent record's one layout: every member, in canonical (RFC 8785) order, with its type,
// limits, the engine input it states and the code for a stated value the rules do not give.
// Everything that reads or writes a record follows this table through a visitor:
//   RecordWriter   (record_writer.cpp)  bytes of a record, or a match of bytes against one
//   ExactReader    (record_exact.cpp)   the verifier's fast path: a record in the writer's form
//   SchemaReader   (record_schema.cpp)  the full walk: types, required and unknown members, limits
//   FieldDiffer    (record_schema.cpp)  which stated members differ from the re-derived ones
//   SchemaShape    (tests)              docs/consent-record.schema.json is held to the table
// A visitor is called with member pointers, so one visitor can hold one record or two.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "doui/codes.hpp"

namespace doui::detail {

/// The longest string a record may hold, in bytes.
constexpr std::size_t kMaxRecordString = 1024;
/// The most strings in one list (recipients, purposes, data items, covers).
constexpr std::size_t kMaxRecordList = 64;
/// The most optional-linkage decisions in one record.
constexpr std::size_t kMaxRecordChoices = 16;
/// The most digits of a stated age (no one is 1000).
constexpr std::size_t kMaxAgeDigits = 3;

/// One decision on an optional linkage, with what the person was shown.
struct ChoiceFields {
  bool chosen = false;
  std::vector<std::string> data_items;
  std::string disclosure_digest;
  std::string id;
  std::vector<std::string> purposes;
  std::vector<std::string> recipients;
  friend bool operator==(const ChoiceFields&, const ChoiceFields&) = default;
};

/// Every value a record states, flat (nested JSON objects are groups of members here).
struct RecordFields {
  std::vector<ChoiceFields> choices;
  // collection
  std::string agent, surface;
  // consent_by: {"role":"subject"} or the legal representative
  bool by_guardian = false;
  bool affirmed = false;
  std::vector<std::string> covers;
  std::string name, name_kana, relationship;
  std::string consented_at;
  std::string digest;
  std::string event;
  std::string locale;
  // person
  std::int64_t age = 0;
  std::string age_rule, birthdate;
  bool guardian_required = false;
  std::string tokyo_date;
  // policy
  std::string policy_digest, effective_date, policy_id, policy_version;
  bool policy_agreed = false;
  std::string previous_record;  ///< "" is written as null
  std::string record_id;
  std::string schema;
  std::string subject;
  friend bool operator==(const RecordFields&, const RecordFields&) = default;
};

/// One member of the layout.
struct Member {
  std::string_view key;
  /// The engine input this member states, as the engine names problems (FieldProblem::field):
  /// a problem with that input is reported at this member's pointer. "" for derived members.
  std::string_view input = {};
  /// Reported when the stated value differs from the one the rules derive.
  Code mismatch = Code::RecordBadValue;
  /// Strings: may be empty. Lists: at most this many items (0: kMaxRecordList).
  bool allow_empty = false;
  std::size_t max_items = 0;
};

// The members after the choices, in canonical order. V provides: object(m, body),
// one_of(m, flag, when_true, when_false), constant(m, value), string(m, ptr),
// nullable_string(m, ptr), strings(m, ptr), boolean(m, ptr), integer(m, ptr), digest(m, ptr).
template <class V>
void visit_after_choices(V& v) {
  using R = RecordFields;
  v.object(Member{"collection"}, [&] {
    v.string(Member{"agent", "agent"}, &R::agent);
    v.string(Member{"surface", "surface"}, &R::surface);
  });
  v.one_of(
      Member{"consent_by", "guardian"}, &R::by_guardian,
      [&] {
        v.boolean(Member{"affirmed", "guardian.affirmed"}, &R::affirmed);
        v.strings(
            Member{"covers", "guardian.covers", Code::RecordBadValue, false, kMaxRecordChoices},
            &R::covers);
        v.string(Member{"name", "guardian.name"}, &R::name);
        v.string(Member{"name_kana", "guardian.name_kana", Code::RecordBadValue, true},
                 &R::name_kana);
        v.string(Member{"relationship", "guardian.relationship"}, &R::relationship);
        v.constant(Member{"role"}, "guardian");
      },
      [&] { v.constant(Member{"role"}, "subject"); });
  v.string(Member{"consented_at", "consented_at"}, &R::consented_at);
  v.digest(Member{"digest", "", Code::RecordDigestMismatch}, &R::digest);
  v.string(Member{"event", "event"}, &R::event);
  v.string(Member{"locale", "locale"}, &R::locale);
  v.object(Member{"person"}, [&] {
    v.integer(Member{"age", "", Code::RecordAgeMismatch}, &R::age);
    v.string(Member{"age_rule", "", Code::RecordAgeMismatch}, &R::age_rule);
    v.string(Member{"birthdate", "birthdate", Code::RecordAgeMismatch}, &R::birthdate);
    v.boolean(Member{"guardian_required", "", Code::RecordAgeMismatch}, &R::guardian_required);
    v.string(Member{"tokyo_date", "", Code::RecordAgeMismatch}, &R::tokyo_date);
  });
  v.object(Member{"policy"}, [&] {
    v.string(Member{"digest", "", Code::RecordPolicyDigestMismatch}, &R::policy_digest);
    v.string(Member{"effective_date", "", Code::RecordPolicyDigestMismatch}, &R::effective_date);
    v.string(Member{"id", "", Code::RecordPolicyDigestMismatch}, &R::policy_id);
    v.string(Member{"version", "", Code::RecordPolicyDigestMismatch}, &R::policy_version);
  });
  v.boolean(Member{"policy_agreed", "policy_agreed"}, &R::policy_agreed);
  v.nullable_string(Member{"previous_record", "previous_record"}, &R::previous_record);
  v.string(Member{"record_id"}, &R::record_id);
  v.string(Member{"schema"}, &R::schema);
  v.string(Member{"subject", "subject"}, &R::subject);
}

/// The members of one linkage decision, in canonical order.
template <class V>
void visit_choice(V& v) {
  using C = ChoiceFields;
  const Code m = Code::LinkageDisclosureMismatch;
  v.boolean(Member{"chosen", "", m}, &C::chosen);
  v.strings(Member{"data_items", "", m}, &C::data_items);
  v.string(Member{"disclosure_digest", "", m}, &C::disclosure_digest);
  v.string(Member{"id", "", m}, &C::id);
  v.strings(Member{"purposes", "", m}, &C::purposes);
  v.strings(Member{"recipients", "", m}, &C::recipients);
}

/// The "choices" member, which opens every record. V::array(m, ptr, element_body).
template <class V>
void visit_choices(V& v) {
  v.array(Member{"choices", "linkages", Code::LinkageDisclosureMismatch, false, kMaxRecordChoices},
          &RecordFields::choices, [&] { visit_choice(v); });
}

/// The whole record: the choices, then the rest.
template <class V>
void visit_record(V& v) {
  visit_choices(v);
  visit_after_choices(v);
}

}  // namespace doui::detail
