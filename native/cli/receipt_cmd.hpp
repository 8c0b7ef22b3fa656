// doui key and doui receipt: the server's signing key, and checking the receipts it signs.
#pragma once

#include <string_view>

namespace doui::cli {

extern const std::string_view kHelpKey;
extern const std::string_view kHelpReceipt;

/// doui key new --out FILE
int cmd_key(int argc, char** argv);

/// doui receipt verify [--pub FILE ...] [RECEIPT_FILE|-]
int cmd_receipt(int argc, char** argv);

}  // namespace doui::cli
