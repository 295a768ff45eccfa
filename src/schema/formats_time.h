#pragma once
// RFC 3339 date, time, date-time and duration checks (internal: the
// formats of formats.h).

#include <string_view>

namespace mcpw::schema::detail {

bool check_date(std::string_view s);
bool check_time(std::string_view s);
bool check_date_time(std::string_view s);
bool check_duration(std::string_view s);

}  // namespace mcpw::schema::detail
