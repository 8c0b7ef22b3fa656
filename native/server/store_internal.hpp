// The two stores behind `open_store`.
#pragma once

#include <memory>
#include <string>

#include "ledger.hpp"

namespace doui::server {

std::unique_ptr<Store> open_sqlite_store(const std::string& path);
std::unique_ptr<Store> open_postgres_store(const std::string& conninfo);

}  // namespace doui::server
