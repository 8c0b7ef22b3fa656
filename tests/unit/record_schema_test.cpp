// docs/consent-record.schema.json follows the record's one layout (core/src/record_layout.hpp):
// every object has exactly the layout's members, all required, nothing else allowed, each of
// the layout's JSON type, with the layout's limits. The schema keeps its prose and its finer
// constraints (patterns, enums, conditions); this test keeps its shape from drifting.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "record_layout.hpp"
#include "test_util.hpp"

namespace {

using doui::detail::ChoiceFields;
using doui::detail::Member;
using doui::detail::RecordFields;
using nlohmann::json;

class SchemaShape {
 public:
  SchemaShape(const json& schema, std::vector<std::string>& problems)
      : root_(schema), problems_(problems) {
    frames_.push_back(Frame{&root_, ""});
  }
  void finish() { check_members(frames_.back()); }

  template <class F>
  void object(const Member& m, F&& body) {
    const json* node = property(m, "object");
    if (node != nullptr) nest(*node, m, body);
  }
  template <class F, class G>
  void one_of(const Member& m, bool RecordFields::*, F&& when_true, G&& when_false) {
    const json* node = property(m, nullptr);
    if (node == nullptr) return;
    // Each branch is told apart by its "role" constant.
    if (!node->contains("oneOf") || (*node)["oneOf"].size() != 2) {
      problems_.push_back(path(m) + ": expected oneOf of two shapes");
      return;
    }
    for (const auto& branch : (*node)["oneOf"]) {
      const json& shape = resolve(branch);
      const std::string role = shape["properties"]["role"].value("const", "");
      if (role == "guardian") {
        nest(shape, m, when_true);
      } else if (role == "subject") {
        nest(shape, m, when_false);
      } else {
        problems_.push_back(path(m) + ": a shape without a role constant");
      }
    }
  }
  template <class F>
  void array(const Member& m, std::vector<ChoiceFields> RecordFields::*, F&& body) {
    const json* node = property(m, "array");
    if (node == nullptr) return;
    expect_eq(path(m) + " maxItems", node->value("maxItems", 0), m.max_items);
    nest(resolve((*node)["items"]), m, body);
  }
  void constant(const Member& m, std::string_view value) {
    const json* node = property(m, "string");
    if (node != nullptr && node->value("const", "") != value)
      problems_.push_back(path(m) + ": expected const \"" + std::string(value) + "\"");
  }
  template <class P>
  void string(const Member& m, P) {
    text(m, property(m, "string"));
  }
  void nullable_string(const Member& m, std::string RecordFields::*) {
    const json* node = property(m, nullptr);
    if (node == nullptr) return;
    std::set<std::string> types;
    for (const auto& branch : node->value("oneOf", json::array()))
      types.insert(type_of(resolve(branch)));
    if (types != std::set<std::string>{"null", "string"})
      problems_.push_back(path(m) + ": expected a string or null");
  }
  template <class P>
  void strings(const Member& m, P) {
    const json* node = property(m, "array");
    if (node == nullptr) return;
    const std::size_t max = m.max_items ? m.max_items : doui::detail::kMaxRecordList;
    expect_eq(path(m) + " maxItems", node->value("maxItems", 0), max);
    if (type_of(resolve((*node)["items"])) != "string")
      problems_.push_back(path(m) + ": expected string items");
  }
  template <class P>
  void boolean(const Member& m, P) {
    property(m, "boolean");
  }
  template <class P>
  void integer(const Member& m, P) {
    property(m, "integer");
  }
  template <class P>
  void digest(const Member& m, P p) {
    string(m, p);
  }

 private:
  struct Frame {
    const json* node;
    std::string path;
    std::vector<std::string> members = {};
  };

  const json& resolve(const json& node) const {
    if (!node.contains("$ref")) return node;
    const std::string ref = node["$ref"];  // "#/$defs/name"
    return root_.at(json::json_pointer(ref.substr(1)));
  }

  static std::string type_of(const json& node) {
    if (node.contains("type") && node["type"].is_string()) return node["type"];
    const json* sample = node.contains("const")  ? &node["const"]
                         : node.contains("enum") ? &node["enum"][0]
                                                 : nullptr;
    if (sample == nullptr) return "";
    if (sample->is_boolean()) return "boolean";
    if (sample->is_string()) return "string";
    return sample->is_number_integer() ? "integer" : "";
  }

  std::string path(const Member& m) const { return frames_.back().path + "/" + std::string(m.key); }

  // The member's schema, checked to be of `type` (nullptr: not checked here).
  const json* property(const Member& m, const char* type) {
    Frame& f = frames_.back();
    f.members.emplace_back(m.key);
    if (!f.node->contains("properties") || !(*f.node)["properties"].contains(m.key)) {
      problems_.push_back(path(m) + ": not in the schema");
      return nullptr;
    }
    const json& node = resolve((*f.node)["properties"][std::string(m.key)]);
    if (type != nullptr && type_of(node) != type)
      problems_.push_back(path(m) + ": expected type " + type + ", schema says " + type_of(node));
    return &node;
  }

  void text(const Member& m, const json* node) {
    if (node == nullptr || node->contains("const") || node->contains("enum") ||
        node->contains("pattern"))
      return;  // its form bounds it
    expect_eq(path(m) + " maxLength", node->value("maxLength", 0), doui::detail::kMaxRecordString);
    expect_eq(path(m) + " minLength", node->value("minLength", 0), m.allow_empty ? 0u : 1u);
  }

  void expect_eq(const std::string& what, std::size_t schema, std::size_t layout) {
    if (schema != layout)
      problems_.push_back(what + ": schema " + std::to_string(schema) + ", layout " +
                          std::to_string(layout));
  }

  template <class F>
  void nest(const json& node, const Member& m, F&& body) {
    frames_.push_back(Frame{&node, path(m)});
    body();
    check_members(frames_.back());
    frames_.pop_back();
  }

  // Exactly the layout's members: all required, no others allowed.
  void check_members(const Frame& f) {
    const std::set<std::string> layout(f.members.begin(), f.members.end());
    std::set<std::string> required, properties;
    for (const auto& r : f.node->value("required", json::array())) required.insert(r);
    const json props = f.node->value("properties", json::object());
    for (const auto& [k, v] : props.items()) properties.insert(k);
    if (required != layout) problems_.push_back(f.path + ": required is not the layout's members");
    if (properties != layout)
      problems_.push_back(f.path + ": properties are not the layout's members");
    if (f.node->value("additionalProperties", true) != false)
      problems_.push_back(f.path + ": additionalProperties must be false");
  }

  const json& root_;
  std::vector<std::string>& problems_;
  std::vector<Frame> frames_;
};

TEST(RecordSchema, FollowsTheRecordLayout) {
  const json schema = json::parse(doui::test::read_source_file("docs/consent-record.schema.json"));
  std::vector<std::string> problems;
  SchemaShape shape(schema, problems);
  doui::detail::visit_record(shape);
  shape.finish();
  EXPECT_EQ(problems, std::vector<std::string>{});
}

}  // namespace
