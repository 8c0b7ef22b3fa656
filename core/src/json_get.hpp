// Typed reads of parsed JSON with the loader's own error codes: one helper for every loader
// (records, consent inputs, policies), so "expected string, found number" reads the same
// everywhere and names the member's JSON pointer.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "doui/result.hpp"
#include "json_strict.hpp"

namespace doui::detail {

class JsonGetter {
 public:
  /// `wrong_type`/`too_large`: the codes of the document kind being read.
  JsonGetter(std::vector<Error>& errors, Code wrong_type, Code too_large)
      : errors_(errors), wrong_type_(wrong_type), too_large_(too_large) {}

  /// The member `key` of object `obj`, or nullptr.
  static const nlohmann::json* find(const nlohmann::json& obj, std::string_view key) {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
  }

  /// Whether `v` has `type` (number_integer: any integer); else an error at `path`.
  bool is(const nlohmann::json& v, nlohmann::json::value_t type, const std::string& path) {
    using T = nlohmann::json::value_t;
    const bool same = v.type() == type || (type == T::number_integer && v.is_number_integer());
    if (!same) {
      const char* expected = type == T::object    ? "object"
                             : type == T::array   ? "array"
                             : type == T::string  ? "string"
                             : type == T::boolean ? "boolean"
                                                  : "integer";
      add(wrong_type_, path, std::string("expected ") + expected + ", found " + type_name(v));
    }
    return same;
  }

  /// A string of at most `max_bytes`; false (with an error) otherwise.
  bool string(const nlohmann::json& v, const std::string& path, std::string& out,
              std::size_t max_bytes) {
    if (!is(v, nlohmann::json::value_t::string, path)) return false;
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() > max_bytes) {
      add(too_large_, path, "longer than " + std::to_string(max_bytes) + " bytes");
      return false;
    }
    out = s;
    return true;
  }

  bool boolean(const nlohmann::json& v, const std::string& path, bool& out) {
    if (!is(v, nlohmann::json::value_t::boolean, path)) return false;
    out = v.get<bool>();
    return true;
  }

  /// An array of at most `max_items` strings of at most `max_bytes` each.
  bool strings(const nlohmann::json& v, const std::string& path, std::vector<std::string>& out,
               std::size_t max_items, std::size_t max_bytes) {
    if (!is(v, nlohmann::json::value_t::array, path)) return false;
    if (v.size() > max_items) {
      add(too_large_, path, "more than " + std::to_string(max_items) + " entries");
      return false;
    }
    out.clear();
    bool ok = true;
    for (std::size_t i = 0; i < v.size(); ++i) {
      ok = string(v[i], path + "/" + std::to_string(i), out.emplace_back(), max_bytes) && ok;
    }
    return ok;
  }

  void add(Code code, std::string path, std::string detail) {
    errors_.push_back(Error{code, std::move(path), std::move(detail), -1});
  }

 private:
  std::vector<Error>& errors_;
  Code wrong_type_, too_large_;
};

}  // namespace doui::detail
