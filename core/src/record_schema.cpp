// The full walk over a parsed record, following the one layout (record_layout.hpp): the schema
// (SchemaReader), which stated members differ from the re-derived record (FieldDiffer), and
// where an input's problem stands in the record (PointerFinder).
#include <algorithm>
#include <functional>

#include "doui/consent.hpp"
#include "json_get.hpp"
#include "json_strict.hpp"
#include "record_layout.hpp"
#include "verify_internal.hpp"

namespace doui::detail {

using nlohmann::json;

namespace {

// The object being read and the members the layout named in it (the rest are unknown).
struct Frame {
  const json* value;
  std::string path;
  std::vector<std::string_view> known;
};

class SchemaReader {
 public:
  SchemaReader(const json& record, RecordFields& out, std::vector<Error>& errors)
      : get_(errors, Code::RecordWrongType, Code::RecordTooLarge), out_(out) {
    frames_.push_back(Frame{&record, "", {}});
  }

  // Reports the top-level object's unknown members; call after visit_record.
  void finish() { unknown_members(frames_.back()); }

  template <class F>
  void object(const Member& m, F&& body) {
    const json* v = member(m);
    if (v == nullptr || !get_.is(*v, json::value_t::object, path(m))) return;
    enter(*v, m, body);
  }
  template <class F, class G>
  void one_of(const Member& m, bool RecordFields::*flag, F&& when_true, G&& when_false) {
    const json* v = member(m);
    if (v == nullptr || !get_.is(*v, json::value_t::object, path(m))) return;
    // The role says which shape the object must have.
    const json* role = JsonGetter::find(*v, "role");
    out_.*flag = role != nullptr && *role == "guardian";
    if (out_.*flag) {
      enter(*v, m, when_true);
    } else {
      enter(*v, m, when_false);
    }
  }
  template <class F>
  void array(const Member& m, std::vector<ChoiceFields> RecordFields::*list, F&& body) {
    const json* v = member(m);
    const std::string p = path(m);
    if (v == nullptr || !get_.is(*v, json::value_t::array, p)) return;
    if (v->size() > m.max_items) {
      get_.add(Code::RecordTooLarge, p, "more than " + std::to_string(m.max_items) + " entries");
      return;
    }
    auto& items = out_.*list;
    items.assign(v->size(), ChoiceFields{});
    for (std::size_t i = 0; i < v->size(); ++i) {
      const std::string ep = p + "/" + std::to_string(i);
      if (!get_.is((*v)[i], json::value_t::object, ep)) continue;
      choice_ = &items[i];
      frames_.push_back(Frame{&(*v)[i], ep, {}});
      body();
      unknown_members(frames_.back());
      frames_.pop_back();
    }
    choice_ = nullptr;
  }
  void constant(const Member& m, std::string_view value) {
    std::string s;
    if (const json* v = member(m); v && get_.string(*v, path(m), s, kMaxRecordString) && s != value)
      get_.add(Code::RecordBadValue, path(m), "must be \"" + std::string(value) + "\"");
  }
  template <class C>
  void string(const Member& m, std::string C::*p) {
    const json* v = member(m);
    if (v == nullptr || !get_.string(*v, path(m), of<C>().*p, kMaxRecordString)) return;
    if ((of<C>().*p).empty() && !m.allow_empty)
      get_.add(Code::RecordBadValue, path(m), "must not be empty");
  }
  void nullable_string(const Member& m, std::string RecordFields::*p) {
    const json* v = member(m);
    if (v == nullptr || v->is_null()) return;
    if (!v->is_string()) {
      get_.add(Code::RecordWrongType, path(m),
               std::string("expected string or null, found ") + type_name(*v));
      return;
    }
    if (get_.string(*v, path(m), out_.*p, kMaxRecordString) && (out_.*p).empty())
      get_.add(Code::RecordBadValue, path(m), "must not be empty (null: none)");
  }
  template <class C>
  void strings(const Member& m, std::vector<std::string> C::*p) {
    if (const json* v = member(m))
      get_.strings(*v, path(m), of<C>().*p, m.max_items ? m.max_items : kMaxRecordList,
                   kMaxRecordString);
  }
  template <class C>
  void boolean(const Member& m, bool C::*p) {
    if (const json* v = member(m)) get_.boolean(*v, path(m), of<C>().*p);
  }
  void integer(const Member& m, std::int64_t RecordFields::*p) {
    const json* v = member(m);
    if (v == nullptr || !get_.is(*v, json::value_t::number_integer, path(m))) return;
    out_.*p =
        v->is_number_unsigned()
            ? static_cast<std::int64_t>(std::min<std::uint64_t>(v->get<std::uint64_t>(), INT64_MAX))
            : v->get<std::int64_t>();
  }
  void digest(const Member& m, std::string RecordFields::*p) { string(m, p); }

 private:
  template <class C>
  C& of() {
    if constexpr (std::is_same_v<C, ChoiceFields>) {
      return *choice_;
    } else {
      return out_;
    }
  }

  std::string path(const Member& m) const { return frames_.back().path + "/" + std::string(m.key); }

  // The member, noted as known; nullptr (with record.missing_field) when absent.
  const json* member(const Member& m) {
    Frame& f = frames_.back();
    f.known.push_back(m.key);
    const json* v = JsonGetter::find(*f.value, m.key);
    if (v == nullptr) get_.add(Code::RecordMissingField, path(m), "required");
    return v;
  }

  template <class F>
  void enter(const json& v, const Member& m, F&& body) {
    frames_.push_back(Frame{&v, path(m), {}});
    body();
    unknown_members(frames_.back());
    frames_.pop_back();
  }

  void unknown_members(const Frame& f) {
    for (auto it = f.value->begin(); it != f.value->end(); ++it) {
      if (std::find(f.known.begin(), f.known.end(), it.key()) == f.known.end())
        get_.add(Code::RecordUnknownField, f.path + "/" + pointer_token(it.key()),
                 "not part of " + std::string(kRecordSchema));
    }
  }

  JsonGetter get_;
  RecordFields& out_;
  std::vector<Frame> frames_;
  ChoiceFields* choice_ = nullptr;
};

// Walks the layout over two records at once; `on_leaf(member, pointer, equal)` for each value.
class FieldDiffer {
 public:
  using Skip = std::function<bool(std::string_view input)>;
  FieldDiffer(const RecordFields& expected, const RecordFields& stated, Skip skip,
              std::vector<Error>& errors)
      : a_(expected), b_(stated), skip_(std::move(skip)), errors_(errors) {}

  template <class F>
  void object(const Member& m, F&& body) {
    nest(m, body);
  }
  template <class F, class G>
  void one_of(const Member& m, bool RecordFields::*flag, F&& when_true, G&& when_false) {
    if (skipped(m)) return;
    if (a_.*flag != b_.*flag) return differ(m);
    if (a_.*flag) {
      nest(m, when_true);
    } else {
      nest(m, when_false);
    }
  }
  template <class F>
  void array(const Member& m, std::vector<ChoiceFields> RecordFields::*list, F&& body) {
    if (skipped(m)) return;
    const auto &xs = a_.*list, &ys = b_.*list;
    if (xs.size() != ys.size()) return differ(m);
    const std::string base = path_;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      path_ = base + "/" + std::string(m.key) + "/" + std::to_string(i);
      ca_ = &xs[i];
      cb_ = &ys[i];
      body();
    }
    path_ = base;
    ca_ = cb_ = nullptr;
  }
  void constant(const Member&, std::string_view) {}
  template <class C, class T>
  void leaf(const Member& m, T C::*p) {
    if (!skipped(m) && of<C>(true).*p != of<C>(false).*p) differ(m);
  }
  template <class C>
  void string(const Member& m, std::string C::*p) {
    leaf(m, p);
  }
  void nullable_string(const Member& m, std::string RecordFields::*p) { leaf(m, p); }
  // Lists of one length differ item by item; of two lengths, as a whole.
  template <class C>
  void strings(const Member& m, std::vector<std::string> C::*p) {
    const auto &xs = of<C>(true).*p, &ys = of<C>(false).*p;
    if (skipped(m) || xs == ys) return;
    if (xs.size() != ys.size()) return differ(m);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      if (xs[i] != ys[i])
        errors_.push_back(Error{m.mismatch,
                                path_ + "/" + std::string(m.key) + "/" + std::to_string(i),
                                "differs from what the rules derive", -1});
    }
  }
  template <class C>
  void boolean(const Member& m, bool C::*p) {
    leaf(m, p);
  }
  void integer(const Member& m, std::int64_t RecordFields::*p) { leaf(m, p); }
  void digest(const Member&, std::string RecordFields::*) {}

 private:
  template <class C>
  const C& of(bool expected) const {
    if constexpr (std::is_same_v<C, ChoiceFields>) {
      return expected ? *ca_ : *cb_;
    } else {
      return expected ? a_ : b_;
    }
  }
  bool skipped(const Member& m) const { return !m.input.empty() && skip_(m.input); }
  void differ(const Member& m) {
    errors_.push_back(Error{m.mismatch, path_ + "/" + std::string(m.key),
                            "differs from what the rules derive", -1});
  }
  template <class F>
  void nest(const Member& m, F&& body) {
    const std::string base = path_;
    path_ += "/" + std::string(m.key);
    body();
    path_ = base;
  }

  const RecordFields &a_, &b_;
  const ChoiceFields *ca_ = nullptr, *cb_ = nullptr;
  Skip skip_;
  std::vector<Error>& errors_;
  std::string path_;
};

// Finds the pointer of the member stating a given input.
class PointerFinder {
 public:
  explicit PointerFinder(std::string_view input) : input_(input) {}
  const std::string& found() const { return found_; }

  template <class F>
  void object(const Member& m, F&& body) {
    nest(m, body);
  }
  template <class F, class G>
  void one_of(const Member& m, bool RecordFields::*, F&& when_true, G&&) {
    nest(m, when_true);  // the representative's shape names every input either has
  }
  template <class F>
  void array(const Member& m, std::vector<ChoiceFields> RecordFields::*, F&&) {
    check(m);
  }
  template <class P>
  void constant(const Member& m, P) {
    check(m);
  }
  template <class P>
  void string(const Member& m, P) {
    check(m);
  }
  template <class P>
  void nullable_string(const Member& m, P) {
    check(m);
  }
  template <class P>
  void strings(const Member& m, P) {
    check(m);
  }
  template <class P>
  void boolean(const Member& m, P) {
    check(m);
  }
  template <class P>
  void integer(const Member& m, P) {
    check(m);
  }
  template <class P>
  void digest(const Member& m, P) {
    check(m);
  }

 private:
  void check(const Member& m) {
    if (found_.empty() && !m.input.empty() && m.input == input_)
      found_ = path_ + "/" + std::string(m.key);
  }
  template <class F>
  void nest(const Member& m, F&& body) {
    check(m);
    const std::string base = path_;
    path_ += "/" + std::string(m.key);
    body();
    path_ = base;
  }

  std::string_view input_;
  std::string path_, found_;
};

}  // namespace

bool read_record(const json& record, RecordFields& out, std::vector<Error>& errors) {
  const std::size_t before = errors.size();
  JsonGetter get(errors, Code::RecordWrongType, Code::RecordTooLarge);
  if (!get.is(record, json::value_t::object, "")) return false;
  SchemaReader reader(record, out, errors);
  visit_record(reader);
  reader.finish();
  return errors.size() == before;
}

// By value: callers that are done with the record move it in and its strings move on.
void stated_inputs_into(const RecordFields& r, ConsentInputs& in) {
  // Every member assigned (never left from a previous use): `in` may be reused scratch.
  in.subject = r.subject;
  in.birthdate = r.birthdate;
  in.policy_agreed = r.policy_agreed;
  in.linkages.clear();
  for (const auto& c : r.choices) {
    if (c.chosen) in.linkages.push_back(c.id);
  }
  // The representative's members only from a representative's record.
  const auto guardian = [&r](const std::string& s) {
    return r.by_guardian ? std::string_view(s) : std::string_view();
  };
  in.guardian_affirmed = r.by_guardian && r.affirmed;
  in.guardian_name.assign(guardian(r.name));
  in.guardian_name_kana.assign(guardian(r.name_kana));
  in.guardian_relationship.assign(guardian(r.relationship));
  in.guardian_covers.assign(r.covers.begin(), r.by_guardian ? r.covers.end() : r.covers.begin());
  in.locale = r.locale;
  in.surface = r.surface;
  in.agent = r.agent;
  in.previous_record = r.previous_record;
  in.event = r.event;
}

ConsentInputs stated_inputs(const RecordFields& r) {
  ConsentInputs in;
  stated_inputs_into(r, in);
  return in;
}

void compare_fields(const RecordFields& expected, const RecordFields& stated,
                    const std::vector<FieldProblem>& problems, std::vector<Error>& errors) {
  // An input with a problem (or with a problem in a part of it: "guardian.name" for
  // "guardian") is reported once, as that problem.
  auto has_problem = [&problems](std::string_view input) {
    return std::any_of(problems.begin(), problems.end(), [&](const FieldProblem& p) {
      return p.field == input ||
             (p.field.size() > input.size() && p.field.compare(0, input.size(), input) == 0 &&
              p.field[input.size()] == '.');
    });
  };
  FieldDiffer differ(expected, stated, has_problem, errors);
  visit_record(differ);
}

std::string record_pointer(const std::string& field, const RecordFields& record) {
  // A linkage's problem stands at its decision, found by id.
  constexpr std::string_view kLinkage = "linkages.";
  if (field.compare(0, kLinkage.size(), kLinkage) == 0) {
    const std::string id = field.substr(kLinkage.size());
    for (std::size_t i = 0; i < record.choices.size(); ++i) {
      if (record.choices[i].id == id) return "/choices/" + std::to_string(i);
    }
    return "/choices";
  }
  PointerFinder finder(field);
  visit_record(finder);
  return finder.found();
}

}  // namespace doui::detail
