// The policy as data: the model of a doui.policy/1 document (docs/policy-format.md), its strict
// loader, and the deployment's links file. Nothing about the policy's content is in code.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doui/result.hpp"

namespace doui {

/// A run of text, a cross-reference to a section/item id, or a named link target.
struct Inline {
  enum class Kind { Text, Ref, Link };
  Kind kind = Kind::Text;
  std::string text;
  std::string target;  ///< the id (Ref) or the link name (Link)
};
using Inlines = std::vector<Inline>;

/// The plain text of a run of inlines (labels of links and references included).
std::string plain_text(const Inlines& inlines);

struct Recipient {
  std::string name;
  std::string type;  ///< "organization" (a legal name) or "category"
};

/// What the policy file says about a provision; everything else is derived (disclosure.hpp).
struct DisclosureSpec {
  std::string id;
  std::string
      kind;  ///< provision | foreign-provision | foreign-outsourcing | foreign-succession | receipt
  std::vector<Recipient> recipients;
  bool optional_linkage = false;
};

struct Block;

struct OlEntry {
  std::string marker;  ///< "①"
  Inlines content;
  std::vector<Block> blocks;
};

struct DlEntry {
  std::string term;
  std::string description;
};

/// One block of the policy body. A tagged value rather than a class hierarchy: renderers switch
/// on `type`, and the fields a type does not use stay empty.
struct Block {
  enum class Type { P, Ul, Note, Item, Group, Ol, Dl };
  Type type = Type::P;
  Inlines content;                           ///< P, Note
  std::vector<Inlines> items;                ///< Ul
  bool deidentified = false;                 ///< Ul, Note
  std::string id;                            ///< Item
  std::string number;                        ///< Item ("(1)"; may be empty)
  Inlines title;                             ///< Item
  std::string heading;                       ///< Group ("[提供する場合]")
  std::string role;                          ///< Group: when | purposes | items | other
  std::vector<Block> blocks;                 ///< Item, Group
  std::vector<OlEntry> ol;                   ///< Ol
  std::vector<DlEntry> dl;                   ///< Dl
  std::optional<DisclosureSpec> disclosure;  ///< Item, Group
};

struct Section {
  std::string id;
  std::string number;  ///< "1."
  std::string title;
  std::vector<Block> blocks;
};

struct LinkTarget {
  std::string name;
  std::string description;
};

struct Policy {
  std::string format;
  std::string id;
  std::string version;
  std::string lang;
  std::string title;
  std::string effective_date;  ///< YYYY-MM-DD
  std::string effective_text;
  Inlines revision_summary;
  std::vector<Block> preamble;
  std::string toc_title;
  std::vector<Section> sections;
  Inlines back_to_top;
  std::vector<LinkTarget> links;  ///< declared link targets, in file order

  /// RFC 8785 canonical form of the source document, and its SHA-256 (hex): the policy digest.
  std::string canonical_json;
  std::string digest;
};

/// Parses and validates a doui.policy/1 document. Every problem found is reported with a code
/// and a JSON pointer: missing fields, wrong types, unknown fields, bad values, invalid UTF-8,
/// duplicate keys or ids, dangling cross-references and undeclared link targets.
Result<Policy> load_policy(std::string_view json_text);

/// A deployment's URLs for the policy's named link targets. A target with no URL renders as text.
using Links = std::map<std::string, std::string, std::less<>>;

/// Parses a links file (`{"<target>": "<url>", ...}`) against `policy`: every name must be a
/// declared target and every URL one that the WHATWG URL parser (browsers) resolves where it
/// says: an absolute http(s) URL with a plain ASCII host (no credentials, no numeric or IDN
/// host, port 1-65535), a mailto: URL, or a path on the site ("/...", not "//..."); nothing with a
/// backslash, a space or a control character anywhere (links.bad_url).
Result<Links> load_links(std::string_view json_text, const Policy& policy);

/// The policy bundled into the library: i18n/policy/ja/policy.json at build time, minified
/// (same content, so the same digest).
std::string_view bundled_policy_json();

}  // namespace doui
