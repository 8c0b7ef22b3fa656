// Who receives what, shown two ways from one model (the disclosures the core derives from the
// policy's text): an SVG data-flow diagram and the table that is its text equivalent. Both are
// written natively (the diagram's labels are wrapped with ICU's line rules, doui/text.hpp), for
// the privacy center's pages; the browser module does not carry them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "doui/disclosure.hpp"
#include "doui/policy.hpp"

namespace doui {

/// Whether a disclosure is data the policy's operator receives (a receipt) rather than provides.
bool is_inbound(const Disclosure& d);
/// Whether its recipients are abroad (section 6: foreign third parties, outsourcing, succession).
bool is_abroad(const Disclosure& d);

/// The diagram, an inline <svg> element: the operator (controller_name) in the middle, each
/// source of a receipt on the left with an arrow to it, each recipient of a provision on the
/// right with an arrow from it, every arrow labelled with the data items it carries (the
/// disclosure's title where the text lists none), and the optional linkages apart, in a dashed
/// frame with dashed arrows. role="img", named by <title> and described by <desc> in `locale`
/// (the catalogs' site.diagram.*); ids start with `id_prefix`. Every text is escaped.
std::string flow_svg(const Policy& policy, const std::vector<Disclosure>& disclosures,
                     std::string_view locale, std::string_view id_prefix = "flow-");

/// The same disclosures as an HTML <table>, one row each: recipient or source, direction, when,
/// purposes, data items, de-identified, in Japan or abroad, optional, and a link to the item of
/// `policy` that states it, named by its numbers ("3. (1)"; the link goes to `policy_href` + "#" +
/// `anchor_prefix` + source id). Headers and values in `locale`; every text escaped.
std::string flow_table_html(const Policy& policy, const std::vector<Disclosure>& disclosures,
                            std::string_view locale, std::string_view policy_href,
                            std::string_view anchor_prefix = "doui-");

}  // namespace doui
