// The consent engine: the inputs a person (or their legal representative) gives, the live state
// a UI shows after every input, and the canonical consent record that proves the result.
// Every rule lives here; the widget, the server and the CLI only call it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "doui/age.hpp"
#include "doui/disclosure.hpp"
#include "doui/policy.hpp"
#include "doui/result.hpp"
#include "doui/uuid.hpp"

namespace doui {

constexpr std::string_view kRecordSchema = "doui.consent/1";
/// The largest record, in bytes: build_record refuses to write one larger (record.too_large),
/// and verify_record refuses one larger by default.
constexpr std::size_t kMaxRecordBytes = 64 * 1024;
/// The rule stated in every record: 年齢計算ニ関スル法律 in Asia/Tokyo; 15 or under needs a
/// legal representative (the policy's 「15歳以下」).
constexpr std::string_view kAgeRule = "jp-age-act/asia-tokyo/guardian-if-15-or-under";

enum class Relationship { None, Parent, Guardian, Other };

/// "parent" | "guardian" | "other", or the Japanese 親権者 | 未成年後見人 | その他の法定代理人.
std::optional<Relationship> parse_relationship(std::string_view text);
/// "parent" | "guardian" | "other" ("" for None). Labels to show are in the message catalogs.
std::string_view to_string(Relationship r);

/// What the person has entered so far. Strings are as typed; the engine normalises them.
struct ConsentInputs {
  std::string subject;  ///< the operator's opaque id for the person (never a name)
  std::string birthdate;  ///< as typed: 2009-04-01, 平成21年4月1日, ２００９年４月１日, …
  bool policy_agreed = false;
  std::vector<std::string> linkages;  ///< optional linkage ids chosen (off unless listed)
  // The legal representative, when the person is 15 or under.
  std::string guardian_name;          ///< kanji as typed (trimmed, NFC)
  std::string guardian_name_kana;     ///< kana (NFKC: ﾔﾏﾀﾞ -> ヤマダ)
  std::string guardian_relationship;  ///< see parse_relationship
  bool guardian_affirmed = false;  ///< "I consent on the person's behalf as their representative"
  std::vector<std::string> guardian_covers;  ///< linkage ids the guardian consents to
  std::string locale = "ja";                 ///< ja | en: the language shown
  /// Where consent was collected (signup | privacy-center | cli | api …) and what collected it
  /// ("doui-widget/0.1.0", "doui-cli/0.1.0"): required, named by the front end, no default.
  std::string surface;
  std::string agent;
  std::string previous_record;  ///< the record this one changes or withdraws, if any
  std::string event = "given";  ///< given | changed | withdrawn
};

/// One problem with one input, ready to show: the stable code and a message in the locale.
struct FieldProblem {
  /// The input it is about, by the name a front end sets it with (the browser session's
  /// set(field, …); the members of consent_inputs_from_json, dotted): subject | birthdate |
  /// policy_agreed | linkages | guardian | guardian.name | guardian.name_kana |
  /// guardian.relationship | guardian.affirmed | guardian.covers | locale | surface | agent |
  /// previous_record | event; `linkages.<id>` for one linkage's own choice (set("linkages.<id>",
  /// true) = setLinkage(id, true)); `consented_at` for the instant consent is given at (the
  /// session's `now`, the CLI's --at). build_record's errors carry the same as a JSON pointer
  /// into the inputs' JSON (/guardian/name, /linkages/<index of id>).
  std::string field;
  Code code;
  std::string message;
};

/// The live state after each input: everything a UI needs, nothing it must compute.
struct ConsentState {
  std::optional<Date> birthdate;   ///< once the birth date reads as a date (even if refused)
  std::optional<int> age;          ///< once the birth date is usable
  bool guardian_required = false;  ///< 15 or under at `now`
  std::string tokyo_date;          ///< the date the age was counted at
  std::vector<FieldProblem> problems;
  bool complete = false;  ///< a record can be built now
};

/// Evaluates the inputs against the policy at `now`; problem messages are in `inputs.locale`.
ConsentState evaluate(const Policy& policy, const ConsentInputs& inputs, Instant now);

/// Builds the canonical consent record (RFC 8785 JSON, with its digest) if the inputs are
/// complete; else the problems as errors. `record_id` empty: a fresh UUID v4 from a CSPRNG.
Result<std::string> build_record(const Policy& policy, const ConsentInputs& inputs, Instant now,
                                 std::string record_id = {});

/// The same, with the policy's disclosures already derived (derive_disclosures), for callers that
/// build many records against one policy.
Result<std::string> build_record(const Policy& policy, const std::vector<Disclosure>& disclosures,
                                 const ConsentInputs& inputs, Instant now,
                                 std::string record_id = {});

/// The longest text input, in bytes (a record holds at most 1024 bytes of a name; the rest is
/// room for what normalisation and trimming remove).
constexpr std::size_t kMaxInputBytes = 16 * 1024;

/// Inputs from JSON (the widget's form state): {"subject","birthdate","policy_agreed",
/// "linkages":[…],"guardian":{"name","name_kana","relationship","affirmed","covers":[…]},
/// "locale","surface","agent","previous_record","event"}; every field optional, unknown ones
/// are errors (record.unknown_field), wrong types record.wrong_type, a text over kMaxInputBytes
/// or a list of more than 16 ids record.too_large; the document at most 64 KiB (json.too_large).
Result<ConsentInputs> consent_inputs_from_json(std::string_view json_text);

/// The inputs as consent_inputs_from_json reads them (canonical JSON; "guardian" only when a
/// representative's member is set): what a server hands a front end to start a session from.
std::string consent_inputs_json(const ConsentInputs& inputs);

/// The live state as canonical JSON: everything a UI shows, each text in both languages:
/// {"age","guardian_required","tokyo_date","complete",
///  "birthdate": null | {"iso":"2009-04-01","words":{"ja":"2009年4月1日（平成21年）",
///     "en":"1 April 2009 (Heisei 21)"},"age":16 | null,"age_words":{"ja":"16歳","en":"age 16"} |
///     null},
///  "problems":[{"field","code","message":{"ja","en"}}],
///  "linkages":[{"id","recipients","title","chosen","needs_guardian","disclosure_digest",
///     "name":{"ja":"Ponta","en":"Ponta"},"label":{…},"guardian_label":{…}}]}.
/// `birthdate` is there once the text reads as a date, with `age` once the date is usable (not in
/// the future, not before 1900); `label` is the linkage's checkbox label, `guardian_label` the
/// representative's (catalog "label.linkage", "label.guardian_covers"; the name from "name.<id>",
/// else the recipients).
std::string consent_state_json(const Policy& policy, const ConsentInputs& inputs, Instant now);

/// The same, with the policy's disclosures already derived (a UI evaluates on every input).
std::string consent_state_json(const Policy& policy, const std::vector<Disclosure>& disclosures,
                               const ConsentInputs& inputs, Instant now);

}  // namespace doui
