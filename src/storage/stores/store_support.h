#pragma once
// What every store of storage/stores/ uses from the backend-neutral layer:
// the stores are written once, on sql::Lease, for SQLite and PostgreSQL.
#include "storage/sql/database.h"
#include "storage/sql/statement.h"

namespace portier::storage {

using sql::Lease;
using sql::read_rows;
using sql::require_change;
using sql::Statement;
using sql::transaction;

}  // namespace portier::storage
