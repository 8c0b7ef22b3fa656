#include "doui/policy.hpp"

#include <initializer_list>
#include <set>

#include <nlohmann/json.hpp>

#include "doui/age.hpp"
#include "doui/canonical.hpp"
#include "doui/digest.hpp"
#include "json_get.hpp"
#include "json_strict.hpp"

namespace doui {

using nlohmann::json;

std::string plain_text(const Inlines& inlines) {
  std::string out;
  for (const auto& in : inlines) out += in.text;
  return out;
}

namespace {

constexpr std::string_view kFormat = "doui.policy/1";

bool is_id(std::string_view s) {
  // ^[a-z0-9]+(-[a-z0-9]+)*$
  if (s.empty() || s.front() == '-' || s.back() == '-') return false;
  char prev = 0;
  for (char c : s) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && c != '-') return false;
    if (c == '-' && prev == '-') return false;
    prev = c;
  }
  return true;
}

// YYYY-MM-DD naming a day that exists.
bool is_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto num = [&](std::size_t at, std::size_t len) {
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  return is_valid_date(Date{num(0, 4), num(5, 2), num(8, 2)});
}

// The shapes the schema gives as patterns (policy.schema.json), so loader and schema agree.
bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// ^[0-9]+\.$ : "1."
bool is_section_number(std::string_view s) {
  return s.size() >= 2 && s.back() == '.' && all_digits(s.substr(0, s.size() - 1));
}

// ^\([0-9]+\)$ : "(1)"
bool is_item_number(std::string_view s) {
  return s.size() >= 3 && s.front() == '(' && s.back() == ')' &&
         all_digits(s.substr(1, s.size() - 2));
}

// ^[①-⑳]$ : one of U+2460..U+2473, E2 91 A0..B3 in UTF-8.
bool is_circled_marker(std::string_view s) {
  return s.size() == 3 && s[0] == '\xE2' && s[1] == '\x91' &&
         static_cast<unsigned char>(s[2]) >= 0xA0 && static_cast<unsigned char>(s[2]) <= 0xB3;
}

// ^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$ : the shape of a BCP 47 tag.
bool is_language_tag(std::string_view s) {
  std::size_t start = 0;
  bool first = true;
  while (true) {
    std::size_t end = s.find('-', start);
    std::string_view part = s.substr(start, end == std::string_view::npos ? s.npos : end - start);
    std::size_t min = first ? 2 : 1;
    if (part.size() < min || part.size() > 8) return false;
    for (char c : part) {
      bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!alpha && (first || c < '0' || c > '9')) return false;
    }
    if (end == std::string_view::npos) return true;
    start = end + 1;
    first = false;
  }
}

using detail::type_name;

// Walks the JSON with a path, collecting every problem rather than stopping at the first.
class Loader {
 public:
  std::vector<Error> errors;
  // The shared type checks (records and consent inputs read through the same helper). Policies
  // have no per-string limits, so a too-large code is never raised here.
  detail::JsonGetter get{errors, Code::PolicyWrongType, Code::PolicyBadValue};

  void add(Code code, const std::string& path, std::string detail) {
    errors.push_back(Error{code, path, std::move(detail), -1});
  }

  // Reports missing required and unknown fields; returns false if `v` is not an object.
  bool fields(const json& v, const std::string& path, std::initializer_list<const char*> required,
              std::initializer_list<const char*> optional = {}) {
    static constexpr detail::SchemaCodes kCodes{Code::PolicyMissingField, Code::PolicyWrongType,
                                                Code::PolicyUnknownField};
    return detail::check_object(v, path, required, optional, kCodes, kFormat, errors);
  }

  // A non-empty string field (absence was already reported by `fields`).
  std::string str(const json& obj, const char* key, const std::string& path) {
    auto it = obj.find(key);
    if (it == obj.end()) return {};
    std::string p = path + "/" + key;
    if (!get.is(*it, json::value_t::string, p)) return {};
    const auto& s = it->get_ref<const std::string&>();
    if (s.empty()) add(Code::PolicyBadValue, p, "must not be empty");
    return s;
  }

  std::string id(const json& obj, const char* key, const std::string& path) {
    std::string s = str(obj, key, path);
    if (!s.empty() && !is_id(s)) {
      add(Code::PolicyBadValue, path + "/" + key, "\"" + s + "\" is not an id ([a-z0-9-])");
    }
    return s;
  }

  // A string field that must match `ok` (the schema's pattern, named in `shape`).
  std::string shaped(const json& obj, const char* key, const std::string& path,
                     bool (*ok)(std::string_view), const char* shape) {
    std::string s = str(obj, key, path);
    if (!s.empty() && !ok(s)) {
      add(Code::PolicyBadValue, path + "/" + key, "\"" + s + "\" is not " + shape);
    }
    return s;
  }

  // `deidentified` is written only when true (the schema: const true), so one text has one form.
  bool mark(const json& obj, const char* key, const std::string& path) {
    bool present = obj.contains(key);
    bool v = boolean(obj, key, path);
    if (present && obj[key].is_boolean() && !v) {
      add(Code::PolicyBadValue, path + "/" + key, "write it only when true");
    }
    return v;
  }

  std::string one_of(const json& obj, const char* key, const std::string& path,
                     std::initializer_list<const char*> allowed) {
    std::string s = str(obj, key, path);
    if (s.empty()) return s;
    for (const char* a : allowed) {
      if (s == a) return s;
    }
    std::string list;
    for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
    add(Code::PolicyBadValue, path + "/" + key, "\"" + s + "\" is not one of " + list);
    return {};
  }

  bool boolean(const json& obj, const char* key, const std::string& path) {
    auto it = obj.find(key);
    bool out = false;
    if (it != obj.end()) get.boolean(*it, path + "/" + key, out);
    return out;
  }

  // The array at obj[key], or nullptr (reported) when it is not an array.
  const json* array(const json& obj, const char* key, const std::string& path, bool non_empty) {
    auto it = obj.find(key);
    if (it == obj.end() || !get.is(*it, json::value_t::array, path + "/" + key)) return nullptr;
    if (non_empty && it->empty()) add(Code::PolicyBadValue, path + "/" + key, "must not be empty");
    return &*it;
  }

  Inlines inlines(const json& v, const std::string& path) {
    Inlines out;
    if (!get.is(v, json::value_t::array, path)) return out;
    if (v.empty()) add(Code::PolicyBadValue, path, "must not be empty");
    std::size_t i = 0;
    for (const auto& e : v) {
      std::string p = path + "/" + std::to_string(i++);
      if (e.is_string()) {
        if (e.get_ref<const std::string&>().empty()) add(Code::PolicyBadValue, p, "empty text");
        out.push_back(Inline{Inline::Kind::Text, e.get<std::string>(), {}});
        continue;
      }
      if (!e.is_object()) {
        add(Code::PolicyWrongType, p,
            std::string("expected string or object, found ") + type_name(e));
        continue;
      }
      bool is_ref = e.contains("ref");
      if (is_ref && e.contains("link")) {
        add(Code::PolicyBadValue, p, "an inline is a ref or a link, not both");
        continue;
      }
      fields(e, p, {"text", is_ref ? "ref" : "link"});
      Inline in;
      in.kind = is_ref ? Inline::Kind::Ref : Inline::Kind::Link;
      in.text = str(e, "text", p);
      in.target = is_ref ? str(e, "ref", p) : id(e, "link", p);
      std::string tp = p + (is_ref ? "/ref" : "/link");
      (is_ref ? refs_ : link_uses_).push_back({in.target, tp});
      out.push_back(std::move(in));
    }
    return out;
  }

  std::optional<DisclosureSpec> disclosure(const json& obj, const std::string& path) {
    auto it = obj.find("disclosure");
    if (it == obj.end()) return std::nullopt;
    std::string p = path + "/disclosure";
    if (!fields(*it, p, {"id", "kind", "recipients", "optional_linkage"})) return std::nullopt;
    DisclosureSpec d;
    d.id = id(*it, "id", p);
    d.kind = one_of(
        *it, "kind", p,
        {"provision", "foreign-provision", "foreign-outsourcing", "foreign-succession", "receipt"});
    d.optional_linkage = boolean(*it, "optional_linkage", p);
    if (const json* rs = array(*it, "recipients", p, true)) {
      std::size_t i = 0;
      for (const auto& r : *rs) {
        std::string rp = p + "/recipients/" + std::to_string(i++);
        if (!fields(r, rp, {"name", "type"})) continue;
        d.recipients.push_back(
            Recipient{str(r, "name", rp), one_of(r, "type", rp, {"organization", "category"})});
      }
    }
    if (!d.id.empty()) declare(disclosure_ids_, d.id, p + "/id");
    // (An unknown kind was reported already: no second error for it.)
    if (d.optional_linkage && !d.kind.empty() && d.kind != "provision" &&
        d.kind != "foreign-provision") {
      add(Code::PolicyBadValue, p + "/optional_linkage",
          "only a provision can be an optional linkage");
    }
    return d;
  }

  std::vector<Block> blocks(const json& v, const std::string& path) {
    std::vector<Block> out;
    if (!get.is(v, json::value_t::array, path)) return out;
    std::size_t i = 0;
    for (const auto& b : v) out.push_back(block(b, path + "/" + std::to_string(i++)));
    return out;
  }

  Block block(const json& v, const std::string& p) {
    Block b;
    if (!get.is(v, json::value_t::object, p)) return b;
    if (!v.contains("type")) {
      add(Code::PolicyMissingField, p + "/type", "required");
      return b;
    }
    std::string type = one_of(v, "type", p, {"p", "ul", "note", "item", "group", "ol", "dl"});
    if (type == "p") {
      b.type = Block::Type::P;
      fields(v, p, {"type", "content"});
      if (v.contains("content")) b.content = inlines(v["content"], p + "/content");
    } else if (type == "note") {
      b.type = Block::Type::Note;
      fields(v, p, {"type", "content"}, {"deidentified"});
      if (v.contains("content")) b.content = inlines(v["content"], p + "/content");
      b.deidentified = mark(v, "deidentified", p);
    } else if (type == "ul") {
      b.type = Block::Type::Ul;
      fields(v, p, {"type", "items"}, {"deidentified"});
      b.deidentified = mark(v, "deidentified", p);
      if (const json* items = array(v, "items", p, true)) {
        std::size_t i = 0;
        for (const auto& item : *items)
          b.items.push_back(inlines(item, p + "/items/" + std::to_string(i++)));
      }
    } else if (type == "item") {
      b.type = Block::Type::Item;
      fields(v, p, {"type", "id", "title", "blocks"}, {"number", "disclosure"});
      b.id = id(v, "id", p);
      if (!b.id.empty()) declare(anchor_ids_, b.id, p + "/id");
      b.number = shaped(v, "number", p, is_item_number, "a number like \"(1)\"");
      if (v.contains("title")) b.title = inlines(v["title"], p + "/title");
      if (v.contains("blocks")) b.blocks = blocks(v["blocks"], p + "/blocks");
      b.disclosure = disclosure(v, p);
    } else if (type == "group") {
      b.type = Block::Type::Group;
      fields(v, p, {"type", "heading", "role", "blocks"}, {"disclosure"});
      b.heading = str(v, "heading", p);
      b.role = one_of(v, "role", p, {"when", "purposes", "items", "other"});
      if (v.contains("blocks")) b.blocks = blocks(v["blocks"], p + "/blocks");
      b.disclosure = disclosure(v, p);
    } else if (type == "ol") {
      b.type = Block::Type::Ol;
      fields(v, p, {"type", "items"});
      if (const json* items = array(v, "items", p, true)) {
        std::size_t i = 0;
        for (const auto& e : *items) {
          std::string ep = p + "/items/" + std::to_string(i++);
          if (!fields(e, ep, {"marker", "content", "blocks"})) continue;
          OlEntry entry;
          entry.marker = shaped(e, "marker", ep, is_circled_marker, "one of ①-⑳");
          if (e.contains("content")) entry.content = inlines(e["content"], ep + "/content");
          if (e.contains("blocks")) entry.blocks = blocks(e["blocks"], ep + "/blocks");
          b.ol.push_back(std::move(entry));
        }
      }
    } else if (type == "dl") {
      b.type = Block::Type::Dl;
      fields(v, p, {"type", "entries"});
      if (const json* entries = array(v, "entries", p, true)) {
        std::size_t i = 0;
        for (const auto& e : *entries) {
          std::string ep = p + "/entries/" + std::to_string(i++);
          if (!fields(e, ep, {"term", "description"})) continue;
          b.dl.push_back(DlEntry{str(e, "term", ep), str(e, "description", ep)});
        }
      }
    }
    return b;
  }

  void declare(std::map<std::string, std::string>& ids, const std::string& id,
               const std::string& path) {
    auto [it, fresh] = ids.emplace(id, path);
    if (!fresh)
      add(Code::PolicyDuplicateId, path, "\"" + id + "\" is already used at " + it->second);
  }

  // After the walk: every ref names an anchor, every link a declared target.
  void check_references(const std::set<std::string>& declared_links) {
    for (const auto& [target, path] : refs_) {
      if (target != "top" && !anchor_ids_.count(target)) {
        add(Code::PolicyDanglingRef, path, "no section or item has id \"" + target + "\"");
      }
    }
    for (const auto& [target, path] : link_uses_) {
      if (!target.empty() && !declared_links.count(target)) {
        add(Code::PolicyUndeclaredLink, path, "\"" + target + "\" is not declared in /links");
      }
    }
  }

  std::map<std::string, std::string> anchor_ids_;  // id -> where declared

 private:
  std::map<std::string, std::string> disclosure_ids_;
  std::vector<std::pair<std::string, std::string>> refs_, link_uses_;
};

}  // namespace

Result<Policy> load_policy(std::string_view json_text) {
  auto parsed = detail::parse_strict(json_text);
  if (!parsed) return parsed.errors();
  const json& doc = *parsed;
  Loader loader;
  Policy pol;
  if (!loader.fields(doc, "",
                     {"format", "id", "version", "lang", "title", "effective", "revision_summary",
                      "preamble", "toc_title", "sections", "back_to_top", "links"})) {
    return loader.errors;
  }
  pol.format = loader.str(doc, "format", "");
  if (!pol.format.empty() && pol.format != kFormat) {
    // A different format version means the rest cannot be read with these rules.
    return Error{Code::PolicyUnsupportedFormat, "/format",
                 "\"" + pol.format + "\"; this build reads " + std::string(kFormat), -1};
  }
  pol.id = loader.id(doc, "id", "");
  pol.version = loader.str(doc, "version", "");
  pol.lang = loader.shaped(doc, "lang", "", is_language_tag, "a language tag");
  pol.title = loader.str(doc, "title", "");
  pol.toc_title = loader.str(doc, "toc_title", "");
  if (doc.contains("effective") &&
      loader.fields(doc["effective"], "/effective", {"date", "text"})) {
    pol.effective_date = loader.str(doc["effective"], "date", "/effective");
    pol.effective_text = loader.str(doc["effective"], "text", "/effective");
    if (!pol.effective_date.empty() && !is_date(pol.effective_date)) {
      loader.add(Code::PolicyBadValue, "/effective/date", "not a valid YYYY-MM-DD date");
    }
  }
  std::set<std::string> declared_links;
  if (const json* links = doc.contains("links") ? &doc["links"] : nullptr) {
    if (loader.get.is(*links, json::value_t::object, "/links")) {
      for (auto it = links->begin(); it != links->end(); ++it) {
        std::string p = "/links/" + detail::pointer_token(it.key());
        if (!is_id(it.key())) loader.add(Code::PolicyBadValue, p, "link names are ids ([a-z0-9-])");
        if (!loader.fields(*it, p, {"description"})) continue;
        pol.links.push_back(LinkTarget{it.key(), loader.str(*it, "description", p)});
        declared_links.insert(it.key());
      }
    }
  }
  if (doc.contains("revision_summary"))
    pol.revision_summary = loader.inlines(doc["revision_summary"], "/revision_summary");
  if (doc.contains("preamble")) pol.preamble = loader.blocks(doc["preamble"], "/preamble");
  if (doc.contains("back_to_top"))
    pol.back_to_top = loader.inlines(doc["back_to_top"], "/back_to_top");
  if (const json* secs = loader.array(doc, "sections", "", true)) {
    std::size_t i = 0;
    for (const auto& s : *secs) {
      std::string p = "/sections/" + std::to_string(i++);
      if (!loader.fields(s, p, {"id", "number", "title", "blocks"})) continue;
      Section sec;
      sec.id = loader.id(s, "id", p);
      if (!sec.id.empty()) loader.declare(loader.anchor_ids_, sec.id, p + "/id");
      sec.number = loader.shaped(s, "number", p, is_section_number, "a number like \"1.\"");
      sec.title = loader.str(s, "title", p);
      if (s.contains("blocks")) sec.blocks = loader.blocks(s["blocks"], p + "/blocks");
      pol.sections.push_back(std::move(sec));
    }
  }
  if (loader.anchor_ids_.count("top"))
    loader.add(Code::PolicyDuplicateId, loader.anchor_ids_["top"],
               "\"top\" names the document itself");
  loader.check_references(declared_links);
  if (!loader.errors.empty()) return loader.errors;

  auto canonical = canonicalize(doc);
  if (!canonical) return canonical.errors();
  pol.canonical_json = std::move(*canonical);
  pol.digest = sha256_hex(pol.canonical_json);
  return pol;
}

namespace {

// A host as the WHATWG URL parser will keep it: ASCII letters, digits and '-' in non-empty
// dot-separated labels. Refused: a last label that is a number (the parser reads the host as
// IPv4, so "0x7f.1" becomes 127.0.0.1), "xn--" labels (punycode the parser may rewrite or
// reject), '%' (percent-decoded before the host is parsed), and anything IDNA would map.
bool is_plain_host(std::string_view h) {
  if (h.empty()) return false;
  std::size_t start = 0;
  std::string_view last;
  while (true) {
    std::size_t end = h.find('.', start);
    std::string_view label = h.substr(start, end == std::string_view::npos ? h.npos : end - start);
    if (label.empty()) return false;
    if (label.size() >= 4 && (label[0] == 'x' || label[0] == 'X') &&
        (label[1] == 'n' || label[1] == 'N') && label[2] == '-' && label[3] == '-') {
      return false;
    }
    for (char c : label) {
      bool ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return false;
    }
    last = label;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  bool numeric = all_digits(last) ||
                 (last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X'));
  return !numeric;
}

// "host" or "host:port" (1-65535); no credentials, no IPv6 literal.
bool is_plain_authority(std::string_view a) {
  std::size_t colon = a.find(':');
  if (colon == std::string_view::npos) return is_plain_host(a);
  std::string_view port = a.substr(colon + 1);
  if (!all_digits(port) || port.size() > 5) return false;
  int n = 0;
  for (char c : port) n = n * 10 + (c - '0');
  return n >= 1 && n <= 65535 && is_plain_host(a.substr(0, colon));
}

// Judged as the WHATWG URL parser (what browsers use) will read it, so a link goes where it
// says: an absolute http(s) URL whose host is the host written, a mailto: URL, or a path on
// this site.
bool is_allowed_url(std::string_view u) {
  auto starts = [&](std::string_view pre) { return u.substr(0, pre.size()) == pre; };
  for (char c : u) {
    // The parser silently drops tab and newlines ("java\tscript:") and reads '\\' as '/' in
    // http(s) URLs ("/\\evil.example/" is another host): refuse them, and every control.
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == '\\') return false;
  }
  for (std::string_view scheme : {std::string_view("https://"), std::string_view("http://")}) {
    if (!starts(scheme)) continue;
    std::string_view rest = u.substr(scheme.size());
    std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    return is_plain_authority(authority);  // '@' (credentials) is not a host character
  }
  if (starts("mailto:")) return u.size() > 7;
  // A path on the same site; "//host" would be scheme-relative.
  return starts("/") && !starts("//");
}

}  // namespace

Result<Links> load_links(std::string_view json_text, const Policy& policy) {
  auto parsed = detail::parse_strict(json_text);
  if (!parsed) return parsed.errors();
  const json& doc = *parsed;
  if (!doc.is_object()) return Error{Code::LinksWrongType, "", "expected an object of URLs", -1};
  std::vector<Error> errors;
  Links links;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    std::string p = "/" + detail::pointer_token(it.key());
    bool declared = false;
    for (const auto& t : policy.links) declared = declared || t.name == it.key();
    if (!declared) {
      errors.push_back(Error{Code::LinksUnknownTarget, p,
                             "the policy declares no link \"" + it.key() + "\"", -1});
      continue;
    }
    if (!it->is_string()) {
      errors.push_back(Error{Code::LinksWrongType, p, "expected a URL string", -1});
      continue;
    }
    const auto& url = it->get_ref<const std::string&>();
    if (!is_allowed_url(url)) {
      // As given: whoever prints it escapes what a terminal must not see (the CLI does).
      errors.push_back(Error{Code::LinksBadUrl, p, "\"" + url + "\"", -1});
      continue;
    }
    links.emplace(it.key(), url);
  }
  if (!errors.empty()) return errors;
  return links;
}

}  // namespace doui
