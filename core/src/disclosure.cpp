#include "doui/disclosure.hpp"

#include <nlohmann/json.hpp>

#include "doui/canonical.hpp"
#include "doui/digest.hpp"

namespace doui {

using nlohmann::json;

namespace {

// The policy's own definition of 当社: X is the operator that publishes the policy.
constexpr std::string_view kCompanyDefinitions[] = {"（以下「当社」といいます）",
                                                    " (hereinafter \"the Company\")"};

std::string controller_in(const Inlines& inlines) {
  for (const auto& in : inlines) {
    for (std::string_view def : kCompanyDefinitions) {
      auto at = in.text.find(def);
      if (at == std::string::npos) continue;
      // The name runs from the start of its sentence: after the last "。" before the definition
      // (English names hold full stops, "Co., Ltd.": there, from the start of the run).
      auto start = in.text.rfind("。", at);
      start = start == std::string::npos ? 0 : start + std::string_view("。").size();
      return in.text.substr(start, at - start);
    }
  }
  return {};
}

std::string controller_in(const std::vector<Block>& blocks);

std::string controller_in(const Block& b) {
  std::string n = controller_in(b.content);
  if (n.empty()) n = controller_in(b.title);
  for (const auto& item : b.items) {
    if (n.empty()) n = controller_in(item);
  }
  if (n.empty()) n = controller_in(b.blocks);
  for (const auto& e : b.ol) {
    if (n.empty()) n = controller_in(e.content);
    if (n.empty()) n = controller_in(e.blocks);
  }
  return n;
}

std::string controller_in(const std::vector<Block>& blocks) {
  for (const auto& b : blocks) {
    std::string n = controller_in(b);
    if (!n.empty()) return n;
  }
  return {};
}

// Collects a group's entries. A paragraph directly followed by a list introduces that list
// (「例として以下の項目が含まれます。」) and is not itself an entry; other paragraphs are.
void collect_entries(const std::vector<Block>& blocks, std::vector<std::string>& out) {
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const Block& b = blocks[i];
    if (b.type == Block::Type::Ul) {
      for (const auto& item : b.items) out.push_back(plain_text(item));
    } else if (b.type == Block::Type::P) {
      bool introduces_list = i + 1 < blocks.size() && blocks[i + 1].type == Block::Type::Ul;
      if (!introduces_list) out.push_back(plain_text(b.content));
    } else if (b.type == Block::Type::Ol) {
      for (const auto& e : b.ol) out.push_back(plain_text(e.content));
    }
  }
}

void collect_purposes(const std::vector<Block>& blocks, std::vector<Purpose>& out) {
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const Block& b = blocks[i];
    if (b.type == Block::Type::Ul) {
      for (const auto& item : b.items) out.push_back(Purpose{plain_text(item), {}, b.deidentified});
    } else if (b.type == Block::Type::Ol) {
      for (const auto& e : b.ol) {
        Purpose p{plain_text(e.content), {}, false};
        for (const auto& sub : e.blocks) {
          if (sub.type == Block::Type::Ul) {
            for (const auto& item : sub.items) p.examples.push_back(plain_text(item));
          }
        }
        out.push_back(std::move(p));
      }
    } else if (b.type == Block::Type::P) {
      bool introduces_list = i + 1 < blocks.size() && blocks[i + 1].type == Block::Type::Ul;
      if (!introduces_list) out.push_back(Purpose{plain_text(b.content), {}, false});
    }
  }
}

// Walks the blocks under a disclosure, sorting what it finds by the role of its group.
void collect(const std::vector<Block>& blocks, Disclosure& d, bool& whole_deidentified) {
  for (const Block& b : blocks) {
    switch (b.type) {
      case Block::Type::Group:
        if (b.role == "when") {
          collect_entries(b.blocks, d.when);
        } else if (b.role == "purposes") {
          collect_purposes(b.blocks, d.purposes);
        } else if (b.role == "items") {
          collect_entries(b.blocks, d.data_items);
        } else {
          collect_entries(b.blocks, d.statements);
        }
        // Notes inside a group still belong to the disclosure.
        for (const Block& inner : b.blocks) {
          if (inner.type == Block::Type::Note) {
            d.notes.push_back(plain_text(inner.content));
            whole_deidentified = whole_deidentified || inner.deidentified;
          }
        }
        break;
      case Block::Type::Note:
        d.notes.push_back(plain_text(b.content));
        whole_deidentified = whole_deidentified || b.deidentified;
        break;
      case Block::Type::Ul:
        for (const auto& item : b.items) d.statements.push_back(plain_text(item));
        break;
      default:
        break;
    }
  }
}

Disclosure derive(const DisclosureSpec& spec, const std::string& source, std::string title,
                  const Block& b) {
  Disclosure d;
  d.id = spec.id;
  d.kind = spec.kind;
  d.source = source;
  d.title = std::move(title);
  d.recipients = spec.recipients;
  d.optional_linkage = spec.optional_linkage;
  bool whole = false;
  if (b.type == Block::Type::Group) {
    // A group-level disclosure (section 6): its own list items are its statements.
    Block wrapper;
    wrapper.blocks = {b};
    wrapper.blocks[0].role = "other";
    collect(wrapper.blocks, d, whole);
  } else {
    collect(b.blocks, d, whole);
  }
  std::size_t marked = 0;
  for (const auto& p : d.purposes) marked += p.deidentified ? 1 : 0;
  if (whole || (!d.purposes.empty() && marked == d.purposes.size())) {
    d.deidentified = "all";
  } else {
    d.deidentified = marked > 0 ? "partial" : "none";
  }
  return d;
}

void walk(const std::vector<Block>& blocks, const std::string& section_id,
          std::vector<Disclosure>& out) {
  for (const Block& b : blocks) {
    if (b.disclosure) {
      if (b.type == Block::Type::Item) {
        out.push_back(derive(*b.disclosure, b.id, plain_text(b.title), b));
      } else {
        out.push_back(derive(*b.disclosure, section_id, b.heading, b));
      }
    }
    walk(b.blocks, b.type == Block::Type::Item ? b.id : section_id, out);
  }
}

json to_json(const Disclosure& d, bool with_digest) {
  json recipients = json::array();
  for (const auto& r : d.recipients) recipients.push_back({{"name", r.name}, {"type", r.type}});
  json purposes = json::array();
  for (const auto& p : d.purposes) {
    purposes.push_back(
        {{"text", p.text}, {"examples", p.examples}, {"deidentified", p.deidentified}});
  }
  json j = {{"id", d.id},
            {"kind", d.kind},
            {"source", d.source},
            {"title", d.title},
            {"recipients", recipients},
            {"optional_linkage", d.optional_linkage},
            {"when", d.when},
            {"purposes", purposes},
            {"data_items", d.data_items},
            {"statements", d.statements},
            {"notes", d.notes},
            {"deidentified", d.deidentified}};
  if (with_digest) j["digest"] = d.digest;
  return j;
}

}  // namespace

std::vector<Disclosure> derive_disclosures(const Policy& policy) {
  std::vector<Disclosure> out;
  for (const auto& s : policy.sections) walk(s.blocks, s.id, out);
  for (auto& d : out) {
    // The record holds only strings, booleans and arrays: canonicalisation cannot fail.
    d.digest = sha256_hex(canonicalize(to_json(d, false)).value());
  }
  return out;
}

std::string controller_name(const Policy& policy) {
  std::string name = controller_in(policy.preamble);
  for (const auto& s : policy.sections) {
    if (name.empty()) name = controller_in(s.blocks);
  }
  return name;
}

std::string disclosures_json(const std::vector<Disclosure>& disclosures) {
  json arr = json::array();
  for (const auto& d : disclosures) arr.push_back(to_json(d, true));
  return canonicalize(arr).value();
}

}  // namespace doui
