#include "doui/render.hpp"

namespace doui {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

// Minimal presentation that keeps the text's own numbering visible and lists unnumbered.
constexpr std::string_view kStyle =
    ".doui-policy{line-height:1.8;max-width:48em}"
    ".doui-policy ol.doui-toc,.doui-policy ol.doui-circled{list-style:none;padding-left:0}"
    ".doui-policy .doui-note{margin-left:1em;text-indent:-1em}"
    ".doui-policy dl.doui-dl div{display:flex;gap:.5em;flex-wrap:wrap}"
    ".doui-policy dl.doui-dl dd{margin:0}";

class HtmlWriter {
 public:
  HtmlWriter(const Links& links, const HtmlOptions& options) : links_(links), opt_(options) {}

  std::string out;

  std::string anchor(std::string_view id) const {
    return html_escape(opt_.id_prefix) + html_escape(id);
  }

  void inlines(const Inlines& in) {
    for (const auto& i : in) {
      switch (i.kind) {
        case Inline::Kind::Text:
          out += html_escape(i.text);
          break;
        case Inline::Kind::Ref:
          out += "<a href=\"#" + anchor(i.target == "top" ? "top" : i.target) + "\">";
          out += html_escape(i.text);
          out += "</a>";
          break;
        case Inline::Kind::Link: {
          auto it = links_.find(i.target);
          if (it == links_.end()) {
            // No URL configured: the label stays, as text, never as a dead href="#".
            out += html_escape(i.text);
          } else {
            out += "<a href=\"" + html_escape(it->second) + "\">" + html_escape(i.text) + "</a>";
          }
          break;
        }
      }
    }
  }

  void blocks(const std::vector<Block>& bs, int level) {
    for (const auto& b : bs) block(b, level);
  }

  void block(const Block& b, int level) {
    switch (b.type) {
      case Block::Type::P:
        out += "<p>";
        inlines(b.content);
        out += "</p>\n";
        break;
      case Block::Type::Note:
        out += "<p class=\"doui-note\">";
        inlines(b.content);
        out += "</p>\n";
        break;
      case Block::Type::Ul:
        out += "<ul>\n";
        for (const auto& item : b.items) {
          out += "<li>";
          inlines(item);
          out += "</li>\n";
        }
        out += "</ul>\n";
        break;
      case Block::Type::Item: {
        std::string h = heading_tag(level);
        out += "<section class=\"doui-item\" id=\"" + anchor(b.id) + "\">\n";
        out += "<" + h + ">";
        if (!b.number.empty()) out += html_escape(b.number) + " ";
        inlines(b.title);
        out += "</" + h + ">\n";
        blocks(b.blocks, level + 1);
        out += "</section>\n";
        break;
      }
      case Block::Type::Group: {
        std::string h = heading_tag(level);
        out += "<section class=\"doui-group\">\n<" + h + ">" + html_escape(b.heading) + "</" + h +
               ">\n";
        blocks(b.blocks, level + 1);
        out += "</section>\n";
        break;
      }
      case Block::Type::Ol:
        out += "<ol class=\"doui-circled\">\n";
        for (const auto& e : b.ol) {
          out += "<li><p>" + html_escape(e.marker);
          inlines(e.content);
          out += "</p>\n";
          blocks(e.blocks, level);
          out += "</li>\n";
        }
        out += "</ol>\n";
        break;
      case Block::Type::Dl:
        out += "<dl class=\"doui-dl\">\n";
        for (const auto& e : b.dl) {
          out += "<div><dt>" + html_escape(e.term) + "</dt><dd>" + html_escape(e.description) +
                 "</dd></div>\n";
        }
        out += "</dl>\n";
        break;
    }
  }

 private:
  // h2 is a section; items and groups nest below it, never deeper than h6.
  static std::string heading_tag(int level) { return "h" + std::to_string(level > 6 ? 6 : level); }

  const Links& links_;
  const HtmlOptions& opt_;
};

}  // namespace

std::string render_html(const Policy& p, const Links& links, const HtmlOptions& options) {
  HtmlWriter w(links, options);
  std::string& o = w.out;
  o.reserve(64 * 1024);
  std::string lang = html_escape(p.lang);
  if (!options.fragment) {
    o += "<!DOCTYPE html>\n<html lang=\"" + lang + "\">\n<head>\n<meta charset=\"utf-8\">\n";
    o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    o += "<title>" + html_escape(p.title) + "</title>\n<style>";
    o += kStyle;
    o += "</style>\n</head>\n<body>\n";
  }
  o += "<article class=\"doui-policy\" lang=\"" + lang + "\" id=\"" + w.anchor("top") +
       "\" data-policy-id=\"" + html_escape(p.id) + "\" data-policy-version=\"" +
       html_escape(p.version) + "\">\n";
  o += "<h1>" + html_escape(p.title) + "</h1>\n";
  o += "<p class=\"doui-effective\"><time datetime=\"" + html_escape(p.effective_date) + "\">" +
       html_escape(p.effective_text) + "</time></p>\n";
  o += "<p class=\"doui-revision\">";
  w.inlines(p.revision_summary);
  o += "</p>\n";
  w.blocks(p.preamble, 2);
  o += "<nav class=\"doui-toc\" aria-labelledby=\"" + w.anchor("toc") + "\">\n";
  o += "<p id=\"" + w.anchor("toc") + "\" class=\"doui-toc-title\">" + html_escape(p.toc_title) +
       "</p>\n";
  o += "<ol class=\"doui-toc\">\n";
  for (const auto& s : p.sections) {
    o += "<li><a href=\"#" + w.anchor(s.id) + "\">" + html_escape(s.number) + " " +
         html_escape(s.title) + "</a></li>\n";
  }
  o += "</ol>\n</nav>\n";
  for (const auto& s : p.sections) {
    o += "<section id=\"" + w.anchor(s.id) + "\" aria-labelledby=\"" + w.anchor(s.id + "-h") +
         "\">\n";
    o += "<h2 id=\"" + w.anchor(s.id + "-h") + "\">" + html_escape(s.number) + " " +
         html_escape(s.title) + "</h2>\n";
    w.blocks(s.blocks, 3);
    o += "</section>\n";
  }
  o += "<p class=\"doui-back\">";
  w.inlines(p.back_to_top);
  o += "</p>\n</article>\n";
  if (!options.fragment) o += "</body>\n</html>\n";
  return o;
}

}  // namespace doui
